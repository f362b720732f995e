"""What every table's rules share: the tables read so far, indexes by id, the source texts, one way to report a
problem, and the rules several tables apply (quotes, years, regions, periods, values read back from quotes)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import Problem, ProblemLog, Report, Text
from ..provenance import quote_mismatch, read_value
from ..quantities import ACCEPTED_UNITS, PER_POPULATION, RELATIVE_UNITS, Quantity, unit_accepted
from ..tables import Row, Table

TARGET_BOUND_FOR = {None: "reach", "at_least": "at_least", "more_than": "more_than", "keep_at": "keep_at"}
OUTCOME_QUALIFIER_FOR = {None: "exact", "more_than": "more_than", "nearly": "nearly", "approximately": "approximately"}
STATEMENT_COLUMNS = ("indicator_id", "quote", "value_text")


@dataclass
class ValidationResult:
    """The typed tables of a data folder, every problem found in it, the documents' source texts by doc_id and the
    observations' snapshot texts by source_id."""

    data_dir: Path
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    document_texts: dict[str, str] = field(default_factory=dict)
    snapshot_texts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class Context:
    """The state the rules read (tables, indexes, source texts) and the one way they report a problem."""

    def __init__(self, result: ValidationResult, log: ProblemLog):
        self.result = result
        self.data_dir = result.data_dir
        self.tables = result.tables
        self.texts = result.document_texts
        self.snapshots = result.snapshot_texts
        self.log = log
        self.unread: set[str] = set()  # tables the contract declares that could not be read
        self._indexes: dict[tuple[str, str], dict] = {}

    def add(self, table: Table, row: Row | None, column: str | None, key: str, /, **params) -> None:
        """Report a problem in a row (or in the whole table when row is None)."""
        self.log.add(table.file, row.line if row else None, column, key, **params)

    def reporter(self, table: Table, row: Row) -> Report:
        """``add`` bound to one row, for the provenance functions."""
        return functools.partial(self.add, table, row)

    def index(self, name: str, key: str) -> dict:
        """Rows of table `name` by their `key` value; empty when the table did not load."""
        if (name, key) not in self._indexes:
            table = self.tables.get(name)
            rows = table.rows if table else []
            self._indexes[name, key] = {row.values[key]: row for row in rows if row.values.get(key) is not None}
        return self._indexes[name, key]

    def doc(self, doc_id) -> dict | None:
        row = self.index("documents", "doc_id").get(doc_id)
        return row.values if row else None

    # -- rules shared by several tables
    def check_quote(self, table: Table, row: Row, column: str, doc_id) -> None:
        """The quote in `column` occurs verbatim in the source text of `doc_id`."""
        if doc_id in self.texts:
            self.check_quote_in(table, row, column, self.texts[doc_id], self.doc(doc_id)["source_file"])

    def check_quote_in(self, table: Table, row: Row, column: str, text: str, source: str) -> None:
        """The quote in `column` occurs verbatim in `text`, the content of the file `source`."""
        quote = row.values.get(column)
        if quote is None:
            return
        if mismatch := quote_mismatch(quote, text, source):
            key, params = mismatch
            self.add(table, row, column, key, **params)

    def check_year(self, table: Table, row: Row, column: str, low, high, why: Text) -> None:
        year = row.values.get(column)
        if year is not None and low is not None and high is not None and not low <= year <= high:
            self.add(table, row, column, "year_outside", column=column, year=year, low=low, high=high, why=why)

    def check_region(self, table: Table, row: Row, doc: dict, allow_ancestors: bool = False) -> None:
        """A row measures its document's region; a derived row may measure a region that contains it (a national
        average implied by a city's comparison with it)."""
        region = row.values["region"]
        allowed = {doc["region"], *(self.ancestors(doc["region"]) if allow_ancestors else ())}
        if region and region not in allowed:
            self.add(table, row, "region", "region_mismatch", region=region, doc_id=doc["doc_id"], doc_region=doc["region"])

    def ancestors(self, region_id: str) -> list[str]:
        """The regions that contain `region_id`, nearest first, from regions.csv's parent_region."""
        regions, found = self.index("regions", "region_id"), []
        parent = regions[region_id].values["parent_region"] if region_id in regions else None
        while parent is not None and parent not in found:
            found.append(parent)
            parent = regions[parent].values["parent_region"] if parent in regions else None
        return found

    def check_period(self, table: Table, row: Row, required_end: bool) -> None:
        """Period columns follow the indicator's measure type: required for period sums, empty otherwise."""
        values = row.values
        start, end = values.get("period_start"), values.get("period_end")
        indicator = self.index("indicators", "indicator_id").get(values["indicator_id"])
        if indicator is None:
            return
        measure = indicator.values["measure_type"]
        if measure == "period_cumulative":
            missing = ["period_start"] + (["period_end"] if required_end else [])
            for column in missing:
                if values.get(column) is None:
                    self.add(table, row, column, "period_required", indicator=values["indicator_id"], column=column)
        elif start is not None or end is not None:
            self.add(table, row, "period_start", "period_not_allowed", indicator=values["indicator_id"], measure_type=measure)
        if start is not None and end is not None and start > end:
            self.add(table, row, "period_start", "period_order", start=start, end=end)

    def check_value_text(self, table: Table, row: Row, value_column: str) -> Quantity | None:
        """value_text lies in the quote and reads back as the row's value, with the bound or qualifier it implies."""
        text, quote = row.values["value_text"], row.values["quote"]
        if text is None or quote is None:
            return None
        if text not in quote:
            self.add(table, row, "value_text", "value_text_not_in_quote", text=text)
            return None
        quantity = read_value(text, row.values[value_column], value_column, self.reporter(table, row))
        if quantity is None:
            return None
        self.check_unit(table, row, quantity)
        column, implied = ("bound", TARGET_BOUND_FOR) if value_column == "target_value" else ("qualifier", OUTCOME_QUALIFIER_FOR)
        expected = implied.get(quantity.bound, quantity.bound)
        if row.values[column] is not None and row.values[column] != expected:
            self.add(table, row, column, "bound_mismatch", text=text, expected=expected, column=column,
                     value=row.values[column])
        return quantity

    def check_unit(self, table: Table, row: Row, quantity: Quantity, relative_ok: bool = False) -> None:
        """The unit read from value_text counts what the indicator counts (quantities.ACCEPTED_UNITS); a derived row's
        operand may also be relative (%, 倍)."""
        indicator = self.index("indicators", "indicator_id").get(row.values["indicator_id"])
        if indicator is None or indicator.values["unit"] is None or (relative_ok and quantity.unit in RELATIVE_UNITS):
            return
        unit, quote = indicator.values["unit"], row.values["quote"] or ""
        if unit_accepted(quantity.unit, unit, quote):
            return
        params = {"text": row.values["value_text"], "unit": quantity.unit, "indicator": row.values["indicator_id"],
                  "indicator_unit": unit}
        if quantity.unit in ACCEPTED_UNITS.get(unit, ()):
            self.add(table, row, "value_text", "unit_base_missing", **params, bases=" / ".join(PER_POPULATION[unit]))
        else:
            accepted = ", ".join(ACCEPTED_UNITS.get(unit, (unit,)))
            self.add(table, row, "value_text", "unit_mismatch", **params, accepted=accepted)

    def check_duplicate_statements(self, table: Table, source_column: str) -> None:
        """One statement of a source (indicator, quote and value_text) is one row."""
        first_seen: dict[tuple, int] = {}
        for row in table.rows:
            key = tuple(row.values.get(column) for column in (source_column, *STATEMENT_COLUMNS))
            if None in key:
                continue
            if key in first_seen:
                self.add(table, row, "quote", "duplicate_statement", first_line=first_seen[key])
            else:
                first_seen[key] = row.line


def issue_year(doc: dict) -> int | None:
    """The year a document was issued, from its date_issued."""
    date = doc.get("date_issued")
    return int(date[:4]) if date else None
