"""Candidate rows for a new plan text, for a curator to confirm (README: "Adding a document").

``extract(text, doc_id, reference)`` proposes every number of the text: a quantity gets its quote (the clause it sits
in), ``value_text``, value in base units, unit, proposed kind (target or reported outcome), year, bound, the 〔〕
cumulative flag, relative forms (比…增长, 翻一番, 倍, 高出) as derived candidates with a formula, and the indicator of
the reference catalogue whose name best matches the words before the number; any other number gets the reason it is
not a quantity (date, document number, heading ...). Lists of named units (甲、乙成为…) become derived counts, numbered
clauses become candidate policy units with a pre-coded instrument and stage, and indicator tables are read by column.

The rules are general (number forms, cue words, headings, table layouts) and read only the reference catalogue
(indicators, codebook, keywords), never the curated rows: ``evaluate`` measures them on the curated documents.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .coverage import excluded_spans
from .dataset import Dataset
from .instruments import UNCODED, parse_agency_clause, precode_text
from .provenance import DERIVED_TOLERANCE, same_number
from .quantities import UNITS, Quantity, QuantityParseError, parse_quantity

TARGET, OUTCOME, NOT_QUANTITY = "target", "outcome", "not_quantity"
BOM = "\ufeff"

# -- number forms
_UNIT = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
_SPACE = "[ \u3000]?"
ARABIC = re.compile(r"\d+(?:\.\d+)?")
# What may follow the digits inside value_text: 万/亿, 余/多, a counting unit, a bound (5 万件, 5000 余册, 30%以上).
_TAIL = re.compile(rf"{_SPACE}[万亿]?{_SPACE}(?:余|多)?{_SPACE}(?:{_UNIT})?(?:以上|左右|余|多)?")
_BOUND_BEFORE = re.compile(rf"(?:保持|超过|突破|高于|近|约){_SPACE}$")
CHINESE_FORMS = re.compile(
    r"翻[一两二三四五六七八九]番|零突破|(?:近|约)?[一两二三四五六七八九十]+倍|第[一二三四五六七八九十]+位?"
    rf"|(?:保持|超过|突破|近|约)万(?:{_UNIT})"
)
RANK_CUE = re.compile(r"(?:位居|位列|居|排名|排|列)[^，。；]{0,6}$")

# -- what is not a quantity (beyond coverage.NOT_QUANTITIES); each pattern is tried around the number
NOT_QUANTITY_AFTER = (
    ("date", re.compile(r"\s*(?:年|月|日|号|时)")),
    ("date", re.compile(r"[.\-/—－]\d{1,2}(?:[.\-/]\d{1,2})?(?!\d)")),
    ("label or slogan", re.compile(r"\+")),
    ("name or code", re.compile(r"[A-Za-z]")),
)
NOT_QUANTITY_BEFORE = (
    ("ordinal", re.compile(r"第\s*$")),
    ("heading or list number", re.compile(r"(?:表|图|附件|附表|专栏)\s*$")),
    ("label or slogan", re.compile(r"\+$")),
    ("name or code", re.compile(r"[A-Za-z/]\s*$")),
    ("document number or standard", re.compile(r"[〔\[]\d{4}[〕\]]\s*$")),
)
HEADING_NUMBER = re.compile(r"(?m)^[\s\u3000]*(?:\d+[．.、](?!\d)|[（(]\d+[）)]|专栏\s*\d+)")
# A table-of-contents line: a title, then dots or a tab, then a page number.
PAGE_NUMBER = re.compile(r"(?m)^[ \t\u3000]*\S.*?(?:\.{3,}|…{2,}|\t)\s*\d+[ \t]*$")
HOTLINE_CUE = re.compile(r"热线|电话|举报|服务号")
NAMED_DAY = re.compile(r"\d{1,2}[.·]\d{1,2}[”\"]?\S{0,10}?[日节周]")

# -- cue words
TARGET_YEAR = re.compile(r"(?:到|至|截至|截止|力争到|力争|争取到|预计到|计划到)\s*(\d{4})\s*年")
ANY_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
RELATIVE_YEAR = re.compile(r"(?:比|较|由|与|是)\s*\d{4}\s*年")
# A sentence that opens with its year ("2020年，我市…") dates the sentences after it in the paragraph.
OPENING_YEAR = re.compile(r"(?:^|[。；])\s*(\d{4})\s*年(?:末|底)?\s*[，,]")
SINCE_YEAR = re.compile(r"(?:自|从)?\s*(\d{4})\s*年(?:以来|至今|至期末|起)")
PLAN_PERIOD = re.compile(r"“?十([一二三四五六七八九])五”?(?:时期|期间|期末|末|规划期)?")
TARGET_CUES = ("力争", "争取", "确保", "预计", "计划", "目标", "将", "培育", "打造", "新增", "建成一批", "实现", "达到")
OUTCOME_CUES = ("已", "先后", "获批", "获得", "建成", "成为", "位居", "现存", "以来", "期末", "末，", "共", "增至",
                "拥有", "累计", "完成", "了")
# A section reviewing the past (its numbers are outcomes, its clauses are not policy units); judged on the top two
# heading levels, since a task may well be called 夯实…基础.
REVIEW_SECTION = re.compile(r"基础|回顾|成效|成就|进展|现状|形势")
PLAN_SECTION = re.compile(r"目标|任务|工程|专栏|举措|重点|措施|保障|指标|要求|行动")
INCREMENT_CUE = re.compile(r"(?:新增|再培育|增加|新培育|新建)[^，。；]{0,20}$")

# -- relative forms: (kind, pattern on the clause before the number); the reference (year or region) is group "ref"
RELATIVE_BEFORE = (
    ("growth", re.compile(r"(?:比|较|与)(?P<ref>[^，。；]{0,16}?)(?:相比)?"
                          r"(?P<verb>增长|提高|增加|上升|下降|减少|降低)了?(?:近|约)?$")),
    ("difference", re.compile(r"(?:比|较)(?P<ref>[^，。；]{0,16}?)(?P<verb>高出|多出|超出|高|多|低|少)(?:近|约)?$")),
    ("times", re.compile(r"是(?P<ref>[^，。；]{0,16}?)的$")),
    ("doubling", re.compile(r"(?:比|较)(?P<ref>[^，。；]{0,16}?)$")),
)
DECREASE = ("下降", "减少", "降低", "低", "少")

# -- named units counted by the curator (甲、乙先后获批…): the list sits before a recognition verb, or after 建成 before 等
RECOGNITION = re.compile(r"(?:先后|成功|均|分别)?(?:获批|获评|被评为|被认定为|被命名为|入选|申报为|申报|成为)")
NAMED_LIST = re.compile(r"[\u4e00-\u9fff“”A-Za-z（）()]{2,20}(?:(?:、|和|及)\s*[\u4e00-\u9fff“”A-Za-z（）()]{2,20}){0,9}")
BUILT_EXAMPLES = re.compile(r"建成(?P<names>[\u4e00-\u9fff“”]{4,20}?)等")
# ... or after a founding verb, the whole clause (在区政务服务中心设立商标受理窗口; 联合挂牌成立甲、乙)
FOUNDED = re.compile(
    r"(?:挂牌成立|成立|设立)(?P<names>[\u4e00-\u9fff“”（）]{4,40}(?:、[\u4e00-\u9fff“”（）]{4,40})*)(?=[，。；])"
)
LIST_LEAD = re.compile(r"^(?:培育|确定|推动|支持|指导|引导|其中|我区|我市|全区|全市|区内|市内)+")

# -- headings and clauses
HEADING_FORMS = (
    (1, re.compile(r"([一二三四五六七八九十]+)、")),
    (2, re.compile(r"[（(]([一二三四五六七八九十]+)[）)]")),
    (3, re.compile(r"(\d+)[．.](?!\d)")),
    (4, re.compile(r"专栏\s*(\d+|[一二三四五六七八九十]+)")),
)
ITEM = re.compile(r"(?:^|(?<=[。；]))[ \t\u3000]*([一二三四五六七八九十]+)是", re.M)
SIGNATURE = re.compile(r"\n[ \t\u3000]*[\u4e00-\u9fff（）()]{2,30}[ \t\u3000]*\n[ \t\u3000]*\d{4}\s*年\s*\d{1,2}\s*月"
                       r"(?:\s*[\d０-９]{1,2}\s*日)?[ \t\u3000]*(?:\n|$)")
CLAUSE_MARKS = "，,；;。！？!?：:\t"
SENTENCE_MARKS = "；;。！？!?"
FINAL_MARKS = "。；;！？!?：:"
PART_BY_TITLE = (("guarantees", re.compile(r"保障|实施措施")), ("projects", re.compile(r"工程|项目")),
                 ("goals", re.compile(r"目标|要求|指导思想|思路|原则")), ("tasks", re.compile(r"任务|重点|举措|行动|措施")))


class SourceError(ValueError):
    """A source text that cannot be read as a plan text."""


@dataclass(frozen=True)
class SourceText:
    """A plan text as read: the text, the encoding it was read in, and a note for the user when it was not UTF-8."""

    text: str
    encoding: str
    note: str | None = None


@dataclass
class Candidate:
    """One number of the text: a proposed target or outcome, or (kind not_quantity) the reason it is not one."""

    kind: str
    start: int
    end: int
    value_text: str
    line: int
    reason: str = ""
    value: float | None = None
    stated: float | None = None
    unit: str | None = None
    bound: str | None = None
    cumulative: bool = False
    quote: str = ""
    quote_start: int = 0
    context: str = ""
    section: str = ""
    year: int | None = None
    year_inferred: bool = False
    period_start: int | None = None
    period_end: int | None = None
    target_form: str = "level"
    binding: str | None = None
    derived: str | None = None
    formula: str | None = None
    base: Candidate | None = None
    phrase: str = ""
    indicator_id: str | None = None
    indicator_score: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def is_quantity(self) -> bool:
        return self.kind != NOT_QUANTITY


@dataclass
class UnitCandidate:
    """A numbered clause proposed as a policy unit, with the pre-coder's guess."""

    start: int
    end: int
    number: str
    part: str
    section_path: str
    heading: str
    text: str
    agency_clause: str | None
    lead_agencies: list[str]
    cooperating_agencies: list[str]
    codes: dict[str, str]


