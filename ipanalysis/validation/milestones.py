"""Rules of milestones.csv (qualitative goals and the later evidence on them)."""

from __future__ import annotations

from ..messages import Text
from .context import Context, issue_year


def check(ctx: Context) -> None:
    table = ctx.tables.get("milestones")
    if table is None:
        return
    for row in table.rows:
        values = row.values
        ctx.check_quote(table, row, "quote", values["doc_id"])
        if (values["evidence_doc_id"] is None) != (values["evidence_quote"] is None):
            missing = "evidence_quote" if values["evidence_quote"] is None else "evidence_doc_id"
            ctx.add(table, row, missing, "required")
        elif values["evidence_doc_id"] is not None:
            ctx.check_quote(table, row, "evidence_quote", values["evidence_doc_id"])
        doc = ctx.doc(values["doc_id"])
        if doc is not None:
            ctx.check_region(table, row, doc)
            ctx.check_year(table, row, "target_year", issue_year(doc), 2100, Text("why_milestone"))
