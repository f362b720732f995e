"""The curation workbook: the candidates of one document in an .xlsx a curator completes in Excel or LibreOffice, and
the import of the completed workbook into a data folder.

``write_workbook`` writes one sheet per table (documents, indicators, targets, outcomes, policy_units, policy_codes)
with the columns of the data folder's datapackage.json and an ``include`` column; drop-down lists for every enumerated
column and for ids that point to another sheet; help columns in [brackets] (the quote's context, the proposed kind,
the indicator score) that are not imported; a ``numbers`` sheet listing every number judged not a quantity and why;
the source text; and instructions in English and Chinese. Every cell is text, never a live formula.

``import_workbook`` reads the rows marked include = yes, gives new rows free ids (rewriting the references to them),
merges them into a temporary copy of the data folder and validates the copy; only when it has no problem does it
replace the changed files, each by ``os.replace`` and all rolled back if one fails. Existing rows are never rewritten:
new rows are appended to the files' bytes, in the files' own CSV conventions (UTF-8, LF, minimal quoting).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .config import DATA_DIR, DATAPACKAGE_FILE, SOURCES_SUBDIR
from .extraction import NOT_QUANTITY, OUTCOME, TARGET, Candidate, Extraction
from .messages import MESSAGES, Problem, localise
from .schema import TableSchema, read_datapackage
from .validation import validate
from .validation.targets import COMMITMENT_COLUMNS
from .workbooks import save_workbook

SHEETS = ("documents", "regions", "indicators", "agencies", "targets", "outcomes", "policy_units", "policy_codes")
INCLUDE = "include"
YES, NO = ("yes", "y", "是", "true"), ("no", "n", "否", "false")
# Tables whose ids the importer assigns (doc_id-<letter><NN>); the curator's own ids elsewhere (doc_id, indicator_id).
ID_LETTERS = {"targets": "t", "outcomes": "o", "policy_units": "u"}
# What makes a row "already present", beyond its id.
NATURAL_KEYS = {
    "documents": ("doc_id",),
    "regions": ("region_id",),
    "indicators": ("indicator_id",),
    "agencies": ("name_zh",),
    "targets": ("doc_id", "indicator_id", "quote", "value_text", "target_year"),
    "outcomes": ("doc_id", "indicator_id", "quote", "value_text", "year", "period_start", "period_end"),
    "policy_units": ("doc_id", "text"),
    "policy_codes": ("unit_id", "dimension", "code_id"),
}
TARGET_BOUNDS = {None: "reach"}
OUTCOME_QUALIFIERS = {None: "exact"}
SCORE_TO_PREFILL = 0.75
COMMITMENT = "commitment_id"
LAST_ROW = 2000
HELP_FILL = PatternFill("solid", fgColor="E7E6E6")
MESSAGES_IMPORT: dict[str, dict[str, str]] = {
    "workbook_unreadable": {"en": "cannot open the workbook: {error}", "zh": "无法打开工作簿：{error}"},
    "include_value": {"en": "include must be yes or no, not '{value}'", "zh": "include 须为 yes 或 no，而非“{value}”"},
    "include_undecided": {"en": "include is empty: yes imports the row, no leaves it out",
                          "zh": "include 为空：填 yes 导入该行，填 no 则不导入"},
    "cell_formula": {"en": "the cell holds a formula ({formula}); type the value itself",
                     "zh": "单元格中是公式（{formula}）：请直接填写数值或文字"},
    "cell_date": {"en": "the cell holds a date ({value}); format the column as Text and type it as the contract asks",
                  "zh": "单元格中是日期（{value}）：请将该列设为文本格式，按数据约定填写"},
    "id_changed": {
        "en": "{column} '{value}' is already in {file} with other values in {columns}; existing rows are never changed",
        "zh": "{column}“{value}”已在 {file} 中，但 {columns} 的值不同；已有的行不会被修改",
    },
    "unsafe_file_name": {"en": "'{value}' is not a plain file name (no folders, no '..')",
                         "zh": "“{value}”不是单纯的文件名（不得含目录或“..”）"},
    "source_text_missing": {"en": "the text of {source} is neither in {folder} nor in the workbook's source sheet",
                            "zh": "{source} 的原文既不在 {folder} 中，也不在工作簿的 source 表中"},
    "data_has_problems": {
        "en": "the data folder has {count} problem(s) before the import (run make validate); nothing was imported",
        "zh": "导入前数据目录已有 {count} 个问题（请运行 make validate）；未导入任何内容",
    },
}
SUMMARY = {
    "added": {"en": "added {count} row(s) to {file}: {ids}", "zh": "向 {file} 添加 {count} 行：{ids}"},
    "present": {"en": "{where}: already present as {id}, not added again", "zh": "{where}：已存在（{id}），未重复添加"},
    "differs": {"en": " (the workbook differs in {columns}; existing rows are never changed)",
                "zh": "（工作簿中 {columns} 不同；已有的行不会被修改）"},
    "renamed": {"en": "{where}: id {old} was taken, the row is {new}", "zh": "{where}：编号 {old} 已被占用，改为 {new}"},
    "left_out": {"en": "{count} row(s) marked include = no were left out", "zh": "{count} 行标为 include = no，未导入"},
    "nothing": {"en": "nothing to add: data/ is unchanged", "zh": "没有需要添加的内容：数据目录未改动"},
    "dry_run": {"en": "dry run: the rows validate; nothing was written", "zh": "试运行：各行均通过校验；未写入任何内容"},
}


class ImportProblem(Problem):
    """A located problem of the import itself (the validator's problems keep their own class)."""

    def message(self, lang: str = "en") -> str:
        params = {k: localise(v, lang) for k, v in self.params.items()}
        return {**MESSAGES, **MESSAGES_IMPORT}[self.key][lang].format(**params)


# -- writing the workbook
def write_workbook(extraction: Extraction, path: Path, data_dir: Path = DATA_DIR, region: str | None = None) -> Path:
    """Write the curation workbook of one extraction against a data folder; the same inputs give the same bytes."""
    data_dir = Path(data_dir)
    schemas = read_datapackage(data_dir / DATAPACKAGE_FILE)
    existing = {name: _raw_rows(data_dir / schema.path) for name, schema in schemas.items()}
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "instructions"
    _write_instructions(instructions, extraction)
    choices = Choices(workbook.create_sheet("lists"), schemas, existing)
    rows = _sheet_rows(extraction, schemas, existing, region)
    choices.columns = {name: _columns(schemas[name], rows[name]) for name in rows}
    for name in SHEETS:
        if name in rows:
            _write_table_sheet(workbook.create_sheet(name), schemas[name], rows[name], choices)
    _write_numbers(workbook.create_sheet("numbers"), extraction)
    _write_source(workbook.create_sheet("source"), extraction.text)
    choices.sheet.sheet_state = "hidden"
    return save_workbook(workbook, Path(path))


def _text(value) -> str:
    """A cell's text: true/false, integers without .0, other numbers as Python writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_rows(extraction: Extraction, schemas: dict[str, TableSchema], existing: dict[str, list[dict]],
                region: str | None) -> dict[str, list[dict]]:
    """Pre-filled rows per sheet: existing documents and indicators as in their files (include = no, for the
    drop-downs), the new document, and the candidates."""
    doc = extraction.doc_id
    rows: dict[str, list[dict]] = {name: [] for name in SHEETS}
    for record in existing.get("documents", []):
        rows["documents"].append({INCLUDE: "no", **record})
    if doc not in {record.get("doc_id") for record in existing.get("documents", [])}:
        rows["documents"].append({INCLUDE: "yes", **_document_row(extraction, region)})
    for name in ("regions", "indicators", "agencies"):
        rows[name] += [{INCLUDE: "no", **record} for record in existing.get(name, [])]
    if region and region not in {record.get("region_id") for record in existing.get("regions", [])}:
        rows["regions"].append({INCLUDE: "", "region_id": region})
    known = {record.get("name_zh") for record in existing.get("agencies", [])}
    named = [n for unit in extraction.units for n in unit.lead_agencies + unit.cooperating_agencies if n not in known]
    rows["agencies"] += [{INCLUDE: "", "name_zh": name} for name in dict.fromkeys(named)]
    outcome_ids: dict[int, str] = {}
    targets = [c for c in extraction.candidates if c.kind == TARGET]
    outcomes = [c for c in extraction.candidates if c.kind == OUTCOME]
    for number, candidate in enumerate(outcomes, 1):
        outcome_ids[id(candidate)] = f"{doc}-o{number:02d}"
    for number, candidate in enumerate(targets, 1):
        rows["targets"].append(_target_row(candidate, f"{doc}-t{number:02d}", doc, region))
    for candidate in outcomes:
        rows["outcomes"].append(_outcome_row(candidate, outcome_ids, doc, region))
    for number, unit in enumerate(extraction.units, 1):
        unit_id = f"{doc}-u{number:02d}"
        rows["policy_units"].append({
            INCLUDE: "", "unit_id": unit_id, "doc_id": doc, "part": unit.part, "number": unit.number,
            "section_path": unit.section_path, "heading": unit.heading, "text": unit.text,
            "agency_clause": unit.agency_clause, "lead_agencies": ";".join(unit.lead_agencies) or None,
            "cooperating_agencies": ";".join(unit.cooperating_agencies) or None,
            "[pre-coded instrument]": " / ".join(unit.codes[k] for k in ("instrument_type", "instrument_subtype")
                                                  if k in unit.codes) or None,
            "[pre-coded stage]": unit.codes.get("value_chain_stage"),
        })
        for dimension in ("instrument_subtype", "value_chain_stage"):
            code = unit.codes.get(dimension)
            rows["policy_codes"].append({
                "unit_id": unit_id, "dimension": dimension, "code_id": code, "primary": "true",
                "justification": "pre-coded from keywords (instruments.precode_text): check and justify" if code else None,
            })
    return {name: [{k: v for k, v in row.items() if k == INCLUDE or k.startswith("[") or k in schemas[name].field_names}
                   for row in table] for name, table in rows.items() if name in schemas}


def _document_row(extraction: Extraction, region: str | None) -> dict:
    """The new document as far as its text tells: title, checksum, date and number of issue, plan period."""
    start, end = extraction.plan_years or (None, None)
    notes = ["Title, date, number and period as guessed by the extractor: check them.", extraction.encoding_note or ""]
    return {
        "doc_id": extraction.doc_id, "source_file": extraction.source_name,
        "sha256": hashlib.sha256(extraction.text.encode("utf-8")).hexdigest(), "title_zh": extraction.title,
        "region": region, "plan_period": extraction.plan_period, "date_issued": extraction.issue_date,
        "doc_number": extraction.doc_number, "target_year": extraction.target_year,
        "target_year_inferred": "false", "period_start": start, "period_end": end,
        "reports_from": min((y for c in extraction.candidates if c.kind == OUTCOME
                             for y in (c.period_start, c.year) if y is not None), default=None),
        "notes": " ".join(n.strip() for n in notes if n.strip()),
    }


def _help(candidate: Candidate) -> dict:
    return {
        "[context]": candidate.context,
        "[line]": candidate.line,
        "[indicator_score]": candidate.indicator_score if candidate.indicator_id else None,
        "[suggested_indicator]": candidate.indicator_id,
        "[cumulative 〔〕]": "yes" if candidate.cumulative else None,
        "[derived]": candidate.derived,
    }


def _indicator(candidate: Candidate) -> str | None:
    return candidate.indicator_id if candidate.indicator_score >= SCORE_TO_PREFILL else None


def _target_row(candidate: Candidate, target_id: str, doc: str, region: str | None) -> dict:
    return {
        INCLUDE: "", "target_id": target_id, "doc_id": doc, "indicator_id": _indicator(candidate), "region": region,
        "section": candidate.section, "target_year": candidate.year,
        "target_year_inferred": "true" if candidate.year_inferred else "false",
        "period_start": candidate.period_start, "period_end": candidate.period_end, "target_value": candidate.value,
        "value_text": candidate.value_text, "bound": TARGET_BOUNDS.get(candidate.bound, candidate.bound),
        "target_form": candidate.target_form, "binding": candidate.binding, "quote": candidate.quote,
        "notes": "; ".join(candidate.notes) or None, **_help(candidate),
    }


def _outcome_row(candidate: Candidate, outcome_ids: dict[int, str], doc: str, region: str | None) -> dict:
    formula = candidate.formula
    notes = list(candidate.notes)
    if formula and candidate.base is not None:
        base_id = outcome_ids.get(id(candidate.base))
        if base_id:
            formula = formula.replace("{base}", f"[{base_id}]")
        else:
            formula = formula.replace("{base}", _text(candidate.base.value))
            notes.append(f"the base {candidate.base.value_text} is proposed as a target; its value stands in the formula")
    elif formula and "{base}" in formula:
        formula = None
    return {
        INCLUDE: "", "outcome_id": outcome_ids[id(candidate)], "doc_id": doc, "indicator_id": _indicator(candidate),
        "region": region, "year": candidate.year, "period_start": candidate.period_start,
        "period_end": candidate.period_end, "value": candidate.value,
        "qualifier": OUTCOME_QUALIFIERS.get(candidate.bound, candidate.bound), "value_text": candidate.value_text,
        "is_derived": "true" if candidate.derived else "false", "formula": formula, "section": candidate.section,
        "quote": candidate.quote, "notes": "; ".join(notes) or None, **_help(candidate),
    }


def _columns(schema: TableSchema, rows: list[dict]) -> list[str]:
    """include (unless policy_codes), the schema's fields with [context] beside the quote, then the other help columns."""
    columns = [] if schema.name == "policy_codes" else [INCLUDE]
    helpers = list(dict.fromkeys(k for row in rows for k in row if k.startswith("[")))
    for name in schema.field_names:
        columns.append(name)
        if name in ("quote", "text") and "[context]" in helpers:
            columns.append("[context]")
    return columns + [h for h in helpers if h not in columns]


def _write_table_sheet(sheet, schema: TableSchema, rows: list[dict], choices: Choices) -> None:
    columns = choices.columns[schema.name]
    sheet.append(columns)
    for row in rows:
        sheet.append([None] * len(columns))
        for position, column in enumerate(columns, 1):
            _set_text(sheet.cell(sheet.max_row, position), _text(row.get(column)))
    for position, column in enumerate(columns, 1):
        letter = get_column_letter(position)
        header = sheet.cell(1, position)
        header.font = Font(bold=True)
        wide = column in ("quote", "[context]", "text", "description", "notes", "title_zh", "title_en")
        sheet.column_dimensions[letter].width = 60 if wide else 16
        if column.startswith("["):
            header.fill = HELP_FILL
            for cell in sheet[letter][1:]:
                cell.fill = HELP_FILL
        if wide:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if allowed := choices.for_column(schema, column):
            validation = DataValidation(type="list", formula1=allowed[0], allow_blank=True,
                                        errorStyle="stop" if allowed[1] else "warning")
            validation.error = "Choose from the list / 请从列表中选择"
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.freeze_panes = "C2"


class Choices:
    """Drop-down lists: enumerations and existing ids written once into the hidden 'lists' sheet, ids of rows on
    other sheets referenced in place."""

    def __init__(self, sheet, schemas: dict[str, TableSchema], existing: dict[str, list[dict]]):
        self.sheet = sheet
        self.schemas = schemas
        self.existing = existing
        self.columns: dict[str, list[str]] = {}
        self.ranges: dict[str, str] = {}

    def for_column(self, schema: TableSchema, column: str) -> tuple[str, bool] | None:
        """(list formula, strict) for a column with a closed set of values, or None."""
        if column == INCLUDE:
            return self.listed(INCLUDE, ["yes", "no"]), True
        if column not in schema.field_names:
            return None
        spec = schema.field(column)
        if spec.enum is not None:
            return self.listed(f"{schema.name}.{column}", [_text(v) for v in spec.enum]), True
        if spec.type == "boolean":
            return self.listed("boolean", ["true", "false"]), True
        reference = next((fk.reference for fk in schema.foreign_keys if fk.field == column), None)
        if reference is None:
            return None
        if reference.resource in self.columns:
            letter = get_column_letter(self.columns[reference.resource].index(reference.field) + 1)
            return f"{quote_sheetname(reference.resource)}!${letter}$2:${letter}${LAST_ROW}", False
        values = [row.get(reference.field, "") for row in self.existing.get(reference.resource, [])]
        return (self.listed(reference.resource, values), False) if values else None

    def listed(self, key: str, values: list[str]) -> str:
        """Write a list of choices once; return its range."""
        if key not in self.ranges:
            column = len(self.ranges) + 1
            letter = get_column_letter(column)
            _set_text(self.sheet.cell(1, column), key)
            for row, value in enumerate(values, 2):
                _set_text(self.sheet.cell(row, column), value)
            self.ranges[key] = f"lists!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[key]


def _set_text(cell, value: str) -> None:
    """Write a value as text: a leading '=' stays a string, never a live formula."""
    cell.value = value if value != "" else None
    if value:
        cell.data_type = "s"
        cell.number_format = "@"


def _write_numbers(sheet, extraction: Extraction) -> None:
    sheet.append(["[line]", "[number]", "[why not a quantity]", "[context]"])
    for candidate in extraction.candidates:
        if candidate.kind == NOT_QUANTITY:
            sheet.append([None] * 4)
            for position, value in enumerate((candidate.line, candidate.value_text, candidate.reason, candidate.context), 1):
                _set_text(sheet.cell(sheet.max_row, position), _text(value))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["D"].width = 80


def _write_source(sheet, text: str) -> None:
    """The source text, one line per row (long lines continue on rows with the same line number)."""
    sheet.append(["line", "text"])
    for number, line in enumerate(text.split("\n"), 1):
        chunks = [line[i: i + 30000] for i in range(0, len(line), 30000)] or [""]
        for chunk in chunks:
            sheet.append([None, None])
            _set_text(sheet.cell(sheet.max_row, 1), str(number))
            _set_text(sheet.cell(sheet.max_row, 2), chunk)
    sheet.column_dimensions["B"].width = 120


INSTRUCTIONS = """\
Curation workbook for {doc_id} ({title})
{doc_id} 的整理工作簿（{title}）

EN
1. Every number of the text was read by rules (number forms, cue words, headings, tables). Rows proposed as targets are
   on the sheet 'targets', as reported outcomes on 'outcomes'; numbers judged not to be quantities (dates, document
   numbers, headings...) are listed with the reason on 'numbers'. Numbered clauses are on 'policy_units', each with
   the pre-coder's instrument and stage on 'policy_codes'.
2. Decide every row: include = yes imports it, include = no leaves it out. An empty include stops the import.
   A row on the wrong sheet: copy its cells to the other sheet and set include = no on this one.
3. Check every cell against the quote and its [context]: the quote must be copied from the text, value_text must be
   the number's own words inside the quote, the value is in base units (件, 元, %). Columns in [brackets] are help and
   are not imported. Drop-down lists give the allowed values and the ids of the other sheets.
4. What the rules cannot know is yours to decide: what a number measures (the indicator; add a new one on
   'indicators' when none fits), its definition, its year or period when the text does not say, whether two
   statements are the same commitment (restates_target_id), and whether the document disagrees with another
   (a source problem, cited in problem_ids).
5. Import: python -m ipanalysis import {workbook} [DATA_DIR]   (or make import WORKBOOK={workbook})
   Ids are kept when free; new rows that lack one or whose id is taken get the next free id, and references to them
   (formula, baseline_outcome_id, restates_target_id, unit_id) follow. Nothing is written unless every row validates;
   rows already in the data are reported, not added twice.

中文
1. 文本中的每个数字都已按规则（数字形式、提示词、标题、表格）读取。拟作目标的行在“targets”表，拟作已报告成效的
   行在“outcomes”表；判定不是数量的数字（日期、文号、标题序号等）连同理由列在“numbers”表。编号条款在
   “policy_units”表，预编码的政策工具与环节在“policy_codes”表。
2. 逐行决定：include 填 yes 导入，填 no 不导入。include 为空则导入中止。
   行放错了表：把单元格复制到另一张表，并在原表将 include 设为 no。
3. 对照引文及其 [context] 检查每个单元格：引文须从原文复制，value_text 须是引文中该数字本身的文字，数值用基本
   单位（件、元、%）。方括号中的列仅供参考，不会导入。下拉列表给出允许的取值和其他表中的编号。
4. 规则无法判断的事项由整理者决定：数字衡量的是什么（指标；若无合适指标，在“indicators”表新增）、其定义、
   原文未说明时的年份或期间、两处表述是否为同一承诺（restates_target_id），以及本文件与其他文件是否矛盾
   （记为来源问题，写入 problem_ids）。
5. 导入：python -m ipanalysis import {workbook} [数据目录]（或 make import WORKBOOK={workbook}）
   空闲的编号保持不变；没有编号或编号已被占用的新行取下一个空闲编号，引用它们的列（formula、baseline_outcome_id、
   restates_target_id、unit_id）随之更新。只有全部行通过校验才会写入；数据中已有的行只报告，不重复添加。
{note}"""


def _write_instructions(sheet, extraction: Extraction) -> None:
    note = f"\nSource / 原文: {extraction.source_name}. {extraction.encoding_note or ''}"
    text = INSTRUCTIONS.format(doc_id=extraction.doc_id, title=extraction.title, note=note,
                               workbook=f"{extraction.doc_id}-curation.xlsx")
    for line in text.split("\n"):
        sheet.append([None])
        _set_text(sheet.cell(sheet.max_row, 1), line)
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 120


# -- importing the workbook
@dataclass
class WorkbookRow:
    """One row of a table sheet, as text per column."""

    sheet: str
    row: int
    values: dict[str, str]


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    problems: list[Problem] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)
    present: list[tuple[str, int, str, list[str]]] = field(default_factory=list)
    renamed: list[tuple[str, int, str, str]] = field(default_factory=list)
    left_out: int = 0
    written: bool = False

    def summary(self, lang: str = "en") -> list[str]:
        lines = [SUMMARY["present"][lang].format(where=f"{s}:{r}", id=i) +
                 (SUMMARY["differs"][lang].format(columns=", ".join(d)) if d else "") for s, r, i, d in self.present]
        lines += [SUMMARY["renamed"][lang].format(where=f"{s}:{r}", old=o, new=n) for s, r, o, n in self.renamed]
        lines += [SUMMARY["added"][lang].format(count=len(ids), file=f, ids=", ".join(ids)) for f, ids in self.added.items()]
        if self.left_out:
            lines.append(SUMMARY["left_out"][lang].format(count=self.left_out))
        if not self.added:
            lines.append(SUMMARY["nothing"][lang])
        elif not self.written:
            lines.append(SUMMARY["dry_run"][lang])
        return lines


