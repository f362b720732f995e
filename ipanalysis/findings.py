"""The findings of notebooks 00-04, computed: one function per notebook returns its findings as sentences in English
and Chinese whose every number comes from a computed table, so a data edit changes the text instead of leaving it
stale. Each Finding also keeps the numbers it states (``values``), by name, for the tests that check them against the
tables. Notebook 05's findings are ``progress.findings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import comparisons, coverage, instruments
from .dataset import Dataset
from .numbers import count, growth, join, number, percent, points, quantity, ratio, share_of, times
from .progress import register_entries
from .validation.context import ValidationResult


@dataclass(frozen=True)
class Finding:
    """One finding in English and Chinese, and the numbers it states by name."""

    en: str
    zh: str
    values: dict[str, float] = field(default_factory=dict)

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class _Labels:
    """Names of the data's things in English and Chinese."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.indicators = dataset.indicators.set_index("indicator_id")
        self.codes = dataset.codebook.set_index("code_id")

    def indicator(self, indicator_id: str, lang: str) -> str:
        return self.indicators.loc[indicator_id, "name_zh" if lang == "zh" else "name_en"]

    def unit(self, indicator_id: str) -> str:
        return self.indicators.loc[indicator_id, "unit"]

    def value(self, indicator_id: str, value: float, lang: str) -> str:
        return quantity(value, self.unit(indicator_id), lang)

    def document(self, doc_id: str, lang: str) -> str:
        return self.dataset.document_label(doc_id, lang)

    def region(self, region_id: str, lang: str) -> str:
        return self.dataset.region_name(region_id, lang)

    def code(self, code_id: str, lang: str) -> str:
        return self.codes.loc[code_id, "label_zh" if lang == "zh" else "label_en"]


def _period_zh(plan_period: str) -> str:
    from .progress import _chinese_period

    return f"“{_chinese_period(plan_period)}”"


def _named(name: str, value: str, lang: str) -> str:
    """'name (value)' / 'name（value）'."""
    return f"{name}（{value}）" if lang == "zh" else f"{name} ({value})"


def _ids(values: pd.Series) -> list[str]:
    """Sorted distinct ids of ';'-separated cells."""
    return sorted({item for value in values.dropna() for item in str(value).split(";") if item})


# -- 00 sources and data
def provenance_check(result: ValidationResult) -> list[Finding]:
    """The validator's verdict on the data folder (checksums, verbatim quotes, values read back, derived values),
    with every problem it reports in both languages."""
    rows = sum(len(table.rows) for table in result.tables.values())
    values = {"rows": rows, "tables": len(result.tables), "documents": len(result.document_texts),
              "snapshots": len(result.snapshot_texts), "problems": len(result.problems)}
    verdict_en = "no problem" if not result.problems else f"{len(result.problems)} problems"
    verdict_zh = "未发现问题" if not result.problems else f"发现{len(result.problems)}个问题"
    found = [Finding(
        f"The validator checked {count(rows)} rows in {len(result.tables)} tables against {len(result.document_texts)} "
        f"source documents and {len(result.snapshot_texts)} stored snapshots: {verdict_en}.",
        f"校验器对照{len(result.document_texts)}份来源文件和{len(result.snapshot_texts)}份存档快照检查了{len(result.tables)}张表"
        f"的{rows}行：{verdict_zh}。",
        values,
    )]
    return found + [Finding(problem.format("en"), problem.format("zh")) for problem in result.problems]


