"""Rules of the observation layer: observation_sources.csv (stored snapshots of outside sources) and
observations.csv (official figures quoted from them), checked like outcomes: quote verbatim in its snapshot, value
read back from the quote, derived values recomputed, periods by measure type, years not after publication."""

from __future__ import annotations

from ..provenance import check_derived
from ..tables import Row, Table
from .context import Context


def check(ctx: Context) -> None:
    sources, observations = ctx.tables.get("observation_sources"), ctx.tables.get("observations")
    if sources is not None:
        for row in sources.rows:
            published, retrieved = row.values["date_published"], row.values["date_retrieved"]
            if published is not None and retrieved is not None and retrieved[: len(published)] < published:
                ctx.add(sources, row, "date_retrieved", "retrieved_before_published", retrieved=retrieved, published=published)
    if observations is not None:
        values = {key: row.values["value"] for key, row in ctx.index("observations", "observation_id").items()}
        for row in observations.rows:
            check_observation(ctx, observations, row, values)
        ctx.check_duplicate_statements(observations, "source_id")


def check_observation(ctx: Context, table: Table, row: Row, observation_values: dict[str, float]) -> None:
    values = row.values
    source = ctx.index("observation_sources", "source_id").get(values["source_id"])
    if source is not None and values["source_id"] in ctx.snapshots:
        ctx.check_quote_in(table, row, "quote", ctx.snapshots[values["source_id"]], source.values["file"])
    if values["is_derived"]:
        if values["value_text"] is not None and values["quote"] is not None and values["value_text"] not in values["quote"]:
            ctx.add(table, row, "value_text", "value_text_not_in_quote", text=values["value_text"])
        operand = check_derived(row, observation_values, ctx.reporter(table, row))
        if operand is not None:
            ctx.check_unit(table, row, operand, relative_ok=True)
    else:
        if values["formula"] is not None:
            ctx.add(table, row, "formula", "formula_not_derived")
        ctx.check_value_text(table, row, "value")
    if values["year"] is None and values["period_end"] is None and not values["notes"]:
        ctx.add(table, row, "notes", "undated")
    ctx.check_period(table, row, required_end=True)
    published = source.values["date_published"] if source is not None else None
    if published is None:
        return
    for column in ("year", "period_start", "period_end"):
        if values[column] is not None and values[column] > int(published[:4]):
            ctx.add(table, row, column, "after_publication", column=column, year=values[column],
                    source_id=values["source_id"], date=published)
