"""Tables for readers, in English and Chinese: labels instead of ids where a reader needs them, numbers written by
``numbers`` (thousands separators, percentages, growth in %), "–" for a missing value, no index column, no NaN.

``formatted`` turns any computed or curated table into such a table of text; ``table_html`` writes it as HTML for the
notebooks and the report, ``latex`` as a booktabs table. How a column is written is decided by its name
(``COLUMNS``), else by what its values are (documents, plan periods, codes ...), else by its dtype.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import comparisons, instruments, numbers, progress
from .dataset import Dataset, period_number
from .numbers import MISSING


@dataclass(frozen=True)
class Column:
    """A column's header in English and Chinese and how its values are written (a key of WRITERS)."""

    en: str
    zh: str
    kind: str = "text"


def _c(en: str, zh: str, kind: str = "text") -> Column:
    return Column(en, zh, kind)


COLUMNS: dict[str, Column] = {
    # ids and labels
    "doc_id": _c("Document", "文件", "label"), "doc_ids": _c("Documents", "文件", "labels"),
    "held_out": _c("Held-out document", "留出文件", "label"), "example_doc_id": _c("Example from", "示例来源", "label"),
    "evidence_doc_id": _c("Evidence from", "证据来源", "label"), "doc_a": _c("Document A", "文件A", "label"),
    "doc_b": _c("Document B", "文件B", "label"),
    "region": _c("Region", "地区", "label"), "district": _c("District", "区", "label"),
    "indicator_id": _c("Indicator", "指标", "label"), "later_indicator_id": _c("Later indicator", "后续指标", "label"),
    "city_indicator_id": _c("City indicator", "市级指标", "label"),
    "indicator_en": _c("Indicator", "指标", "indicator_name"), "indicator_zh": _c("Indicator (Chinese)", "指标"),
    "name_en": _c("Indicator", "指标", "indicator_name"), "name_zh": _c("Indicator (Chinese)", "指标"),
    "label_en": _c("Label", "标签", "document_name"), "label_zh": _c("Label (Chinese)", "标签"),
    "agency_en": _c("Agency", "机构", "agency_name"), "agency_zh": _c("Agency (Chinese)", "机构"),
    "agency_a": _c("Agency A", "机构A", "agency"), "agency_b": _c("Agency B", "机构B", "agency"),
    "target_id": _c("Target", "目标编号", "id"), "target_ids": _c("Targets", "目标编号", "id"),
    "commitment_id": _c("Commitment", "承诺编号", "id"), "district_target_id": _c("District target", "区级目标编号", "id"),
    "city_target_id": _c("City target", "市级目标编号", "id"), "outcome_id": _c("Outcome", "实际值编号", "id"),
    "milestone_id": _c("Goal", "目标编号", "id"), "problem_id": _c("Problem", "问题编号", "id"),
    "source_id": _c("Source", "来源编号", "id"), "code_id": _c("Code", "编码", "id"), "unit_id": _c("Unit", "单元", "id"),
    "baseline_source": _c("Baseline from", "基期值来源", "id"),
    "later_baseline_outcome_id": _c("Baseline outcome id", "基期实际值编号", "id"),
    "before_source": _c("Five years earlier from", "前五年值来源", "id"),
    "during_source": _c("Target-year outcome from", "目标年份实际值来源", "id"),
    "baseline_id": _c("Baseline from", "基期值来源", "id"), "first_reached_id": _c("First reached in", "首次达到依据", "id"),
    "latest_id": _c("Latest from", "最新值来源", "id"), "decided_by_id": _c("Decided by", "判定依据", "id"),
    "theme_id": _c("Theme", "主题", "theme"), "instrument_type": _c("Instrument type", "工具类型", "label"),
    "instrument_subtype": _c("Instrument subtype", "工具子类", "label"), "value_chain_stage": _c("Stage", "环节", "label"),
    "modal_stage": _c("Most frequent stage", "最常见环节", "label"), "parent_code": _c("Parent", "上级编码", "label"),
    "hand_type": _c("Hand: type", "人工：类型", "label"), "precoded_type": _c("Pre-coder: type", "预编码：类型", "label"),
    "hand_subtype": _c("Hand: subtype", "人工：子类", "label"),
    "precoded_subtype": _c("Pre-coder: subtype", "预编码：子类", "label"),
    "hand_stage": _c("Hand: stage", "人工：环节", "label"), "precoded_stage": _c("Pre-coder: stage", "预编码：环节", "label"),
    # words from a fixed vocabulary
    "status": _c("Status", "状态", "label"), "evidence_status": _c("Evidence", "证据状态", "label"),
    "change": _c("Change", "变化", "label"), "relation": _c("Relation", "关系", "label"), "level": _c("Level", "层级", "label"),
    "plan_period": _c("Plan period", "规划期", "label"), "earlier_period": _c("Earlier period", "前一规划期", "label"),
    "later_period": _c("Later period", "后一规划期", "label"), "severity": _c("Severity", "严重程度", "label"),
    "kind": _c("Kind", "类型", "label"), "authority": _c("Authority", "来源权威性", "label"),
    "progress_band": _c("Progress band", "进度等级", "label"), "measure_type": _c("Measure", "计量类型", "label"),
    "bound": _c("Bound", "约束方式", "label"), "ip_type": _c("IP type", "知识产权类型", "label"),
    "estimate": _c("Estimate", "估计方式", "label"), "dimension": _c("Dimension", "维度", "label"),
    "category": _c("Category", "类别", "label"), "grouping": _c("Grouping", "分组方式", "label"),
    "group": _c("Group", "组", "label"), "reason": _c("Reason", "原因", "label"),
    "first_reached_authority": _c("First reached: authority", "首次达到：来源权威性", "label"),
    "decided_by_authority": _c("Decided by: authority", "判定：来源权威性", "label"),
    "latest_authority": _c("Latest: authority", "最新值：来源权威性", "label"),
    "robust": _c("Under every reading", "各种读法均成立", "flag"), "is_derived": _c("Derived", "推算", "flag"),
    "target_year_inferred": _c("Year inferred", "年份为推定", "flag"),
    # numbers
    "target_value": _c("Target", "目标值"), "outcome_value": _c("Outcome", "实际值"), "value": _c("Value", "数值"),
    "baseline_value": _c("Baseline", "基期值"), "district_target": _c("District target", "区级目标"),
    "city_target": _c("City target", "市级目标"), "district_baseline": _c("District baseline", "区级基期值"),
    "city_baseline": _c("City baseline", "市级基期值"), "earlier_target": _c("Earlier-period target", "前一规划期目标"),
    "later_baseline_outcome": _c("Outcome before the later period", "后一规划期基期实际值"),
    "later_target": _c("Later-period target", "后一规划期目标"),
    "first_reached_value": _c("First reached: value", "首次达到：数值"), "latest_value": _c("Latest value", "最新值"),
    "decided_by_value": _c("Decided by: value", "判定：数值"),
    "target_year": _c("Target year", "目标年份", "year"), "baseline_year": _c("Baseline year", "基期年份", "year"),
    "outcome_year": _c("Outcome year", "实际值年份", "year"),
    "later_baseline_year": _c("Baseline year", "基期年份", "year"), "year": _c("Year", "年份", "year"),
    "district_target_year": _c("District target year", "区级目标年份", "year"),
    "city_target_year": _c("City target year", "市级目标年份", "year"),
    "first_reached_year": _c("First reached", "首次达到年份", "year"),
    "progress_status": _c("Status with observations (notebook 05)", "含观测值的状态（笔记本05）", "label"),
    "progress_first_reached_year": _c("First reached (notebook 05)", "首次达到年份（笔记本05）", "year"),
    "latest_year": _c("Latest year", "最新年份", "year"),
    "decided_by_year": _c("Decided by: year", "判定年份", "year"), "date_issued": _c("Issued", "发布日期"),
    "date_published": _c("Published", "发布日期"),
    "attainment_ratio": _c("Outcome / target", "实际值/目标值", "ratio"),
    "distance_covered": _c("Distance covered", "完成进度", "share"),
    "level_ratio": _c("District / city", "区级/市级", "share"),
    "district_share_at_baseline": _c("District share at baseline", "基期区级占比", "share"),
    "latest_share_of_target": _c("Latest / target", "最新值/目标值", "share"),
    "share_reported": _c("Share reported", "报告比例", "share"), "unit_share": _c("Share of units", "单元占比", "share"),
    "character_share": _c("Share of text", "文本占比", "share"),
    "observed_agreement": _c("Observed agreement", "观察一致率", "share"),
    "required_growth": _c("Required growth a year", "所需年均增速", "growth"),
    "realised_growth_during": _c("Realised during the plan", "规划期实际增速", "growth"),
    "realised_growth_before": _c("Realised in the 5 years before", "前五年实际增速", "growth"),
    "district_required_growth": _c("District: required growth", "区级所需增速", "growth"),
    "city_required_growth": _c("City: required growth", "市级所需增速", "growth"),
    "observed_growth": _c("Observed growth a year", "观测年均增速", "growth"),
    "escalation": _c("Escalation (points)", "加码幅度（百分点）", "points"),
    "ambition_ratio": _c("Ambition ratio", "雄心比", "ratio"), "kappa": _c("Kappa", "kappa", "ratio"),
    "kappa_low": _c("95 % low", "95%下限", "ratio"), "kappa_high": _c("95 % high", "95%上限", "ratio"),
    "median_characters": _c("Median characters", "字数中位数", "count"),
    # counts
    "targets": _c("Targets", "目标数", "count"), "n_achieved": _c("Achieved", "已实现", "count"),
    "n_not_achieved": _c("Not achieved", "未实现", "count"), "n_not_comparable": _c("Not comparable", "不可比", "count"),
    "n_not_reported": _c("Not reported", "未报告", "count"), "units": _c("Units", "单元数", "count"),
    "characters": _c("Characters", "字数", "count"), "target_statements": _c("Target statements", "目标表述", "count"),
    "commitments": _c("Commitments", "承诺", "count"), "outcomes": _c("Outcomes", "实际值", "count"),
    "derived_outcomes": _c("Derived outcomes", "推算实际值", "count"), "milestones": _c("Qualitative goals", "定性目标", "count"),
    "statements": _c("Statements", "表述数", "count"), "leads": _c("Leads", "牵头", "count"),
    "joins": _c("Joins", "配合", "count"), "tasks": _c("Tasks", "任务数", "count"),
    "shared_tasks": _c("Shared tasks", "共同任务", "count"), "observations": _c("Observations", "观测值", "count"),
    "derived": _c("Derived", "推算", "count"), "entries": _c("Dictionary entries", "词典条目", "count"),
    "dropped": _c("Dropped", "去掉", "count"), "uncoded": _c("Uncoded", "未编码", "count"),
    "at_modal_stage": _c("At the most frequent stage", "处于最常见环节", "count"), "numbers": _c("Numbers", "数字", "count"),
    "restatements": _c("Restatements", "复述", "count"), "counted": _c("Counted", "计入", "count"),
    "naming_agencies": _c("Naming agencies", "写明责任单位", "count"), "goals": _c("Goals", "目标", "count"),
    "box": _c("Boxes", "专栏", "count"),
    "projects": _c("Projects", "工程", "count"), "guarantees": _c("Guarantees", "保障措施", "count"),
    "line": _c("Line", "行", "year"),
    # text
    "unit": _c("Unit", "单位"), "status_note": _c("What the status rests on", "状态依据（英文）"),
    "note": _c("Note", "说明（英文）"), "notes": _c("Notes", "备注（英文）"), "caveats": _c("Registered problems", "登记问题"),
    "basis": _c("Basis", "比较依据（英文）"), "band_note": _c("Band note", "进度说明（英文）"),
    "refers_to": _c("Refers to", "所指"), "summary": _c("Summary", "摘要（英文）"), "handling": _c("Handling", "处理（英文）"),
    "detail": _c("Detail", "详情（英文）"), "goal_en": _c("Goal", "目标（英文）"), "quote": _c("Quote", "原文"),
    "evidence_quote": _c("Evidence quote", "证据原文"), "evidence_note": _c("Evidence note", "证据说明（英文）"),
    "source_file": _c("Source file", "来源文件"), "title_zh": _c("Title", "标题"), "title_en": _c("Title (English)", "英文标题"),
    "title": _c("Title", "标题"), "publisher": _c("Publisher", "发布者"), "doc_number": _c("Document number", "文号"),
    "definition_en": _c("Definition", "定义（英文）"), "definition_zh": _c("Definition (Chinese)", "定义"),
    "example_quote": _c("Example", "示例"), "dropped_entries": _c("Dropped entries", "去掉的条目"),
    "indicators": _c("Indicators", "指标"), "regions": _c("Regions", "地区"), "years": _c("Years", "年份"),
    "url": _c("URL", "网址"), "context": _c("Context", "上下文"), "number": _c("Number", "数字"),
    "sha256": _c("SHA-256", "SHA-256"),
    "count": _c("Count", "个数", "count"), "section": _c("Section", "章节"), "goal_zh": _c("Goal", "目标"),
}