def sources_and_data(dataset: Dataset) -> list[Finding]:
    """Notebook 00: what was curated (curation_summary), the indicators the commitments target, the register."""
    names = _Labels(dataset)
    summary = coverage.curation_summary(dataset)
    total = summary[summary["doc_id"] == "all"].iloc[0]
    commitments = dataset.commitments
    shared = commitments[commitments["doc_ids"].str.contains(";")]
    shared_docs = _ids(shared["doc_ids"])
    restating = dataset.targets.loc[dataset.targets["restates_target_id"].notna(), "doc_id"].unique().tolist()
    numbers_checked = coverage.number_coverage(dataset)
    uncovered = int((numbers_checked["status"] == "uncovered").sum())
    values = {
        "documents": len(dataset.documents), "statements": int(total["target_statements"]),
        "commitments": int(total["commitments"]), "shared": len(shared), "outcomes": int(total["outcomes"]),
        "derived": int(total["derived_outcomes"]), "milestones": int(total["milestones"]),
        "numbers": len(numbers_checked), "uncovered": uncovered,
    }
    docs_en, docs_zh = (join([names.document(d, lang) for d in shared_docs], lang) for lang in ("en", "zh"))
    restate_en, restate_zh = (join([names.document(d, lang) for d in restating], lang) for lang in ("en", "zh"))
    accounted_en = ("every one of the sources' {n} numbers is accounted for" if uncovered == 0
                    else "{u} of the sources' {n} numbers are not accounted for").format(
                        n=count(values["numbers"]), u=count(uncovered))
    accounted_zh = (f"来源中的{values['numbers']}个数字均已归类" if uncovered == 0
                    else f"来源中的{values['numbers']}个数字有{uncovered}个未归类")
    result = [Finding(
        f"The {values['documents']} documents hold {count(values['statements'])} target statements making "
        f"{count(values['commitments'])} commitments (distinct targets: {docs_en} share {values['shared']} identical ones"
        + (f", and {restate_en} {'restates' if len(restating) == 1 else 'restate'} targets of their own"
           if restating else "") + f"), {count(values['outcomes'])} "
        f"reported outcomes ({values['derived']} of them derived) and {values['milestones']} qualitative goals; every "
        f"checksum, quote and value passes the provenance check, and {accounted_en}.",
        f"{values['documents']}份文件共有{values['statements']}条目标表述，合为{values['commitments']}项承诺（不重复的目标："
        f"{docs_zh}有{values['shared']}项相同目标" + (f"，{restate_zh}重复表述了自身的目标" if restating else "")
        + f"），报告实际值{values['outcomes']}个（其中推算{values['derived']}个），定性目标{values['milestones']}项；"
        f"校验和、引文与数值全部通过来源核查，{accounted_zh}。",
        values,
    )]
    changes = comparisons.plan_changes(dataset)
    kept = changes[changes["change"] == "kept"]
    targeted = commitments["indicator_id"].nunique()
    region_label = {lang: join([names.region(r, lang) for r in changes["region"].unique()], lang) for lang in ("en", "zh")}
    kept_names = {lang: join([names.indicator(i, lang) for i in kept["indicator_id"]], lang) for lang in ("en", "zh")}
    attainment = comparisons.attainment_table(dataset)
    reporting = comparisons.reporting_coverage(attainment)
    silent = reporting[reporting["share_reported"] == 0]
    silent_names = {lang: join([names.document(d, lang) for d in silent["doc_id"]], lang) for lang in ("en", "zh")}
    result.append(Finding(
        f"The commitments target {targeted} different indicators; {len(kept)} of them ({kept_names['en']}) is targeted "
        f"by the plans of {region_label['en']} in both plan periods under the same definition."
        + (f" No target of {silent_names['en']} is reported on by a later document." if len(silent) else ""),
        f"这些承诺涉及{targeted}个不同指标；其中{len(kept)}个（{kept_names['zh']}）在{region_label['zh']}两个规划期的规划中"
        "口径相同。" + (f"{silent_names['zh']}的目标均无后续文件报告。" if len(silent) else ""),
        {"indicators": targeted, "kept": len(kept), "silent_documents": len(silent)},
    ))
    problems = dataset.source_problems
    major = problems[problems["severity"] == "major"]
    observation_layer = register_entries(dataset)
    kinds = problems["kind"].value_counts()
    kind_words = {
        "internal_disagreement": ("within one document", "同一文件内部"),
        "cross_document_disagreement": ("between documents", "文件之间"),
        "cross_source_disagreement": ("between a plan and an outside source", "规划与外部来源之间"),
        "definition_mismatch": ("a target and the figure reported for it defined differently", "目标与所报数字口径不同"),
        "ambiguous_definition": ("an ambiguous definition", "定义含糊"),
        "ambiguous_period": ("an ambiguous period", "时期含糊"),
        "series_break": ("a series break", "统计序列断点"),
        "source_error": ("an error in the source", "来源错误"),
    }
    parts_en = [f"{n} {kind_words[k][0]}" for k, n in kinds.items()]
    parts_zh = [f"{kind_words[k][1]}{n}项" for k, n in kinds.items()]
    result.append(Finding(
        f"The register of problems in the sources holds {len(problems)} entries ({len(observation_layer)} of them from the "
        f"observation layer), {len(major)} of them major ({', '.join(major['problem_id'])}): disagreements and "
        f"mismatches, by kind, {join(parts_en)}. Both figures are kept wherever sources disagree, and the comparisons "
        "cite the entry.",
        f"来源问题登记共{len(problems)}项（其中观测层{len(observation_layer)}项），重大问题{len(major)}项"
        f"（{'、'.join(major['problem_id'])}）；按类型：{'，'.join(parts_zh)}。来源不一致时两个数字均保留，比较结果注明所依据的登记项。",
        {"problems": len(problems), "observation_problems": len(observation_layer), "major": len(major),
         **{f"kind_{k}": int(n) for k, n in kinds.items()}},
    ))
    inferred = dataset.documents[dataset.documents["target_year_inferred"].fillna(False)]
    approximate = int((dataset.outcomes["is_derived"] & (dataset.outcomes["qualifier"] == "approximately")).sum())
    inferred_en = join([f"{names.document(r.doc_id, 'en')}: {r.target_year}" for r in inferred.itertuples()])
    inferred_zh = "、".join(f"{names.document(r.doc_id, 'zh')}：{r.target_year}年" for r in inferred.itertuples())
    result.append(Finding(
        f"Caveats: targets whose year the text leaves implicit carry an inferred year ({inferred_en or 'none'}); "
        f"derived values inherit the rounding of the statements they come from ({approximate} of the "
        f"{values['derived']} derived outcomes are approximate).",
        f"注意：原文未明确年份的目标采用推定年份（{inferred_zh or '无'}）；推算值沿用其所依据表述的精度"
        f"（{values['derived']}个推算实际值中{approximate}个为约数）。",
        {"inferred": len(inferred), "approximate": approximate, "derived": values["derived"],
         **{f"inferred_year_{r.doc_id}": int(r.target_year) for r in inferred.itertuples()}},
    ))
    return result


# -- 01 13th vs 14th plan
def plan_comparison(dataset: Dataset) -> list[Finding]:
    """Notebook 01: kept, redefined, dropped and added indicators (plan_changes), and ambition (ambition_table)."""
    names = _Labels(dataset)
    changes = comparisons.plan_changes(dataset)
    earlier = changes[changes["change"] != "added"]
    earlier_period, later_period = changes["earlier_period"].iloc[0], changes["later_period"].iloc[0]
    n = earlier.drop_duplicates("indicator_id")["change"].value_counts()
    added = changes[changes["change"] == "added"]
    values = {"earlier": earlier["indicator_id"].nunique(), "kept": int(n.get("kept", 0)),
              "redefined": int(n.get("redefined", 0)), "dropped": int(n.get("dropped", 0)), "added": len(added)}
    result = [Finding(
        f"Of the {values['earlier']} indicators the {earlier_period}-period city documents targeted, the {later_period} "
        f"plan keeps {values['kept']}, redefines {values['redefined']}, drops {values['dropped']}, and adds "
        f"{values['added']} new indicators.",
        f"{_period_zh(earlier_period)}时期市级文件设定目标的{values['earlier']}个指标中，{_period_zh(later_period)}规划保留"
        f"{values['kept']}个、重新定义{values['redefined']}个、删除{values['dropped']}个，另新增{values['added']}个指标。",
        values,
    )]
    redefined = changes[changes["change"] == "redefined"]
    later_year = int(dataset.commitments.loc[
        dataset.commitments["indicator_id"].isin(redefined["later_indicator_id"]), "target_year"].max())
    items = {"en": [], "zh": []}
    redefined_values: dict[str, float] = {}
    for row in redefined.itertuples():
        for lang in ("en", "zh"):
            reached = ("" if pd.isna(row.later_baseline_outcome) else
                       (f", reached {names.value(row.indicator_id, row.later_baseline_outcome, lang)}" if lang == "en"
                        else f"，实际{names.value(row.indicator_id, row.later_baseline_outcome, lang)}"))
            before = f"{names.indicator(row.indicator_id, lang)}"
            after = names.indicator(row.later_indicator_id, lang)
            target_13 = names.value(row.indicator_id, row.earlier_target, lang)
            target_14 = names.value(row.later_indicator_id, row.later_target, lang)
            items[lang].append(
                f"{before} (target {target_13}{reached}) becomes {after} ({target_14})" if lang == "en"
                else f"{before}（目标{target_13}{reached}）变为{after}（{target_14}）")
        redefined_values[f"earlier_target_{row.indicator_id}"] = row.earlier_target
        redefined_values[f"later_target_{row.later_indicator_id}"] = row.later_target
        if not pd.isna(row.later_baseline_outcome):
            redefined_values[f"later_baseline_outcome_{row.indicator_id}"] = row.later_baseline_outcome
    later_ids = redefined["later_indicator_id"].unique()
    base_year = later_year - 5
    with_base = set(dataset.outcomes.loc[(dataset.outcomes["year"] == base_year)
                                         & dataset.outcomes["indicator_id"].isin(later_ids), "indicator_id"])
    without = [i for i in later_ids if i not in with_base]
    redefined_values.update({"without_base": len(without), "redefined_measures": len(later_ids), "base_year": base_year})
    result.append(Finding(
        f"The redefinitions change what is counted: {'; '.join(items['en'])}. {len(without)} of the "
        f"{len(later_ids)} new measures have no {base_year} value in the plans, so their targets cannot be compared with "
        "what was achieved.",
        f"重新定义改变了统计口径：{'；'.join(items['zh'])}。{len(later_ids)}个新口径中有{len(without)}个在规划中没有"
        f"{base_year}年数值，其目标无法与已达到的水平比较。",
        redefined_values,
    ))
    dropped = changes[changes["change"] == "dropped"]
    stages_before = set(earlier["value_chain_stage"])
    new_stages = added[~added["value_chain_stage"].isin(stages_before)]
    added_items = {lang: join([_named(names.indicator(r.later_indicator_id, lang),
                                      names.value(r.later_indicator_id, r.later_target, lang), lang)
                               for r in new_stages.itertuples()], lang) for lang in ("en", "zh")}
    stage_order = list(dataset.codebook.loc[dataset.codebook["dimension"] == "value_chain_stage", "code_id"])
    missing_stages = sorted(set(new_stages["value_chain_stage"]), key=stage_order.index)
    stage_names = {"en": join([names.code(s, "en").lower() for s in missing_stages]),
                   "zh": join([names.code(s, "zh") for s in missing_stages], "zh")}
    dropped_names = {lang: join([names.indicator(i, lang) for i in dropped["indicator_id"]], lang) for lang in ("en", "zh")}
    result.append(Finding(
        f"The {len(dropped)} dropped targets: {dropped_names['en']}. The {earlier_period}-period documents set no "
        f"{stage_names['en']} targets; the {later_period} plan adds {len(new_stages)} in these stages: {added_items['en']}.",
        f"删除的{len(dropped)}个目标：{dropped_names['zh']}。{_period_zh(earlier_period)}文件未设定{stage_names['zh']}"
        f"环节的目标；{_period_zh(later_period)}规划在这些环节新增{len(new_stages)}个目标：{added_items['zh']}。",
        {"dropped": len(dropped), "new_stage_targets": len(new_stages),
         **{f"later_target_{r.later_indicator_id}": r.later_target for r in new_stages.itertuples()}},
    ))
    result += _ambition(dataset, names, kept_ids=changes.loc[changes["change"] == "kept", "indicator_id"].tolist(),
                        earlier_period=earlier_period, later_period=later_period)
    return result


