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
# Each affected table and its id column: a row's problem_ids and the register's `affects` say the same thing twice.
AFFECTED_KEYS = (("targets", "target_id"), ("outcomes", "outcome_id"), ("observations", "observation_id"))


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
    if not ctx.unread & AFFECTED:
        _check_agreement(ctx, table)


def _ids(value) -> list[str]:
    return [item for item in (value or "").split(";") if item]


def _check_agreement(ctx: Context, register: Table) -> None:
    """The register's `affects` and the rows' `problem_ids` agree: an entry names every row that cites it, and every
    row it names cites it, so a caveat reaches a table whichever side a reader (or the code) starts from."""
    affects = {row.values["problem_id"]: (row, set(_ids(row.values["affects"]))) for row in register.rows}
    for name, key in AFFECTED_KEYS:
        table = ctx.tables.get(name)
        for row in table.rows if table else ():
            row_id = row.values[key]
            cited = set(_ids(row.values.get("problem_ids")))
            for problem_id in sorted(cited):
                if problem_id in affects and row_id not in affects[problem_id][1]:
                    ctx.add(table, row, "problem_ids", "cited_not_affected", problem_id=problem_id, row_id=row_id)
            for problem_id, (entry, named) in affects.items():
                if row_id in named and problem_id not in cited:
                    ctx.add(register, entry, "affects", "affected_not_citing", problem_id=problem_id, row_id=row_id,
                            file=table.schema.path)


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
