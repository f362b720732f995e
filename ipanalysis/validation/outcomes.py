"""Rules of outcomes.csv: quote and value, derived formulas, dates within the document's review."""

from __future__ import annotations

from ..messages import Text
from ..provenance import check_derived
from ..tables import Row, Table
from .context import Context, issue_year


def check(ctx: Context) -> None:
    table = ctx.tables.get("outcomes")
    if table is None:
        return
    values = {key: row.values["value"] for key, row in ctx.index("outcomes", "outcome_id").items()}
    for row in table.rows:
        check_outcome(ctx, table, row, values)
    ctx.check_duplicate_statements(table, "doc_id")


def check_outcome(ctx: Context, table: Table, row: Row, outcome_values: dict[str, float]) -> None:
    values = row.values
    ctx.check_quote(table, row, "quote", values["doc_id"])
    if values["is_derived"]:
        if values["value_text"] is not None and values["quote"] is not None and values["value_text"] not in values["quote"]:
            ctx.add(table, row, "value_text", "value_text_not_in_quote", text=values["value_text"])
        operand = check_derived(row, outcome_values, ctx.reporter(table, row))
        if operand is not None:
            ctx.check_unit(table, row, operand, relative_ok=True)
    else:
        if values["formula"] is not None:
            ctx.add(table, row, "formula", "formula_not_derived")
        ctx.check_value_text(table, row, "value")
    if values["alternative_indicator_ids"] is not None and values["problem_ids"] is None:
        ctx.add(table, row, "alternative_indicator_ids", "alternative_unregistered")
    if values["year"] is None and values["period_end"] is None and not values["notes"]:
        ctx.add(table, row, "notes", "undated")
    ctx.check_period(table, row, required_end=False)
    doc = ctx.doc(values["doc_id"])
    if doc is None:
        return
    ctx.check_region(table, row, doc, allow_ancestors=bool(values["is_derived"]))
    if doc["reports_from"] is None:
        ctx.add(table, row, "doc_id", "no_review", doc_id=doc["doc_id"])
        return
    review = Text("why_review", (("doc_id", doc["doc_id"]),))
    for column in ("year", "period_start", "period_end"):
        ctx.check_year(table, row, column, doc["reports_from"], issue_year(doc), review)
