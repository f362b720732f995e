"""Rules of documents.csv (its source files are read in the first step, ``sources``)."""

from __future__ import annotations

from .context import Context


def check(ctx: Context) -> None:
    table = ctx.tables.get("documents")
    if table is None:
        return
    regions = ctx.index("regions", "region_id")
    for row in table.rows:
        start, end, target = row.values["period_start"], row.values["period_end"], row.values["target_year"]
        if None not in (start, end, target) and not start <= target <= end:
            ctx.add(table, row, "target_year", "doc_years", target_year=target, start=start, end=end)
        region = regions.get(row.values["region"])
        if region is None:
            continue
        if row.values["level"] is not None and row.values["level"] != region.values["level"]:
            ctx.add(table, row, "level", "level_mismatch", level=row.values["level"], region=region.values["region_id"],
                    region_level=region.values["level"])
        if region.values["level"] == "district":
            check_parent_plan(ctx, row, region.values["parent_region"])


def check_parent_plan(ctx: Context, row, parent: str | None) -> None:
    """A district plan is compared with its city's plans of the same period, so at least one must exist."""
    table = ctx.tables["documents"]
    period = row.values["plan_period"]
    if period is None or any(
        other.values["region"] == parent and other.values["plan_period"] == period for other in table.rows
    ):
        return
    ctx.add(table, row, "plan_period", "no_parent_plan", doc_id=row.values["doc_id"], region=row.values["region"],
            parent=parent or "-", period=period)