# Words of the fixed vocabularies (statuses, changes, levels, kinds ...) in English and Chinese.
WORDS: dict[str, tuple[str, str]] = {
    "achieved": ("achieved", "已实现"), "not_achieved": ("not achieved", "未实现"),
    "not_comparable": ("not comparable", "不可比"), "not_reported": ("not reported", "未报告"),
    "not_observed": ("not observed", "无观测值"), "partial": ("partly achieved", "部分实现"),
    "weaker_claim": ("weaker claim", "表述较弱"), "set_again": ("set again", "再次提出"),
    "no_later_document": ("no later document", "无后续文件"),
    "kept": ("kept", "保留"), "redefined": ("redefined", "重新定义"), "dropped": ("dropped", "删除"), "added": ("added", "新增"),
    "narrowed": ("narrowed", "收窄"), "broadened": ("broadened", "放宽"), "replaced": ("replaced", "替代"),
    "aggregation": ("aggregation", "汇总口径"), "component": ("component", "组成部分"),
    "nearest_proxy": ("nearest proxy", "近似替代"), "same": ("same", "相同"),
    "national": ("national", "国家级"), "provincial": ("provincial", "省级"), "city": ("city", "市级"),
    "district": ("district", "区级"), "all": ("all", "全部"),
    "major": ("major", "重大"), "minor": ("minor", "轻微"),
    "internal_disagreement": ("within one document", "文件内部不一致"),
    "cross_document_disagreement": ("between documents", "文件之间不一致"),
    "cross_source_disagreement": ("between sources", "来源之间不一致"),
    "definition_mismatch": ("definitions differ", "口径不同"), "ambiguous_definition": ("ambiguous definition", "定义含糊"),
    "ambiguous_period": ("ambiguous period", "时期含糊"), "series_break": ("series break", "序列断点"),
    "source_error": ("source error", "来源错误"),
    "issuing_body": ("issuing body", "发布机关"), "official_outlet": ("official outlet", "官方媒体"),
    "mirror": ("mirror", "转载"),
    "on_track": ("on track", "按计划推进"), "acceleration_needed": ("acceleration needed", "需加速"),
    "limited_progress": ("limited progress", "进展有限"), "moving_away": ("moving away", "背离目标"),
    "stock": ("stock", "存量"), "annual_flow": ("annual flow", "年度流量"), "period_cumulative": ("period total", "期间累计"),
    "share": ("share", "比重"), "designated_units": ("designated units", "认定单位"), "rank": ("rank", "排名"),
    "reach": ("reach", "达到"), "at_least": ("at least", "不少于"), "more_than": ("more than", "超过"),
    "keep_at": ("keep at", "保持"),
    "patent": ("patent", "专利"), "trademark": ("trademark", "商标"), "copyright": ("copyright", "版权"),
    "geographical_indication": ("geographical indication", "地理标志"), "plant_variety": ("plant variety", "植物新品种"),
    "general": ("general", "综合"),
    "in_sample": ("in-sample", "样本内"), "leave_one_document_out": ("leave one document out", "留一文件外推"),
    "doc_id": ("document", "文件"), "plan_period": ("plan period", "规划期"), "level": ("level", "层级"),
    "target_year_figure": ("target-year figure", "目标年份数字"), "reached_early": ("reached early", "提前达到"),
    "no_figure": ("no figure", "无数字"), "region_not_observed": ("region not observed", "该地区无观测"),
    "linked_only": ("only a linked indicator", "仅有关联指标"), "series_broken": ("series break", "序列断点"),
    "plan_review": ("plan's review", "规划回顾"), "plan_baseline": ("plan's baseline", "规划基期"),
    "observation": ("observation", "观测值"),
    "quoted": ("in a curated quote", "在摘录引文中"), "uncovered": ("not covered", "未覆盖"),
    "heading or list number": ("heading or list number", "标题或序号"), "date": ("date", "日期"),
    "slogan or plan name": ("slogan or plan name", "口号或规划名称"),
    "document number or standard": ("document number or standard", "文号或标准号"), "named day": ("named day", "纪念日"),
    "hotline": ("hotline", "热线"), "meeting number or title": ("meeting number or title", "会议届次或名称"),
    "distinct": ("distinct (commitments)", "不重复（承诺）"),
    "all documents (each commitment once)": ("all documents (each commitment once)", "全部文件（每项承诺计一次）"),
}

