"""Validation problems and their wording in English and Chinese.

Every problem is located (file, line, column) and printed as ``file:line: column: message``; Chinese values are
printed as Chinese, never escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

LANGUAGES = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    "file_missing": {"en": "file is missing", "zh": "文件不存在"},
    "file_unreadable": {"en": "cannot read the file: {error}", "zh": "无法读取文件：{error}"},
    "datapackage_invalid": {"en": "not valid JSON at column {column}: {error}", "zh": "不是有效的 JSON（第 {column} 列）：{error}"},
    "contract_missing_key": {"en": "'{key}' is missing", "zh": "缺少“{key}”"},
    "contract_wrong_type": {"en": "'{key}' must be {expected}, not {found}: {value}", "zh": "“{key}”应为{expected}，而非{found}：{value}"},
    "contract_unknown_type": {"en": "field type '{type}' is not one of: {known}", "zh": "字段类型“{type}”不在以下之列：{known}"},
    "contract_bad_pattern": {
        "en": "pattern '{pattern}' is not a valid regular expression (error at character {position})",
        "zh": "pattern“{pattern}”不是有效的正则表达式（第 {position} 个字符处出错）",
    },
    "contract_constraint": {"en": "constraint '{key}' does not apply to a {type} field", "zh": "约束“{key}”不适用于 {type} 字段"},
    "contract_duplicate": {
        "en": "{what} '{name}' is declared twice (first on line {first_line})",
        "zh": "{what}“{name}”重复声明（首次见第 {first_line} 行）",
    },
    "contract_reference": {"en": "refers to {resource}.{field}, which the descriptor does not declare", "zh": "引用的 {resource}.{field} 未在描述文件中声明"},
    "resource_path_outside": {
        "en": "path '{path}' is not a file inside the data folder: give a relative path without '..'; nothing outside is read",
        "zh": "路径“{path}”不在数据文件夹内：请使用不含“..”的相对路径；文件夹以外的文件一概不读",
    },
    "file_empty": {"en": "file is empty: a header row is expected", "zh": "文件为空：应有表头行"},
    "no_rows": {"en": "file has a header but no data rows", "zh": "文件只有表头，没有数据行"},
    "not_utf8": {
        "en": "not UTF-8: byte {byte} cannot be decoded; {guess}. Save the file as 'CSV UTF-8 (comma delimited)'",
        "zh": "不是 UTF-8 编码：字节 {byte} 无法解码；{guess}。请另存为“CSV UTF-8（逗号分隔）”",
    },
    "guess_gbk": {
        "en": "the file reads as GBK/GB18030, the encoding Excel uses for plain 'CSV' on Chinese Windows",
        "zh": "该文件可按 GBK/GB18030 解码，这是中文版 Windows 下 Excel 另存为普通“CSV”时使用的编码",
    },
    "guess_unknown": {"en": "the encoding is not recognised", "zh": "无法识别其编码"},
    "guess_utf16": {
        "en": "the file is UTF-16 (NUL bytes between the characters), as Excel's 'Unicode Text' writes it",
        "zh": "该文件为 UTF-16 编码（字符之间有 NUL 字节），Excel 另存为“Unicode 文本”时使用此编码",
    },
    "json_object": {"en": "an object {{…}}", "zh": "对象 {{…}}"},
    "json_array": {"en": "a list […]", "zh": "列表 […]"},
    "json_string": {"en": "a string", "zh": "字符串"},
    "json_number": {"en": "a number", "zh": "数字"},
    "json_boolean": {"en": "true or false", "zh": "true 或 false"},
    "json_null": {"en": "null", "zh": "空值 null"},
    "json_not_finite": {"en": "NaN or Infinity, which JSON does not allow", "zh": "NaN 或 Infinity（JSON 不允许）"},
    "contract_resource": {"en": "resource", "zh": "资源"},
    "contract_field": {"en": "field", "zh": "字段"},
    "json_string_or_array": {"en": "a string or a list of strings", "zh": "字符串或字符串列表"},
    "csv_syntax": {"en": "malformed CSV: {error}", "zh": "CSV 格式错误：{error}"},
    "unclosed_quote": {
        "en": "the quoted cell that starts here (field {column}) is never closed: this row is left out and reading resumes on the next line",
        "zh": "从此处（第 {column} 个字段）开始的带引号单元格没有闭合：该行不予读取，从下一行继续",
    },
    "missing_column": {"en": "required column '{column}' is missing from the header", "zh": "表头缺少必需的列“{column}”"},
    "unknown_column": {
        "en": "column '{column}' is not in the schema (data/datapackage.json); misspelt, or add it to the schema",
        "zh": "列“{column}”不在数据结构定义（data/datapackage.json）中：拼写错误，或须先加入定义",
    },
    "duplicate_column": {"en": "column '{column}' appears twice in the header", "zh": "表头中列“{column}”重复"},
    "field_count": {"en": "row has {found} fields, the header has {expected}", "zh": "该行有 {found} 个字段，表头有 {expected} 个"},
    "required": {"en": "a value is required", "zh": "此项必填"},
    "type": {"en": "'{value}' is not {type_name}", "zh": "“{value}”不是{type_name}"},
    "non_ascii_digit": {
        "en": "'{value}' contains '{char}' ({name}), which is not an ASCII digit: type numbers with 0-9",
        "zh": "“{value}”含有“{char}”（{name}），不是 ASCII 数字：数字请用 0-9 输入",
    },
    "formula_like": {
        "en": "'{value}' starts with {char}, which a spreadsheet runs as a formula: a text cell must not start with =, +, -, @, a tab or a line break",
        "zh": "“{value}”以 {char} 开头，电子表格会把它当作公式执行：文本单元格不得以 =、+、-、@、制表符或换行开头",
    },
    "type_integer": {"en": "a whole number", "zh": "整数"},
    "type_number": {"en": "a number (digits, '.' for decimals, no thousands separators)", "zh": "数字（小数点用“.”，不加千位分隔符）"},
    "type_boolean": {"en": "true or false", "zh": "true 或 false"},
    "type_year": {"en": "a four-digit year", "zh": "四位数年份"},
    "enum": {"en": "'{value}' is not one of: {allowed}", "zh": "“{value}”不在允许值之列：{allowed}"},
    "pattern": {"en": "'{value}' does not have the expected form ({pattern})", "zh": "“{value}”格式不符（{pattern}）"},
    "minimum": {"en": "{value} is below the minimum {limit}", "zh": "{value} 小于最小值 {limit}"},
    "maximum": {"en": "{value} is above the maximum {limit}", "zh": "{value} 大于最大值 {limit}"},
    "duplicate_key": {"en": "duplicate {column} '{value}' (first at line {first_line})", "zh": "{column}“{value}”重复（首次出现在第 {first_line} 行）"},
    "unknown_reference": {"en": "'{value}' is not a {ref_column} in {ref_file}", "zh": "“{value}”不是 {ref_file} 中的 {ref_column}"},
    "source_missing": {"en": "source document {source} is missing from {folder}", "zh": "{folder} 中缺少原文件 {source}"},
    "checksum": {
        "en": "SHA-256 of {source} is {actual}, the table says {expected}: the source was edited or replaced",
        "zh": "{source} 的 SHA-256 为 {actual}，表中记为 {expected}：原文件已被修改或替换",
    },
    "quote_not_found": {
        "en": "quote is not in {source}: the first {matched} characters match (…{context}), then the source has {found} where the quote has {expected}",
        "zh": "引文不在 {source} 中：前 {matched} 个字符相符（…{context}），之后原文为 {found}，引文为 {expected}",
    },
    "quote_not_found_at_all": {"en": "quote is not in {source}; not even its first character occurs", "zh": "引文不在 {source} 中，连首字符都未出现"},
    "end_of_document": {"en": "the end of the document", "zh": "文末"},
    "value_text_not_in_quote": {"en": "value_text '{text}' is not part of the quote", "zh": "value_text“{text}”不在引文中"},
    "value_unreadable": {"en": "cannot read a quantity from value_text '{text}': {error}", "zh": "无法从 value_text“{text}”读出数量：{error}"},
    "value_mismatch": {"en": "value_text '{text}' reads as {parsed}, but {column} is {value}", "zh": "value_text“{text}”读作 {parsed}，但 {column} 为 {value}"},
    "bound_mismatch": {"en": "value_text '{text}' implies {expected}, but {column} is {value}", "zh": "value_text“{text}”意味着 {expected}，但 {column} 为 {value}"},
    "formula_missing": {"en": "a derived row needs a formula", "zh": "推算行须给出公式"},
    "formula_not_derived": {"en": "formula given but is_derived is false", "zh": "给出了公式，但 is_derived 为 false"},
    "formula_syntax": {
        "en": "formula '{formula}' is not arithmetic: only numbers, [row id], + - * /, round() and brackets, or count(name;name)",
        "zh": "公式“{formula}”不是算式：只能含数字、[行编号]、+ - * /、round() 与括号，或 count(名称;名称)",
    },
    "formula_reference": {"en": "the formula refers to [{reference}], which is not a row of this table with a value", "zh": "公式引用的 [{reference}] 不是本表中有数值的行"},
    "formula_division_by_zero": {"en": "formula '{formula}' divides by zero", "zh": "公式“{formula}”除以零"},
    "formula_overflow": {"en": "formula '{formula}' gives a number too large to compute", "zh": "公式“{formula}”的结果过大，无法计算"},
    "formula_too_long": {"en": "the formula has {length} characters; at most {limit} are checked", "zh": "公式有 {length} 个字符，最多检查 {limit} 个"},
    "formula_number_too_long": {"en": "the number {number} in the formula has {digits} digits; at most {limit}", "zh": "公式中的数字 {number} 有 {digits} 位，最多 {limit} 位"},
    "formula_mismatch": {"en": "formula gives {computed}, but value is {value}", "zh": "公式得 {computed}，但 value 为 {value}"},
    "formula_operand": {
        "en": "the quoted operand {operand} (from '{text}') does not appear in the formula '{formula}'",
        "zh": "引文中的运算数 {operand}（来自“{text}”）未出现在公式“{formula}”中",
    },
    "count_name_not_in_quote": {"en": "'{name}' in count() is not in the quote", "zh": "count() 中的“{name}”不在引文中"},
    "year_outside": {"en": "{column} {year} is outside {low}-{high}, {why}", "zh": "{column} {year} 超出 {low}-{high}（{why}）"},
    "why_plan_period": {"en": "the period {doc_id} plans for", "zh": "{doc_id} 的规划期"},
    "why_review": {"en": "the years {doc_id} reports on (reports_from to the year of issue)", "zh": "{doc_id} 回顾的年份（reports_from 至发布年）"},
    "why_baseline": {"en": "baselines lie before the target year and no later than the year of issue", "zh": "基线须早于目标年且不晚于发布年"},
    "why_milestone": {"en": "a goal lies no earlier than the year of issue", "zh": "目标年不应早于发布年"},
    "no_review": {"en": "{doc_id} has no review of outcomes (its reports_from is empty)", "zh": "{doc_id} 没有成效回顾（reports_from 为空）"},
    "period_order": {"en": "period_start {start} is after period_end {end}", "zh": "period_start {start} 晚于 period_end {end}"},
    "period_required": {"en": "{indicator} is summed over a period: {column} is required", "zh": "{indicator} 为期间累计指标：须填 {column}"},
    "period_not_allowed": {"en": "{indicator} is a {measure_type} indicator: leave the period empty", "zh": "{indicator} 为 {measure_type} 类指标：期间应留空"},
    "undated": {"en": "neither year nor period_end is given: say in notes why the figure is undated", "zh": "未填 year 或 period_end：须在 notes 中说明为何无日期"},
    "region_mismatch": {"en": "region '{region}' differs from the region of {doc_id} ('{doc_region}')", "zh": "地区“{region}”与 {doc_id} 的地区（“{doc_region}”）不一致"},
    "baseline_incomplete": {
        "en": "baseline_year, baseline_value and baseline_outcome_id go together: {missing} is empty",
        "zh": "baseline_year、baseline_value 与 baseline_outcome_id 须同时填写：{missing} 为空",
    },
    "baseline_mismatch": {"en": "baseline {column} is {value}, but {outcome_id} has {other}", "zh": "基线 {column} 为 {value}，但 {outcome_id} 为 {other}"},
    "restates_chain": {"en": "{target_id} is itself a restatement: point to the canonical target", "zh": "{target_id} 本身是复述行：应指向原始目标"},
    "restates_mismatch": {"en": "restates {target_id} but {column} differs ({value} vs {other})", "zh": "复述 {target_id}，但 {column} 不同（{value} 对 {other}）"},
    "restates_value": {
        "en": "restates {target_id} as {form} {value}, which does not match its {expected}; cite the source problem in problem_ids if the document really says so",
        "zh": "以 {form} {value} 复述 {target_id}，与其 {expected} 不符；若原文确实如此，请在 problem_ids 中注明问题编号",
    },
    "duplicate_statement": {"en": "same statement as line {first_line} (source, indicator, quote and value_text)", "zh": "与第 {first_line} 行为同一表述（来源、指标、引文与 value_text 均相同）"},
    "lineage_mismatch": {"en": "lineage '{value}' disagrees with indicator_lineage.csv, which gives '{expected}'", "zh": "lineage“{value}”与 indicator_lineage.csv 不一致，后者为“{expected}”"},
    "not_in_text": {"en": "'{value}' is not part of the unit's text", "zh": "“{value}”不在该单元的文本中"},
    "code_dimension": {"en": "code '{code}' belongs to dimension {expected}, not {found}", "zh": "编码“{code}”属于维度 {expected}，而非 {found}"},
    "primary_count": {"en": "{unit} has {count} primary {dimension} codes; exactly one is needed", "zh": "{unit} 有 {count} 个主要 {dimension} 编码，应恰好一个"},
    "parent_rule": {"en": "a {dimension} code {rule}", "zh": "{dimension} 编码{rule}"},
    "primary_not_most": {
        "en": "{unit}: the primary {dimension} code {code} takes {count} sentences, but {other} takes {other_count} (codebook rule_primary)",
        "zh": "{unit}：主要 {dimension} 编码 {code} 取 {count} 句，而 {other} 取 {other_count} 句（编码手册 rule_primary）",
    },
    "sentence_twice": {
        "en": "{unit}: sentence {sentence} takes more than one {dimension} code (codebook rule_sentence: one per sentence)",
        "zh": "{unit}：第 {sentence} 句取了多个 {dimension} 编码（编码手册 rule_sentence：每句一个）",
    },
    "rule_subtype_parent": {"en": "needs an instrument_type as parent_code", "zh": "须以 instrument_type 编码为 parent_code"},
    "rule_no_parent": {"en": "takes no parent_code", "zh": "不应有 parent_code"},
    "unsafe_file_name": {
        "en": "'{name}' is not a plain file name in {folder}: no folders, '..' or drive, and no link leading out of the data folder",
        "zh": "“{name}”不是 {folder} 中的普通文件名：不得含文件夹、“..”或盘符，也不得经链接指向数据文件夹以外",
    },
    "after_publication": {"en": "{column} {year} is after {source_id} was published ({date})", "zh": "{column} {year} 晚于 {source_id} 的发布日期（{date}）"},
    "retrieved_before_published": {"en": "date_retrieved {retrieved} is before date_published {published}", "zh": "date_retrieved {retrieved} 早于 date_published {published}"},
    "unit_mismatch": {
        "en": "value_text '{text}' counts in {unit}, but {indicator} is counted in {indicator_unit} (accepted: {accepted})",
        "zh": "value_text“{text}”的单位是{unit}，但 {indicator} 以{indicator_unit}计（可接受：{accepted}）",
    },
    "unit_base_missing": {
        "en": "value_text '{text}' counts in {unit}, but {indicator} is counted in {indicator_unit} and the quote does not name the base ({bases})",
        "zh": "value_text“{text}”的单位是{unit}，但 {indicator} 以{indicator_unit}计，而引文未写明基数（{bases}）",
    },
    "unit_unknown": {"en": "unit '{unit}' is not one the quantity parser reads: {known}", "zh": "单位“{unit}”不是数量解析器可读的单位：{known}"},
    "doc_years": {"en": "target_year {target_year} is outside the period {start}-{end}", "zh": "target_year {target_year} 超出规划期 {start}-{end}"},
    "level_mismatch": {"en": "level '{level}' differs from the level of region {region} in regions.csv ('{region_level}')", "zh": "级别“{level}”与 regions.csv 中地区 {region} 的级别（“{region_level}”）不一致"},
    "no_parent_plan": {
        "en": "{doc_id} is a district plan of {region}, but its city {parent} has no plan for the {period} period to compare it with: add that plan, or correct plan_period or region",
        "zh": "{doc_id} 是 {region} 的区级规划，但其上级 {parent} 没有 {period} 时期的规划可供比较：请补充该规划，或更正 plan_period 或 region",
    },
    "alternative_unregistered": {"en": "an alternative reading needs the registered problem that allows it: cite it in problem_ids", "zh": "另一种解读须有登记的问题为依据：请在 problem_ids 中注明"},
    "evidence_not_later": {"en": "{evidence} (issued {evidence_date}) cannot be evidence for a goal of {doc_id} (issued {date}): evidence comes from a later document", "zh": "{evidence}（{evidence_date} 发布）不能作为 {doc_id}（{date} 发布）所定目标的依据：依据须来自其后发布的文件"},
    "later_document_exists": {"en": "no_later_document, but {doc_id} is issued later: say whether it reports on the goal (not_reported if it is silent)", "zh": "标为 no_later_document，但 {doc_id} 发布在后：请说明该文件是否提及此目标（未提及则为 not_reported）"},
    "commitment_restatement": {"en": "restates {target_id}, whose commitment is {expected}, but commitment_id is {value}", "zh": "复述 {target_id}（其承诺为 {expected}），但 commitment_id 为 {value}"},
    "commitment_mismatch": {
        "en": "commitment {commitment} is stated at line {first_line} with {column} {other}, here {value}: only identical targets share a commitment",
        "zh": "承诺 {commitment} 在第 {first_line} 行的 {column} 为 {other}，此处为 {value}：只有完全相同的目标才共用一个承诺",
    },
    "commitment_split": {
        "en": "same target as line {first_line} (region, indicator, year, period, value, bound and form), which has commitment {other}, not {value}: identical targets of one government for one year share one commitment_id",
        "zh": "与第 {first_line} 行为同一目标（地区、指标、年份、期间、数值、界限与形式均相同），该行承诺为 {other} 而非 {value}：同一政府同一年份的相同目标应共用一个 commitment_id",
    },
    "cited_not_affected": {
        "en": "{row_id} cites {problem_id}, but the register's affects for {problem_id} does not name {row_id}: add it there, or drop the citation",
        "zh": "{row_id} 引用了 {problem_id}，但问题登记表中 {problem_id} 的 affects 未列出 {row_id}：请在该处补上，或删去此引用",
    },
    "affected_not_citing": {
        "en": "{problem_id} affects {row_id}, but that row's problem_ids in {file} do not cite {problem_id}: cite it there, or drop it from affects",
        "zh": "{problem_id} 的 affects 列出了 {row_id}，但 {file} 中该行的 problem_ids 未引用 {problem_id}：请在该行补上，或从 affects 中删去",
    },
    "parent_level": {"en": "{region} ({level}) cannot belong to {parent} ({parent_level}): a region belongs to one of a higher level", "zh": "{region}（{level}）不能隶属于 {parent}（{parent_level}）：地区只能隶属于更高一级的地区"},
}

# Keys that are parts of a message (a type name, a reason, an encoding guess), passed as Text; every other key is a
# problem kind, and each kind has a test that provokes it (tests/test_validation_kinds.py).
FRAGMENTS = frozenset({
    "type_integer", "type_number", "type_boolean", "type_year", "guess_gbk", "guess_unknown", "guess_utf16",
    "end_of_document", "json_object", "json_array", "json_string", "json_number", "json_boolean", "json_null",
    "json_string_or_array", "json_not_finite", "contract_resource", "contract_field",
    "why_plan_period", "why_review", "why_baseline", "why_milestone", "rule_subtype_parent", "rule_no_parent",
})
PROBLEM_KINDS = tuple(key for key in MESSAGES if key not in FRAGMENTS)


@dataclass(frozen=True)
class Problem:
    """One located problem in a data folder."""

    file: str
    line: int | None
    column: str | None
    key: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "en") -> str:
        params = {k: printable(localise(v, lang)) for k, v in self.params.items()}
        return MESSAGES[self.key][lang].format(**params)

    def format(self, lang: str = "en") -> str:
        line = "-" if self.line is None else str(self.line)
        return f"{self.file}:{line}: {self.column or '-'}: {self.message(lang)}"


class ProblemLog:
    """Collects the located problems of one validation run: the one way readers and rules report a problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int | None, column: str | None, key: str, /, **params) -> None:
        self.problems.append(Problem(file, line, column, key, params))


class Report(Protocol):
    """Reports a problem in one row (file and line already bound): ``report(column, key, **params)``."""

    def __call__(self, column: str | None, key: str, /, **params) -> None: ...


@dataclass(frozen=True)
class Text:
    """A message fragment that is itself translated (an encoding guess, a reason)."""

    key: str
    params: tuple = ()


def printable(value):
    """A value as it can be printed in one line: control characters (NUL, tab, line breaks) shown escaped."""
    if not isinstance(value, str):
        return value
    return "".join(repr(ch)[1:-1] if ord(ch) < 32 or ord(ch) == 127 else ch for ch in value)


def localise(value, lang: str):
    """Translate nested message fragments; leave data values as they are."""
    if isinstance(value, Text):
        return MESSAGES[value.key][lang].format(**dict(value.params))
    return value
