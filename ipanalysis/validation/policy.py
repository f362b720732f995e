"""Rules of the policy-instrument tables: policy_units.csv, codebook.csv and policy_codes.csv."""

from __future__ import annotations

from ..messages import Text
from ..tables import Row, Table
from .context import Context

PRIMARY_DIMENSIONS = ("instrument_subtype", "value_chain_stage")


def check(ctx: Context) -> None:
    units, codebook, codes = (ctx.tables.get(name) for name in ("policy_units", "codebook", "policy_codes"))
    if units is not None:
        for row in units.rows:
            check_unit(ctx, units, row)
            check_restatement(ctx, units, row)
    if codebook is not None:
        for row in codebook.rows:
            check_code(ctx, codebook, row)
    if None not in (units, codebook, codes):
        check_policy_codes(ctx, codes, units)


def check_unit(ctx: Context, table: Table, row: Row) -> None:
    """A unit's text is verbatim in its document; its agency clause is part of its text."""
    ctx.check_quote(table, row, "text", row.values["doc_id"])
    clause, text = row.values["agency_clause"], row.values["text"] or ""
    if clause is not None and clause not in text:
        ctx.add(table, row, "agency_clause", "not_in_text", value=clause)


def check_restatement(ctx: Context, table: Table, row: Row) -> None:
    """A unit that restates another restates a unit of its own document that is not itself a restatement."""
    parent = ctx.index("policy_units", "unit_id").get(row.values["restates_unit_id"])
    if parent is None:
        return
    if parent.values["restates_unit_id"] is not None:
        ctx.add(table, row, "restates_unit_id", "restates_chain", target_id=parent.values["unit_id"])
    if parent.values["doc_id"] != row.values["doc_id"]:
        ctx.add(table, row, "restates_unit_id", "restates_mismatch", target_id=parent.values["unit_id"], column="doc_id",
                value=row.values["doc_id"], other=parent.values["doc_id"])


def check_code(ctx: Context, table: Table, row: Row) -> None:
    """A codebook entry's example is verbatim; a subtype has an instrument type as parent, nothing else has one."""
    values = row.values
    ctx.check_quote(table, row, "example_quote", values["example_doc_id"])
    parent = ctx.index("codebook", "code_id").get(values["parent_code"])
    if values["dimension"] == "instrument_subtype":
        if parent is None or parent.values["dimension"] != "instrument_type":
            ctx.add(table, row, "parent_code", "parent_rule", dimension=values["dimension"], rule=Text("rule_subtype_parent"))
    elif values["parent_code"] is not None:
        ctx.add(table, row, "parent_code", "parent_rule", dimension=values["dimension"], rule=Text("rule_no_parent"))


def check_policy_codes(ctx: Context, table: Table, units: Table) -> None:
    """A code is used on its own dimension; each unit has exactly one primary code per dimension, the code its content
    sentences take most often; a sentence takes one code per dimension; a restatement has its parent's primary codes."""
    codes = ctx.index("codebook", "code_id")
    primaries: dict[tuple, list[Row]] = {}
    coded: dict[tuple, list[Row]] = {}
    for row in table.rows:
        coded.setdefault((row.values["unit_id"], row.values["dimension"]), []).append(row)
        values = row.values
        code = codes.get(values["code_id"])
        if code is not None and values["dimension"] is not None and code.values["dimension"] != values["dimension"]:
            ctx.add(table, row, "code_id", "code_dimension", code=values["code_id"], expected=code.values["dimension"],
                    found=values["dimension"])
        primaries.setdefault((values["unit_id"], values["dimension"]), [])
        if values["primary"]:
            primaries[values["unit_id"], values["dimension"]].append(row)
    for unit in units.rows:
        for dimension in PRIMARY_DIMENSIONS:
            found = primaries.get((unit.values["unit_id"], dimension), [])
            if len(found) != 1:
                ctx.add(table, found[1] if len(found) > 1 else None, "primary", "primary_count",
                        unit=unit.values["unit_id"], count=len(found), dimension=dimension)
    by_unit = ctx.index("policy_units", "unit_id")
    for (unit_id, dimension), rows in coded.items():
        unit, primary = by_unit.get(unit_id), primaries.get((unit_id, dimension), [])
        if unit is None or len(primary) != 1:
            continue
        parent = unit.values["restates_unit_id"]
        if parent is not None:
            inherited = primaries.get((parent, dimension), [])
            if len(inherited) == 1 and inherited[0].values["code_id"] != primary[0].values["code_id"]:
                ctx.add(table, primary[0], "code_id", "restates_mismatch", target_id=parent, column=dimension,
                        value=primary[0].values["code_id"], other=inherited[0].values["code_id"])
            continue
        check_sentences(ctx, table, unit_id, dimension, rows, primary[0])


def check_sentences(ctx: Context, table: Table, unit_id: str, dimension: str, rows: list[Row], primary: Row) -> None:
    """rule_sentence and rule_primary on one unit and dimension: no sentence twice, no code with more sentences than the
    primary."""
    taken = {row.values["code_id"]: (row.values["sentences"] or "").split(";") for row in rows}
    seen: set[str] = set()
    for row in rows:
        for sentence in filter(None, taken[row.values["code_id"]]):
            if sentence in seen:
                ctx.add(table, row, "sentences", "sentence_twice", unit=unit_id, sentence=sentence, dimension=dimension)
            seen.add(sentence)
    count = len(list(filter(None, taken[primary.values["code_id"]])))
    for row in rows:
        other = len(list(filter(None, taken[row.values["code_id"]])))
        if other > count:
            ctx.add(table, primary, "primary", "primary_not_most", unit=unit_id, dimension=dimension,
                    code=primary.values["code_id"], count=count, other=row.values["code_id"], other_count=other)
