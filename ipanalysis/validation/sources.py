"""First step after reading the tables: read every text the quotes cite (the documents' sources and the
observations' snapshots), checking that each is a plain file inside its folder, its checksum and its encoding.

The rules of the other tables only look the texts up, so no quote check depends on the order they run in.
"""

from __future__ import annotations

from pathlib import Path

from ..config import SNAPSHOTS_SUBDIR, SOURCES_SUBDIR
from ..provenance import sha256_of
from ..tables import Row, Table, UndecodableText, decode_text
from .context import Context


def read_sources(ctx: Context) -> None:
    """Read each document's source file into ``ctx.texts`` (by doc_id) and each snapshot into ``ctx.snapshots``
    (by source_id)."""
    for table_name, key, file_column, subfolder, texts in (
        ("documents", "doc_id", "source_file", SOURCES_SUBDIR, ctx.texts),
        ("observation_sources", "source_id", "file", SNAPSHOTS_SUBDIR, ctx.snapshots),
    ):
        table = ctx.tables.get(table_name)
        for row in table.rows if table else []:
            text = read_text(ctx, table, row, file_column, ctx.data_dir / subfolder)
            if text is not None and row.values[key] is not None:
                texts[row.values[key]] = text


def read_text(ctx: Context, table: Table, row: Row, column: str, folder: Path) -> str | None:
    """The text of the file named in `column`, if it is a plain file name inside `folder`, inside the data folder once
    links are followed (a linked file or folder may not lead out of it), and reads as UTF-8."""
    name = row.values[column]
    if name is None:
        return None
    path = folder / name
    if not is_plain_file_name(name) or not path.resolve().is_relative_to(ctx.data_dir.resolve()):
        ctx.add(table, row, column, "unsafe_file_name", name=name, folder=str(folder))
        return None
    if not path.is_file():
        ctx.add(table, row, column, "source_missing", source=name, folder=str(folder))
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        ctx.add(table, row, column, "file_unreadable", error=f"{name}: {error.strerror or error}")
        return None
    actual = sha256_of(raw)
    if row.values["sha256"] is not None and actual != row.values["sha256"]:
        ctx.add(table, row, "sha256", "checksum", source=name, actual=actual, expected=row.values["sha256"])
    try:
        return decode_text(raw)
    except UndecodableText as error:
        ctx.add(table, row, column, "not_utf8", byte=error.byte, guess=error.guess)
        return None


def is_plain_file_name(name: str) -> bool:
    """A name that stays in its folder: not '.' or '..', no path separator, drive colon or control character."""
    return name not in ("", ".", "..") and not any(ch in "/\\:" or ord(ch) < 32 for ch in name)