def import_workbook(path: Path, data_dir: Path = DATA_DIR, dry_run: bool = False) -> ImportReport:
    """Validate the included rows of a curation workbook against the data folder and, only if all is well, add them.
    Every problem is reported at once: those of the workbook's cells, then the validator's on the merged copy."""
    path, data_dir = Path(path), Path(data_dir)
    report = ImportReport()
    label = path.name
    try:
        workbook = load_workbook(path)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        report.problems.append(ImportProblem(label, None, None, "workbook_unreadable", {"error": str(error)}))
        return report
    before = validate(data_dir)
    if before.problems:
        report.problems.append(ImportProblem(str(data_dir), None, None, "data_has_problems", {"count": len(before.problems)}))
        report.problems += before.problems
        return report
    schemas = {name: table.schema for name, table in before.tables.items()}
    included = _read_sheets(workbook, schemas, label, report)
    existing = {name: _raw_rows(data_dir / schemas[name].path) for name in included}
    new_rows = _assign_ids(included, existing, schemas, label, report)
    if "targets" in new_rows:
        _assign_commitments(new_rows["targets"], existing["targets"], schemas["targets"])
    sources = _sources(workbook, new_rows.get("documents", []), data_dir, label, report)
    if not any(new_rows.values()):
        return report
    with tempfile.TemporaryDirectory(prefix="ipanalysis-import-") as scratch:
        merged = Path(scratch) / "data"
        shutil.copytree(data_dir, merged)
        contents, locations = _merged_contents(data_dir, new_rows, schemas, sources)
        for relative, content in contents.items():
            (merged / relative).write_bytes(content)
        for problem in validate(merged).problems:
            report.problems.append(_relocate(problem, merged, data_dir, locations, label))
    if report.problems:
        return report
    report.added = {schemas[name].path: ["/".join(row.values.get(c, "") for c in schemas[name].primary_key)
                                         for row in rows] for name, rows in new_rows.items() if rows}
    if not dry_run:
        replace_files(data_dir, contents)
        report.written = True
    return report