# How the values of a table named in `formatted(..., name=...)` are written when its columns do not say.
TABLE_KINDS = {
    "subtype_shares": "share", "type_shares": "share", "stage_shares": "share", "target_profile": "count",
    "change_counts": "count", "keyword_intensity": "intensity", "intensity_by": "intensity",
}


class Labels:
    """Names of the data's things (documents, regions, indicators, codes, themes, agencies, plan periods) in English
    and Chinese, and the fixed vocabularies."""

    def __init__(self, dataset: Dataset | None):
        self._names: dict[str, tuple[str, str]] = {}
        self._indicator_names: dict[str, str] = {}
        self._agencies: dict[str, str] = {}
        self._documents: dict[str, str] = {}
        self._themes: dict[str, tuple[str, str]] = {}
        if dataset is None:
            return
        frames = [
            (dataset.documents, "doc_id", "label_en", "label_zh"), (dataset.regions, "region_id", "name_en", "name_zh"),
            (dataset.indicators, "indicator_id", "name_en", "name_zh"), (dataset.codebook, "code_id", "label_en", "label_zh"),
        ]
        themes = dataset.theme_keywords.drop_duplicates("theme_id")
        self._themes = dict(zip(themes["theme_id"], zip(themes["label_en"], themes["label_zh"], strict=True), strict=True))
        for frame, key, en, zh in frames:
            self._names.update({row[key]: (row[en], row[zh]) for _, row in frame.iterrows()})
        self._indicator_names = dict(zip(dataset.indicators["name_en"], dataset.indicators["name_zh"], strict=True))
        self._agencies = dict(zip(dataset.agencies["name_en"], dataset.agencies["name_zh"], strict=True))
        self._agencies_zh = {zh: en for en, zh in self._agencies.items()}
        self._documents = dict(zip(dataset.documents["label_en"], dataset.documents["label_zh"], strict=True))
        for period in dataset.documents["plan_period"].unique():
            self._names[period] = (f"{period} FYP", _period_zh(period))

    def label(self, value: str, lang: str, theme: bool = False) -> str:
        """The name of an id (of a keyword theme when `theme`) or a vocabulary word; an unknown value as it is,
        underscores as spaces."""
        pair = (self._themes if theme else self._names).get(value) or WORDS.get(value)
        if pair is None:
            return str(value).replace("_", " ") if re.fullmatch(r"[a-z_]+", str(value)) else str(value)
        return pair[1] if lang == "zh" else pair[0]

    def translated(self, value: str, kind: str, lang: str) -> str:
        """An English name (indicator, document label or agency) in `lang`; an agency's Chinese name in English."""
        if kind == "agency":
            return value if lang == "zh" else self._agencies_zh.get(value, value)
        if lang != "zh":
            return value
        table = {"indicator_name": self._indicator_names, "agency_name": self._agencies,
                 "document_name": self._documents}[kind]
        return table.get(value) or WORDS.get(value, (value, value))[1]


