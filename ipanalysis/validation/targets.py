"""Rules of targets.csv: quote and value, plan years, baselines, restatements and commitments."""

from __future__ import annotations

from ..messages import Text
from ..provenance import same_number
from ..tables import Row, Table
from .context import Context, issue_year

BASELINE_COLUMNS = ("baseline_year", "baseline_value", "baseline_outcome_id")
# What makes two targets the same commitment: one government (region), one indicator, year and period, one value.
COMMITMENT_COLUMNS = ("region", "indicator_id", "target_year", "period_start", "period_end", "target_value", "bound",
                      "target_form")


def check(ctx: Context) -> None:
    table = ctx.tables.get("targets")
    if table is None:
        return
    for row in table.rows:
        check_target(ctx, table, row)
    ctx.check_duplicate_statements(table, "doc_id")
    check_commitments(ctx, table)


def check_target(ctx: Context, table: Table, row: Row) -> None:
    values = row.values
    ctx.check_quote(table, row, "quote", values["doc_id"])
    ctx.check_value_text(table, row, "target_value")
    doc = ctx.doc(values["doc_id"])
    if doc is None:
        return
    ctx.check_region(table, row, doc)
    plan = Text("why_plan_period", (("doc_id", doc["doc_id"]),))
    for column in ("target_year", "period_start", "period_end"):
        ctx.check_year(table, row, column, doc["period_start"], doc["period_end"], plan)
    ctx.check_period(table, row, required_end=True)
    check_baseline(ctx, table, row, doc)
    check_restatement(ctx, table, row)


def check_baseline(ctx: Context, table: Table, row: Row, doc: dict) -> None:
    """The baseline trio is complete, lies before the target and agrees with the outcome row it cites."""
    values = row.values
    if all(values[column] is None for column in BASELINE_COLUMNS):
        return
    for column in BASELINE_COLUMNS:
        if values[column] is None:
            ctx.add(table, row, column, "baseline_incomplete", missing=column)
    issued = issue_year(doc)
    if None not in (values["target_year"], doc["period_start"], issued):
        ctx.check_year(table, row, "baseline_year", doc["period_start"] - 10, min(values["target_year"] - 1, issued),
                       Text("why_baseline"))
    outcome = ctx.index("outcomes", "outcome_id").get(values["baseline_outcome_id"])
    if outcome is None:
        return
    for column, other_column in (("doc_id", "doc_id"), ("indicator_id", "indicator_id"),
                                 ("baseline_year", "year"), ("baseline_value", "value")):
        mine, theirs = values[column], outcome.values[other_column]
        if mine is None or theirs is None:
            continue
        differs = not same_number(mine, theirs) if column == "baseline_value" else mine != theirs
        if differs:
            ctx.add(table, row, column, "baseline_mismatch", column=column, value=mine,
                    outcome_id=values["baseline_outcome_id"], other=theirs)


def check_restatement(ctx: Context, table: Table, row: Row) -> None:
    """A restatement points to a canonical target of the same document, indicator and year, and says the same."""
    values = row.values
    canonical_row = ctx.index("targets", "target_id").get(values["restates_target_id"])
    if canonical_row is None:
        return
    canonical = canonical_row.values
    if canonical["restates_target_id"] is not None:
        ctx.add(table, row, "restates_target_id", "restates_chain", target_id=canonical["target_id"])
        return
    for column in ("doc_id", "indicator_id", "target_year"):
        if values[column] != canonical[column]:
            ctx.add(table, row, column, "restates_mismatch", target_id=canonical["target_id"], column=column,
                    value=values[column], other=canonical[column])
    if values["problem_ids"] or None in (values["target_value"], canonical["target_value"]):
        return  # a documented discrepancy, or a value already reported as invalid
    if values["target_form"] == "level":
        expected = canonical["target_value"]
    elif values["target_form"] == "increment" and canonical["baseline_value"] is not None:
        expected = canonical["target_value"] - canonical["baseline_value"]
    else:
        return
    if not same_number(values["target_value"], expected):
        ctx.add(table, row, "target_value", "restates_value", target_id=canonical["target_id"],
                form=values["target_form"], value=values["target_value"], expected=expected)


def check_commitments(ctx: Context, table: Table) -> None:
    """Identical targets of one government for one year share one commitment_id, and only they do; a restatement
    shares the commitment of the target it restates."""
    targets = ctx.index("targets", "target_id")
    first_of_commitment: dict[str, Row] = {}
    first_of_target: dict[tuple, Row] = {}
    for row in table.rows:
        values = row.values
        commitment = values["commitment_id"] or values["target_id"]  # empty: a commitment of its own
        if values["restates_target_id"] is not None:
            canonical = targets.get(values["restates_target_id"])
            expected = (canonical.values["commitment_id"] or canonical.values["target_id"]) if canonical else None
            if values["commitment_id"] is not None and expected not in (None, commitment):
                ctx.add(table, row, "commitment_id", "commitment_restatement", target_id=values["restates_target_id"],
                        expected=expected, value=commitment)
            continue
        other = first_of_commitment.setdefault(commitment, row)
        differing = next((column for column in COMMITMENT_COLUMNS if values[column] != other.values[column]), None)
        if differing is not None:
            ctx.add(table, row, differing, "commitment_mismatch", commitment=commitment, first_line=other.line,
                    column=differing, other=other.values[differing], value=values[differing])
        same = first_of_target.setdefault(tuple(values[column] for column in COMMITMENT_COLUMNS), row)
        if (same.values["commitment_id"] or same.values["target_id"]) != commitment:
            ctx.add(table, row, "commitment_id", "commitment_split", first_line=same.line,
                    other=same.values["commitment_id"] or "-", value=values["commitment_id"] or "-")
