"""Rules of source_problems.csv, the register of disagreements and ambiguities in the sources."""

from __future__ import annotations

from .context import Context


def check(ctx: Context) -> None:
    table = ctx.tables.get("source_problems")
    if table is None:
        return
    known = ctx.index("targets", "target_id").keys() | ctx.index("outcomes", "outcome_id").keys()
    for row in table.rows:
        values = row.values
        ctx.check_quote(table, row, "quote_a", values["doc_a"])
        if (values["doc_b"] is None) != (values["quote_b"] is None):
            ctx.add(table, row, "quote_b" if values["quote_b"] is None else "doc_b", "required")
        elif values["doc_b"] is not None:
            ctx.check_quote(table, row, "quote_b", values["doc_b"])
        for item in (values["affects"] or "").split(";"):
            if item and item not in known:
                ctx.add(table, row, "affects", "unknown_reference", value=item, ref_column="target_id/outcome_id",
                        ref_file="targets.csv/outcomes.csv")
