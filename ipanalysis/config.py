"""Path constants: the one place that knows where the project keeps things."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SOURCES_SUBDIR = "sources"
SNAPSHOTS_SUBDIR = "snapshots"
DATAPACKAGE_FILE = "datapackage.json"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
# Tests, `make verify` and `make bench` build elsewhere through these variables; the defaults are the project folders.
FIGURES_DIR = Path(os.environ.get("IPANALYSIS_FIGURES_DIR", PROJECT_ROOT / "figures"))
REPORTS_DIR = Path(os.environ.get("IPANALYSIS_REPORTS_DIR", PROJECT_ROOT / "reports"))
# Noto Sans SC converted to TrueType outlines (style.truetype_fonts), made once and reused; not committed.
FONT_CACHE_DIR = PROJECT_ROOT / ".cache" / "fonts"