def _read_sheets(workbook, schemas: dict[str, TableSchema], label: str, report: ImportReport) -> dict[str, list[WorkbookRow]]:
    """The rows to import per table: include = yes (policy_codes follow their unit), every cell checked for formulas."""
    included: dict[str, list[WorkbookRow]] = {}
    for name in SHEETS:
        if name not in schemas or name not in workbook.sheetnames:
            continue
        sheet = workbook[name]
        where = f"{label}[{name}]"
        header = [_text(cell.value) for cell in sheet[1]]
        for column in header:
            if column and column != INCLUDE and not column.startswith("[") and column not in schemas[name].field_names:
                report.problems.append(ImportProblem(where, 1, column, "unknown_column", {"column": column}))
        rows = included.setdefault(name, [])
        for cells in sheet.iter_rows(min_row=2):
            values = {}
            for column, cell in zip(header, cells, strict=False):
                if not column or column.startswith("["):
                    continue
                if cell.data_type == "f":
                    report.problems.append(ImportProblem(where, cell.row, column, "cell_formula", {"formula": cell.value}))
                elif isinstance(cell.value, datetime.date | datetime.datetime):
                    report.problems.append(ImportProblem(where, cell.row, column, "cell_date", {"value": cell.value}))
                values[column] = _text(cell.value) if cell.data_type != "f" else ""
            if not any(values.values()):
                continue
            row = WorkbookRow(name, cells[0].row, {k: v for k, v in values.items() if k != INCLUDE})
            include = values.get(INCLUDE, "yes" if name == "policy_codes" else "").strip().lower()
            if include in YES:
                rows.append(row)
            elif include in NO:
                report.left_out += 1
            else:
                key = "include_value" if include else "include_undecided"
                report.problems.append(ImportProblem(where, row.row, INCLUDE, key, {"value": include}))
    return included


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _assign_ids(included: dict[str, list[WorkbookRow]], existing: dict[str, list[dict]], schemas: dict[str, TableSchema],
                label: str, report: ImportReport) -> dict[str, list[WorkbookRow]]:
    """Drop rows already present, keep free ids, give the others the next free id, and rewrite references."""
    mapping: dict[str, dict[str, str]] = {}
    new_rows: dict[str, list[WorkbookRow]] = {}
    for name in SHEETS:
        if name not in included:
            continue
        schema = schemas[name]
        keys = NATURAL_KEYS.get(name, tuple(c for c in schema.field_names if c not in schema.primary_key))
        id_column = schema.primary_key[0] if len(schema.primary_key) == 1 else None
        by_key = {tuple(r.get(c, "") for c in keys): r for r in existing[name]}
        taken = {r[id_column] for r in existing[name]} if id_column else set()
        mapping[name], rows = {}, new_rows.setdefault(name, [])
        if id_column:
            _check_duplicate_ids(included[name], id_column, label, report)
        for row in included[name]:
            where = f"{label}[{row.sheet}]"
            resolved = _rewritten(row.values, schema, mapping)
            if name == "policy_codes" and not _unit_known(resolved.get("unit_id", ""), new_rows, existing):
                report.left_out += 1
                continue
            old = row.values.get(id_column, "") if id_column else ""
            found = by_key.get(tuple(resolved.get(c, "") for c in keys))
            if found is not None:
                differs = [c for c in schema.field_names if c in resolved and c != id_column and resolved[c] != found.get(c, "")
                           and not (c == COMMITMENT and not resolved[c])]  # left empty for the import to fill
                if name in ID_LETTERS or not differs:
                    present = found[id_column] if id_column else "/".join(resolved.get(c, "") for c in keys)
                    if old:
                        mapping[name][old] = present
                    report.present.append((where, row.row, present, differs))
                else:
                    column = id_column or keys[0]
                    report.problems.append(ImportProblem(where, row.row, column, "id_changed", {
                        "column": column, "value": resolved.get(column, ""), "file": schema.path, "columns": ", ".join(differs)}))
                continue
            if id_column and name in ID_LETTERS and (not old or old in taken):
                new = _next_id(resolved.get("doc_id", ""), ID_LETTERS[name], taken)
                if old:
                    report.renamed.append((where, row.row, old, new))
                    mapping[name][old] = new
                row.values[id_column] = new
            if id_column:
                taken.add(row.values[id_column])
            rows.append(row)
    for name, rows in new_rows.items():
        for row in rows:
            row.values = _rewritten(row.values, schemas[name], mapping)
    return new_rows


