"""Rules of indicators.csv and indicator_lineage.csv."""

from __future__ import annotations

from .context import Context


def check(ctx: Context) -> None:
    """indicators.lineage repeats indicator_lineage.csv for readers of one file; the two must agree."""
    indicators, lineage = ctx.tables.get("indicators"), ctx.tables.get("indicator_lineage")
    if indicators is None or lineage is None:
        return
    expected: dict[str, list[str]] = {}
    for row in lineage.rows:
        link = f"{row.values['relation']}:{row.values['to_indicator_id']}"
        expected.setdefault(row.values["from_indicator_id"], []).append(link)
    for row in indicators.rows:
        want = ";".join(expected.get(row.values["indicator_id"], []))
        if (row.values.get("lineage") or "") != want:
            ctx.add(indicators, row, "lineage", "lineage_mismatch", value=row.values.get("lineage") or "", expected=want)