@dataclass
class Extraction:
    """Everything proposed for one document."""

    doc_id: str
    text: str
    source_name: str
    encoding_note: str | None
    issue_date: str | None
    issue_year: int | None
    target_year: int | None
    title: str
    doc_number: str | None
    plan_period: str | None
    plan_years: tuple[int, int] | None
    candidates: list[Candidate]
    units: list[UnitCandidate]

    @property
    def quantities(self) -> list[Candidate]:
        return [c for c in self.candidates if c.is_quantity]


# -- reading
def read_source(path: Path) -> SourceText:
    """Read a plan text as UTF-8, else as GBK/GB18030 (with a note); line ends become LF."""
    raw = Path(path).read_bytes()
    notes = []
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise SourceError(f"{Path(path).name}: neither UTF-8 nor GBK/GB18030 (byte {error.start})") from None
        encoding = "gb18030"
        notes.append("read as GBK/GB18030, not UTF-8; it is stored in data/sources/ as UTF-8")
    if text.startswith(BOM):
        text = text[1:]
        notes.append("a byte-order mark was removed")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("CR/LF line ends became LF")
    if bad := re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        line = text.count("\n", 0, bad.start()) + 1
        raise SourceError(f"{Path(path).name}:{line}: control character {bad.group()!r}; remove it from the text first")
    return SourceText(text, encoding, "; ".join(notes) or None)


