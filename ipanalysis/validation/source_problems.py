"""Rules of source_problems.csv, the register of disagreements, ambiguities and series breaks in the sources.

A register entry cites two texts: each a plan (a doc_id of documents.csv) or a stored observation snapshot (a
source_id of observation_sources.csv), with a quote verbatim in it; it affects targets, outcomes and observations.
"""

from __future__ import annotations

from ..tables import Row, Table
from .context import Context

CITED = (("doc_a", "quote_a"), ("doc_b", "quote_b"))
# The tables `affects` refers to; while one of them cannot be read, its ids would all look unknown.
AFFECTED = {"targets", "outcomes", "observations"}


def check(ctx: Context) -> None:
    table = ctx.tables.get("source_problems")
    if table is None:
        return
    known = (ctx.index("targets", "target_id").keys() | ctx.index("outcomes", "outcome_id").keys()
             | ctx.index("observations", "observation_id").keys())
    for row in table.rows:
        values = row.values
        if (values["doc_b"] is None) != (values["quote_b"] is None):
            ctx.add(table, row, "quote_b" if values["quote_b"] is None else "doc_b", "required")
        for source_column, quote_column in CITED:
            if values[source_column] is not None and values[quote_column] is not None:
                _check_cited(ctx, table, row, source_column, quote_column)
        for item in (values["affects"] or "").split(";") if not ctx.unread & AFFECTED else ():
            if item and item not in known:
                ctx.add(table, row, "affects", "unknown_reference", value=item,
                        ref_column="target_id/outcome_id/observation_id", ref_file="targets.csv/outcomes.csv/observations.csv")


def _check_cited(ctx: Context, table: Table, row: Row, source_column: str, quote_column: str) -> None:
    """The cited text is a document or a snapshot, and the quote occurs in it verbatim."""
    source = row.values[source_column]
    snapshot = ctx.index("observation_sources", "source_id").get(source)
    if ctx.doc(source) is not None:
        ctx.check_quote(table, row, quote_column, source)
    elif snapshot is not None:
        if source in ctx.snapshots:
            ctx.check_quote_in(table, row, quote_column, ctx.snapshots[source], snapshot.values["file"])
    else:
        ctx.add(table, row, source_column, "unknown_reference", value=source, ref_column="doc_id/source_id",
                ref_file="documents.csv/observation_sources.csv")
