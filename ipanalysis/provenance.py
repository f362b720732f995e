"""Provenance: sources match their checksums, quotes are verbatim, values read back from their quotes, and
derived values recompute from their formulas."""

from __future__ import annotations

import ast
import hashlib
import math
import operator
import re

from .messages import Report, Text
from .quantities import Quantity, QuantityParseError, parse_quantity
from .tables import Row

# Derived values are stored rounded to 2 decimals.
DERIVED_TOLERANCE = 0.006
# Limits that keep a pathological formula from exhausting the stack or overflowing (a real one is far shorter).
FORMULA_MAX_LENGTH = 200
NUMBER_MAX_DIGITS = 20
_LONG_NUMBER = re.compile(f"[0-9]{{{NUMBER_MAX_DIGITS + 1},}}")
_REFERENCE = re.compile(r"\[([^\[\]\s]+)\]")
_COUNT = re.compile(r"count\((.+)\)")
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


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


class FormulaError(ValueError):
    """A formula that cannot be checked; key and params name a message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def evaluate_formula(formula: str, values: dict[str, float]) -> tuple[float, list[float]]:
    """Evaluate arithmetic over [row_id] references to `values`; return the result and the numeric literals used.

    Formulas longer than FORMULA_MAX_LENGTH or with numbers of more than NUMBER_MAX_DIGITS digits are refused before
    parsing, and arithmetic is done in floats, so no formula can exhaust the stack or overflow an integer conversion.
    """
    if long_number := _LONG_NUMBER.search(formula):
        raise FormulaError("formula_number_too_long", number=long_number.group()[:NUMBER_MAX_DIGITS] + "…",
                           digits=len(long_number.group()), limit=NUMBER_MAX_DIGITS)
    if len(formula) > FORMULA_MAX_LENGTH:
        raise FormulaError("formula_too_long", length=len(formula), limit=FORMULA_MAX_LENGTH)
    names = {}

    def substitute(match: re.Match) -> str:
        name = f"ref_{len(names)}"
        names[name] = match.group(1)
        return name

    try:
        expression = ast.parse(_REFERENCE.sub(substitute, formula), mode="eval")
    except (SyntaxError, ValueError) as error:
        raise FormulaError("formula_syntax", formula=formula) from error
    literals: list[float] = []

    def walk(node) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise FormulaError("formula_division_by_zero", formula=formula)
            result = _OPERATORS[type(node.op)](left, right)
            if not math.isfinite(result):  # 1e308 * 10: no number, and round() of it would raise OverflowError
                raise FormulaError("formula_overflow", formula=formula)
            return result
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            literals.append(float(node.value))
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in names:
            reference = names[node.id]
            if values.get(reference) is None:
                raise FormulaError("formula_reference", reference=reference)
            return float(values[reference])
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round"
                and len(node.args) == 1 and not node.keywords):
            return float(math.floor(walk(node.args[0]) + 0.5))  # a count of whole things: nearest whole number, halves up
        raise FormulaError("formula_syntax", formula=formula)

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
        except FormulaError as error:
            report("formula", error.key, **error.params)
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