def _period_zh(plan_period: str) -> str:
    """'14th' -> “十四五”."""
    tens, units = divmod(period_number(plan_period), 10)
    digits = "零一二三四五六七八九"
    return "“" + ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "") + "五”"


def _write(value, kind: str, lang: str, labels: Labels) -> str:
    """One cell as text."""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value) if value else MISSING
    if numbers.is_missing(value) or (isinstance(value, str) and value == ""):
        return MISSING
    if kind in ("label", "theme"):
        return labels.label(value, lang, theme=kind == "theme")
    if kind == "labels":
        return ("、" if lang == "zh" else "; ").join(labels.label(item, lang) for item in str(value).split(";"))
    if kind in ("indicator_name", "agency_name", "document_name", "agency"):
        return labels.translated(str(value), kind, lang)
    if kind == "flag":
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if kind == "year":
        return str(int(value))
    if kind == "count":
        return numbers.count(value, lang) if float(value).is_integer() else numbers.number(value, lang)
    if kind == "share":
        return numbers.percent(value, lang, decimals=1)
    if kind == "growth":
        return numbers.growth(value, lang)
    if kind == "points":
        return numbers.number(float(value) * 100, lang, decimals=1)
    if kind == "ratio":
        return numbers.ratio(value, lang)
    if kind == "intensity":
        return numbers.number(value, lang, decimals=1)
    if kind == "number" or isinstance(value, int | float):
        return numbers.number(value, lang)
    return str(value)


