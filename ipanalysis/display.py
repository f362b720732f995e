"""Show figures and tables in notebooks. Nothing here writes a file.

Run by the build (`make report`), a notebook shows what the build produced: the build draws every figure file and
computes every table once, and tells its kernels where through the environment variable IPANALYSIS_BUILD_DIR.
Opened in JupyterLab, the same cells draw or compute in memory.

Every display carries both languages for the report builder: ``text/html`` (English, what JupyterLab shows) plus
``application/vnd.ipanalysis+json`` = ``{"kind": "figure" | "table" | "text", "name": ..., "en": {...}, "zh": {...}}``.
For a figure each language part names the built files (``{"src": "figures/<lang>/<name>.svg", "caption":
"figures/<lang>/<name>.caption.json"}``, relative to the build's output root) and the build embeds them; for a table
each part holds the table as HTML; for text (findings) each part holds it as HTML.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pandas as pd

from . import formatting
from .dataset import Dataset

BUILD_DIR_VARIABLE = "IPANALYSIS_BUILD_DIR"
MIME = "application/vnd.ipanalysis+json"
LANGUAGES = ("en", "zh")
TABLE_CACHE = "table-cache"  # subfolder of the build folder: the computed tables, pickled for the kernels


def build_dir() -> Path | None:
    """The folder of the build running this notebook, or None in an interactive session."""
    value = os.environ.get(BUILD_DIR_VARIABLE)
    return Path(value) if value else None


def _show(bundle: dict) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def figure_files(name: str, lang: str) -> dict[str, str]:
    """Where the build writes a figure's SVG and caption, relative to the build's output root."""
    return {"src": f"figures/{lang}/{name}.svg", "caption": f"figures/{lang}/{name}.caption.json"}


def figure(name: str, dataset: Dataset) -> None:
    """Show figure `name` (a key of plotting.FIGURES).

    Run by the build: a reference that the build fills with the figure it drew (the kernel draws nothing).
    Interactively: the English figure, drawn in memory.
    """
    if build_dir() is not None:
        reference = {"kind": "figure", "name": name, **{lang: figure_files(name, lang) for lang in LANGUAGES}}
        _show({"text/plain": f"figure {name}", MIME: reference})
        return
    from . import plotting

    drawn, _ = plotting.draw(name, dataset, "en")
    png = plotting.figure_bytes(drawn, "png")
    _show({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"figure {name}"})


def stash_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """Keep the build's computed tables where display.table finds them (folder is the build folder)."""
    cache = folder / TABLE_CACHE
    cache.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_pickle(cache / f"{name}.pkl")


def table_data(name: str, dataset: Dataset) -> pd.DataFrame:
    """Computed table `name` (a key of report.catalogue.TABLES): the build's copy when the build runs the notebook,
    else computed now."""
    built = build_dir()
    if built is not None:
        return pd.read_pickle(built / TABLE_CACHE / f"{name}.pkl")
    from .report.catalogue import TABLES

    return TABLES[name](dataset)


def table(name: str, dataset: Dataset, columns: list[str] | None = None) -> None:
    """Show computed table `name`, optionally only some columns, formatted for readers."""
    data = table_data(name, dataset)
    frame(data if columns is None else data[columns], name, dataset)


def table_html(data: pd.DataFrame | pd.Series, lang: str = "en", dataset: Dataset | None = None,
               name: str | None = None) -> str:
    """A table formatted for readers in `lang` (labels from the dataset, numbers, dashes; see formatting), as HTML."""
    return formatting.table_html(formatting.formatted(data, lang, dataset, name))


def frame(data: pd.DataFrame | pd.Series, name: str | None = None, dataset: Dataset | None = None) -> None:
    """Show any table formatted for readers, with the bilingual bundle (headers and labels in each language; labels
    of documents, regions, indicators and codes need the dataset)."""
    parts = {lang: table_html(data, lang, dataset, name) for lang in LANGUAGES}
    _show(
        {
            "text/html": parts["en"],
            "text/plain": repr(data),
            MIME: {"kind": "table", "name": name, **{lang: {"html": parts[lang]} for lang in LANGUAGES}},
        }
    )


def findings(sentences: list[dict[str, str]], name: str | None = None) -> None:
    """Show computed findings, one bullet each ({"en": ..., "zh": ...} per finding): both lists in JupyterLab, and
    each page of the report in its own language."""
    import mistune

    lists = {lang: "\n".join(f"- {sentence[lang]}" for sentence in sentences) for lang in LANGUAGES}
    _show(
        {
            "text/markdown": "\n\n".join(lists[lang] for lang in LANGUAGES),
            "text/plain": "\n\n".join(lists[lang] for lang in LANGUAGES),
            MIME: {"kind": "text", "name": name, **{lang: {"html": mistune.html(lists[lang])} for lang in LANGUAGES}},
        }
    )
