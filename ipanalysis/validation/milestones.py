"""Rules of milestones.csv (qualitative goals and the later evidence on them)."""

from __future__ import annotations

from ..messages import Text
from ..tables import Row, Table
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
            check_evidence_is_later(ctx, table, row, doc)


def issued_after(later: str, earlier: str) -> bool:
    """Whether a date of issue (YYYY-MM or YYYY-MM-DD) is surely after another: a month is not after its own days."""
    width = min(len(later), len(earlier))
    return later[:width] > earlier[:width]


def related_regions(ctx: Context, region: str | None, other: str | None) -> bool:
    """Whether a document of one region could report on a goal of the other: the same region, or one contains the
    other (a city plan reviews its districts, a district plan its city's goals; a sibling district's plan does not)."""
    return region == other or region in ctx.ancestors(other or "") or other in ctx.ancestors(region or "")


def check_evidence_is_later(ctx: Context, table: Table, row: Row, doc: dict) -> None:
    """A document can only be evidence for a goal set before it; 'no later document' must be true of the documents
    that could report on the goal (those of its region, or of a region containing or contained by it). A date that did
    not read (already reported on its documents.csv row) decides nothing."""
    values = row.values
    if doc["date_issued"] is None:
        return
    evidence = ctx.doc(values["evidence_doc_id"])
    if evidence is not None and evidence["date_issued"] is not None \
            and not issued_after(evidence["date_issued"], doc["date_issued"]):
        ctx.add(table, row, "evidence_doc_id", "evidence_not_later", evidence=evidence["doc_id"],
                evidence_date=evidence["date_issued"], doc_id=doc["doc_id"], date=doc["date_issued"])
    if values["evidence_status"] == "no_later_document":
        later = [other for other in ctx.index("documents", "doc_id").values()
                 if issued_after(other.values["date_issued"] or "", doc["date_issued"])
                 and related_regions(ctx, other.values["region"], doc["region"])]
        if later:
            ctx.add(table, row, "evidence_status", "later_document_exists", doc_id=later[0].values["doc_id"])