def _ambition(dataset: Dataset, names: _Labels, kept_ids: list[str], earlier_period: str,
              later_period: str) -> list[Finding]:
    ambition = comparisons.ambition_table(dataset)
    city = dataset.documents.loc[dataset.documents["level"] == "city", "region"].iloc[0]
    ambition = ambition[ambition["region"] == city]
    result = []
    for indicator_id in kept_ids:
        rows = ambition[ambition["indicator_id"] == indicator_id].set_index("plan_period")
        if earlier_period not in rows.index or later_period not in rows.index:
            continue
        before, after = rows.loc[earlier_period], rows.loc[later_period]
        values = {"realised": before["realised_growth_during"], "required_earlier": before["required_growth"],
                  "later_target": after["target_value"], "required_later": after["required_growth"],
                  "ambition_ratio": after["ambition_ratio"], "start": int(before["baseline_year"]),
                  "end": int(before["target_year"]), "target_year": int(after["target_year"])}
        result.append(Finding(
            f"The one kept indicator, {names.indicator(indicator_id, 'en')}, grew {growth(values['realised'])} a year in "
            f"{values['start']}-{values['end']} ({earlier_period}-period target {growth(values['required_earlier'])} a "
            f"year); the {int(after['target_year'])} target of {names.value(indicator_id, values['later_target'], 'en')} asks "
            f"{growth(values['required_later'])} a year: an ambition ratio of {ratio(values['ambition_ratio'])}.",
            f"唯一保留的指标{names.indicator(indicator_id, 'zh')}在{values['start']}—{values['end']}年年均增长"
            f"{growth(values['realised'], 'zh')}（{_period_zh(earlier_period)}目标要求年均"
            f"{growth(values['required_earlier'], 'zh')}）；"
            f"{int(after['target_year'])}年目标{names.value(indicator_id, values['later_target'], 'zh')}只要求年均"
            f"{growth(values['required_later'], 'zh')}，雄心比为{ratio(values['ambition_ratio'])}。",
            values,
        ))
    earlier = ambition[(ambition["plan_period"] == earlier_period) & ambition["required_growth"].notna()
                       & ambition["realised_growth_during"].notna()]
    below = earlier[earlier["required_growth"] < earlier["realised_growth_during"]]
    pairs_en = "; ".join(f"{names.indicator(r.indicator_id, 'en')} {growth(r.required_growth)} against "
                         f"{growth(r.realised_growth_during)}" for r in earlier.itertuples())
    pairs_zh = "；".join(f"{names.indicator(r.indicator_id, 'zh')}要求{growth(r.required_growth, 'zh')}、实际"
                        f"{growth(r.realised_growth_during, 'zh')}" for r in earlier.itertuples())
    share_en = f"All {len(earlier)}" if len(below) == len(earlier) else f"{len(below)} of the {len(earlier)}"
    result.append(Finding(
        f"{share_en} {earlier_period}-period city targets with a baseline asked for less growth a year than was "
        f"achieved (required against realised): {pairs_en}.",
        f"有基期值的{len(earlier)}个{_period_zh(earlier_period)}市级目标中，{len(below)}个要求的年均增速低于实际增速"
        f"（要求与实际）：{pairs_zh}。",
        {"with_baseline": len(earlier), "below_realised": len(below),
         **{f"required_{r.indicator_id}": r.required_growth for r in earlier.itertuples()},
         **{f"realised_{r.indicator_id}": r.realised_growth_during for r in earlier.itertuples()}},
    ))
    derived = dataset.outcomes.set_index("outcome_id")["is_derived"]
    bases = ambition[ambition["plan_period"] == earlier_period]["baseline_source"].dropna()
    n_derived = int(bases.map(derived).fillna(False).sum())
    cited = _ids(ambition["caveats"])
    result.append(Finding(
        f"Caveats: {n_derived} of the {len(bases)} {earlier_period}-period baselines are derived from reported growth "
        f"rates or multiples, and some are approximate; the growth figures rest on registered problems "
        f"{', '.join(cited)} (the register gives the reading each assumes).",
        f"注意：{len(bases)}个{_period_zh(earlier_period)}基期值中有{n_derived}个由所报增长率或倍数推算，部分为约数；"
        f"增速依据的登记问题：{'、'.join(cited)}（登记说明各自采用的读法）。",
        {"derived_bases": n_derived, "bases": len(bases)},
    ))
    return result