# -- layout: lines, paragraph breaks, headings, tables
class Layout:
    """Where lines, paragraphs, headings and tables are in a text; quotes are slices of the text itself."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.hard_breaks = self._hard_breaks()
        self.tables = find_tables(text)
        self.table_spans = [(t.start, t.end) for t in self.tables]
        self.headings = self._headings()

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def _hard_breaks(self) -> list[tuple[int, int]]:
        """Runs of line breaks that end a paragraph; a page break inside a sentence (a long line of running text
        ending without punctuation, then blank lines) is not one."""
        breaks = []
        text = self.text
        for match in re.finditer(r"\n(?:[ \t\u3000]*\n)*", text):
            before = text[text.rfind("\n", 0, match.start()) + 1: match.start()]
            line_end = text.find("\n", match.end())
            after = text[match.end(): line_end if line_end >= 0 else len(text)]
            continues = (
                len(before.strip()) >= 20
                and not before.startswith("\t")
                and before.strip()[-1] not in FINAL_MARKS + "”）)"
                and not after.startswith("\t")
                and not _heading_at(after.lstrip(" \u3000"))
                and not after.lstrip().startswith(("——", "注"))
            )
            if not continues:
                breaks.append((match.start(), match.end()))
        return breaks

    def _headings(self) -> list[Heading]:
        found = []
        for line_number, start in enumerate(self.line_starts, 1):
            line = self.line_text(line_number)
            if PAGE_NUMBER.search(line) or self.in_table(start):
                continue
            stripped = line.lstrip(" \t\u3000")
            if heading := _heading_at(stripped):
                level, number, body = heading
                offset = start + len(line) - len(stripped)
                title = re.split(r"[。；]", body, maxsplit=1)[0].strip()
                written = stripped[: len(stripped) - len(body)] + title
                found.append(Heading(offset, level, number, title, written.strip()))
        return found

    def in_table(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.table_spans)

    def is_break(self, offset: int) -> bool:
        """True when offset lies in a paragraph-ending run of line breaks."""
        index = bisect.bisect_right(self.hard_breaks, (offset, len(self.text) + 1)) - 1
        return index >= 0 and self.hard_breaks[index][0] <= offset < self.hard_breaks[index][1]

    def span(self, offset: int, marks: str) -> tuple[int, int]:
        """The clause or sentence (by its marks) around offset, never across a paragraph break or table cell."""
        start = offset
        while start > 0 and self.text[start - 1] not in marks and not self.is_break(start - 1):
            start -= 1
        end = offset
        while end < len(self.text) and self.text[end] not in marks and not self.is_break(end):
            end += 1
        if end < len(self.text) and self.text[end] in "。；;！？!?":
            end += 1
        return start, end

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start] in " \t\n\u3000":
            start += 1
        while end > start and self.text[end - 1] in " \t\n\u3000":
            end -= 1
        return start, end

    def path_at(self, offset: int) -> list[Heading]:
        """The headings that enclose offset, outermost first."""
        path: list[Heading] = []
        for heading in self.headings:
            if heading.start > offset:
                break
            path = [h for h in path if h.level < heading.level] + [heading]
        return path


@dataclass(frozen=True)
class Heading:
    start: int
    level: int
    number: str
    title: str
    written: str


def _heading_at(line: str) -> tuple[int, str, str] | None:
    """(level, normalised number, rest of the line) when a line opens with a heading number."""
    for level, pattern in HEADING_FORMS:
        if match := pattern.match(line):
            rest = line[match.end():]
            if level == 3 and (not rest.strip() or rest.lstrip()[0] in "0123456789%"):
                return None
            number = {1: "{}、", 2: "（{}）", 3: "{}．", 4: "专栏{}"}[level].format(match.group(1))
            return level, number, rest.strip()
    return None


@dataclass
class Cell:
    text: str
    start: int
    end: int


@dataclass
class Table:
    """An indicator table: header cells, data rows, and what each column holds."""

    start: int
    end: int
    title: str
    header: list[Cell]
    rows: list[list[Cell]]
    roles: dict[int, str]
    years: dict[int, int]
    note: str | None


def _cells(text: str, start: int, end: int) -> list[Cell]:
    cells = []
    for match in re.finditer(r"[^\t\n]+", text[start:end]):
        raw = match.group()
        stripped = raw.strip(" \u3000")
        if stripped:
            offset = start + match.start() + raw.index(stripped)
            cells.append(Cell(stripped, offset, offset + len(stripped)))
    return cells


def find_tables(text: str) -> list[Table]:
    """Tables written with tabs: one row per line (cells split by tabs), or one cell per tab-indented line with rows
    separated by blank lines. A table needs a header naming years or indicators and rows of short cells."""
    tables = []
    line_pattern = re.compile(r"(?m)^.*\t.*$")
    blocks: list[list[re.Match]] = []
    previous_end = -2
    for match in line_pattern.finditer(text):
        if PAGE_NUMBER.search(match.group()):
            continue
        if blocks and not text[previous_end: match.start()].strip():
            blocks[-1].append(match)
        else:
            blocks.append([match])
        previous_end = match.end()
    for block in blocks:
        if table := _read_table(text, block):
            tables.append(table)
    return tables


def _read_table(text: str, lines: list[re.Match]) -> Table | None:
    groups: list[list[re.Match]] = [[lines[0]]]
    for previous, match in itertools.pairwise(lines):
        if text[previous.end(): match.start()].count("\n") > 1:
            groups.append([])
        groups[-1].append(match)
    line_cells = [[_cells(text, m.start(), m.end()) for m in group] for group in groups]
    if all(len(cells) <= 1 for group in line_cells for cells in group):
        rows = [[cell for cells in group for cell in cells] for group in line_cells]
    else:
        rows = [cells for group in line_cells for cells in group]
    rows = [row for row in rows if row]
    for index, row in enumerate(rows):
        if len(row) >= 3 and any(re.search(r"\d{4}\s*年|指标|目标|序号|名称", cell.text) for cell in row):
            data = [r for r in rows[index + 1:] if len(r) == len(row)]
            if len(data) < 2 or any(len(cell.text) > 40 or "。" in cell.text for r in data for cell in r):
                return None
            roles, years = _column_roles(row)
            title = " ".join(cell.text for r in rows[:index] for cell in r)
            end = max(cell.end for cell in data[-1])
            note = re.search(r"注[:：][^\n]*", text[end: end + 200])
            return Table(lines[0].start(), end, title, row, data, roles, years, note.group() if note else None)
    return None


def _column_roles(header: list[Cell]) -> tuple[dict[int, str], dict[int, int]]:
    """index, name, attribute, unit, target or baseline per header cell; the year each value column names."""
    roles, years = {}, {}
    for position, cell in enumerate(header):
        year = ANY_YEAR.search(cell.text)
        if year:
            years[position] = int(year.group(1))
        if re.search(r"序号|编号", cell.text):
            roles[position] = "index"
        elif re.search(r"属性|性质|类型|类别", cell.text):
            roles[position] = "attribute"
        elif cell.text.strip() == "单位":
            roles[position] = "unit"
        elif re.search(r"目标|预期|规划", cell.text):
            roles[position] = TARGET
        elif year or re.search(r"基期|基数|现状|基准", cell.text):
            roles[position] = OUTCOME
        elif re.search(r"指标|名称|项目|内容", cell.text):
            roles[position] = "name"
    if TARGET not in roles.values() and len(years) >= 2:
        roles[max(years, key=years.get)] = TARGET
    if "name" not in roles.values():
        free = [p for p in range(len(header)) if p not in roles]
        if free:
            roles[free[0]] = "name"
    return roles, years


# -- document facts
def document_facts(text: str) -> dict:
    """Title (first lines), date of issue (the latest full date), document number near the top, plan period (十N五),
    and the year most targets aim at (到YYYY年)."""
    head = text.strip().split("\n\n", 1)[0]
    title = "".join(line.strip() for line in head.splitlines())
    dates = [(int(y), int(m), d) for y, m, d in re.findall(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:([\d０-９]{1,2})\s*日)?", text)]
    dates += [(int(y), int(m), d) for y, m, d in re.findall(r"发布日期\D{0,3}(\d{4})[.\-](\d{1,2})[.\-](\d{1,2})", text)]
    issue_date, issue_year = None, None
    if dates:
        year, month, day = max(dates, key=lambda d: (d[0], d[1], int(_ascii_digits(d[2]) or 0)))
        issue_year = year
        issue_date = f"{year}-{month:02d}" + (f"-{int(_ascii_digits(day)):02d}" if day else "")
    number = re.search(r"[\u4e00-\u9fff]{2,8}[〔\[]\d{4}[〕\]]\d+号", text[:600])
    period = PLAN_PERIOD.search(title) or PLAN_PERIOD.search(text[:2000])
    target_years = Counter(int(year) for year in TARGET_YEAR.findall(text))
    target_year = max(target_years, key=lambda y: (target_years[y], y)) if target_years else None
    return {
        "title": title,
        "issue_date": issue_date,
        "issue_year": issue_year,
        "doc_number": number.group() if number else None,
        "plan_period": _ordinal(period.group(1)) if period else None,
        "plan_years": plan_years(period.group(1)) if period else None,
        "target_year": target_year,
    }


def _ascii_digits(text: str | None) -> str | None:
    return text.translate(str.maketrans("０１２３４５６７８９", "0123456789")) if text else text


def plan_years(numeral: str) -> tuple[int, int]:
    """The years of the N-th Five-Year Plan (十三五: 2016-2020), from the 3rd plan (1966-1970) on."""
    n = 10 + "一二三四五六七八九".index(numeral) + 1
    start = 1966 + (n - 3) * 5
    return start, start + 4


def _ordinal(numeral: str) -> str:
    n = 10 + "一二三四五六七八九".index(numeral) + 1
    return f"{n}th"


# -- the extractor
def extract(text: str, doc_id: str, reference: Dataset, source_name: str = "", encoding_note: str | None = None,
            precode: bool = True) -> Extraction:
    """Every number of the text as a candidate, the named-unit counts, the table cells, and the policy units (pre-coded
    unless precode is False, which saves the keyword matching when only the numbers are wanted)."""
    layout = Layout(text)
    facts = document_facts(text)
    candidates: list[Candidate] = []
    for table in layout.tables:
        candidates += _table_candidates(layout, table, facts)
    excluded = excluded_spans(text)
    for match in _numbers(text):
        if layout.in_table(match[0]):
            continue
        candidates.append(_prose_candidate(layout, match, excluded, facts))
    candidates.sort(key=lambda c: (c.start, c.end))
    _link_relative(layout, candidates)
    candidates += _named_counts(layout, facts)
    candidates.sort(key=lambda c: (c.start, c.end))
    matcher = IndicatorMatcher(reference.indicators)
    for candidate in candidates:
        if candidate.is_quantity and candidate.base is None:
            candidate.indicator_id, candidate.indicator_score = matcher.best(candidate.phrase, candidate.unit)
    for candidate in candidates:
        if candidate.base is not None:
            candidate.indicator_id, candidate.indicator_score = candidate.base.indicator_id, candidate.base.indicator_score
    return Extraction(doc_id, text, source_name, encoding_note, facts["issue_date"], facts["issue_year"],
                      facts["target_year"], facts["title"], facts["doc_number"], facts["plan_period"], facts["plan_years"],
                      candidates,
                      policy_units(layout, reference, precode))


def _numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, form) of every Arabic number and every quantity written in Chinese (翻一番, 零突破, 第六位, 一倍)."""
    found = [(m.start(), m.end(), "arabic") for m in ARABIC.finditer(text)]
    found += [(m.start(), m.end(), "chinese") for m in CHINESE_FORMS.finditer(text)]
    return sorted(found)


