"""Foreign keys declared in the contract: single ids (foreignKeys) and ';'-separated id lists (x-foreignKey)."""

from __future__ import annotations

from ..tables import Table
from .context import Context


def check(ctx: Context) -> None:
    """Every id a table refers to exists in the table it refers to (skipped when that table did not load)."""
    for table in ctx.tables.values():
        for fk in table.schema.foreign_keys:
            _check_reference(ctx, table, fk.field, fk.reference.resource, fk.reference.field, None)
        for fld in table.schema.fields:
            if fld.list_reference:
                _check_reference(ctx, table, fld.name, fld.list_reference.resource, fld.list_reference.field, fld.separator)


def _check_reference(ctx: Context, table: Table, column: str, ref_resource: str, ref_field: str,
                     separator: str | None) -> None:
    if ref_resource not in ctx.tables:
        return
    known = ctx.index(ref_resource, ref_field)
    for row in table.rows:
        value = row.values.get(column)
        if value is None:
            continue
        for item in value.split(separator) if separator else [value]:
            if item not in known:
                ctx.add(table, row, column, "unknown_reference", value=item, ref_column=ref_field,
                        ref_file=ctx.tables[ref_resource].schema.path)