# -- 02 district vs city
def district_vs_city(dataset: Dataset) -> list[Finding]:
    """Notebook 02: district targets against the city's (district_vs_city), and 2020 levels (regional_levels)."""
    names = _Labels(dataset)
    table = comparisons.district_vs_city(dataset)
    result = []
    grown = table[table["escalation"].notna()]
    for row in grown.itertuples():
        district, indicator = names.region(row.district, "en"), names.indicator(row.indicator_id, "en")
        values = {"district_growth": row.district_required_growth, "city_growth": row.city_required_growth,
                  "escalation": row.escalation, "district_baseline": row.district_baseline,
                  "district_target": row.district_target, "city_baseline": row.city_baseline,
                  "city_target": row.city_target, "share_at_baseline": row.district_share_at_baseline,
                  "share_at_target": row.level_ratio}
        direction_en = "more" if row.escalation > 0 else "less"
        direction_zh = "高于" if row.escalation > 0 else "低于"
        unit = row.indicator_id
        result.append(Finding(
            f"{indicator}: {district} asks for {growth(row.district_required_growth)} a year "
            f"({names.value(unit, row.district_baseline, 'en')} to {names.value(unit, row.district_target, 'en')}), the "
            f"city for {growth(row.city_required_growth)} ({names.value(unit, row.city_baseline, 'en')} to "
            f"{names.value(unit, row.city_target, 'en')}): escalation is {points(row.escalation)}, so {district} asks "
            f"{direction_en} than the city; its share of the city's level would go from "
            f"{percent(row.district_share_at_baseline, decimals=1)} to {percent(row.level_ratio, decimals=1)} of the "
            "city's target.",
            f"{names.indicator(unit, 'zh')}：{names.region(row.district, 'zh')}要求年均增长"
            f"{growth(row.district_required_growth, 'zh')}（{names.value(unit, row.district_baseline, 'zh')}至"
            f"{names.value(unit, row.district_target, 'zh')}），市级要求{growth(row.city_required_growth, 'zh')}"
            f"（{names.value(unit, row.city_baseline, 'zh')}至{names.value(unit, row.city_target, 'zh')}）：加码幅度为"
            f"{points(row.escalation, 'zh')}，即区级要求{direction_zh}市级；其占全市的比重将由"
            f"{percent(row.district_share_at_baseline, 'zh', 1)}变为市级目标的{percent(row.level_ratio, 'zh', 1)}。",
            values,
        ))
    result += _levels(dataset, names, table)
    same = table[table["level_ratio"].notna() & table["escalation"].isna()]
    if len(same):
        items = {lang: [] for lang in ("en", "zh")}
        level_values = {}
        for row in same.itertuples():
            unit = row.indicator_id
            for lang in ("en", "zh"):
                district, city = (names.value(unit, row.district_target, lang), names.value(unit, row.city_target, lang))
                items[lang].append(
                    f"{names.indicator(unit, lang)}: {district} by {row.district_target_year} is "
                    f"{percent(row.level_ratio)} of the city's {city} by {row.city_target_year}" if lang == "en" else
                    f"{names.indicator(unit, lang)}：{row.district_target_year}年{district}，为市级{row.city_target_year}年"
                    f"目标{city}的{percent(row.level_ratio, 'zh')}")
            level_values.update({f"ratio_{row.district_target_id}": row.level_ratio,
                                 f"year_{row.district_target_id}": row.district_target_year,
                                 f"city_year_{row.district_target_id}": row.city_target_year,
                                 f"district_{row.district_target_id}": row.district_target,
                                 f"city_{row.district_target_id}": row.city_target})
        result.append(Finding(
            f"Without baselines only levels compare: {'; '.join(items['en'])}.",
            f"缺少基期值时只能比较水平：{'；'.join(items['zh'])}。",
            level_values,
        ))
    differ = table[table["relation"] != "same"]
    if len(differ):
        items = {lang: join([f"{names.indicator(r.indicator_id, lang)} / {names.indicator(r.city_indicator_id, lang)}"
                             for r in differ.itertuples()], lang) for lang in ("en", "zh")}
        result.append(Finding(
            f"{len(differ)} pairs measure different things and are not divided: {items['en']}.",
            f"{len(differ)}对指标口径不同，不作比值：{items['zh']}。",
            {"differ": len(differ)},
        ))
    districts = dataset.documents[dataset.documents["level"] == "district"]
    commitments = dataset.commitments
    unpaired, unpaired_values = {"en": [], "zh": []}, {}
    for doc_id in districts["doc_id"]:
        own = commitments[commitments["doc_id"] == doc_id]
        alone = own[~own["target_id"].isin(table["district_target_id"])]
        unpaired_values[f"unpaired_{doc_id}"], unpaired_values[f"targets_{doc_id}"] = len(alone), len(own)
        unpaired["en"].append(f"{len(alone)} of {names.document(doc_id, 'en')}'s {len(own)}")
        unpaired["zh"].append(f"{names.document(doc_id, 'zh')}{len(own)}项中的{len(alone)}项")
    escalating = int((grown["escalation"] > 0).sum())
    unpaired_values["escalating"] = escalating
    verdict_en = ("On this evidence there is no sign of 层层加码; the data are too thin to show its absence either."
                  if escalating == 0 else f"{escalating} pairs show 层层加码: the district asks for more growth.")
    verdict_zh = ("就现有证据看，没有层层加码的迹象；但数据太少，也不足以证明不存在。" if escalating == 0
                  else f"{escalating}对指标呈现层层加码：区级要求的增速更高。")
    result.append(Finding(
        f"Most district targets have no city counterpart: {join(unpaired['en'])} commitments. {verdict_en}",
        f"多数区级目标在市级没有对应目标：{'、'.join(unpaired['zh'])}承诺。{verdict_zh}",
        unpaired_values,
    ))
    inferred = districts[districts["target_year_inferred"].fillna(False)]
    ambition = comparisons.ambition_table(dataset)
    cited = _ids(ambition.loc[ambition["region"].isin(districts["region"]), "caveats"])
    result.append(Finding(
        "Caveats: " + "; ".join(f"{names.document(r.doc_id, 'en')}'s target year is inferred ({r.target_year})"
                                for r in inferred.itertuples())
        + f"; the districts' baselines rest on registered problems {', '.join(cited)}, and growth from a zero base "
        "(零突破) is undefined.",
        "注意：" + "；".join(f"{names.document(r.doc_id, 'zh')}的目标年份为推定（{r.target_year}年）"
                          for r in inferred.itertuples())
        + f"；区级基期值涉及登记问题{'、'.join(cited)}；零基数（零突破）的增速无定义。",
        {f"inferred_year_{r.doc_id}": int(r.target_year) for r in inferred.itertuples()},
    ))
    return result


