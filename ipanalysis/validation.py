"""Validate a data folder against the contract in its datapackage.json and the provenance rules.

``validate(data_dir)`` reads every table, reports every problem it finds (never just the first), and returns the
typed tables with the problems. It never writes to the folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import DATA_DIR, DATAPACKAGE_FILE, SOURCES_SUBDIR
from .messages import Problem, Text
from .provenance import check_derived, quote_mismatch, read_value, same_number, sha256_of
from .schema import read_datapackage
from .tables import Row, Table, read_table

TARGET_BOUND_FOR = {None: "reach", "at_least": "at_least", "more_than": "more_than", "keep_at": "keep_at"}
OUTCOME_QUALIFIER_FOR = {None: "exact", "more_than": "more_than", "nearly": "nearly", "approximately": "approximately"}
STATEMENT_KEY = ("doc_id", "indicator_id", "quote", "value_text")


@dataclass
class ValidationResult:
    data_dir: Path
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    document_texts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(data_dir: Path | str = DATA_DIR) -> ValidationResult:
    """Check every table of a data folder; collect all problems, sorted by file and line."""
    result = ValidationResult(Path(data_dir))
    descriptor = result.data_dir / DATAPACKAGE_FILE
    if not descriptor.is_file():
        result.problems.append(Problem(str(descriptor), None, None, "file_missing"))
        return result
    try:
        schemas = read_datapackage(descriptor)
    except ValueError as error:
        result.problems.append(Problem(str(descriptor), None, None, "datapackage_invalid", {"error": str(error)}))
        return result
    for name, schema in schemas.items():
        table = read_table(result.data_dir, schema, result.problems)
        if table is not None:
            result.tables[name] = table
    _check_foreign_keys(result.tables, result.problems)
    _DomainChecks(result).run()
    result.problems.sort(key=lambda p: (p.file, p.line or 0))
    return result


def _index(table: Table | None, key: str) -> dict:
    return {} if table is None else {row.values[key]: row for row in table.rows if row.values[key] is not None}


def _check_foreign_keys(tables: dict[str, Table], problems: list[Problem]) -> None:
    for table in tables.values():
        for fk in table.schema.foreign_keys:
            _check_reference(table, fk.field, fk.reference.resource, fk.reference.field, tables, problems, None)
        for fld in table.schema.fields:
            if fld.list_reference:
                _check_reference(table, fld.name, fld.list_reference.resource, fld.list_reference.field, tables, problems,
                                 fld.separator)


def _check_reference(table, column, ref_resource, ref_field, tables, problems, separator) -> None:
    if ref_resource not in tables:
        return
    known = set(_index(tables[ref_resource], ref_field))
    for row in table.rows:
        value = row.values.get(column)
        if value is None:
            continue
        for item in value.split(separator) if separator else [value]:
            if item not in known:
                problems.append(Problem(table.file, row.line, column, "unknown_reference",
                                        {"value": item, "ref_column": ref_field, "ref_file": tables[ref_resource].schema.path}))


class _DomainChecks:
    """The rules beyond the schema: provenance, years, baselines, restatements, regions and periods."""

    def __init__(self, result: ValidationResult):
        self.result = result
        self.problems = result.problems
        self.tables = result.tables
        self.documents = _index(self.tables.get("documents"), "doc_id")
        self.indicators = _index(self.tables.get("indicators"), "indicator_id")
        self.outcomes = _index(self.tables.get("outcomes"), "outcome_id")
        self.targets = _index(self.tables.get("targets"), "target_id")
        self.codes = _index(self.tables.get("codebook"), "code_id")

    def add(self, table: Table, row: Row | None, column: str | None, key: str, /, **params) -> None:
        self.problems.append(Problem(table.file, row.line if row else None, column, key, params))

    def run(self) -> None:
        for name, check in (("documents", self.check_documents), ("targets", self.check_targets),
                            ("outcomes", self.check_outcomes), ("milestones", self.check_milestones),
                            ("source_problems", self.check_source_problems), ("policy_units", self.check_policy_unit),
                            ("codebook", self.check_code)):
            if name in self.tables:
                for row in self.tables[name].rows:
                    check(self.tables[name], row)
        for name in ("targets", "outcomes"):
            if name in self.tables:
                self.check_duplicate_statements(self.tables[name])
        if {"indicators", "indicator_lineage"} <= set(self.tables):
            self.check_lineage_column(self.tables["indicators"], self.tables["indicator_lineage"])
        if {"policy_codes", "codebook", "policy_units"} <= set(self.tables):
            self.check_policy_codes(self.tables["policy_codes"])

    # -- helpers
    def doc(self, doc_id) -> dict | None:
        row = self.documents.get(doc_id)
        return row.values if row else None

    @staticmethod
    def issue_year(doc: dict) -> int | None:
        date = doc.get("date_issued")
        return int(date[:4]) if date else None

    def check_quote(self, table: Table, row: Row, column: str, doc_id) -> None:
        quote, text = row.values.get(column), self.result.document_texts.get(doc_id)
        if quote is None or text is None:
            return
        if mismatch := quote_mismatch(quote, text, self.doc(doc_id)["source_file"]):
            key, params = mismatch
            self.add(table, row, column, key, **params)

    def check_year(self, table, row, column, low, high, why: Text) -> None:
        year = row.values.get(column)
        if year is not None and low is not None and high is not None and not low <= year <= high:
            self.add(table, row, column, "year_outside", column=column, year=year, low=low, high=high, why=why)

    def check_region(self, table, row, doc, allow_china: bool = False) -> None:
        region = row.values["region"]
        if region and region != doc["region"] and not (allow_china and region == "china"):
            self.add(table, row, "region", "region_mismatch", region=region, doc_id=doc["doc_id"], doc_region=doc["region"])

    def check_period(self, table, row, required_end: bool) -> None:
        values = row.values
        start, end = values.get("period_start"), values.get("period_end")
        indicator = self.indicators.get(values["indicator_id"])
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

    # -- documents
    def check_documents(self, table: Table, row: Row) -> None:
        values = row.values
        if values["source_file"] is None:
            return
        folder = self.result.data_dir / SOURCES_SUBDIR
        path = folder / values["source_file"]
        if not path.is_file():
            self.add(table, row, "source_file", "source_missing", source=values["source_file"], folder=str(folder))
            return
        actual = sha256_of(path)
        if values["sha256"] is not None and actual != values["sha256"]:
            self.add(table, row, "sha256", "checksum", source=values["source_file"], actual=actual, expected=values["sha256"])
        try:
            self.result.document_texts[values["doc_id"]] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.add(table, row, "source_file", "not_utf8", byte="?", guess=Text("guess_unknown"))
        start, end, target = values["period_start"], values["period_end"], values["target_year"]
        if None not in (start, end, target) and not start <= target <= end:
            self.add(table, row, "target_year", "doc_years", target_year=target, start=start, end=end)

    # -- targets
    def check_targets(self, table: Table, row: Row) -> None:
        values = row.values
        doc = self.doc(values["doc_id"])
        self.check_quote(table, row, "quote", values["doc_id"])
        self.check_value_text(table, row, "target_value")
        if doc is None:
            return
        self.check_region(table, row, doc)
        plan = Text("why_plan_period", (("doc_id", doc["doc_id"]),))
        self.check_year(table, row, "target_year", doc["period_start"], doc["period_end"], plan)
        self.check_year(table, row, "period_start", doc["period_start"], doc["period_end"], plan)
        self.check_year(table, row, "period_end", doc["period_start"], doc["period_end"], plan)
        self.check_period(table, row, required_end=True)
        self.check_baseline(table, row, doc)
        self.check_restatement(table, row)

    def check_value_text(self, table: Table, row: Row, value_column: str):
        text, quote = row.values["value_text"], row.values["quote"]
        if text is None or quote is None:
            return None
        if text not in quote:
            self.add(table, row, "value_text", "value_text_not_in_quote", text=text)
            return None
        quantity = read_value(text, row.values[value_column], table.file, row, value_column, self.problems)
        if quantity is not None and value_column == "target_value":
            expected = TARGET_BOUND_FOR.get(quantity.bound, quantity.bound)
            if row.values["bound"] is not None and row.values["bound"] != expected:
                self.add(table, row, "bound", "bound_mismatch", text=text, expected=expected, column="bound",
                         value=row.values["bound"])
        if quantity is not None and value_column == "value":
            expected = OUTCOME_QUALIFIER_FOR.get(quantity.bound, quantity.bound)
            if row.values["qualifier"] is not None and row.values["qualifier"] != expected:
                self.add(table, row, "qualifier", "bound_mismatch", text=text, expected=expected, column="qualifier",
                         value=row.values["qualifier"])
        return quantity

    def check_baseline(self, table: Table, row: Row, doc: dict) -> None:
        values = row.values
        trio = ("baseline_year", "baseline_value", "baseline_outcome_id")
        present = [column for column in trio if values[column] is not None]
        if not present:
            return
        for column in trio:
            if values[column] is None:
                self.add(table, row, column, "baseline_incomplete", missing=column)
        if None not in (values["target_year"], doc["period_start"], self.issue_year(doc)):
            self.check_year(table, row, "baseline_year", doc["period_start"] - 10,
                            min(values["target_year"] - 1, self.issue_year(doc)), Text("why_baseline"))
        outcome = self.outcomes.get(values["baseline_outcome_id"])
        if outcome is None:
            return
        for column, other_column in (("doc_id", "doc_id"), ("indicator_id", "indicator_id"),
                                     ("baseline_year", "year"), ("baseline_value", "value")):
            mine, theirs = values[column], outcome.values[other_column]
            if mine is None or theirs is None:
                continue
            differs = not same_number(mine, theirs) if column == "baseline_value" else mine != theirs
            if differs:
                self.add(table, row, column, "baseline_mismatch", column=column, value=mine,
                         outcome_id=values["baseline_outcome_id"], other=theirs)

    def check_restatement(self, table: Table, row: Row) -> None:
        values = row.values
        canonical_row = self.targets.get(values["restates_target_id"])
        if canonical_row is None:
            return
        canonical = canonical_row.values
        if canonical["restates_target_id"] is not None:
            self.add(table, row, "restates_target_id", "restates_chain", target_id=canonical["target_id"])
            return
        for column in ("doc_id", "indicator_id", "target_year"):
            if values[column] != canonical[column]:
                self.add(table, row, column, "restates_mismatch", target_id=canonical["target_id"], column=column,
                         value=values[column], other=canonical[column])
        if values["problem_ids"] or None in (values["target_value"], canonical["target_value"]):
            return  # a documented discrepancy, or a value already reported as invalid
        if values["target_form"] == "level":
            expected = canonical["target_value"]
        elif values["target_form"] == "increment" and canonical["baseline_value"] is not None:
            expected = canonical["target_value"] - canonical["baseline_value"]
        else:
            return
        if not same_number(values["target_value"], expected):
            self.add(table, row, "target_value", "restates_value", target_id=canonical["target_id"],
                     form=values["target_form"], value=values["target_value"], expected=expected)

    # -- outcomes
    def check_outcomes(self, table: Table, row: Row) -> None:
        values = row.values
        doc = self.doc(values["doc_id"])
        self.check_quote(table, row, "quote", values["doc_id"])
        if values["is_derived"]:
            if values["value_text"] is not None and values["quote"] is not None and values["value_text"] not in values["quote"]:
                self.add(table, row, "value_text", "value_text_not_in_quote", text=values["value_text"])
            outcome_values = {key: other.values["value"] for key, other in self.outcomes.items()}
            check_derived(row, table.file, outcome_values, self.problems)
        else:
            if values["formula"] is not None:
                self.add(table, row, "formula", "formula_not_derived")
            self.check_value_text(table, row, "value")
        if values["year"] is None and values["period_end"] is None and not values["notes"]:
            self.add(table, row, "notes", "undated")
        self.check_period(table, row, required_end=False)
        if doc is None:
            return
        self.check_region(table, row, doc, allow_china=bool(values["is_derived"]))
        if doc["reports_from"] is None:
            self.add(table, row, "doc_id", "no_review", doc_id=doc["doc_id"])
            return
        review = Text("why_review", (("doc_id", doc["doc_id"]),))
        low = doc["reports_from"]
        for column in ("year", "period_start", "period_end"):
            self.check_year(table, row, column, low, self.issue_year(doc), review)

    # -- milestones and the problem register
    def check_milestones(self, table: Table, row: Row) -> None:
        values = row.values
        self.check_quote(table, row, "quote", values["doc_id"])
        if (values["evidence_doc_id"] is None) != (values["evidence_quote"] is None):
            missing = "evidence_quote" if values["evidence_quote"] is None else "evidence_doc_id"
            self.add(table, row, missing, "required")
        elif values["evidence_doc_id"] is not None:
            self.check_quote(table, row, "evidence_quote", values["evidence_doc_id"])
        doc = self.doc(values["doc_id"])
        if doc is not None:
            self.check_region(table, row, doc)
            self.check_year(table, row, "target_year", self.issue_year(doc), 2100, Text("why_milestone"))

    def check_source_problems(self, table: Table, row: Row) -> None:
        values = row.values
        self.check_quote(table, row, "quote_a", values["doc_a"])
        if (values["doc_b"] is None) != (values["quote_b"] is None):
            self.add(table, row, "quote_b" if values["quote_b"] is None else "doc_b", "required")
        elif values["doc_b"] is not None:
            self.check_quote(table, row, "quote_b", values["doc_b"])
        known = set(self.targets) | set(self.outcomes)
        for item in (values["affects"] or "").split(";"):
            if item and item not in known:
                self.add(table, row, "affects", "unknown_reference", value=item, ref_column="target_id/outcome_id",
                         ref_file="targets.csv/outcomes.csv")

    def check_duplicate_statements(self, table: Table) -> None:
        first_seen: dict[tuple, int] = {}
        for row in table.rows:
            key = tuple(row.values.get(column) for column in STATEMENT_KEY)
            if None in key:
                continue
            if key in first_seen:
                self.add(table, row, "quote", "duplicate_statement", first_line=first_seen[key])
            else:
                first_seen[key] = row.line

    def check_lineage_column(self, indicators: Table, lineage: Table) -> None:
        """indicators.lineage repeats indicator_lineage.csv for readers of one file; the two must agree."""
        expected: dict[str, list[str]] = {}
        for row in lineage.rows:
            link = f"{row.values['relation']}:{row.values['to_indicator_id']}"
            expected.setdefault(row.values["from_indicator_id"], []).append(link)
        for row in indicators.rows:
            want = ";".join(expected.get(row.values["indicator_id"], []))
            if (row.values.get("lineage") or "") != want:
                self.add(indicators, row, "lineage", "lineage_mismatch", value=row.values.get("lineage") or "", expected=want)

    # -- policy units and their coding
    def check_policy_unit(self, table: Table, row: Row) -> None:
        self.check_quote(table, row, "text", row.values["doc_id"])
        clause, text = row.values["agency_clause"], row.values["text"] or ""
        if clause is not None and clause not in text:
            self.add(table, row, "agency_clause", "not_in_text", value=clause)

    def check_code(self, table: Table, row: Row) -> None:
        values = row.values
        self.check_quote(table, row, "example_quote", values["example_doc_id"])
        parent = self.codes.get(values["parent_code"])
        if values["dimension"] == "instrument_subtype":
            if parent is None or parent.values["dimension"] != "instrument_type":
                rule = Text("rule_subtype_parent")
                self.add(table, row, "parent_code", "parent_rule", dimension=values["dimension"], rule=rule)
        elif values["parent_code"] is not None:
            self.add(table, row, "parent_code", "parent_rule", dimension=values["dimension"], rule=Text("rule_no_parent"))

    def check_policy_codes(self, table: Table) -> None:
        codes = self.codes
        primaries: dict[tuple, list[Row]] = {}
        for row in table.rows:
            values = row.values
            code = codes.get(values["code_id"])
            if code is not None and values["dimension"] is not None and code.values["dimension"] != values["dimension"]:
                self.add(table, row, "code_id", "code_dimension", code=values["code_id"], expected=code.values["dimension"],
                         found=values["dimension"])
            key = (values["unit_id"], values["dimension"])
            primaries.setdefault(key, [])
            if values["primary"]:
                primaries[key].append(row)
        units = self.tables["policy_units"]
        for unit in units.rows:
            for dimension in ("instrument_subtype", "value_chain_stage"):
                found = primaries.get((unit.values["unit_id"], dimension), [])
                if len(found) != 1:
                    self.add(table, found[1] if len(found) > 1 else None, "primary", "primary_count",
                             unit=unit.values["unit_id"], count=len(found), dimension=dimension)
