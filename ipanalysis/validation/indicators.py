"""Rules of indicators.csv and indicator_lineage.csv."""

from __future__ import annotations

from ..quantities import ACCEPTED_UNITS
from ..tables import Table
from .context import Context


def check(ctx: Context) -> None:
    indicators, lineage = ctx.tables.get("indicators"), ctx.tables.get("indicator_lineage")
    if indicators is None:
        return
    for row in indicators.rows:
        unit = row.values["unit"]
        if unit is not None and unit not in ACCEPTED_UNITS:
            ctx.add(indicators, row, "unit", "unit_unknown", unit=unit, known=", ".join(ACCEPTED_UNITS))
    if lineage is not None:
        check_lineage_column(ctx, indicators, lineage)


def check_lineage_column(ctx: Context, indicators: Table, lineage: Table) -> None:
    """indicators.lineage repeats indicator_lineage.csv for readers of one file; the two must agree."""
    expected: dict[str, list[str]] = {}
    for row in lineage.rows:
        link = f"{row.values['relation']}:{row.values['to_indicator_id']}"
        expected.setdefault(row.values["from_indicator_id"], []).append(link)
    for row in indicators.rows:
        want = ";".join(expected.get(row.values["indicator_id"], []))
        if (row.values.get("lineage") or "") != want:
            ctx.add(indicators, row, "lineage", "lineage_mismatch", value=row.values.get("lineage") or "", expected=want)
