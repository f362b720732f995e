"""Write the computed tables as CSV and every table into one workbook, safe to open in a spreadsheet and
byte-identical for identical content.

Safe to open: a text value is never a live formula. Every workbook cell holding text is stored as a string cell
(openpyxl would otherwise store a text starting with '=' as a formula), and in the CSV files a text value
starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, as the OWASP guidance on CSV
injection recommends (a spreadsheet shows the apostrophe-prefixed value as text).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import fields
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from ..column_docs import COLUMNS
from ..dataset import Dataset
from ..schema import read_descriptor

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_XLSX_TIME = "2000-01-01T00:00:00Z"
BOLD = Font(bold=True)


def defused(value: object) -> object:
    """A text value a spreadsheet could run as a formula, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell defused (numbers, including negative ones, stay numbers)."""
    text_columns = [column for column in table.columns if not pd.api.types.is_numeric_dtype(table[column])]
    safe = table.copy()
    for column in text_columns:
        safe[column] = safe[column].map(defused, na_action="ignore")
    return safe


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """One CSV per computed table (UTF-8, LF line ends, no index)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        csv_safe(table).to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written.append(path)
    return written


def curated_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every table of the data folder, in the order of the Dataset's fields."""
    return {f.name: getattr(dataset, f.name) for f in fields(dataset) if isinstance(getattr(dataset, f.name), pd.DataFrame)}


def column_descriptions(data_dir: Path) -> list[tuple[str, str, str]]:
    """(sheet, column, meaning) for every curated and computed column."""
    package = read_descriptor(data_dir)
    rows = [(r["name"], f["name"], f["description"]) for r in package["resources"] for f in r["schema"]["fields"]]
    rows += [(table, column, meaning) for table, columns in COLUMNS.items() for column, meaning in columns.items()]
    return rows


def _write_row(sheet, row: int, values: list, bold: bool = False) -> None:
    """Write one row; text is stored as a string cell even when it starts with '='."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = TYPE_STRING
        if bold:
            cell.font = BOLD


def _deterministic_zip(raw: bytes) -> bytes:
    """Rewrite an xlsx with fixed entry times and document dates, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_XLSX_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def write_workbook(dataset: Dataset, tables: dict[str, pd.DataFrame], data_dir: Path, path: Path) -> None:
    """One sheet per curated and computed table, and a 'columns' sheet saying what each column means."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "columns"
    _write_row(sheet, 1, ["sheet", "column", "meaning"], bold=True)
    for row, values in enumerate(column_descriptions(data_dir), start=2):
        _write_row(sheet, row, list(values))
    for name, table in {**curated_tables(dataset), **tables}.items():
        sheet = workbook.create_sheet(name[:31])
        _write_row(sheet, 1, list(table.columns), bold=True)
        for row, values in enumerate(table.astype(object).where(table.notna(), None).itertuples(index=False), start=2):
            _write_row(sheet, row, list(values))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))
