"""Provenance: sources match their checksums, quotes are verbatim, values read back from their quotes, and
derived values recompute from their formulas."""

from __future__ import annotations

import ast
import hashlib
import math
import operator
import re
from pathlib import Path

from .messages import Report, Text
from .quantities import Quantity, QuantityParseError, parse_quantity
from .tables import Row

# Derived values are stored rounded to 2 decimals.
DERIVED_TOLERANCE = 0.006
_REFERENCE = re.compile(r"\[([^\[\]\s]+)\]")
_COUNT = re.compile(r"count\((.+)\)")
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def quote_mismatch(quote: str, document: str, source: str) -> tuple[str, dict] | None:
    """None if quote occurs in document; otherwise a message key and params showing where the best match breaks."""
    if quote in document:
        return None
    low, high = 0, len(quote)
    while low < high:  # longest prefix of the quote that occurs in the document
        middle = (low + high + 1) // 2
        if quote[:middle] in document:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return "quote_not_found_at_all", {"source": source}
    start = document.find(quote[:low])
    following = document[start + low: start + low + 1]
    return "quote_not_found", {
        "source": source,
        "matched": low,
        "context": quote[max(0, low - 12): low].replace("\n", "⏎"),
        "found": repr(following) if following else Text("end_of_document"),
        "expected": repr(quote[low]),
    }


def read_value(value_text: str, value: float | None, column: str, report: Report) -> Quantity | None:
    """Parse value_text and check it against the row's value in `column`; return the parsed Quantity or None."""
    try:
        quantity = parse_quantity(value_text)
    except QuantityParseError as error:
        report("value_text", "value_unreadable", text=value_text, error=str(error))
        return None
    if value is not None and not same_number(quantity.value, value):
        report(column, "value_mismatch", text=value_text, parsed=quantity.value, column=column, value=value)
    return quantity


def evaluate_formula(formula: str, values: dict[str, float]) -> tuple[float, list[float]]:
    """Evaluate arithmetic over [row_id] references to `values`; return the result and the numeric literals used."""
    names = {}

    def substitute(match: re.Match) -> str:
        name = f"ref_{len(names)}"
        names[name] = match.group(1)
        return name

    expression = ast.parse(_REFERENCE.sub(substitute, formula), mode="eval")
    literals: list[float] = []

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            literals.append(node.value)
            return node.value
        if isinstance(node, ast.Name) and node.id in names:
            reference = names[node.id]
            if values.get(reference) is None:
                raise ValueError(f"[{reference}] is not a row of this table with a value")
            return values[reference]
        raise ValueError(f"only numbers, [outcome_id], + - * / and brackets are allowed, not {ast.unparse(node)!r}")

    return walk(expression), literals


def check_derived(row: Row, values: dict[str, float], report: Report) -> Quantity | None:
    """Recompute a derived row from its formula (arithmetic over other rows' values, or a count of named units);
    return the quoted operand read from value_text, if any."""
    formula, value, text = row.values["formula"], row.values["value"], row.values["value_text"]
    if formula is None:
        report("formula", "formula_missing")
        return None
    operand = None
    if count := _COUNT.fullmatch(formula):
        names = [name.strip() for name in count.group(1).split(";")]
        for name in names:
            if name not in (row.values["quote"] or ""):
                report("formula", "count_name_not_in_quote", name=name)
        computed = len(names)
    else:
        try:
            computed, literals = evaluate_formula(formula, values)
        except (SyntaxError, ValueError, ZeroDivisionError) as error:
            report("formula", "formula_invalid", formula=formula, error=str(error))
            return None
        try:
            operand = parse_quantity(text) if text else None
        except QuantityParseError as error:
            report("value_text", "value_unreadable", text=text, error=str(error))
        if operand is not None and not any(same_number(operand.value, literal) for literal in literals):
            report("formula", "formula_operand", operand=operand.value, text=text, formula=formula)
    if value is not None and abs(computed - value) > DERIVED_TOLERANCE:
        report("value", "formula_mismatch", computed=round(computed, 4), value=value)
    return operand


def normalise_newlines(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line endings as LF, so that quotes compare by their characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