def _value_text(text: str, start: int, end: int, form: str) -> tuple[int, int, Quantity] | None:
    """The widest value_text around a number that parses: bound words, 万/亿, unit, 〔〕."""
    if form == "chinese":
        spans = [(start, end)]
    else:
        tail = _TAIL.match(text, end)
        right = [tail.end(), end] if tail and tail.end() > end else [end]
        before = _BOUND_BEFORE.search(text[max(0, start - 4): start])
        left = [start - len(before.group()), start] if before else [start]
        if text[max(0, start - 1): start] == "第":
            left = [start - 1]
        spans = [(s, e) for s in left for e in right]
    for s, e in spans:
        while e > s and text[e - 1] in " \u3000":
            e -= 1
        if s > 0 and e < len(text) and text[s - 1] == "〔" and text[e] == "〕":
            s, e = s - 1, e + 1
        try:
            return s, e, parse_quantity(text[s:e])
        except QuantityParseError:
            continue
    return None


def _not_quantity_reason(text: str, start: int, end: int, value: tuple | None, excluded: list, layout: Layout) -> str | None:
    for low, high, reason in excluded:
        if low <= start and end <= high:
            return reason
    line = layout.line_text(layout.line_of(start))
    line_start = layout.line_starts[layout.line_of(start) - 1]
    heading = HEADING_NUMBER.match(line)
    if heading and line_start + heading.end() >= end and re.search(r"\d", heading.group()):
        return "heading or list number"
    if PAGE_NUMBER.search(line) and line.rstrip().endswith(text[start:end]):
        return "page number"
    number = text[start:end]
    after, before = text[end: end + 12], text[max(0, start - 12): start]
    if re.fullmatch(r"\d{4}", number) and re.match(r"\s*(?:年|[-—－~至]\s*\d{4})", after):
        return "date"
    for reason, pattern in NOT_QUANTITY_BEFORE:
        if pattern.search(before) and not (reason == "ordinal" and RANK_CUE.search(text[max(0, start - 9): start - 1])):
            return reason
    if value is None or value[2].unit is None:
        for reason, pattern in NOT_QUANTITY_AFTER:
            if pattern.match(after):
                return reason
    if NAMED_DAY.match(text, start):
        return "named day"
    if value is None:
        return "not a quantity form"
    quantity = value[2]
    if quantity.unit is None and not quantity.cumulative and re.fullmatch(r"\d{5,}", number) and \
            HOTLINE_CUE.search(text[max(0, start - 15): end + 15]):
        return "hotline"
    quoted = _enclosing(text, start, "“", "”", 12) or _enclosing(text, start, "《", "》", 60)
    if quoted and quantity.unit is None:
        return "label or slogan"
    return None