def _levels(dataset: Dataset, names: _Labels, table: pd.DataFrame) -> list[Finding]:
    """Where a district's target has a baseline but no growth comparison: its level in the baseline year against the
    other regions' levels (regional_levels), and why its target is not set against the city's."""
    result = []
    regions = dataset.regions.set_index("region_id")["level"]
    commitments = dataset.commitments.set_index("target_id")
    for pair in table[table["district_baseline"].notna() & table["escalation"].isna()].itertuples():
        year = int(commitments.loc[pair.district_target_id, "baseline_year"])
        levels = comparisons.regional_levels(dataset, pair.indicator_id, year)
        others = levels[levels["region"] != pair.district]
        others = others.assign(order=others["region"].map(regions).map(["district", "city", "provincial", "national"].index))
        values = {"district": pair.district_baseline, "year": year, "target": pair.district_target,
                  "growth": pair.district_required_growth}
        parts_en, parts_zh = [], []
        for other in others.sort_values("order").itertuples():
            share = pair.district_baseline / other.value
            values[f"share_{other.region}"], values[other.region] = share, other.value
            parts_en.append(f"{percent(share)} of {names.region(other.region, 'en')}'s {number(other.value)}"
                            + (" (derived)" if other.is_derived else ""))
            parts_zh.append(f"为{names.region(other.region, 'zh')}（{number(other.value)}"
                            + ("，推算值" if other.is_derived else "") + f"）的{percent(share, 'zh')}")
        indicator = {lang: names.indicator(pair.indicator_id, lang) for lang in ("en", "zh")}
        city = {lang: names.indicator(pair.city_indicator_id, lang) for lang in ("en", "zh")}
        district = {lang: names.region(pair.district, lang) for lang in ("en", "zh")}
        same = pair.relation == "same"
        tail_en = (f" Its target of {number(pair.district_target)} asks {growth(pair.district_required_growth)} a year"
                   + ("." if same else f"; it is not set against the city's {number(pair.city_target)}, which counts "
                      f"{city['en']}, a different measure ({pair.relation})."))
        tail_zh = (f"其目标{number(pair.district_target)}要求年均增长{growth(pair.district_required_growth, 'zh')}"
                   + ("。" if same else f"；不与市级目标{number(pair.city_target)}比较：市级统计的是{city['zh']}，"
                      "口径不同。"))
        result.append(Finding(
            f"{district['en']}'s {year} level of {indicator['en']}, {number(pair.district_baseline)}, is "
            f"{join(parts_en)}.{tail_en}",
            f"{district['zh']}{year}年{indicator['zh']}为{number(pair.district_baseline)}，{'，'.join(parts_zh)}。{tail_zh}",
            values | {"city_target": pair.city_target},
        ))
    return result


# -- 03 attainment
STATUS_WORDS = {
    "achieved": ("reported as achieved", "已实现"),
    "not_achieved": ("reported as missed", "未实现"),
    "not_comparable": ("only through a differently defined figure", "仅有口径不同的数字"),
    "not_reported": ("not reported at all", "完全未报告"),
}