def _column(name, data: pd.Series, labels: Labels, default: str | None) -> Column:
    """How to write a column: by its name, else as a label (a document, period, code ... as its header), else by
    dtype."""
    if isinstance(name, str) and name in COLUMNS:
        return COLUMNS[name]
    heading = (labels.label(name, "en"), labels.label(name, "zh")) if isinstance(name, str) else (str(name), str(name))
    if default:
        kind = default
    elif pd.api.types.is_bool_dtype(data):
        kind = "flag"
    elif pd.api.types.is_integer_dtype(data):
        kind = "count"
    elif pd.api.types.is_numeric_dtype(data):
        kind = "number"
    else:
        kind = "label"
    return Column(heading[0], heading[1], kind)


# Chinese text the data holds for an English note: the Chinese page shows it in place of the note (a goal's quote for
# goal_en) or beside it (the evidence quote beside the English evidence note); the English page shows the note only.
CHINESE_TEXT = {"goal_en": ("quote", True), "evidence_note": ("evidence_quote", False)}


def formatted(frame: pd.DataFrame | pd.Series, lang: str = "en", dataset: Dataset | None = None,
              name: str | None = None) -> pd.DataFrame:
    """The table as text for readers in `lang`: headers and labels in that language, numbers written by `numbers`,
    "–" for missing values, the index (when it labels rows) as the first columns. Where a table has both an English
    and a Chinese column of the same thing (indicator_en, indicator_zh), only the reader's language is kept."""
    labels = Labels(dataset)
    if isinstance(frame, pd.Series):
        frame = frame.reset_index()
    if any(level is not None for level in frame.index.names):
        frame = frame.reset_index()
    elif not pd.api.types.is_integer_dtype(frame.index):  # row labels that mean something
        frame = frame.rename_axis(" ").reset_index()
    other = "_en" if lang == "zh" else "_zh"
    same = "_zh" if lang == "zh" else "_en"
    frame = frame[[c for c in frame.columns
                   if not (isinstance(c, str) and c.endswith(other) and c.removesuffix(other) + same in frame.columns)]]
    for english, (chinese, replaces) in CHINESE_TEXT.items():
        if english in frame.columns and chinese in frame.columns:
            frame = frame.drop(columns=[english] if lang == "zh" and replaces else [] if lang == "zh" else [chinese])
    default = TABLE_KINDS.get(name or "")
    shown = {}
    for column in frame.columns:
        spec = _column(column, frame[column], labels, default)
        header = spec.zh if lang == "zh" else spec.en
        while header in shown:
            header += " "
        shown[header] = [_write(value, spec.kind, lang, labels) for value in frame[column].tolist()]
    return pd.DataFrame(shown, index=range(len(frame)))