def _enclosing(text: str, offset: int, opening: str, closing: str, width: int) -> bool:
    """True when offset lies inside opening…closing within width characters on each side."""
    left = text.rfind(opening, max(0, offset - width), offset)
    if left < 0 or closing in text[left:offset]:
        return False
    right = text.find(closing, offset, offset + width)
    return right >= 0 and opening not in text[offset:right]


def _prose_candidate(layout: Layout, match: tuple[int, int, str], excluded: list, facts: dict) -> Candidate:
    text = layout.text
    start, end, form = match
    value = _value_text(text, start, end, form)
    line = layout.line_of(start)
    if form == "chinese" and value is not None and value[2].kind == "rank" and "位" not in text[start:end] and \
            not RANK_CUE.search(text[max(0, start - 9): start]):
        value = None
    if form == "arabic":
        reason = _not_quantity_reason(text, start, end, value, excluded, layout)
    else:
        reason = None if value else ("ordinal" if text[start] == "第" else "not a quantity form")
    if reason:
        return Candidate(NOT_QUANTITY, start, end, text[start:end], line, reason=reason, context=_context(text, start, end))
    low, high, quantity = value
    candidate = Candidate("", low, high, text[low:high], line, value=quantity.value, stated=quantity.value,
                          unit=quantity.unit, bound=quantity.bound, cumulative=quantity.cumulative)
    _describe(layout, candidate, facts)
    return candidate


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 40): end + 30].replace("\n", "⏎").replace("\t", "⇥")


def _describe(layout: Layout, candidate: Candidate, facts: dict) -> None:
    """Quote, section, year, kind and form of a prose quantity."""
    text = layout.text
    clause_start, clause_end = layout.span(candidate.start, CLAUSE_MARKS)
    sentence_start, sentence_end = layout.span(candidate.start, SENTENCE_MARKS)
    before = re.sub(r"\s", "", text[clause_start: candidate.start])
    if (len(re.findall(r"[\u4e00-\u9fff]", before)) < 4 or re.match(r"(?:比|较|是|为|增长|位居|居|其中)", before)) \
            and clause_start > sentence_start:
        clause_start = layout.span(clause_start - 2, CLAUSE_MARKS)[0]
    quote_start, quote_end = layout.trimmed(clause_start, max(clause_end, candidate.end))
    while quote_end > candidate.end and text[quote_end - 1] in CLAUSE_MARKS:
        quote_end -= 1
    candidate.quote_start, candidate.quote = quote_start, text[quote_start:quote_end]
    candidate.context = text[sentence_start:sentence_end].strip().replace("\t", " ")
    path = layout.path_at(candidate.start)
    candidate.section = " > ".join(h.written for h in path)
    candidate.phrase = _phrase(text, clause_start, clause_end, candidate)
    sentence_before = text[sentence_start: candidate.start]
    if INCREMENT_CUE.search(text[clause_start: candidate.start]):
        candidate.target_form = "increment"
    candidate.kind = _kind(sentence_before, text[sentence_start:sentence_end], path, facts)
    _date(candidate, text, sentence_start, path, layout, facts)


def _phrase(text: str, start: int, end: int, candidate: Candidate) -> str:
    """The words that name what a number counts: its clause without the other numbers' parts."""
    left = max([m.end() for m in ARABIC.finditer(text, start, candidate.start)], default=start)
    right = min([m.start() for m in ARABIC.finditer(text, candidate.end, end)], default=end)
    return text[left: candidate.start] + text[candidate.end: right]


def _kind(before: str, sentence: str, path: list[Heading], facts: dict) -> str:
    """Target or outcome: an explicit year first, then the section, then cue words; a plan's default is a target."""
    issue_year = facts["issue_year"]
    if (year := TARGET_YEAR.search(before)) and (issue_year is None or int(year.group(1)) >= issue_year):
        return TARGET
    years = [int(y) for y in ANY_YEAR.findall(before)]
    if years and issue_year and max(years) < issue_year and not re.search(r"到|力争|争取", before):
        return OUTCOME
    if period := PLAN_PERIOD.search(before):
        end = plan_years(period.group(1))[1]
        if issue_year and end < issue_year:
            return OUTCOME
    for heading in reversed(path):
        if _is_review(heading):
            return OUTCOME
        if PLAN_SECTION.search(heading.title):
            return TARGET
    targets = sum(cue in sentence for cue in TARGET_CUES)
    outcomes = sum(cue in sentence for cue in OUTCOME_CUES)
    return OUTCOME if outcomes > targets else TARGET


def _date(candidate: Candidate, text: str, sentence_start: int, path: list[Heading], layout: Layout, facts: dict) -> None:
    """Year (or period) of a quantity: stated in its sentence, else in its paragraph, else the plan's target year."""
    before = text[sentence_start: candidate.start]
    clause_before = candidate.phrase
    if since := SINCE_YEAR.search(before):
        candidate.period_start = int(since.group(1))
        candidate.notes.append(f"period from the text: {since.group().strip()}")
    if candidate.kind == TARGET:
        if year := TARGET_YEAR.search(before):
            candidate.year = int(year.group(1))
        elif facts["target_year"]:
            candidate.year, candidate.year_inferred = facts["target_year"], True
            candidate.notes.append(f"target year inferred: the plan's goals are set for {facts['target_year']}")
        return
    if (since_from := re.search(r"由\s*(\d{4})\s*年\s*的\s*$", clause_before)) is not None:
        candidate.year = int(since_from.group(1))
        return
    years = ANY_YEAR.findall(RELATIVE_YEAR.sub("", before))
    paragraph_start = max([b for _, b in layout.hard_breaks if b <= sentence_start], default=0)
    opening_years = OPENING_YEAR.findall(text[paragraph_start: sentence_start + 1])
    if years and not since:
        candidate.year = int(years[-1])
    elif opening_years and not since:
        candidate.year = int(opening_years[-1])
        candidate.notes.append(f"year from an earlier sentence of the paragraph ({opening_years[-1]}年，…)")
    elif (period := PLAN_PERIOD.search(text[paragraph_start: candidate.start])) and not since:
        first, last = plan_years(period.group(1))
        if "累计" in before:
            candidate.period_start, candidate.period_end = first, last
        candidate.year = last
        candidate.notes.append(f"year from {period.group()} in the paragraph")


