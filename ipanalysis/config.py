"""Path constants: the one place that knows where the project keeps things."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The build runs its kernels with this variable set to the data folder it builds from (make report DATA=...).
DATA_DIR_VARIABLE = "IPANALYSIS_DATA_DIR"
DATA_DIR = Path(os.environ.get(DATA_DIR_VARIABLE) or PROJECT_ROOT / "data")
SOURCES_SUBDIR = "sources"
SNAPSHOTS_SUBDIR = "snapshots"
DATAPACKAGE_FILE = "datapackage.json"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
FIGURES_DIR = PROJECT_ROOT / "figures"  # the committed figures
REPORTS_DIR = PROJECT_ROOT / "reports"
CACHE_DIR = PROJECT_ROOT / ".cache"  # what builds keep between runs, not committed: matplotlib's font list, fonts
# Noto Sans SC converted to TrueType outlines (style.truetype_fonts), made once and reused.
FONT_CACHE_DIR = CACHE_DIR / "fonts"
