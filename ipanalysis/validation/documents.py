"""Rules of documents.csv (its source files are read in the first step, ``sources``)."""

from __future__ import annotations

from .context import Context


def check(ctx: Context) -> None:
    table = ctx.tables.get("documents")
    if table is None:
        return
    for row in table.rows:
        start, end, target = row.values["period_start"], row.values["period_end"], row.values["target_year"]
        if None not in (start, end, target) and not start <= target <= end:
            ctx.add(table, row, "target_year", "doc_years", target_year=target, start=start, end=end)
