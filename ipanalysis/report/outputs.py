"""Write the computed tables as CSV and every table into one workbook, safe to open in a spreadsheet and
byte-identical for identical content.

Safe to open: a text value is never a live formula. Every workbook cell holding text is stored as a string cell
(openpyxl would otherwise store a text starting with '=' as a formula), and the CSV files are defused
(``csvfiles``).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import formatting
from ..column_docs import COLUMNS
from ..csvfiles import write_csv
from ..dataset import Dataset
from ..panel import DESCRIPTIONS as PANEL_COLUMNS
from ..panel import panel
from ..schema import read_descriptor
from ..workbooks import save_workbook
from .catalogue import DESCRIPTIONS

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
MAX_WIDTH = 60  # characters


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """One CSV per computed table (UTF-8, LF line ends, no index)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        written.append(write_csv(table, path))
    return written


def curated_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every table of the data folder, in the order of the Dataset's fields."""
    return {f.name: getattr(dataset, f.name) for f in fields(dataset) if isinstance(getattr(dataset, f.name), pd.DataFrame)}


def column_descriptions(data_dir: Path) -> list[tuple[str, str, str]]:
    """(sheet, column, meaning) for every curated and computed column."""
    package = read_descriptor(data_dir)
    rows = [(r["name"], f["name"], f["description"]) for r in package["resources"] for f in r["schema"]["fields"]]
    rows += [(table, column, meaning) for table, columns in COLUMNS.items() for column, meaning in columns.items()]
    rows += [("panel", column, meaning) for column, meaning in PANEL_COLUMNS.items()]
    return rows


def _write_row(sheet, row: int, values: list, bold: bool = False) -> None:
    """Write one row; text is stored as a string cell even when it starts with '='."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = TYPE_STRING
        if bold:
            cell.font = BOLD


def _display_width(value: object) -> int:
    """Characters a value takes in a cell, Chinese characters counting twice."""
    text = str(value)
    return len(text) + sum(1 for character in text if "\u2e80" <= character <= "\u9fff" or "\uff00" <= character <= "\uffef")


def number_format(name: str, column: pd.Series) -> str | None:
    """Excel number format of a column: percentages for shares and growth, two decimals for ratios, thousands
    separators for counts and values, plain digits for years."""
    kind = formatting.COLUMNS[name].kind if name in formatting.COLUMNS else None
    if kind in ("share", "growth", "points"):
        return "0.0%"
    if kind == "ratio":
        return "0.00"
    if kind == "year" or name.endswith("_year"):
        return "0"
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return None
    values = column.dropna().astype(float)
    return "#,##0" if (values == values.round()).all() else "#,##0.0##"


def _write_sheet(workbook: Workbook, title: str, table: pd.DataFrame) -> None:
    """One table as a sheet: bold, filled, wrapped header frozen above a filter; number formats; column widths
    that fit the content (at most MAX_WIDTH characters, longer text wrapped)."""
    sheet = workbook.create_sheet(title[:31])
    columns = [str(column) for column in table.columns]
    _write_row(sheet, 1, columns, bold=True)
    for cell in sheet[1]:
        cell.fill, cell.alignment = HEADER_FILL, WRAP
    values = table.astype(object).where(table.notna(), None)
    for row, record in enumerate(values.itertuples(index=False), start=2):
        _write_row(sheet, row, list(record))
    for number, name in enumerate(columns, start=1):
        letter = get_column_letter(number)
        cells = values[table.columns[number - 1]]
        widest = max([_display_width(name) // 2 + 1, *(_display_width(v) for v in cells if v is not None)])
        sheet.column_dimensions[letter].width = min(max(widest, 6), MAX_WIDTH) + 2
        style = number_format(name, table[table.columns[number - 1]])
        wrap = widest > MAX_WIDTH
        for cell in sheet[letter][1:]:
            if style:
                cell.number_format = style
            cell.alignment = WRAP if wrap else TOP
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _index_rows(dataset: Dataset, tables: dict[str, pd.DataFrame], data_dir: Path) -> list[list]:
    package = {r["name"]: r.get("description", "") for r in read_descriptor(data_dir)["resources"]}
    rows = [["index", "guide", 0, "This sheet: every sheet of the workbook and what it holds."]]
    rows += [[name, "computed result", len(table), DESCRIPTIONS.get(name, "")] for name, table in tables.items()]
    rows += [[name, "curated data", len(table), package.get(name, "")] for name, table in curated_tables(dataset).items()]
    rows.append(["columns", "guide", len(column_descriptions(data_dir)), "What every column of every sheet means."])
    return rows


def write_workbook(dataset: Dataset, tables: dict[str, pd.DataFrame], data_dir: Path, path: Path) -> None:
    """The workbook: an index sheet first (every sheet and what it holds), then the computed results and the tidy
    panel, then the curated tables, then a 'columns' sheet saying what each column means."""
    results = {**tables, "panel": panel(dataset)}
    workbook = Workbook()
    workbook.remove(workbook.active)
    index = pd.DataFrame(_index_rows(dataset, results, data_dir), columns=["sheet", "part", "rows", "what it holds"])
    _write_sheet(workbook, "index", index)
    for name, table in {**results, **curated_tables(dataset)}.items():
        _write_sheet(workbook, name, table)
    _write_sheet(workbook, "columns", pd.DataFrame(column_descriptions(data_dir), columns=["sheet", "column", "meaning"]))
    save_workbook(workbook, path)
