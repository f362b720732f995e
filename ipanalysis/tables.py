"""Read one curated CSV against its table schema into typed rows, collecting located problems.

Reading never stops at the first problem and never writes: a bad cell becomes None and is reported with its
file, line and column. A UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted; any other encoding is named.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .messages import ProblemLog, Text
from .schema import CastError, TableSchema

BOM = b"\xef\xbb\xbf"


@dataclass
class Row:
    """One data record: the physical line it starts on and its typed values (None where empty or invalid)."""

    line: int
    values: dict


@dataclass
class Table:
    schema: TableSchema
    file: str
    rows: list[Row]


def _decode(raw: bytes, file: str, log: ProblemLog) -> str | None:
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = _column_at(raw, line_start, error.start)
        try:
            raw.decode("gb18030")
            guess = Text("guess_gbk")
        except UnicodeDecodeError:
            guess = Text("guess_unknown")
        log.add(file, line, column, "not_utf8", byte=f"0x{raw[error.start]:02X}", guess=guess)
        return None


def _column_at(raw: bytes, line_start: int, offset: int) -> str | None:
    """Name the CSV column that holds byte `offset`, reading the header and the line prefix leniently."""
    header_end = raw.find(b"\n")
    header = next(csv.reader([raw[: header_end if header_end >= 0 else len(raw)].decode("utf-8", "replace")]), [])
    if line_start == 0:
        return None
    prefix = raw[line_start:offset].decode("gb18030", "replace")
    index = len(next(csv.reader([prefix + "x"]), [""])) - 1
    return header[index] if index < len(header) else None


def _records(text: str, file: str, log: ProblemLog):
    """Yield (start_line, fields) per CSV record; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            log.add(file, reader.line_num, None, "csv_syntax", error=str(error))
            return
        start, previous_end = previous_end + 1, reader.line_num
        if fields:
            yield start, fields


def read_table(data_dir: Path, schema: TableSchema, log: ProblemLog) -> Table | None:
    """Read and type-check one table; return None when the file cannot be read at all.

    An optional table whose file is absent reads as a table without rows.
    """
    path = data_dir / schema.path
    file = str(path)
    if not path.is_file():
        if schema.optional and not path.exists():
            return Table(schema, file, [])
        log.add(file, None, None, "file_missing")
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        log.add(file, None, None, "file_unreadable", error=str(error))
        return None
    text = _decode(raw, file, log)
    if text is None:
        return None
    if not text.strip():
        log.add(file, 1, None, "file_empty")
        return None
    records = _records(text, file, log)
    header_line, header = next(records, (1, []))
    columns = _check_header(header, header_line, schema, file, log)
    table = Table(schema, file, [])
    for line, fields in records:
        if len(fields) != len(header):
            log.add(file, line, None, "field_count", found=len(fields), expected=len(header))
            continue
        table.rows.append(Row(line, _cast_row(dict(zip(header, fields, strict=True)), columns, schema, file, line, log)))
    if not table.rows and not schema.optional:
        log.add(file, header_line, None, "no_rows")
    _check_unique(table, log)
    return table


def _check_header(header: list[str], line: int, schema: TableSchema, file: str, log: ProblemLog) -> list[str]:
    seen = set()
    for name in header:
        if name in seen:
            log.add(file, line, name, "duplicate_column", column=name)
        seen.add(name)
        if name not in schema.field_names:
            log.add(file, line, name, "unknown_column", column=name)
    for name in schema.field_names:
        if name not in seen:
            log.add(file, line, name, "missing_column", column=name)
    return [name for name in schema.field_names if name in seen]


def _cast_row(cells: dict, columns: list[str], schema: TableSchema, file: str, line: int, log: ProblemLog) -> dict:
    values = dict.fromkeys(schema.field_names)
    for name in columns:
        field = schema.field(name)
        try:
            values[name] = field.cast(cells[name])
        except CastError as error:
            params = dict(error.params)
            if error.key == "type":
                params["type_name"] = Text(f"type_{field.type}")
            log.add(file, line, name, error.key, **params)
    return values


def _check_unique(table: Table, log: ProblemLog) -> None:
    key_sets = [(f.name,) for f in table.schema.fields if f.unique]
    if table.schema.primary_key and tuple(table.schema.primary_key) not in key_sets:
        key_sets.append(tuple(table.schema.primary_key))
    for key in key_sets:
        first_seen: dict[tuple, int] = {}
        for row in table.rows:
            value = tuple(row.values[name] for name in key)
            if None in value:
                continue
            if value in first_seen:
                log.add(table.file, row.line, "+".join(key), "duplicate_key", column="+".join(key),
                        value="/".join(map(str, value)), first_line=first_seen[value])
            else:
                first_seen[value] = row.line