def attainment(dataset: Dataset) -> list[Finding]:
    """Notebook 03: status of every earlier-period commitment (attainment_table), reporting coverage per document
    (reporting_coverage) and the qualitative goals (milestones)."""
    names = _Labels(dataset)
    table = comparisons.attainment_table(dataset)
    documents = _ids(table["doc_ids"])
    statements = dataset.targets[dataset.targets["doc_id"].isin(documents) & dataset.targets["restates_target_id"].isna()]
    shared = int(table["doc_ids"].str.contains(";").sum())
    statuses = table["status"].value_counts()
    values = {"commitments": len(table), "statements": len(statements), "shared": shared,
              **{status: int(statuses.get(status, 0)) for status in STATUS_WORDS}}
    periods = dataset.documents.set_index("doc_id").loc[documents, "plan_period"].unique()
    period_en, period_zh = join(list(periods)), "、".join(_period_zh(p) for p in periods)
    parts_en = join([f"{values[s]} {STATUS_WORDS[s][0]}" for s in STATUS_WORDS])
    parts_zh = "，".join(f"{STATUS_WORDS[s][1]}{values[s]}项" for s in STATUS_WORDS)
    fragile = table[table["robust"].eq(False)]
    fragile_en = join([f"{names.indicator(r.indicator_id, 'en')} ({r.status.replace('_', ' ')}; {r.caveats})"
                       for r in fragile.itertuples()])
    fragile_zh = "、".join(f"{names.indicator(r.indicator_id, 'zh')}（{STATUS_WORDS[r.status][1]}；{r.caveats}）"
                          for r in fragile.itertuples())
    values["fragile"] = len(fragile)
    result = [Finding(
        f"Of {values['commitments']} commitments of the {period_en} period ({values['statements']} target statements, "
        f"{shared} commitments stated by two documents), {parts_en}. {len(fragile)} statuses hold under one reading of "
        f"an ambiguous source only: {fragile_en}.",
        f"{period_zh}时期的{values['commitments']}项承诺（{values['statements']}条目标表述，其中{shared}项承诺由两份文件共同提出）"
        f"中，{parts_zh}。{len(fragile)}项状态仅在对含糊来源的一种读法下成立：{fragile_zh}。",
        values,
    )]
    reached = table[table["status"].isin(["achieved", "not_achieved"]) & table["attainment_ratio"].notna()]
    reached = reached.sort_values("attainment_ratio", ascending=False)
    items = {lang: [] for lang in ("en", "zh")}
    for r in reached.itertuples():
        items["en"].append(f"{names.indicator(r.indicator_id, 'en')} {times(r.attainment_ratio)} the target "
                           f"({names.value(r.indicator_id, r.outcome_value, 'en')} against "
                           f"{names.value(r.indicator_id, r.target_value, 'en')})")
        items["zh"].append(f"{names.indicator(r.indicator_id, 'zh')}为目标的{times(r.attainment_ratio, 'zh')}"
                           f"（{names.value(r.indicator_id, r.outcome_value, 'zh')}，"
                           f"目标{names.value(r.indicator_id, r.target_value, 'zh')}）")
    result.append(Finding(
        f"Outcome against target, highest first: {'; '.join(items['en'])}.",
        f"实际值与目标之比（由高到低）：{'；'.join(items['zh'])}。",
        {f"ratio_{r.commitment_id}": r.attainment_ratio for r in reached.itertuples()}
        | {f"outcome_{r.commitment_id}": r.outcome_value for r in reached.itertuples()}
        | {f"target_{r.commitment_id}": r.target_value for r in reached.itertuples()},
    ))
    reporting = comparisons.reporting_coverage(table)
    used = set(dataset.outcomes.set_index("outcome_id")["doc_id"].reindex(table["outcome_id"].dropna()))
    reviewer = [doc_id for doc_id in dataset.document_order if doc_id in used]
    reviewer_en = join([names.document(d, "en") for d in reviewer])
    reviewer_zh = "、".join(names.document(d, "zh") for d in reviewer)
    per_doc_en, per_doc_zh, coverage_values = [], [], {}
    for r in reporting.itertuples():
        reported = r.n_achieved + r.n_not_achieved
        coverage_values[f"reported_{r.doc_id}"], coverage_values[f"targets_{r.doc_id}"] = reported, r.targets
        coverage_values[f"share_{r.doc_id}"] = r.share_reported
        per_doc_en.append(f"{share_of(reported, r.targets)} of {names.document(r.doc_id, 'en')}'s targets")
        per_doc_zh.append(f"{names.document(r.doc_id, 'zh')}目标{share_of(reported, r.targets, 'zh')}")
    unreported = table[table["status"] == "not_reported"]
    result.append(Finding(
        f"Per document, later reporting ({reviewer_en}) judges {join(per_doc_en)}. The {len(unreported)} commitments "
        "no later document reports: " + "; ".join(
            f"{names.indicator(r.indicator_id, 'en')} ({names.value(r.indicator_id, r.target_value, 'en')})"
            for r in unreported.itertuples()) + ".",
        f"按文件计，后续报告（{reviewer_zh}）对{'，'.join(per_doc_zh)}作出判断。无后续文件报告的{len(unreported)}项承诺："
        + "；".join(f"{names.indicator(r.indicator_id, 'zh')}（{names.value(r.indicator_id, r.target_value, 'zh')}）"
                   for r in unreported.itertuples()) + "。",
        coverage_values | {"unreported": len(unreported)}
        | {f"target_{r.commitment_id}": r.target_value for r in unreported.itertuples()},
    ))
    observed = unreported[unreported["progress_status"].notna() & (unreported["progress_status"] != "not_observed")]
    if not observed.empty:
        result.append(Finding(
            f"The plans' reviews and the official statistics give two answers for {len(observed)} of the "
            f"{len(unreported)} commitments not reported: "
            + "; ".join(f"{names.indicator(r.indicator_id, 'en')}: {r.progress_status.replace('_', ' ')} by the statistics "
                        f"(first reached in {r.progress_first_reached_year})" for r in observed.itertuples())
            + ". This table rests on the plans' reviews by design; progress_status (from progress.csv) gives the other "
            "judgement.",
            f"对{len(unreported)}项未报告承诺中的{len(observed)}项，规划回顾与官方统计给出两种答案："
            + "；".join(f"{names.indicator(r.indicator_id, 'zh')}按统计为"
                       f"{PROGRESS_WORDS.get(r.progress_status, r.progress_status)}"
                       f"（{r.progress_first_reached_year}年首次达到）" for r in observed.itertuples())
            + "。本表按设计仅依据规划回顾；progress_status列（取自progress.csv）给出另一判断。",
            {"observed": len(observed), "unreported": len(unreported)}
            | {f"first_{r.commitment_id}": r.progress_first_reached_year for r in observed.itertuples()},
        ))
    result.append(_milestones(dataset, names, documents))
    not_comparable = table[table["status"] == "not_comparable"]
    result.append(Finding(
        "Caveats: \"not reported\" is a finding about the review, not about performance; the "
        f"{len(not_comparable)} targets reported only through a differently defined figure or across a series break cite "
        f"{', '.join(_ids(not_comparable['caveats'])) or 'no registered problem'}.",
        f"注意：“未报告”是对回顾的判断，不是对绩效的判断；仅有口径不同或跨越序列断点之数字的{len(not_comparable)}项目标所涉登记问题："
        f"{'、'.join(_ids(not_comparable['caveats'])) or '无'}。",
        {"not_comparable": len(not_comparable)},
    ))
    return result


PROGRESS_WORDS = {"achieved": "已实现", "not_achieved": "未实现", "not_comparable": "不可比"}

MILESTONE_WORDS = {
    "achieved": ("achieved", "已实现"),
    "partial": ("achieved in part", "部分实现"),
    "weaker_claim": ("claimed in weaker words than the goal", "表述弱于目标"),
    "not_achieved": ("missed", "未实现"),
    "set_again": ("set again, so not done", "再次提出（即未完成）"),
    "not_reported": ("passed over", "未提及"),
    "no_later_document": ("without a later document", "无后续文件"),
}


def _milestones(dataset: Dataset, names: _Labels, documents: list[str]) -> Finding:
    milestones = dataset.milestones[dataset.milestones["doc_id"].isin(documents)]
    statuses = milestones["evidence_status"].value_counts()
    present = [s for s in MILESTONE_WORDS if statuses.get(s, 0)]
    missed = milestones[milestones["evidence_status"] == "not_achieved"]
    missed_en = "; ".join(f"{r.goal_en.rstrip('.')} ({names.document(r.doc_id, 'en')})" for r in missed.itertuples())
    missed_zh = "；".join(f"{r.quote}（{names.document(r.doc_id, 'zh')}）" for r in missed.itertuples())
    return Finding(
        f"Of the {len(milestones)} qualitative goals of these documents (per document: the city opinions share several), "
        + join([f"{int(statuses[s])} {'is' if statuses[s] == 1 else 'are'} {MILESTONE_WORDS[s][0]}" for s in present])
        + "." + (f" Missed: {missed_en}." if len(missed) else ""),
        f"这些文件的{len(milestones)}项定性目标（按文件计，市级两份意见有若干相同目标）中，"
        + "，".join(f"{MILESTONE_WORDS[s][1]}{int(statuses[s])}项" for s in present) + "。"
        + (f"未实现：{missed_zh}。" if len(missed) else ""),
        {"milestones": len(milestones), **{f"milestones_{s}": int(statuses[s]) for s in present}},
    )