def _assign_commitments(targets: list[WorkbookRow], existing: list[dict], schema: TableSchema) -> None:
    """Fill an empty commitment_id by the contract's rule: a restatement takes its canonical target's commitment, a
    target identical to another of the same government and year (validation.targets.COMMITMENT_COLUMNS) takes that
    one's, any other target a new one."""
    if COMMITMENT not in schema.field_names:
        return
    by_target = {row["target_id"]: row[COMMITMENT] for row in existing}
    by_values = {tuple(row.get(c, "") for c in COMMITMENT_COLUMNS): row[COMMITMENT] for row in existing}
    numbers = [int(c[1:]) for c in by_target.values() if re.fullmatch(r"c\d+", c)]
    numbers += [int(row.values[COMMITMENT][1:]) for row in targets if re.fullmatch(r"c\d+", row.values.get(COMMITMENT, ""))]
    next_number = max(numbers, default=0) + 1
    canonical_first = sorted(targets, key=lambda row: bool(row.values.get("restates_target_id")))
    for row in canonical_first:
        values = row.values
        key = tuple(values.get(c, "") for c in COMMITMENT_COLUMNS)
        if not values.get(COMMITMENT):
            if values.get("restates_target_id"):
                values[COMMITMENT] = by_target.get(values["restates_target_id"], "")
            elif key in by_values:
                values[COMMITMENT] = by_values[key]
            else:
                values[COMMITMENT] = f"c{next_number:03d}"
                next_number += 1
        by_target[values.get("target_id", "")] = values[COMMITMENT]
        if not values.get("restates_target_id"):
            by_values.setdefault(key, values[COMMITMENT])