def _table_candidates(layout: Layout, table: Table, facts: dict) -> list[Candidate]:
    text = layout.text
    found = []
    roles = table.roles
    name_at = next((p for p, r in roles.items() if r == "name"), None)
    attribute_at = next((p for p, r in roles.items() if r == "attribute"), None)
    unit_at = next((p for p, r in roles.items() if r == "unit"), None)
    section = " > ".join([h.written for h in layout.path_at(table.start)] + ([table.title] if table.title else []))
    cumulative_note = table.note if table.note and "〔" in table.note else None
    for cell in table.header:
        for year in ANY_YEAR.finditer(cell.text):
            found.append(Candidate(NOT_QUANTITY, cell.start + year.start(1), cell.start + year.end(1), year.group(1),
                                   layout.line_of(cell.start), reason="date", context=cell.text))
    for row in table.rows:
        name = row[name_at] if name_at is not None else row[0]
        multiplier, unit = _unit_in(name.text) or (_unit_in(row[unit_at].text) if unit_at is not None else None) or \
            next((named for cell in table.header if (named := _unit_in(cell.text))), None) or ("", None)
        for position, cell in enumerate(row):
            role = roles.get(position)
            if role == "index" and re.fullmatch(r"\d+", cell.text):
                found.append(Candidate(NOT_QUANTITY, cell.start, cell.end, cell.text, layout.line_of(cell.start),
                                       reason="table row number", context=name.text))
            if role not in (TARGET, OUTCOME):
                continue
            try:
                quantity = parse_quantity(cell.text)
            except QuantityParseError:
                continue
            end = cell.end
            binding = None
            if role == TARGET and attribute_at is not None and attribute_at > position:
                end, binding = row[attribute_at].end, row[attribute_at].text
            candidate = Candidate(
                role, cell.start, cell.end, cell.text, layout.line_of(cell.start), value=quantity.value,
                stated=quantity.value, unit=quantity.unit or (None if multiplier else unit), bound=quantity.bound,
                cumulative=quantity.cumulative,
                quote=text[name.start: end], quote_start=name.start, section=section, binding=binding,
                context=" | ".join(c.text for c in row), phrase=name.text, year=table.years.get(position),
            )
            if role == TARGET and candidate.year is None:
                candidate.year, candidate.year_inferred = facts["target_year"], True
            if quantity.cumulative and cumulative_note:
                candidate.notes.append(f"table note: {cumulative_note}")
            if multiplier:
                candidate.notes.append(f"the table counts in {multiplier}{unit}: {cell.text}{multiplier}{unit} in base units, "
                                       "but value_text reads as the bare number")
            found.append(candidate)
    return found


def _unit_in(text: str) -> tuple[str, str] | None:
    """(multiplier, unit) named by a header or unit cell: 件, （单位：件）, 亿元 ..."""
    match = re.search(rf"[（(](?:单位[:：])?([万亿]?)({_UNIT})[）)]|^([万亿]?)({_UNIT})$", text)
    if not match:
        return None
    return (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))


def _link_relative(layout: Layout, candidates: list[Candidate]) -> None:
    """Mark relative forms as derived: the value they imply for the reference year, from the quantity before them."""
    text = layout.text
    for index, candidate in enumerate(candidates):
        if not candidate.is_quantity or not candidate.quote:
            continue
        clause_start = layout.span(candidate.start, CLAUSE_MARKS)[0]
        before = re.sub(r"\s", "", text[clause_start: candidate.start])
        relation = None
        for kind, pattern in RELATIVE_BEFORE:
            if match := pattern.search(before):
                relation = kind, match
                break
        quantity_kind = "factor" if candidate.unit == "倍" else "amount"
        if relation is None or (relation[0] == "doubling") != candidate.value_text.startswith("翻"):
            continue
        if relation[0] == "times" and quantity_kind != "factor":
            continue
        sentence_start = layout.span(candidate.start, SENTENCE_MARKS)[0]
        base_index = next((i for i in range(index - 1, -1, -1)
                           if candidates[i].is_quantity and candidates[i].derived is None
                           and candidates[i].start >= sentence_start), None)
        _derive(candidate, relation[0], relation[1], candidates, base_index)


def _derive(candidate: Candidate, relation: str, match: re.Match, candidates: list[Candidate], base_index: int | None) -> None:
    x = candidate.stated
    verb = match.groupdict().get("verb") or ""
    down = verb in DECREASE
    if relation == "growth" and candidate.unit == "%":
        formula = f"{{base}} / (1 {'-' if down else '+'} {_number(x)}/100)"
    elif relation == "growth" and candidate.unit == "倍":
        formula = f"{{base}} / (1 + {_number(x)})"
    elif relation in ("growth", "difference") and candidate.unit != "%":
        formula = f"{{base}} {'+' if down else '-'} {_number(x)}"
    elif relation in ("times", "doubling"):
        formula = f"{{base}} / {_number(x)}"
    else:
        return
    candidate.derived, candidate.kind, candidate.target_form = relation, OUTCOME, "level"
    reference = match.group("ref")
    candidate.year, candidate.year_inferred, candidate.period_start, candidate.period_end = None, False, None, None
    if year := ANY_YEAR.search(reference):
        candidate.year = int(year.group(1))
    elif period := PLAN_PERIOD.search(reference):
        candidate.period_start, candidate.period_end = plan_years(period.group(1))
        candidate.year = candidate.period_end
    else:
        candidate.notes.append(f"relative to {reference or 'an unnamed reference'}: the region or year is the curator's call")
    candidate.formula = formula
    if base_index is None:
        candidate.notes.append("no quantity before it in the sentence to derive from")
        candidate.value = None
        return
    base = candidates[base_index]
    candidate.base = base
    values = {"base": base.value}
    candidate.value = round(eval_formula(formula, values), 2) if base.value is not None else None
    if base.kind != OUTCOME:
        candidate.notes.append("derived from a target: the formula language refers to outcomes only")


