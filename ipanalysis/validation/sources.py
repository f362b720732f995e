"""First step after reading the tables: read every source text the quotes cite, checking its checksum and encoding.

The rules of the other tables only look the texts up, so no quote check depends on the order they run in.
"""

from __future__ import annotations

from ..config import SOURCES_SUBDIR
from ..messages import Text
from ..provenance import sha256_of
from .context import Context


def read_documents(ctx: Context) -> None:
    """Read the source file of each document into ``ctx.texts`` by doc_id."""
    table = ctx.tables.get("documents")
    if table is None:
        return
    folder = ctx.data_dir / SOURCES_SUBDIR
    for row in table.rows:
        values = row.values
        if values["source_file"] is None:
            continue
        path = folder / values["source_file"]
        if not path.is_file():
            ctx.add(table, row, "source_file", "source_missing", source=values["source_file"], folder=str(folder))
            continue
        actual = sha256_of(path)
        if values["sha256"] is not None and actual != values["sha256"]:
            ctx.add(table, row, "sha256", "checksum", source=values["source_file"], actual=actual, expected=values["sha256"])
        try:
            ctx.texts[values["doc_id"]] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            ctx.add(table, row, "source_file", "not_utf8", byte="?", guess=Text("guess_unknown"))