def _check_duplicate_ids(rows: list[WorkbookRow], id_column: str, label: str, report: ImportReport) -> None:
    """Two included rows with one id would make references to it ambiguous."""
    first: dict[str, int] = {}
    for row in rows:
        value = row.values.get(id_column, "")
        if value and value in first:
            report.problems.append(ImportProblem(f"{label}[{row.sheet}]", row.row, id_column, "duplicate_key",
                                                 {"column": id_column, "value": value, "first_line": first[value]}))
        first.setdefault(value, row.row)


def _unit_known(unit: str, new_rows: dict[str, list[WorkbookRow]], existing: dict[str, list[dict]]) -> bool:
    """A code row goes with its unit: one imported now or one already in the data."""
    return any(r.values.get("unit_id") == unit for r in new_rows.get("policy_units", [])) or \
        any(r.get("unit_id") == unit for r in existing.get("policy_units", []))


def _next_id(doc_id: str, letter: str, taken: set[str]) -> str:
    number = 1
    while f"{doc_id}-{letter}{number:02d}" in taken:
        number += 1
    return f"{doc_id}-{letter}{number:02d}"


def _rewritten(values: dict[str, str], schema: TableSchema, mapping: dict[str, dict[str, str]]) -> dict[str, str]:
    """The row with its foreign keys, id lists and formula references pointing at the final ids of the rows they name."""
    values = dict(values)
    for fk in schema.foreign_keys:
        renamed = mapping.get(fk.reference.resource, {})
        if values.get(fk.field) in renamed:
            values[fk.field] = renamed[values[fk.field]]
    for spec in schema.fields:
        if spec.list_reference and values.get(spec.name):
            renamed = mapping.get(spec.list_reference.resource, {})
            values[spec.name] = spec.separator.join(renamed.get(item, item) for item in values[spec.name].split(spec.separator))
    if values.get("formula") and mapping.get("outcomes"):
        renamed = mapping["outcomes"]
        values["formula"] = re.sub(r"\[([^\]]+)\]", lambda m: f"[{renamed.get(m.group(1), m.group(1))}]", values["formula"])
    return values