def eval_formula(formula: str, values: dict[str, float]) -> float:
    """Evaluate one of the formulas above ({base} op number) without eval()."""
    base = values["base"]
    if match := re.fullmatch(r"\{base\} / \(1 ([+-]) ([\d.]+)/100\)", formula):
        return base / (1 + (1 if match.group(1) == "+" else -1) * float(match.group(2)) / 100)
    if match := re.fullmatch(r"\{base\} / \(1 \+ ([\d.]+)\)", formula):
        return base / (1 + float(match.group(1)))
    if match := re.fullmatch(r"\{base\} ([+-/]) ([\d.]+)", formula):
        x = float(match.group(2))
        return {"+": base + x, "-": base - x, "/": base / x}[match.group(1)]
    raise ValueError(formula)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _named_counts(layout: Layout, facts: dict) -> list[Candidate]:
    """Lists of named units with a recognition verb (甲、乙先后获批…; 建成甲等平台), counted as derived outcomes."""
    text = layout.text
    found = []
    for verb in RECOGNITION.finditer(text):
        clause_start = layout.span(verb.start(), CLAUSE_MARKS)[0]
        subject = text[clause_start: verb.start()]
        stripped = subject.strip()
        lead = LIST_LEAD.match(re.sub(r"\s", "", stripped))
        if not stripped or re.search(r"\d|[一二三四五六七八九十两几多]+[家个项所件名批]|一批|若干", stripped):
            continue
        start = clause_start + len(subject) - len(subject.lstrip())
        if lead:
            skipped = 0
            while skipped < lead.end():
                if not text[start].isspace():
                    skipped += 1
                start += 1
        names_text = text[start: verb.start()].rstrip()
        compact = re.sub(r"\s", "", names_text)
        several = len(re.split(r"、|和|及", compact)) > 1
        if not NAMED_LIST.fullmatch(compact) or re.search(r"(?:已经|已|逐渐|正在|将|要|可以|能够|不断|日益|等)$", compact) \
                or (verb.group().endswith("成为") and not (lead or several)):
            continue
        found.append(_count_candidate(layout, start, start + len(names_text), verb.end(), facts))
    for match in (*BUILT_EXAMPLES.finditer(text), *FOUNDED.finditer(text)):
        start = match.start("names")
        found.append(_count_candidate(layout, start, match.end("names"), match.end(), facts))
    return [c for c in found if c is not None]


def _count_candidate(layout: Layout, start: int, end: int, verb_end: int, facts: dict) -> Candidate | None:
    text = layout.text
    names = [re.sub(r"等.*$", "", n.strip()) for n in re.split(r"、|和|及", text[start:end]) if n.strip()]
    if not names or any(len(re.sub(r"\s", "", n)) < 2 for n in names):
        return None
    candidate = Candidate(OUTCOME, start, end, text[start:end], layout.line_of(start), value=len(names),
                          derived="count", formula="count(" + ";".join(names) + ")")
    sentence_start = layout.span(start, SENTENCE_MARKS)[0]
    clause_end = layout.span(verb_end, CLAUSE_MARKS)[1]
    quote_start, quote_end = layout.trimmed(layout.span(start, CLAUSE_MARKS)[0], clause_end)
    candidate.quote_start, candidate.quote = quote_start, text[quote_start:quote_end]
    candidate.context = text[sentence_start: clause_end].strip()
    path = layout.path_at(start)
    candidate.section = " > ".join(h.written for h in path)
    candidate.phrase = text[end:clause_end]
    candidate.kind = _kind(text[sentence_start:start], text[sentence_start:clause_end], path, facts)
    if candidate.kind == TARGET:
        return None
    _date(candidate, text, sentence_start, path, layout, facts)
    candidate.notes.append("derived: the number of units named")
    return candidate


# -- indicators
def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", text)
    return {chars[i: i + 2] for i in range(len(chars) - 1)}


class IndicatorMatcher:
    """Character-bigram match of the words before a number against the catalogue's Chinese names (and the Chinese
    variants quoted in its descriptions and processing notes). The score is the share of the name's bigrams found."""

    def __init__(self, indicators: pd.DataFrame):
        self.entries = []
        for row in indicators.itertuples():
            names = [row.name_zh]
            for column in ("description", "processing_notes"):
                value = getattr(row, column, None)
                if isinstance(value, str):
                    names += [n for n in re.findall(r"[\u4e00-\u9fff（）]{4,}", value)]
            for name in names:
                grams = _bigrams(name)
                if grams:
                    self.entries.append((row.indicator_id, grams, row.unit))

    def best(self, phrase: str, unit: str | None) -> tuple[str | None, float]:
        words = _bigrams(phrase)
        if not words:
            return None, 0.0
        scored = []
        for indicator_id, grams, indicator_unit in self.entries:
            score = len(words & grams) / len(grams)
            if unit and indicator_unit and unit != indicator_unit and not indicator_unit.startswith(unit):
                score *= 0.8
            scored.append((round(score, 2), len(words & grams) / len(words | grams), indicator_id))
        score, _, indicator_id = max(scored)
        return (indicator_id, score) if score > 0 else (None, 0.0)


# -- policy units
def policy_units(layout: Layout, reference: Dataset, precode: bool = True) -> list[UnitCandidate]:
    """Every numbered clause with its own text (up to the next heading), items opened by 一是/二是 split out, and
    review sections (发展基础, 形势) left out; each pre-coded with the reference keyword dictionary."""
    text = layout.text
    headings = layout.headings
    aliases = _agency_aliases(reference)
    units = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start if index + 1 < len(headings) else _body_end(text, heading.start)
        path = layout.path_at(heading.start)
        if any(_is_review(h) for h in path):
            continue
        part = _part(path)
        has_children = index + 1 < len(headings) and headings[index + 1].level > heading.level
        pieces = _items(text, heading.number, heading.start, end)
        has_children = has_children or len(pieces) > 1
        section = " > ".join(h.written for h in path[:-1]) or heading.written
        for number, start, stop in pieces:
            start, stop = layout.trimmed(start, stop)
            body = text[start:stop]
            own = body[len(heading.written):] if number == heading.number else body
            if stop <= start or (number == heading.number and has_children and not re.search(r"[\u4e00-\u9fff]", own)):
                continue
            title = heading.title if number == heading.number else re.split(r"[，。；]", body[len(number):], maxsplit=1)[0]
            unit_section = section if number == heading.number else " > ".join(h.written for h in path)
            clause, lead, cooperating = parse_agency_clause(body, aliases)
            codes = precode_text(reference, body) if precode else {}
            units.append(UnitCandidate(start, stop, number, part, unit_section, title, body, clause, lead, cooperating,
                                       {k: v for k, v in codes.items() if v != UNCODED}))
    return units


def _body_end(text: str, after: int) -> int:
    """The end of the plan's body: before the signature (issuer and date on lines of their own) after the last heading."""
    match = SIGNATURE.search(text, after)
    return match.start() if match else len(text)


