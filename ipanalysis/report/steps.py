"""The steps of a build, in a staging folder: load and validate the data; start drawing every figure file in worker
processes, and meanwhile compute every table once (the kernels show the build's copies), write the tables and
workbook and run the notebooks, each in its own fresh kernel; embed the drawn figures into the executed notebooks;
write the figure manifest and the page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd

from ..config import CACHE_DIR, DATA_DIR_VARIABLE
from ..dataset import Dataset, DataValidationError, load
from ..display import BUILD_DIR_VARIABLE, stash_tables
from ..formatting import write_latex
from ..panel import PANEL_FILES, write_panel
from .catalogue import computed_tables
from .environment import isolated, isolated_variables
from .figures import FigureError, drawing, write_manifest
from .notebooks import NotebookError, execute_notebooks
from .outputs import write_tables, write_workbook
from .page import build_page, fill_figures, page_name
from .state import FIGURE_ITEMS, Layout, Staleness, notebook_sources

PAGE_LANGUAGES = ("en", "zh")  # index.html and index.zh.html
FAILURES = (DataValidationError, NotebookError, FigureError)  # bad data or a failing notebook: a message, no traceback
Log = Callable[[str], None]


def _reuse_outputs(layout: Layout, staged: Layout, keep: list[str]) -> None:
    """Copy what a notebooks-only build keeps: figures, tables, workbook and the executed notebooks in keep."""
    for item in FIGURE_ITEMS:
        source = layout.figures_dir / item
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, staged.figures_dir / item)
    shutil.copytree(layout.reports_dir / "tables", staged.reports_dir / "tables")
    for name in ("ipanalysis.xlsx", *PANEL_FILES):
        shutil.copy2(layout.reports_dir / name, staged.reports_dir / name)
    (staged.reports_dir / "notebooks").mkdir(parents=True)
    for name in keep:
        shutil.copy2(layout.reports_dir / "notebooks" / name, staged.reports_dir / "notebooks" / name)


def _compute_tables(dataset: Dataset, staging: Path, log: Log) -> dict[str, pd.DataFrame]:
    """Every computed table, once, left in staging for the kernels."""
    tables = computed_tables(dataset)
    stash_tables(tables, staging)
    log(f"computed {len(tables)} tables")
    return tables


def _steps(layout: Layout, staged: Layout, staging: Path, staleness: Staleness, log: Log) -> None:
    sources = notebook_sources(layout.notebooks_dir)
    dataset = load(layout.data_dir)
    log("loaded and validated the data")
    staged.figures_dir.mkdir(parents=True)
    if staleness.notebooks_only:
        _compute_tables(dataset, staging, log)
        changed = {name.removeprefix("notebooks/") for name in staleness.changed_inputs}
        to_run = [source for source in sources if source.name in changed]
        _reuse_outputs(layout, staged, [source.name for source in sources if source.name not in changed])
        log(f"only notebooks changed: running {len(to_run)} of {len(sources)}, keeping the figures and tables")
        executed = execute_notebooks(to_run, layout.notebooks_dir) if to_run else []
    else:
        to_run = sources
        # Drawing takes longest: the workers start first and draw while the tables are computed and written and the
        # notebooks run, so that no core waits.
        with drawing(dataset, layout.data_dir, staged.figures_dir) as figures:
            tables = _compute_tables(dataset, staging, log)
            write_tables(tables, staged.reports_dir / "tables")
            write_latex(dataset, staged.reports_dir / "tables")
            write_panel(dataset, staged.reports_dir)
            write_workbook(dataset, tables, layout.data_dir, staged.reports_dir / "ipanalysis.xlsx")
            log("wrote the tables, LaTeX tables, panel and workbook")
            executed = execute_notebooks(to_run, layout.notebooks_dir)
            log(f"ran {len(to_run)} notebooks")
            figures.get()
        write_manifest(staged.figures_dir)
        log("drew every figure")
    notebooks_dir = staged.reports_dir / "notebooks"
    notebooks_dir.mkdir(parents=True, exist_ok=True)
    for source, notebook in zip(to_run, executed, strict=True):
        fill_figures(notebook, staged.out_dir)
        nbformat.write(notebook, notebooks_dir / source.name)
    every = [nbformat.read(notebooks_dir / source.name, as_version=4) for source in sources]
    for lang in PAGE_LANGUAGES:
        page = build_page(every, dataset, staged.out_dir, lang)
        (staged.reports_dir / page_name(lang)).write_text(page, encoding="utf-8")
    log("wrote the page")


def run(layout: Layout, staged: Layout, staging: Path, staleness: Staleness, log: Log) -> None:
    """Every step, writing only into staging (staged is the layout of the outputs there), with the per-user folders
    of every process pointed into staging and the project's cache; kernels learn the build and data folders from
    IPANALYSIS_BUILD_DIR and IPANALYSIS_DATA_DIR."""
    variables = isolated_variables(staging / "scratch", CACHE_DIR) | {
        BUILD_DIR_VARIABLE: str(staging),
        DATA_DIR_VARIABLE: str(layout.data_dir),
    }
    with isolated(variables):
        _steps(layout, staged, staging, staleness, log)
