"""Chinese (or other) text of the notebooks' Markdown cells, kept in each cell's metadata beside the SHA-256 of the
English source it translates: ``cell.metadata["ipanalysis"]["zh"] = {"text": ..., "source_sha256": ...}``. A
translation whose hash no longer matches the English is stale: the tests fail until it is translated again, so
editing the English without the Chinese cannot go unnoticed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat

METADATA_KEY = "ipanalysis"


def source_hash(text: str) -> str:
    """SHA-256 of a cell's source as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def translation(cell: nbformat.NotebookNode, lang: str) -> str | None:
    """The cell's text in `lang`: the source itself for English, else the stored translation when it is current."""
    if lang == "en":
        return cell.source
    stored = cell.get("metadata", {}).get(METADATA_KEY, {}).get(lang)
    if not stored or stored.get("source_sha256") != source_hash(cell.source):
        return None
    return stored["text"]


def set_translation(cell: nbformat.NotebookNode, lang: str, text: str) -> None:
    """Store `text` as the cell's translation into `lang` of its current source."""
    cell.metadata.setdefault(METADATA_KEY, {})[lang] = {"text": text, "source_sha256": source_hash(cell.source)}


def untranslated(path: Path, lang: str) -> list[int]:
    """Indexes of the notebook's Markdown cells without a current translation into `lang`."""
    notebook = nbformat.read(path, as_version=4)
    return [n for n, cell in enumerate(notebook.cells) if cell.cell_type == "markdown" and translation(cell, lang) is None]