NUMERIC = re.compile(r"^[−+]?[\d,.]+( ?%|倍)?$|^–$")


def table_html(table: pd.DataFrame) -> str:
    """A formatted table as a plain HTML table (numbers right-aligned); the same text gives the same bytes."""
    numeric = [bool(len(table)) and all(NUMERIC.match(v) for v in table[c]) for c in table.columns]
    head = "".join(f'<th{" class=num" if n else ""}>{html.escape(str(c).strip())}</th>'
                   for c, n in zip(table.columns, numeric, strict=True))
    rows = "".join(
        "<tr>" + "".join(f'<td{" class=num" if n else ""}>{html.escape(v)}</td>'
                         for v, n in zip(row, numeric, strict=True)) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                  "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "−": "$-$", "–": "--"}


def latex_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped (the minus and the dash of missing values as LaTeX writes them)."""
    return "".join(LATEX_SPECIALS.get(character, character) for character in str(text))


def latex(table: pd.DataFrame, caption: str, label: str, lang: str = "en", note: str | None = None) -> str:
    """A formatted table as a booktabs table (needs \\usepackage{booktabs}; the Chinese one xeCJK or ctex, compiled
    with XeLaTeX or LuaLaTeX). Numeric columns are right-aligned."""
    numeric = [bool(len(table)) and all(NUMERIC.match(v) for v in table[c]) for c in table.columns]
    spec = "".join("r" if n else "l" for n in numeric)
    lines = [
        "% Generated by ipanalysis (make report); do not edit. Needs \\usepackage{booktabs}"
        + (" and xeCJK or ctex (XeLaTeX)." if lang == "zh" else "."),
        "\\begin{table}[htbp]", "\\centering", "\\small", f"\\caption{{{latex_escape(caption)}}}",
        f"\\label{{{label}}}", f"\\begin{{tabular}}{{{spec}}}", "\\toprule",
        " & ".join(latex_escape(str(c).strip()) for c in table.columns) + " \\\\", "\\midrule",
        *(" & ".join(latex_escape(v) for v in row) + " \\\\" for row in table.itertuples(index=False)),
        "\\bottomrule", "\\end{tabular}",
    ]
    if note:
        lines.append(f"\\par\\smallskip\\footnotesize {latex_escape(note)}")
    lines.append("\\end{table}")
    return "\n".join(lines) + "\n"


# -- the key tables, for papers (LaTeX) and the report
@dataclass(frozen=True)
class KeyTable:
    """A key table in one language: the formatted rows, a caption and a note on its missing values."""

    table: pd.DataFrame
    caption: str
    note: str


MISSING_NOTE = ("– : no value (not reported, or not computable; reports/tables/{name}.csv says why).",
                "–：无数值（未报告或无法计算；原因见 reports/tables/{name}.csv）。")


def _key(dataset: Dataset, frame: pd.DataFrame, lang: str, name: str, caption: tuple[str, str]) -> KeyTable:
    return KeyTable(formatted(frame, lang, dataset), caption[lang == "zh"], MISSING_NOTE[lang == "zh"].format(name=name))


def attainment_key(dataset: Dataset, lang: str) -> KeyTable:
    """Every earlier-period commitment: target, outcome, attainment ratio and status."""
    table = comparisons.attainment_table(dataset)
    columns = ["doc_ids", "indicator_id", "target_year", "target_value", "outcome_value", "attainment_ratio", "status",
               "caveats"]
    return _key(dataset, table[columns], lang, "attainment", (
        "Attainment of the 13th-period commitments (one row per commitment; outcome as reported by a later plan)",
        "“十三五”承诺的完成情况（每项承诺一行；实际值取自后续规划的报告）"))


def ambition_key(dataset: Dataset, lang: str) -> KeyTable:
    """Required against realised growth of every commitment with a baseline."""
    table = comparisons.ambition_table(dataset)
    columns = ["doc_id", "indicator_id", "baseline_year", "baseline_value", "target_year", "target_value",
               "required_growth", "realised_growth_during", "realised_growth_before", "ambition_ratio"]
    return _key(dataset, table[columns], lang, "ambition", (
        "Required and realised compound annual growth, and the ambition ratio (required / realised before the plan)",
        "所需与实际年均复合增速及雄心比（所需增速/规划前实际增速）"))


def district_vs_city_key(dataset: Dataset, lang: str) -> KeyTable:
    """District targets against the city's: level ratio, required growth, escalation."""
    table = comparisons.district_vs_city(dataset)
    columns = ["district", "indicator_id", "city_indicator_id", "relation", "district_target_year", "district_target",
               "city_target_year", "city_target", "level_ratio", "district_required_growth", "city_required_growth",
               "escalation"]
    return _key(dataset, table[columns], lang, "district_vs_city", (
        "District targets against the city's: ratio of levels (same definition only), required growth and escalation "
        "(district minus city, percentage points)",
        "区级目标与市级目标：水平之比（仅限口径相同）、所需增速与加码幅度（区级减市级，百分点）"))


def plan_changes_key(dataset: Dataset, lang: str) -> KeyTable:
    """Indicators kept, redefined, dropped or added between the plan periods."""
    table = comparisons.plan_changes(dataset)
    columns = ["indicator_id", "change", "relation", "later_indicator_id", "value_chain_stage", "earlier_target",
               "later_baseline_year", "later_baseline_outcome", "later_target"]
    regions = {lang: "、".join(dataset.region_name(r, lang) for r in table["region"].unique()) for lang in ("en", "zh")}
    earlier, later = table["earlier_period"].iloc[0], table["later_period"].iloc[0]
    return _key(dataset, table[columns], lang, "plan_changes", (
        f"{regions['en']}: indicators from the {earlier} to the {later} Five-Year Plan: kept, redefined, dropped, added",
        f"{regions['zh']}：指标从{_period_zh(earlier)}到{_period_zh(later)}：保留、重新定义、删除、新增"))


def progress_key(dataset: Dataset, lang: str) -> KeyTable:
    """Status and band of every latest-period commitment from the observation layer."""
    table = progress.progress_table(dataset)
    table = table[table["plan_period"] == dataset.plan_periods[-1]]
    columns = ["region", "indicator_id", "target_year", "target_value", "status", "first_reached_year", "latest_year",
               "latest_value", "progress_band"]
    return _key(dataset, table[columns], lang, "progress", (
        "Progress on the 14th-period targets from official statistics published after the plans",
        "依据规划发布后官方统计对“十四五”目标进展的判断"))


def instrument_stage_key(dataset: Dataset, lang: str) -> KeyTable:
    """Share of policy text by instrument type and value-chain stage, per plan period."""
    table = instruments.instrument_stage_table(dataset, "plan_period")
    wide = table.pivot_table(index=["group", "instrument_type"], columns="value_chain_stage", values="character_share",
                             sort=False)
    stages = list(dict.fromkeys(table["value_chain_stage"]))
    wide = wide[stages].rename_axis(columns=None)
    caption = ("Policy instruments by value-chain stage: share of each plan period's policy text (characters of counted "
               "units)", "政策工具×价值链环节：占各规划期政策文本（计入单元字数）的比重")
    return KeyTable(formatted(wide, lang, dataset, name="stage_shares"), caption[lang == "zh"],
                    MISSING_NOTE[lang == "zh"].format(name="instrument_stage"))


KEY_TABLES = {
    "attainment": attainment_key, "ambition": ambition_key, "district_vs_city": district_vs_city_key,
    "plan_changes": plan_changes_key, "progress": progress_key, "instrument_stage": instrument_stage_key,
}


def write_latex(dataset: Dataset, folder: Path) -> list[Path]:
    """Every key table as reports/tables/<name>.<lang>.tex, in English and Chinese."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in KEY_TABLES.items():
        for lang in ("en", "zh"):
            key = make(dataset, lang)
            path = folder / f"{name}.{lang}.tex"
            path.write_text(latex(key.table, key.caption, f"tab:{name}", lang, key.note), encoding="utf-8")
            written.append(path)
    return written