# -- 04 policy instruments
def policy_instruments(dataset: Dataset) -> list[Finding]:
    """Notebook 04: instrument shares (type_shares, subtype_shares, stage_shares), stage and subtype
    (stage_follows_subtype), keyword intensity, agencies and the pre-coder's agreement."""
    names = _Labels(dataset)
    shares = instruments.type_shares(dataset)
    units = instruments.type_shares(dataset, weight="units")
    overall = shares.loc[("all", "all")]
    types = [c for c in shares.columns if c not in ("units", "characters")]
    counted = int(overall["units"])
    top = max(types, key=lambda t: overall[t])
    top_units = round(units.loc[("all", "all"), top] * counted)
    type_en = join([f"{names.code(t, 'en').lower()} {percent(overall[t])}" for t in types])
    type_zh = "、".join(f"{names.code(t, 'zh')}{percent(overall[t], 'zh')}" for t in types)
    subtypes = instruments.subtype_shares(dataset, by=None)["all"].sort_values(ascending=False)
    top_subtypes = subtypes.head(4)
    codebook = dataset.codebook
    all_subtypes = codebook.loc[codebook["dimension"] == "instrument_subtype", "code_id"]
    never = [s for s in all_subtypes if s not in subtypes.index or subtypes.get(s, 0) == 0]
    values = {"counted": counted, "characters": int(overall["characters"]), "top_units": top_units,
              **{f"share_{t}": overall[t] for t in types}, **{f"subtype_{s}": v for s, v in top_subtypes.items()}}
    result = [_units(dataset, names), Finding(
        f"Shares are of policy text (characters of the {counted} counted units). {names.code(top, 'en')} dominate: "
        f"{top_units} of the {counted} units; by text {type_en} (type_shares). The subtypes with most text are "
        + join([f"{names.code(s, 'en').lower()} ({percent(v)})" for s, v in top_subtypes.items()])
        + (f"; {join([names.code(s, 'en').lower() for s in never])} are never a unit's primary instrument." if never else "."),
        f"以下比重均按政策文本（{counted}个计入单元的字数）计算。{names.code(top, 'zh')}占主导："
        f"{counted}个单元中占{top_units}个；"
        f"按文本计，{type_zh}。文本占比最高的子类为"
        + "、".join(f"{names.code(s, 'zh')}（{percent(v, 'zh')}）" for s, v in top_subtypes.items())
        + (f"；{'、'.join(names.code(s, 'zh') for s in never)}从未作为单元的主要工具。" if never else "。"),
        values,
    )]
    periods = dataset.plan_periods
    first, last = periods[0], periods[-1]
    by_period = shares.loc["plan_period"]
    stage = instruments.stage_shares(dataset, "plan_period", comprehensive="split")
    stage_names = [c for c in stage.columns if c not in ("units", "characters")]
    moves = {t: by_period.loc[last, t] - by_period.loc[first, t] for t in types}
    stage_moves = sorted(stage_names, key=lambda s: stage.loc[last, s] - stage.loc[first, s])
    falling, rising = stage_moves[0], stage_moves[-1]
    intensity = instruments.intensity_by(instruments.keyword_intensity(dataset), "plan_period")
    theme_labels = dataset.theme_keywords.drop_duplicates("theme_id").set_index("theme_id")
    theme_moves = (intensity[last] - intensity[first]).sort_values()
    theme_up, theme_down = theme_moves.index[-1], theme_moves.index[0]

    def theme(t: str, lang: str) -> str:
        return theme_labels.loc[t, "label_zh" if lang == "zh" else "label_en"]

    def move(t: str, lang: str, table: pd.DataFrame, label: str) -> str:
        a, b = percent(table.loc[first, t], lang), percent(table.loc[last, t], lang)
        return f"{label} {a} → {b}" if lang == "en" else f"{label}{a}→{b}"

    values = {**{f"{p}_{t}": by_period.loc[p, t] for p in (first, last) for t in types},
              **{f"{p}_{s}": stage.loc[p, s] for p in (first, last) for s in (falling, rising)},
              **{f"{p}_{t}_per_10k": intensity.loc[t, p] for p in (first, last) for t in (theme_up, theme_down)}}
    result.append(Finding(
        f"From the {first} to the {last} period, by text: "
        + join([move(t, "en", by_period, names.code(t, "en").lower()) for t in sorted(types, key=moves.get)])
        + f". With 综合 split over the literature's five stages, {names.code(rising, 'en').lower()} rises "
        f"({percent(stage.loc[first, rising])} → {percent(stage.loc[last, rising])}) and {names.code(falling, 'en').lower()} "
        f"falls most ({percent(stage.loc[first, falling])} → {percent(stage.loc[last, falling])}) (stage_shares). Keywords "
        f"per 10,000 characters: {theme(theme_up, 'en').lower()} {number(intensity.loc[theme_up, first], decimals=0)} → "
        f"{number(intensity.loc[theme_up, last], decimals=0)}, {theme(theme_down, 'en').lower()} "
        f"{number(intensity.loc[theme_down, first], decimals=0)} → {number(intensity.loc[theme_down, last], decimals=0)}.",
        f"从{_period_zh(first)}到{_period_zh(last)}，按文本计："
        + "，".join(move(t, "zh", by_period, names.code(t, "zh")) for t in sorted(types, key=moves.get))
        + f"。将“综合”平分到文献的五个环节后，{names.code(rising, 'zh')}上升（{percent(stage.loc[first, rising], 'zh')}→"
        f"{percent(stage.loc[last, rising], 'zh')}），{names.code(falling, 'zh')}降幅最大（"
        f"{percent(stage.loc[first, falling], 'zh')}→"
        f"{percent(stage.loc[last, falling], 'zh')}）。每万字关键词：{theme(theme_up, 'zh')}"
        f"{number(intensity.loc[theme_up, first], decimals=0)}→{number(intensity.loc[theme_up, last], decimals=0)}，"
        f"{theme(theme_down, 'zh')}{number(intensity.loc[theme_down, first], decimals=0)}→"
        f"{number(intensity.loc[theme_down, last], decimals=0)}。",
        values,
    ))
    result.append(_levels_of_government(dataset, names, shares, units, types))
    follows = instruments.stage_follows_subtype(dataset)
    at_modal, total = int(follows["at_modal_stage"].sum()), int(follows["units"].sum())
    result.append(Finding(
        f"Stage and instrument are not independent: in {share_of(at_modal, total)} counted units the stage is the most "
        "frequent stage of the unit's subtype (stage_follows_subtype), so much of what the instrument x stage tables show "
        "about stages follows from the instrument mix.",
        f"环节与工具并不独立：{share_of(at_modal, total, 'zh')}计入单元的环节即其子类最常见的环节，因此工具×环节表"
        "所显示的环节分布很大程度上源于工具构成。",
        {"at_modal": at_modal, "units": total, "share": at_modal / total},
    ))
    result.append(_agencies(dataset))
    result.append(_agreement(dataset, names))
    return result


