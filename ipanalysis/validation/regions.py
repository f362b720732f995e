"""Rules of regions.csv: a region sits below the region it belongs to."""

from __future__ import annotations

from .context import Context


def levels(ctx: Context) -> tuple[str, ...]:
    """The administrative levels, top first: the order of the level enum in the contract."""
    return ctx.tables["regions"].schema.field("level").enum or ()


def check(ctx: Context) -> None:
    table = ctx.tables.get("regions")
    if table is None:
        return
    order = levels(ctx)
    regions = ctx.index("regions", "region_id")
    for row in table.rows:
        parent = regions.get(row.values["parent_region"])
        if parent is None or row.values["level"] not in order or parent.values["level"] not in order:
            continue
        if order.index(parent.values["level"]) >= order.index(row.values["level"]):
            ctx.add(table, row, "parent_region", "parent_level", region=row.values["region_id"], level=row.values["level"],
                    parent=parent.values["region_id"], parent_level=parent.values["level"])