def _sources(workbook, documents: list[WorkbookRow], data_dir: Path, label: str, report: ImportReport) -> dict[str, bytes]:
    """Source texts to add to sources/: from the workbook's source sheet, for new documents whose file is missing."""
    texts = {}
    folder = data_dir / SOURCES_SUBDIR
    for row in documents:
        name = row.values.get("source_file", "")
        if not name:
            continue
        if Path(name).name != name or name.startswith(".") or "/" in name or "\\" in name:
            report.problems.append(ImportProblem(f"{label}[documents]", row.row, "source_file", "unsafe_file_name",
                                                 {"value": name}))
            continue
        if (folder / name).exists():
            continue
        if "source" not in workbook.sheetnames:
            report.problems.append(ImportProblem(f"{label}[documents]", row.row, "source_file", "source_text_missing",
                                                 {"source": name, "folder": str(folder)}))
            continue
        texts[f"{SOURCES_SUBDIR}/{name}"] = _source_text(workbook["source"]).encode("utf-8")
    return texts


def _source_text(sheet) -> str:
    lines: dict[str, str] = {}
    for number, text in sheet.iter_rows(min_row=2, max_col=2, values_only=True):
        key = _text(number)
        lines[key] = lines.get(key, "") + _text(text)
    return "\n".join(lines.values())


