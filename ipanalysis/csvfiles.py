"""CSV files safe to open in a spreadsheet, written one way: UTF-8, LF line ends, no index, and every text value that
a spreadsheet would run as a formula (starting with =, +, -, @, a tab, a carriage return or a line break) prefixed
with an apostrophe, as the OWASP guidance on CSV injection recommends (a spreadsheet shows it as text). Numbers,
negative ones included, stay numbers. Every CSV the build writes goes through here: tables, panel, figure data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def defused(value: object) -> object:
    """A text value a spreadsheet could run as a formula, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell defused."""
    text_columns = [column for column in table.columns if not pd.api.types.is_numeric_dtype(table[column])]
    safe = table.copy()
    for column in text_columns:
        safe[column] = safe[column].map(defused, na_action="ignore")
    return safe


def write_csv(table: pd.DataFrame, path: Path, float_format: str = "%.10g") -> Path:
    """Write the table, defused, as UTF-8 CSV with LF line ends and without the index."""
    csv_safe(table).to_csv(path, index=False, lineterminator="\n", float_format=float_format)
    return path