def _items(text: str, number: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(number, start, end) pieces of a heading's span: its own text, then 一是/二是 items when a paragraph opens with 一是."""
    first = re.compile(r"(?m)^[ \t\u3000]*一是").search(text, start, end)
    if not first:
        return [(number, start, end)]
    marks = list(ITEM.finditer(text, first.start(), end))
    pieces = [(number, start, first.start())]
    for index, mark in enumerate(marks):
        piece_end = marks[index + 1].start() if index + 1 < len(marks) else end
        pieces.append((f"{mark.group(1)}是", mark.start(1), piece_end))
    return pieces


def _is_review(heading: Heading) -> bool:
    return heading.level <= 2 and bool(REVIEW_SECTION.search(heading.title))


def _part(path: list[Heading]) -> str:
    """box for a 专栏; else by the titles of the enclosing sections; the body of a plan is tasks."""
    if path and path[-1].level == 4:
        return "box"
    for heading in path:
        for part, pattern in PART_BY_TITLE:
            if pattern.search(heading.title):
                return part
    return "tasks"


def _agency_aliases(reference: Dataset) -> dict[str, str]:
    aliases = {}
    for row in reference.agencies.itertuples():
        for alias in (row.aliases or "").split(";") if isinstance(row.aliases, str) else []:
            if alias.strip():
                aliases[alias.strip()] = row.name_zh
    return aliases


# -- measuring the rules on the curated documents
def evaluate(dataset: Dataset) -> pd.DataFrame:
    """Per document, as if it were new: extracting from its text alone, against a catalogue without the indicators only
    it uses. Recall: curated targets and outcomes found among the candidates (same value, the candidate's number inside
    the curated quote); precision: candidates proposed as targets or outcomes that are curated ones; how often the
    proposed kind was the curated table; and how often the suggested indicator was the curated one, among the found
    rows whose indicator another document also uses."""
    rows = []
    for doc in dataset.documents.sort_values("date_issued").itertuples():
        text = dataset.document_texts[doc.doc_id]
        catalogue = _catalogue_without(dataset, doc.doc_id)
        extraction = extract(text, doc.doc_id, replace(dataset, indicators=catalogue), precode=False)
        proposed = extraction.quantities
        hits: set[int] = set()
        row: dict = {"doc_id": doc.doc_id}
        kind_right = indicator_right = indicator_known = 0
        for table, kind, value_column in (("targets", TARGET, "target_value"), ("outcomes", OUTCOME, "value")):
            curated = getattr(dataset, table)
            curated = curated[curated["doc_id"] == doc.doc_id]
            found = 0
            for record in curated.itertuples():
                matches = [i for i, c in enumerate(proposed) if _matches(c, record, value_column, text)]
                hits.update(matches)
                found += bool(matches)
                kind_right += any(proposed[i].kind == kind for i in matches)
                if matches and record.indicator_id in set(catalogue["indicator_id"]):
                    indicator_known += 1
                    indicator_right += any(proposed[i].indicator_id == record.indicator_id for i in matches)
            row[f"{table}_curated"], row[f"{table}_found"] = len(curated), found
        curated_total = row["targets_curated"] + row["outcomes_curated"]
        found_total = row["targets_found"] + row["outcomes_found"]
        row.update({
            "recall": found_total / curated_total if curated_total else 1.0,
            "candidates": len(proposed),
            "true_candidates": len(hits),
            "precision": len(hits) / len(proposed) if proposed else 1.0,
            "kind_right": kind_right / found_total if found_total else 1.0,
            "indicator_right": indicator_right / indicator_known if indicator_known else None,
            "indicator_known": indicator_known,
            "not_quantities": len(extraction.candidates) - len(proposed),
            "policy_units": len(extraction.units),
            "policy_units_curated": int((dataset.policy_units["doc_id"] == doc.doc_id).sum()),
        })
        rows.append(row)
    return pd.DataFrame(rows)


def _catalogue_without(dataset: Dataset, doc_id: str) -> pd.DataFrame:
    """The indicator catalogue less the indicators that only this document's targets and outcomes use."""
    used = pd.concat([dataset.targets[["doc_id", "indicator_id"]], dataset.outcomes[["doc_id", "indicator_id"]]])
    elsewhere = set(used.loc[used["doc_id"] != doc_id, "indicator_id"])
    mine = set(used.loc[used["doc_id"] == doc_id, "indicator_id"])
    return dataset.indicators[~dataset.indicators["indicator_id"].isin(mine - elsewhere)]


def evaluation_markdown(dataset: Dataset) -> str:
    """The evaluation as the Markdown table the README shows."""
    table = evaluate(dataset)
    lines = ["| document | targets found | outcomes found | recall | candidates | real | precision | kind right "
             "| indicator right (of) | not quantities | policy units (curated) |", "|" + "---|" * 11]
    for row in table.itertuples():
        indicator = f"{row.indicator_right:.0%} ({row.indicator_known})" if row.indicator_known else "- (0)"
        lines.append(
            f"| {row.doc_id} | {row.targets_found}/{row.targets_curated} | {row.outcomes_found}/{row.outcomes_curated} "
            f"| {row.recall:.0%} | {row.candidates} | {row.true_candidates} | {row.precision:.0%} | {row.kind_right:.0%} "
            f"| {indicator} | {row.not_quantities} | {row.policy_units} ({row.policy_units_curated}) |"
        )
    return "\n".join(lines)


def missed(dataset: Dataset, doc_id: str) -> pd.DataFrame:
    """The curated targets and outcomes of one document that no candidate matches (what a rule change must find)."""
    text = dataset.document_texts[doc_id]
    proposed = extract(text, doc_id, dataset, precode=False).quantities
    rows = []
    for table, value_column in (("targets", "target_value"), ("outcomes", "value")):
        curated = getattr(dataset, table)
        for record in curated[curated["doc_id"] == doc_id].itertuples():
            if not any(_matches(c, record, value_column, text) for c in proposed):
                rows.append({"table": table, "value": getattr(record, value_column), "value_text": record.value_text,
                             "quote": record.quote})
    return pd.DataFrame(rows, columns=["table", "value", "value_text", "quote"])


def _matches(candidate: Candidate, record, value_column: str, text: str) -> bool:
    """Same value (for a derived row, the same stated number or count) and the candidate's number inside the quote."""
    value = getattr(record, value_column)
    derived = bool(getattr(record, "is_derived", False) is True or getattr(record, "is_derived", False) == 1)
    tolerance = DERIVED_TOLERANCE if derived else 0
    same = candidate.value is not None and (same_number(candidate.value, value) or abs(candidate.value - value) <= tolerance)
    if not same and derived and candidate.derived:
        try:
            same = candidate.stated is not None and same_number(candidate.stated, parse_quantity(record.value_text).value)
        except QuantityParseError:
            same = False
        same = same or candidate.value_text == record.value_text
    if not same:
        return False
    start = text.find(record.quote)
    while start >= 0:
        if start <= candidate.start < start + len(record.quote):
            return True
        start = text.find(record.quote, start + 1)
    return False