def _merged_contents(data_dir: Path, new_rows: dict[str, list[WorkbookRow]], schemas: dict[str, TableSchema],
                     sources: dict[str, bytes]) -> tuple[dict[str, bytes], dict[tuple[str, int], WorkbookRow]]:
    """New bytes per changed file (the old bytes followed by the new records) and where each new record starts."""
    contents = dict(sources)
    locations = {}
    for name, rows in new_rows.items():
        if not rows:
            continue
        relative = schemas[name].path
        original = (data_dir / relative).read_bytes()
        text = original.decode("utf-8-sig")
        header = next(csv.reader([text.split("\n", 1)[0]]))
        if text and not text.endswith("\n"):
            text += "\n"
        line = text.count("\n") + 1
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in rows:
            start = buffer.tell()
            writer.writerow([row.values.get(column, "") for column in header])
            locations[(relative, line)] = row
            line += buffer.getvalue()[start:].count("\n")
        prefix = original[:3] if original.startswith(b"\xef\xbb\xbf") else b""
        contents[relative] = prefix + (text + buffer.getvalue()).encode("utf-8")
    return contents, locations


def _relocate(problem: Problem, merged: Path, data_dir: Path, locations: dict, label: str) -> Problem:
    """A problem of the merged copy, located in the workbook when it is in a new row, else in the data folder."""
    try:
        relative = Path(problem.file).relative_to(merged).as_posix()
    except ValueError:
        return problem
    row = locations.get((relative, problem.line))
    if row is not None:
        return type(problem)(f"{label}[{row.sheet}]", row.row, problem.column, problem.key, problem.params)
    return type(problem)(str(data_dir / relative), problem.line, problem.column, problem.key, problem.params)


def replace_files(data_dir: Path, contents: dict[str, bytes]) -> None:
    """Write every file or none: each new content goes to a temporary file beside its target, then all are moved into
    place with os.replace; if a move fails, the files already replaced get their old bytes back."""
    data_dir = Path(data_dir)
    staged, backups, done = {}, {}, []
    try:
        for relative, content in contents.items():
            target = data_dir / relative
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            staged[target] = Path(temporary)
            backups[target] = target.read_bytes() if target.exists() else None
        for target, temporary in staged.items():
            os.replace(temporary, target)
            done.append(target)
    except BaseException:
        for target in done:
            if backups[target] is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(backups[target])
        raise
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
