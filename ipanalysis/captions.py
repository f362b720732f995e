"""Figure captions in English and Chinese: what each figure shows, where the data come from and the caveats that
matter. Numbers and flagged rows are computed from the dataset and the figure's plotted data, so a data change
changes the caption."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import comparisons, instruments
from .dataset import Dataset, cached
from .metrics import STATUSES
from .style import indicator_label, label, period_label


@dataclass(frozen=True)
class Caption:
    """title: one sentence saying what the figure shows; text: source and caveats; alt: a description for readers
    who cannot see the image."""

    title: str
    text: str
    alt: str

    @property
    def full(self) -> str:
        """The caption as printed under the figure."""
        return f"{self.title} {self.text}"


@cached
def _problem_index(dataset: Dataset) -> dict[str, set[str]]:
    """Row id (target, outcome, observation) -> the registered problems that name it or that it names."""
    index: dict[str, set[str]] = {}
    for problem in dataset.source_problems.itertuples():
        for row_id in str(problem.affects).split(";"):
            index.setdefault(row_id, set()).add(problem.problem_id)
    rows = ((dataset.targets, "target_id"), (dataset.outcomes, "outcome_id"), (dataset.observations, "observation_id"))
    for table, key in rows:
        for row_id, value in table[[key, "problem_ids"]].dropna().itertuples(index=False):
            index.setdefault(row_id, set()).update(value.split(";"))
    return index


def problems_of(dataset: Dataset, ids) -> list[str]:
    """The registered problems (source_problems.csv) a value rests on: the register's `affects` names one of the rows
    it comes from, or one of those rows names the problem."""
    index = _problem_index(dataset)
    return sorted({problem for value in ids if isinstance(value, str) for problem in index.get(value, ())})


def _n(number: int, singular: str, plural: str) -> str:
    """'1 pair', '2 pairs'."""
    return f"{number} {singular if number == 1 else plural}"


def _pick(lang: str, english: str, chinese: str) -> str:
    return chinese if lang == "zh" else english


def _and(items: list[str], lang: str) -> str:
    """Items joined as a list in `lang`: a, b and c / a、b、c."""
    if lang == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _documents(dataset: Dataset, doc_ids, lang: str) -> str:
    """Document labels joined as a list in `lang`."""
    return _and([dataset.document_label(doc_id, lang) for doc_id in doc_ids], lang)


def _source(dataset: Dataset, lang: str, tables: str) -> str:
    n = len(dataset.documents)
    return _pick(
        lang,
        f"Source: {tables}, copied by hand from the {n} policy documents with the sentence each number comes from.",
        f"资料来源：{tables}，由{n}份政策文件逐条人工摘录，每个数字附原文句子。",
    )


def indicator_coverage(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    indicators = data["indicator_id"].nunique()
    documents = data["doc_id"].nunique()
    sizes = data.drop_duplicates("indicator_id")["lineage_family"].value_counts()
    families, linked = int((sizes > 1).sum()), int(sizes[sizes > 1].sum())
    return Caption(
        title=_pick(
            lang,
            f"Which of {indicators} indicators each of {documents} documents targets or reports on, and how indicators "
            "of different plans are linked.",
            f"{documents}份文件对{indicators}项指标设定目标或报告实际值的情况，以及不同规划指标之间的沿革关系。",
        ),
        text=_pick(
            lang,
            f"Rows are the indicators that at least one document targets; {linked} of them form {families} lineage "
            "families (connected components of the lineage table), drawn on consecutive rows. An arrow joins two linked "
            "indicators and reads 'the indicator at the head is a <relation> of the one at the tail' (narrowed, "
            "broadened, redefined, component ...): linked indicators measure different things and are never compared "
            "as one measure. " + _source(dataset, lang, "targets.csv, outcomes.csv and indicator_lineage.csv"),
            f"行为至少一份文件设定目标的指标；其中{linked}项指标构成{families}个沿革组（沿革表的连通分量），排在相邻行。"
            "箭头连接两项相关指标，读作“箭头所指指标是箭尾指标的<关系>”（收窄、放宽、重新定义、组成部分等）：相关指标"
            "测量的是不同的量，不作同一指标比较。" + _source(dataset, lang, "targets.csv、outcomes.csv和indicator_lineage.csv"),
        ),
        alt=_pick(
            lang,
            f"Grid chart: {indicators} indicator rows by {documents} document columns; blue, orange or green cells "
            "mark a target, a reported outcome or both; purple labelled arrows on the right link related indicators.",
            f"网格图：{indicators}行指标、{documents}列文件；蓝、橙、绿色格分别表示目标、报告实际值或两者兼有；"
            "右侧紫色带标注的箭头连接相关指标。",
        ),
    )


def _flagged(dataset: Dataset, problem_ids, lang: str) -> str:
    """The sentence naming the registered problems behind the values a figure marks with †."""
    ids = sorted({i for value in problem_ids if isinstance(value, str) and value for i in value.split(";")})
    if not ids:
        return ""
    summaries = dataset.source_problems.set_index("problem_id")["summary"]
    return _pick(
        lang,
        "† marks a value that rests on a problem in the source register (source_problems.csv): "
        + "; ".join(f"{i}, {summaries[i]}" for i in ids)
        + ". ",
        f"† 表示该数值所依据的数据在问题登记表（source_problems.csv）中有记录：{'、'.join(ids)}。",
    )


def _list(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "；".join(items)
    return "; ".join(items)


def plan_changes(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    changes = comparisons.plan_changes(dataset)
    redefined = changes[changes["change"] == "redefined"]
    kept = changes[changes["change"] == "kept"]
    regions = _and([dataset.region_name(r, lang) for r in data["region"].unique()], lang)
    earlier, later = changes["earlier_period"].iloc[0], changes["later_period"].iloc[0]
    pairs = [
        _pick(
            lang,
            f"{indicator_label(dataset, r.indicator_id, lang)} → {indicator_label(dataset, r.later_indicator_id, lang)} "
            f"({label(r.relation, lang)})",
            f"{indicator_label(dataset, r.indicator_id, lang)} → {indicator_label(dataset, r.later_indicator_id, lang)}"
            f"（{label(r.relation, lang)}）",
        )
        for r in redefined.itertuples()
    ]
    measures = data["indicator_id"].nunique()
    return Caption(
        title=_pick(
            lang,
            f"{regions}: the indicators of the {period_label(earlier, lang)} plans that the {period_label(later, lang)} "
            f"plan keeps ({len(kept)}) or redefines ({len(redefined)}), each measure in its own panel with its targets and "
            "reported values.",
            f"{regions}：{period_label(earlier, lang)}规划的指标在{period_label(later, lang)}规划中保留（{len(kept)}项）或"
            f"重新定义（{len(redefined)}项）的情况，每个口径一幅小图，含目标与报告实际值。",
        ),
        text=_pick(
            lang,
            "Every panel has its own scale. A redefined indicator sits in the panel to the right of the one it replaces "
            "and is never drawn on the same line or scale, because the two measure different things: "
            + _list(pairs, lang)
            + ". Hollow circles are values derived from a stated change (such as a 2015 level implied by a stated "
            "percentage increase). "
            + _flagged(dataset, data["problem_ids"], lang)
            + _source(dataset, lang, "targets.csv, outcomes.csv and indicator_lineage.csv"),
            "每幅小图刻度独立。重新定义的指标画在其前身右侧，从不与前身共用一条线或同一刻度，因为二者测量的是不同的量："
            + _list(pairs, lang)
            + "。空心圆为由文件所述增幅推算的数值（如由“比2015年增长x%”推算的2015年数值）。"
            + _flagged(dataset, data["problem_ids"], lang)
            + _source(dataset, lang, "targets.csv、outcomes.csv和indicator_lineage.csv"),
        ),
        alt=_pick(
            lang,
            f"{measures} small panels in rows of linked indicators; each plots one measure's targets (squares) and "
            "reported values (circles joined by a line) against the year, on its own vertical scale.",
            f"{measures}幅小图，相关指标排在同一行；每幅按年份画出一个口径的目标（方块）和报告实际值（以线相连的圆点），纵轴刻度各自独立。",
        ),
    )


def growth(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    disputed = data[data["baseline_disputed_by"].notna()]
    zero = int((data["baseline_disputed_by"].isna() & data["required_growth"].isna() & (data["baseline_value"] == 0)).sum())
    derived = dataset.outcomes.set_index("outcome_id")["is_derived"]
    derived_bases = int(data["baseline_source"].map(derived).fillna(False).astype(bool).sum())
    disputing = problems_of(dataset, [i for ids in disputed["baseline_disputed_by"] for i in ids.split(";")])
    readings = [reading.split(":") for each in disputed["required_growth_readings"] for reading in each.split(";")]
    rateless = any(rate == "" for _, rate in readings)  # a zero baseline among the readings
    return Caption(
        title=_pick(
            lang,
            "Annual growth each commitment requires from its baseline to its target, beside the growth realised during "
            "the plan and in the five years before.",
            "各项承诺从基期到目标所需的年均增长率，与规划期内及此前五年的实际增长率对照。",
        ),
        text=_pick(
            lang,
            f"{len(data)} commitments with a baseline and a level target, each counted once. Compound annual growth = "
            "(end / start)^(1 / years) − 1. Baselines are the plan's own or the reported value for the year before the "
            f"plan period; {derived_bases} of them are derived from a stated change (such as a 2015 level implied by a "
            "stated increase). "
            + (
                f"For {_n(len(disputed), 'commitment', 'commitments')} the plan's own figures dispute the baseline "
                f"({', '.join(disputing)}): no single rate is taken; a dot gives the growth required from each baseline "
                "and the row's label lists them"
                + (" (a zero baseline has no rate and no dot). " if rateless else ". ")
                if len(disputed)
                else ""
            )
            + (f"{_n(zero, 'zero baseline has', 'zero baselines have')} no compound rate. " if zero else "")
            + "A missing bar: no value reported for that year. A bar is hatched when a value it comes from (the target, "
            "the baseline, the outcome five years before it or at the target year) rests on a registered problem; "
            "rows with such a bar are marked †. "
            + _flagged(dataset, data["problem_ids"], lang)
            + _source(dataset, lang, "targets.csv and outcomes.csv"),
            f"共{len(data)}项有基期值的水平目标（每项承诺只计一次）。年均复合增长率=（期末/期初）^(1/年数)−1。基期为规划自身所给，"
            f"或规划期前一年的报告值；其中{derived_bases}项由文件所述增幅推算。"
            + (
                f"{len(disputed)}项承诺的基期值与规划自身的其他数字冲突（{'、'.join(disputing)}）：不取单一数值，圆点为按各基期值"
                "所需的增速，数值列于该行标签" + ("（基期值为零者无增长率，不画圆点）。" if rateless else "。")
                if len(disputed)
                else ""
            )
            + (f"{zero}项基期为零，无复合增长率。" if zero else "")
            + "无条形：该年份无报告值。条形所依据的数值（目标、基期值、基期前五年或目标年份的报告值）在问题登记表中有记录时"
            "画斜线，含此类条形的行标有†。"
            + _flagged(dataset, data["problem_ids"], lang)
            + _source(dataset, lang, "targets.csv和outcomes.csv"),
        ),
        alt=_pick(
            lang,
            f"Horizontal bar chart, {len(data)} rows (indicator, region and years): three bars per row for required "
            "growth, growth realised during the plan and in the five years before, in percent a year; rows with a "
            "disputed baseline show one dot per reading instead of a required-growth bar.",
            f"横向条形图，{len(data)}行（指标、地区与年份）：每行三根条，分别为所需增速、规划期内实际增速和此前五年实际增速"
            "（年均%）；基期有争议的行以每种读法一个圆点代替所需增速条。",
        ),
    )


def attainment(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    counts = data["status"].value_counts()
    shared = int((data["doc_ids"].str.count(";") > 0).sum())
    ratios = int(data["attainment_ratio"].notna().sum())
    marked = data.loc[data["attainment_ratio"].notna(), "problem_ids"]
    tally = _and([f"{int(counts.get(status, 0))} {label(status, lang)}" for status in STATUSES], lang)
    return Caption(
        title=_pick(
            lang,
            f"Attainment of the {len(data)} commitments that later documents review: {tally}.",
            f"后续文件所评估的{len(data)}项承诺的完成情况：{tally}。",
        ),
        text=_pick(
            lang,
            f"Each commitment is counted once, also the {shared} that two documents state. Left: outcome over target "
            f"(log scale; 1 or more means reached) for the {ratios} commitments a later document reports on, grouped by "
            f"the documents stating them. Right: all {len(data)} by status. Not comparable: only a differently defined "
            "indicator is reported; not reported: no later document gives a value for the target date. "
            + _flagged(dataset, marked, lang)
            + _source(dataset, lang, "targets.csv and outcomes.csv"),
            f"每项承诺只计一次（含{shared}项由两份文件同时提出的承诺）。左：后续文件有报告的{ratios}项承诺的实际值/目标值"
            "（对数刻度；不小于1即达到），按提出承诺的文件分组。右：全部承诺按状态计数。不可比：只报告了口径不同的指标；未报告："
            "后续文件未给出目标年份的数值。"
            + _flagged(dataset, marked, lang)
            + _source(dataset, lang, "targets.csv和outcomes.csv"),
        ),
        alt=_pick(
            lang,
            f"Left, a dot plot of {ratios} attainment ratios on a log scale with a reference line at 1, grouped by "
            "document; right, stacked bars counting every commitment by status for each group of documents.",
            f"左：{ratios}项完成率的对数刻度点图（以1为参照线），按文件分组；右：各文件组全部承诺按状态的堆叠条形图。",
        ),
    )


def district_vs_city(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    regions = dataset.regions.set_index("region_id")

    def pair(row) -> str:
        city = regions.loc[row.district, "parent_region"]
        return _pick(
            lang,
            f"{dataset.region_name(row.district, lang)} {row.district_target_year} vs "
            f"{dataset.region_name(city, lang)} {row.city_target_year}",
            f"{dataset.region_name(row.district, lang)}{row.district_target_year}年对"
            f"{dataset.region_name(city, lang)}{row.city_target_year}年",
        )

    different = data[data["comparison"] == "not_compared"]
    years = list(dict.fromkeys(pair(r) for r in data.itertuples() if r.district_target_year != r.city_target_year))
    districts = _and([dataset.region_name(r, lang) for r in data["district"].unique()], lang)
    differing = _list(
        [
            _pick(
                lang,
                f"{indicator_label(dataset, r.indicator_id, lang)} ({label(r.relation, lang)})",
                f"{indicator_label(dataset, r.indicator_id, lang)}（{label(r.relation, lang)}）",
            )
            for r in different.itertuples()
        ],
        lang,
    )
    grown = int(data["escalation"].notna().sum())
    return Caption(
        title=_pick(
            lang,
            f"{districts}: district commitments against the city targets of the same plan period ({len(data)} pairs).",
            f"{districts}：区级承诺与同期市级目标的比较（共{len(data)}对）。",
        ),
        text=_pick(
            lang,
            "Counts: the district target as a share of the city's (diamond: the district's share in its baseline year, "
            "where the city reports that year). Rates (per 10,000 population, percentages): the district target "
            "relative to the city's target level, which is not a share. Growth: the annual growth each target requires "
            f"from its baseline, district against city, and the difference in percentage points "
            f"({_n(grown, 'pair', 'pairs')} with both baselines). Not compared, because the indicators differ in "
            f"definition: {differing or 'none'}. "
            f"Target years differ: {_list(years, lang) or 'none'}. "
            + _flagged(dataset, data["problem_ids"], lang)
            + _source(dataset, lang, "targets.csv, outcomes.csv and regions.csv"),
            "总量指标：区级目标占市级目标的比例（菱形：基期年份区级占比，需市级有该年数据）。比率指标（每万人口、百分比）："
            "区级目标相当于市级目标水平的百分比，并非占比。增速：各目标从基期起所需的年均增长率，区级对市级，及其差值"
            f"（百分点；{grown}对两级均有基期值）。因指标口径不同而不作比较：{differing or '无'}。"
            f"目标年份不同：{_list(years, lang) or '无'}。"
            + _flagged(dataset, data["problem_ids"], lang)
            + _source(dataset, lang, "targets.csv、outcomes.csv和regions.csv"),
        ),
        alt=_pick(
            lang,
            f"Three panels sharing {len(data)} rows (indicator, district and city with their target years): bars of the "
            "district target relative to the city's for counts and for rates, and dots of the required annual growth "
            "of district and city.",
            f"三幅共用{len(data)}行（指标、区与市及其目标年份）的小图：总量与比率指标的区级目标相对市级目标条形，以及区、市所需年均增速的点。",
        ),
    )


def reporting_coverage(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    shared = int((dataset.commitments["doc_ids"].str.count(";") > 0).sum())
    documents = _documents(dataset, data["doc_id"], lang)
    return Caption(
        title=_pick(
            lang,
            "How many of each earlier document's commitments a later document reports on, by status.",
            "各前期文件所列承诺在后续文件中的报告情况（按状态）。",
        ),
        text=_pick(
            lang,
            f"Per document ({documents}): a commitment that two documents state counts in both rows ({shared} do); "
            "the attainment figure counts each commitment once. " + _source(dataset, lang, "targets.csv and outcomes.csv"),
            f"按文件计数（{documents}）：两份文件同时提出的承诺在两行中各计一次（共{shared}项）；完成情况图中每项承诺只计一次。"
            + _source(dataset, lang, "targets.csv和outcomes.csv"),
        ),
        alt=_pick(
            lang,
            f"Stacked horizontal bars, one per document ({len(data)}), splitting its commitments by status.",
            f"横向堆叠条形图，每份文件一条（共{len(data)}条），按状态划分其承诺。",
        ),
    )


def _instrument_text(dataset: Dataset, lang: str) -> str:
    """Source and caveats shared by the instrument figures: what is counted and why shares of text."""
    summary = instruments.unit_summary(dataset)
    lengths = summary["median_characters"]
    low, high = lengths.idxmin(), lengths.idxmax()
    counted, restated = int(summary["counted"].sum()), int(summary["restatements"].sum())
    return _pick(
        lang,
        f"Primary hand codes of {counted} policy units ({restated} restatements of another unit left out); instrument "
        "types after Rothwell and Zegveld, 'Comprehensive' kept as its own stage (the literature's tables have five). "
        "Cells are shares of policy text (characters), not of unit counts, because documents cut their units "
        f"differently: the median unit has {lengths[low]:.0f} characters in {dataset.document_label(low, 'en')} and "
        f"{lengths[high]:.0f} in {dataset.document_label(high, 'en')}. Source: policy_units.csv, policy_codes.csv, "
        "codebook.csv.",
        f"{counted}个政策单元的人工主编码（另有{restated}个复述其他单元的单元未计）；政策工具类型依Rothwell和Zegveld，"
        "“综合”单列为一个环节（文献中的表格为五个环节）。格中为政策文本（字数）的比例而非单元数的比例，因为各文件切分单元的"
        f"粒度不同：单元字数中位数在{dataset.document_label(low, 'zh')}为{lengths[low]:.0f}字，在"
        f"{dataset.document_label(high, 'zh')}为{lengths[high]:.0f}字。"
        "资料来源：policy_units.csv、policy_codes.csv、codebook.csv。",
    )


def instruments_by_document(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    documents = data["group"].nunique()
    return Caption(
        title=_pick(
            lang,
            "Share of each document's policy text by instrument type and value-chain stage (%).",
            "各文件政策文本按政策工具类型与价值链环节的分布（%）。",
        ),
        text=_instrument_text(dataset, lang),
        alt=_pick(
            lang,
            f"{documents} heatmaps side by side, one per document: rows are the three instrument types, columns the "
            "value-chain stages; each cell gives the percentage of the document's policy text.",
            f"{documents}幅并列热图，每份文件一幅：行为三类政策工具，列为价值链环节；格中数字为占该文件政策文本的百分比。",
        ),
    )


def instruments_by_group(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    return Caption(
        title=_pick(
            lang,
            "Share of policy text by instrument type and value-chain stage, by plan period and by level (%).",
            "政策文本按政策工具类型与价值链环节的分布：按规划时期与行政层级（%）。",
        ),
        text=_instrument_text(dataset, lang)
        + _pick(lang, " Each group pools its documents' units.", "每组合并其文件的全部政策单元。"),
        alt=_pick(
            lang,
            f"{data['group'].nunique()} heatmaps side by side, one per plan period and per level: rows are instrument "
            "types, columns value-chain stages; each cell gives the percentage of the group's policy text.",
            f"{data['group'].nunique()}幅并列热图，每个规划时期、每个行政层级各一幅：行为政策工具类型，列为价值链环节；"
            "格中数字为占该组政策文本的百分比。",
        ),
    )


def keyword_profiles(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    keywords, themes = len(dataset.theme_keywords), dataset.theme_keywords["theme_id"].nunique()
    return Caption(
        title=_pick(
            lang,
            "Theme keywords per 10,000 characters of each document's text.",
            "各文件每万字中主题关键词的出现次数。",
        ),
        text=_pick(
            lang,
            f"{keywords} keywords in {themes} themes (theme_keywords.csv), counted without overlap (longer keywords "
            "first) in the whole text, whitespace excluded. Intensity reflects wording as well as emphasis.",
            f"{themes}个主题共{keywords}个关键词（theme_keywords.csv），在全文中不重叠计数（长词优先），不计空白字符。"
            "强度既反映侧重，也反映措辞习惯。",
        ),
        alt=_pick(
            lang,
            f"Heatmap: {themes} theme rows by document columns; each cell gives occurrences per 10,000 characters.",
            f"热图：{themes}行主题、各列为文件；格中数字为每万字出现次数。",
        ),
    )


def agencies(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    roles = instruments.agency_roles(dataset)
    summary = instruments.unit_summary(dataset)
    naming = summary.index[summary["naming_agencies"] > 0].tolist()
    shown = len(data)
    matrix = sum(column.startswith("shares_with_") for column in data.columns)
    rest = roles.iloc[shown:]
    return Caption(
        title=_pick(
            lang,
            f"The {shown} agencies most often named responsible for a task, and the tasks the {matrix} busiest share.",
            f"承担任务最多的{shown}个机构，及其中前{matrix}个机构共同承担的任务数。",
        ),
        text=_pick(
            lang,
            f"Only {_documents(dataset, naming, lang)} name responsible agencies ({int(summary['naming_agencies'].sum())} "
            f"units). Left: tasks each agency leads (牵头/负责) or joins (配合), ranked; the other {len(rest)} agencies "
            f"are named {int(rest['tasks'].sum())} times. Right: tasks shared by each pair of the {matrix} agencies "
            "named most often (numbered as on the left). Source: policy_units.csv (closing responsibility clauses), "
            "agency names normalised through agencies.csv.",
            f"只有{_documents(dataset, naming, lang)}列明责任单位（共{int(summary['naming_agencies'].sum())}个政策单元）。"
            f"左：各机构牵头/负责或配合的任务数（排序）；其余{len(rest)}个机构共被列名{int(rest['tasks'].sum())}次。"
            f"右：列名最多的{matrix}个机构两两共同承担的任务数（编号同左图）。资料来源：policy_units.csv（条款末尾的责任单位），"
            "机构名称经agencies.csv统一。",
        ),
        alt=_pick(
            lang,
            f"Left, a ranked stacked bar chart of tasks led and joined by {shown} agencies; right, a {matrix} by "
            f"{matrix} annotated matrix of tasks shared between agencies.",
            f"左：{shown}个机构牵头与配合任务数的排序堆叠条形图；右：{matrix}×{matrix}机构共同任务数的标注矩阵。",
        ),
    )


def precoder_agreement(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    scores = instruments.agreement(dataset).set_index(["estimate", "dimension"])

    def kappa(estimate: str, dimension: str) -> str:
        row = scores.loc[(estimate, dimension)]
        return f"{row['kappa']:.2f} ({row['kappa_low']:.2f}–{row['kappa_high']:.2f})"

    in_type, in_stage = kappa("in_sample", instruments.TYPE), kappa("in_sample", instruments.STAGE)
    out_type, out_stage = (kappa("leave_one_document_out", d) for d in (instruments.TYPE, instruments.STAGE))
    return Caption(
        title=_pick(
            lang,
            "Rule-based pre-coder against the hand coding of the policy units: instrument type and value-chain stage.",
            "规则预编码与人工编码的对照：政策工具类型与价值链环节。",
        ),
        text=_pick(
            lang,
            f"Rows: hand codes; columns: pre-coder ({len(data)} units). Cohen's kappa with 95% bootstrap intervals (above each "
            "matrix): "
            f"{in_type} for type and {in_stage} for stage in-sample (the keyword dictionary was written after the hand "
            f"coding, so these overstate agreement on new documents); {out_type} and {out_stage} when each document is "
            "coded with a dictionary built from the other documents only. Source: policy_codes.csv, precoder_keywords.csv.",
            f"行：人工编码；列：预编码（{len(data)}个政策单元）。科恩kappa及95%自助法区间（见各矩阵上方）：样本内类型为{in_type}、环节为"
            f"{in_stage}（关键词词典在人工编码之后编写，会高估对新文件的一致性）；每份文件只用其他文件构建的词典编码时，"
            f"类型为{out_type}、环节为{out_stage}。资料来源：policy_codes.csv、precoder_keywords.csv。",
        ),
        alt=_pick(
            lang,
            "Two annotated confusion matrices side by side: hand codes as rows, pre-coder codes as columns; the "
            "diagonal holds the agreements.",
            "两幅并列的标注混淆矩阵：行为人工编码，列为预编码；对角线为一致的单元数。",
        ),
    )


def indicator_history(dataset: Dataset, data: pd.DataFrame, lang: str) -> Caption:
    values = data[data["kind"] == "value"]
    observed = values[values["layer"] == "observation"]["authority"].value_counts()
    plans = values[values["layer"] != "observation"]
    panels, targets = data["family"].nunique(), int((data["kind"] == "target").sum())
    unjoined = int(values["series_break"].notna().sum())
    return Caption(
        title=_pick(
            lang,
            f"The history of the {panels} indicators (lineage families) targeted twice or observed over time, 2015-2025: "
            "the plans' figures, official statistics by authority, and each target with the path it required.",
            f"{panels}项多次设定目标或有多年观测值的指标的历程（2015-2025年）：规划所报数值、按来源权威性区分的官方统计"
            "数字，以及各目标及其所需路径。",
        ),
        text=_pick(
            lang,
            f"One panel per lineage family; {int(observed.sum())} observations "
            f"({int(observed.get('issuing_body', 0))} published by the issuing body, "
            f"{int(observed.get('official_outlet', 0))} by an official outlet, {int(observed.get('mirror', 0))} by "
            f"mirrors or reposts), {len(plans)} plan figures ({int(plans['is_derived'].sum())} derived, such as the 2015 "
            f"bases) and {targets} targets. A redefined indicator starts a new line in its own colour; {unjoined} values "
            "under a series break in the register are not joined. Each dotted path runs from the target's baseline (its "
            "plan's own, else the figure for the year before the plan period, else the earliest in the period) at "
            "constant compound growth. "
            + _flagged(dataset, data["flagged_problems"], lang)
            + "Source: targets.csv and outcomes.csv (the plans) and observations.csv (official statistics published "
            "after the plans, quoted from stored snapshots).",
            f"每个沿革组一幅小图；观测值{int(observed.sum())}个（发布机关{int(observed.get('issuing_body', 0))}个、官方媒体"
            f"{int(observed.get('official_outlet', 0))}个、转载{int(observed.get('mirror', 0))}个），规划所报数值{len(plans)}个"
            f"（其中推算{int(plans['is_derived'].sum())}个，如2015年基期值），目标{targets}项。指标口径变化后另起一线、另用一色；"
            f"问题登记中序列断点涉及的{unjoined}个数值不连线。点线为由目标基期值（规划自身给出的，否则为规划期前一年的数值，"
            "否则为规划期内最早的数值）按固定复合增速到目标的路径。"
            + _flagged(dataset, data["flagged_problems"], lang)
            + "资料来源：targets.csv、outcomes.csv（规划文件）和"
            "observations.csv（规划发布后的官方统计，引自存档快照）。",
        ),
        alt=_pick(
            lang,
            f"Small multiples: {panels} line charts on a shared 2015-2025 axis; markers by source (squares plan "
            "figures; circles, diamonds and triangles observations from the issuing body, an official outlet or a "
            "mirror; hollow derived), crosses and stars for targets with dotted paths from their baselines.",
            f"小多图：{panels}幅共用2015-2025年时间轴的折线图；标记区分来源（方形为规划数值，圆形、菱形、三角形分别为发布"
            "机关、官方媒体、转载的观测值，空心为推算值），十字和星形为目标，点线为由基期值出发的所需路径。",
        ),
    )


CAPTIONS: dict[str, Callable[[Dataset, pd.DataFrame, str], Caption]] = {
    "indicator_coverage": indicator_coverage,
    "plan_changes": plan_changes,
    "growth": growth,
    "attainment": attainment,
    "district_vs_city": district_vs_city,
    "reporting_coverage": reporting_coverage,
    "instruments_by_document": instruments_by_document,
    "instruments_by_group": instruments_by_group,
    "keyword_profiles": keyword_profiles,
    "agencies": agencies,
    "precoder_agreement": precoder_agreement,
    "indicator_history": indicator_history,
}
