"""Read one curated CSV against its table schema into typed rows, collecting located problems.

Reading never stops at the first problem and never writes: a bad cell becomes None and is reported with its
file, line and column. A UTF-8 byte-order mark (Excel's "CSV UTF-8") and Windows or old Mac line endings are
accepted; any other encoding is named.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .messages import ProblemLog, Text
from .schema import CastError, TableSchema

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


class UndecodableText(ValueError):
    """Bytes that are not UTF-8 text: the offset of the first bad byte, the byte, and a guess at the encoding."""

    def __init__(self, offset: int, byte: int, guess: Text):
        super().__init__(f"byte 0x{byte:02X} at offset {offset}")
        self.offset, self.byte, self.guess = offset, f"0x{byte:02X}", guess


def decode_text(raw: bytes) -> str:
    """UTF-8 text, a byte-order mark dropped and Windows (CRLF) or old Mac (CR) line endings read as LF; raise
    UndecodableText naming the first bad byte and the encoding the bytes look like (UTF-16, GBK, unknown)."""
    raw = raw.removeprefix(BOM)
    if raw.startswith(UTF16_BOMS):
        raise UndecodableText(0, raw[0], Text("guess_utf16"))
    if b"\x00" in raw:  # valid UTF-8, but no text file of ours holds NUL: UTF-16 without a byte-order mark?
        offset = raw.find(b"\x00")
        raise UndecodableText(offset, 0, Text("guess_utf16" if _reads_as_utf16(raw) else "guess_unknown"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        try:
            raw.decode("gb18030")
            guess = Text("guess_gbk")
        except UnicodeDecodeError:
            guess = Text("guess_unknown")
        raise UndecodableText(error.start, raw[error.start], guess) from error
    return normalise_newlines(text)


def _reads_as_utf16(raw: bytes) -> bool:
    """Whether the bytes decode as UTF-16 (either byte order) into text without control characters."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
            return True
    return False


def normalise_newlines(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line endings as LF, so that quotes compare by their characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(raw: bytes, file: str, log: ProblemLog) -> str | None:
    try:
        return decode_text(raw)
    except UndecodableText as error:
        raw = raw.removeprefix(BOM)
        line_start = raw.rfind(b"\n", 0, error.offset) + 1
        line = raw.count(b"\n", 0, error.offset) + 1
        column = None if error.guess.key == "guess_utf16" else _column_at(raw, line_start, error.offset)
        log.add(file, line, column, "not_utf8", byte=error.byte, guess=error.guess)
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


def _records(text: str, file: str, log: ProblemLog) -> list[tuple[int, list[str]]]:
    """Every CSV record as (the line it starts on, its fields); quoted fields may span lines.

    A quote that never closes would swallow the rest of the file: it is reported on the line where it opens, that
    row is left out and reading resumes on the next line, so one typo costs one row, not every row after it. A broken
    header ends the reading (no records): without it no row can be read.
    """
    lines = text.splitlines(keepends=True)
    records: list[tuple[int, list[str]]] = []
    start = 0
    while start < len(lines):
        reader = csv.reader(lines[start:], strict=True)
        consumed, opened, error_text = 0, None, None
        try:
            for fields in reader:
                first, consumed = start + consumed, reader.line_num
                if not fields:
                    continue
                if records and len(fields) != len(records[0][1]) and start + consumed - first > 1:
                    opened = next(iter(_open_quotes(lines, first)), None)
                    if opened is not None:
                        break
                records.append((first + 1, fields))
            else:
                return records
        except csv.Error as error:
            opened, error_text = next(reversed(_open_quotes(lines, start + consumed)), None), str(error)
        if opened is None:
            log.add(file, start + consumed + 1, None, "csv_syntax", error=error_text)
            start += consumed + 1
        else:
            line, field = opened
            header = records[0][1] if records else []
            log.add(file, line + 1, header[field] if field < len(header) else None, "unclosed_quote", column=field + 1)
            start = line + 1
        if not records:  # the header itself is broken: a data row read as the header would make every column unknown
            return records
    return records


def _open_quotes(lines: list[str], first: int) -> list[tuple[int, int]]:
    """(line index, field index) of each quoted cell that does not close on its own line, in the record that starts
    at line index `first`, scanning as the csv module does until the record or the text ends."""
    spanning: list[tuple[int, int]] = []
    field, at_field_start, opened = 0, True, None
    for index in range(first, len(lines)):
        line, column = lines[index], 0
        while column < len(line):
            char = line[column]
            if opened is not None:
                if char == '"' and line[column + 1: column + 2] == '"':
                    column += 1
                elif char == '"':
                    if opened[0] != index:
                        spanning.append(opened)
                    opened = None
            elif char == '"' and at_field_start:
                opened, at_field_start = (index, field), False
            elif char == ",":
                field, at_field_start = field + 1, True
            elif char == "\n":
                return spanning
            else:
                at_field_start = False
            column += 1
    return spanning + ([opened] if opened is not None else [])


def read_table(data_dir: Path, schema: TableSchema, log: ProblemLog) -> Table | None:
    """Read and type-check one table; return None when the file cannot be read at all.

    An optional table whose file is absent reads as a table without rows. Only files inside data_dir are read.
    """
    path = data_dir / schema.path
    file = str(path)
    if not path.is_file():
        if schema.optional and not path.exists():
            return Table(schema, file, [])
        log.add(file, None, None, "file_missing")
        return None
    if not path.resolve().is_relative_to(data_dir.resolve()):
        log.add(file, None, None, "resource_path_outside", path=schema.path)
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        log.add(file, None, None, "file_unreadable", error=error.strerror or str(error))
        return None
    text = _decode(raw, file, log)
    if text is None:
        return None
    if not text.strip():
        log.add(file, 1, None, "file_empty")
        return None
    records = _records(text, file, log)
    if not records:
        return None
    header_line, header = records[0]
    columns = _check_header(header, header_line, schema, file, log)
    table = Table(schema, file, [])
    for line, fields in records[1:]:
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