def _units(dataset: Dataset, names: _Labels) -> Finding:
    """How many units are counted (restatements left out) and how their size differs between documents
    (unit_summary): the reason documents are compared by shares of text."""
    summary = instruments.unit_summary(dataset)
    medians = summary["median_characters"].dropna().sort_values()
    low, high = medians.index[0], medians.index[-1]
    values = {"units": int(summary["units"].sum()), "counted": int(summary["counted"].sum()),
              "restatements": int(summary["restatements"].sum()), "low": medians.iloc[0], "high": medians.iloc[-1]}
    return Finding(
        f"{values['counted']} of the {values['units']} policy units are counted ({values['restatements']} restatements "
        f"left out). The median counted unit ranges from {number(values['low'], decimals=0)} characters "
        f"({names.document(low, 'en')}) to {number(values['high'], decimals=0)} ({names.document(high, 'en')}) "
        "(unit_summary), so documents are compared by shares of text, not by unit counts.",
        f"{values['units']}个政策单元中计入{values['counted']}个（不计{values['restatements']}个复述单元）。计入单元的字数中位数"
        f"从{number(values['low'], decimals=0)}字（{names.document(low, 'zh')}）到{number(values['high'], decimals=0)}字"
        f"（{names.document(high, 'zh')}）不等，因此各文件按文本占比而非单元数比较。",
        values,
    )


def _levels_of_government(dataset: Dataset, names: _Labels, shares: pd.DataFrame, units: pd.DataFrame,
                          types: list[str]) -> Finding:
    by_level = shares.loc["level"]
    by_units = units.loc["level"]
    levels = list(by_level.index)
    values = {f"{level}_{t}_{kind}": table.loc[level, t] for level in levels for t in types
              for kind, table in (("text", by_level), ("units", by_units))}

    def parts(lang: str, table: pd.DataFrame, t: str) -> str:
        label = {lvl: ("市级" if lvl == "city" else "区级" if lvl == "district" else lvl) if lang == "zh" else lvl
                 for lvl in levels}
        return ("、" if lang == "zh" else ", ").join(f"{label[lvl]} {percent(table.loc[lvl, t], lang)}".replace(" ", "")
                                                     if lang == "zh" else f"{label[lvl]} {percent(table.loc[lvl, t])}"
                                                     for lvl in levels)

    return Finding(
        "By level, shares of units and shares of text differ: " + "; ".join(
            f"{names.code(t, 'en').lower()}: units {parts('en', by_units, t)}, text {parts('en', by_level, t)}"
            for t in types) + " (type_shares with both weights).",
        "按层级，单元占比与文本占比不同：" + "；".join(
            f"{names.code(t, 'zh')}：单元{parts('zh', by_units, t)}，文本{parts('zh', by_level, t)}" for t in types) + "。",
        values,
    )


def _agencies(dataset: Dataset) -> Finding:
    roles = instruments.agency_roles(dataset)
    links = instruments.co_responsibility(dataset)
    units = dataset.policy_units
    naming = units[units["agency_clause"].notna() & units["restates_unit_id"].isna()]
    per_doc = naming["doc_id"].value_counts().reindex(dataset.document_order).dropna()
    lead = roles.iloc[0]
    strongest = links.iloc[0]
    agencies = dataset.agencies.set_index("name_zh")["name_en"]
    silent = [d for d in dataset.document_order if d not in per_doc.index]
    labels = {lang: join([dataset.document_label(d, lang) for d in silent], lang) for lang in ("en", "zh")}
    return Finding(
        f"Of the {len(naming)} units that name agencies ("
        + join([f"{int(n)} in {dataset.document_label(d)}" for d, n in per_doc.items()])
        + f"), the {lead['agency_en']} leads {int(lead['leads'])} and joins {int(lead['joins'])}; {len(roles)} agencies "
        f"appear, linked by {len(links)} shared-task pairs, the strongest {agencies[strongest['agency_a']]} and "
        f"{agencies[strongest['agency_b']]} ({int(strongest['shared_tasks'])} shared tasks). "
        f"{labels['en']} name no agencies.",
        f"{len(naming)}个单元写明责任单位（"
        + "、".join(f"{dataset.document_label(d, 'zh')}{int(n)}个" for d, n in per_doc.items())
        + f"），其中{lead['agency_zh']}牵头{int(lead['leads'])}项、配合{int(lead['joins'])}项；共出现{len(roles)}个机构，"
        f"共同承担任务的机构对{len(links)}对，最紧密的是{strongest['agency_a']}与{strongest['agency_b']}"
        f"（共同任务{int(strongest['shared_tasks'])}项）。{labels['zh']}未写明责任单位。",
        {"naming": len(naming), **{f"naming_{d}": int(n) for d, n in per_doc.items()}, "leads": int(lead["leads"]),
         "joins": int(lead["joins"]), "agencies": len(roles), "pairs": len(links),
         "strongest": int(strongest["shared_tasks"])},
    )


def _agreement(dataset: Dataset, names: _Labels) -> Finding:
    agreement = instruments.agreement(dataset).set_index(["estimate", "dimension"])
    folds = instruments.dictionary_folds(dataset)
    dimensions = list(agreement.loc["in_sample"].index)
    out = agreement.loc["leave_one_document_out"]
    inside = agreement.loc["in_sample"]
    words = {"instrument_type": ("instrument type", "工具类型"), "instrument_subtype": ("subtype", "子类"),
             "value_chain_stage": ("stage", "环节")}
    values = {**{f"loo_{d}": out.loc[d, "kappa"] for d in dimensions},
              **{f"loo_low_{d}": out.loc[d, "kappa_low"] for d in dimensions},
              **{f"loo_high_{d}": out.loc[d, "kappa_high"] for d in dimensions},
              **{f"in_{d}": inside.loc[d, "kappa"] for d in dimensions},
              "dropped_min": int(folds["dropped"].min()), "dropped_max": int(folds["dropped"].max()),
              "entries": int(folds["entries"].max())}
    return Finding(
        "Leave-one-document-out, the pre-coder's Cohen's kappa is "
        + join([f"{ratio(out.loc[d, 'kappa'])} on the {words[d][0]} (95 % interval {ratio(out.loc[d, 'kappa_low'])}-"
                f"{ratio(out.loc[d, 'kappa_high'])})" for d in dimensions])
        + ", against " + join([ratio(inside.loc[d, "kappa"]) for d in dimensions]) + " in-sample (agreement); a fold "
        f"drops {values['dropped_min']} to {values['dropped_max']} of the {values['entries']} dictionary entries "
        "(dictionary_folds).",
        "留一文件外推时，规则预编码的科恩kappa："
        + "，".join(f"{words[d][1]}{ratio(out.loc[d, 'kappa'])}（95%区间{ratio(out.loc[d, 'kappa_low'])}—"
                   f"{ratio(out.loc[d, 'kappa_high'])}）" for d in dimensions)
        + "；样本内分别为" + "、".join(ratio(inside.loc[d, "kappa"]) for d in dimensions)
        + f"。每折从{values['entries']}个词典条目中去掉{values['dropped_min']}至{values['dropped_max']}个。",
        values,
    )


NOTEBOOKS = {
    "00_sources_and_data": sources_and_data,
    "01_13th_vs_14th_fyp": plan_comparison,
    "02_district_vs_city": district_vs_city,
    "03_attainment": attainment,
    "04_policy_instruments": policy_instruments,
}
