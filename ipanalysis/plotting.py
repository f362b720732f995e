"""Paper figures in English and Chinese: one function per figure, each taking (dataset, lang, width) and returning
(Figure, plotted data).

Every figure is exactly ``style.COLUMN_WIDTH`` or ``style.PAGE_WIDTH`` wide (constrained layout at that size, no
tight bounding box), with no text under ``style.MIN_FONT_SIZE`` points. ``draw`` applies the style context (fonts,
sizes) without touching matplotlib's global settings; ``save_figure`` writes PNG (300 dpi), PDF (TrueType fonts,
searchable), SVG (text as paths, so it looks the same without the font) and the plotted data as CSV, byte-identical
from run to run, and the caption as JSON.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import seaborn
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from . import captions, comparisons, instruments, progress, style
from .captions import Caption, problems_of
from .csvfiles import write_csv
from .dataset import LEVELS, Dataset
from .metrics import required_growth
from .style import COLUMN_WIDTH, OKABE_ITO, PAGE_WIDTH, STATUS_COLOURS, indicator_label, label, period_label, wrap

LANGUAGES = ("en", "zh")
FORMATS = ("png", "pdf", "svg")
_METADATA = {
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    "svg": {"Date": None, "Creator": None},
}

TEXT = {
    "target": ("target", "目标"),
    "outcome": ("reported outcome", "报告实际值"),
    "both": ("target and outcome", "目标与实际值"),
    "lineage": ("lineage: the arrow's head is a <relation> of its tail", "指标沿革：箭头所指指标为箭尾指标的<关系>"),
    "target_of": ("target, {}", "{}目标"),
    "derived": ("outcome derived from a stated change", "由文件所述增幅推算的实际值"),
    "flagged_value": ("rests on a problem in the source register", "所依据数值在问题登记表中有记录"),
    "redefines": ("{}: {}", "{}：{}"),
    "required": ("required", "所需增速"),
    "realised_during": ("realised during the plan", "规划期实际增速"),
    "realised_before": ("realised in the previous five years", "前五年实际增速"),
    "growth_axis": ("compound annual growth (%)", "年均复合增长率（%）"),
    "attainment_axis": ("attainment ratio: outcome / target (log scale)", "完成率：实际值/目标值（对数刻度）"),
    "commitments_axis": ("commitments (each counted once)", "承诺数（每项只计一次）"),
    "all_by_status": ("every reviewed commitment, by status", "全部受评承诺（按状态）"),
    "flagged_bar": (
        "hatched: rests on a registered problem (†: a value in the row does)",
        "斜线：所依据数值在问题登记表中有记录（†：该行有此类数值）",
    ),
    "versus": ("{} {} vs {} {}", "{}{}年 对 {}{}年"),
    "pp": ("pp", "个百分点"),
    "zero_baseline": ("zero baseline: no compound rate", "基期为零：无复合增长率"),
    "disputed_baselines": ("baseline disputed; required growth from each baseline:", "基期有争议；按各基期值所需增速："),
    "reading": ("{}:\u00a0{}", "基期{}为{}"),  # no break inside one reading
    "no_rate": ("no\u00a0rate", "无增长率"),
    "disputed_readings": ("required, from each disputed baseline", "所需增速（按各个有争议的基期值）"),
    "share_axis": ("counts: district target as % of the city's", "总量：区级目标占市级目标的百分比"),
    "relative_level_axis": ("rates: district target as % of the city's level", "比率：区级目标相当于市级水平的百分比"),
    "district_growth_axis": ("required annual growth (%)", "所需年均增速（%）"),
    "not_compared": ("not compared: definitions differ ({})", "不作比较：指标口径不同（{}）"),
    "share_at_baseline": ("district share at the baseline year", "基期区级占比"),
    "district_target_ratio": ("district target relative to the city's", "区级目标相对市级目标"),
    "district_growth": ("district", "区级"),
    "city_growth": ("city", "市级"),
    "targets_axis": ("commitments stated (per document)", "文件所列目标数（按文件）"),
    "national_documents": ("national documents", "国家级文件"),
    "provincial_documents": ("provincial documents", "省级文件"),
    "city_documents": ("city documents", "市级文件"),
    "district_documents": ("district documents", "区级文件"),
    "per_10k": ("occurrences per 10,000 characters", "每万字出现次数"),
    "leads": ("leads", "牵头/负责"),
    "joins": ("joins", "配合"),
    "agency_tasks": ("tasks", "任务数"),
    "shared_tasks": ("tasks the two agencies share", "两机构共同承担的任务数"),
    "agency_number": ("agency (numbered as on the left)", "机构（编号同左图）"),
    "hand": ("hand coding", "人工编码"),
    "precoder": ("pre-coder", "规则预编码"),
    "uncoded": ("uncoded", "未编码"),
    "kappa": ("Cohen's kappa", "科恩kappa"),
    "in_sample": ("in-sample {} (95% CI {})", "样本内{}（95%置信区间{}）"),
    "leave_one_document_out": ("leave-one-document-out {} (95% CI {})", "留一文件外推{}（95%置信区间{}）"),
    instruments.TYPE: ("Instrument type", "政策工具类型"),
    instruments.STAGE: ("Value-chain stage", "价值链环节"),
    "share_of_units": ("% of the document's policy text (characters)", "占该文件政策文本（字数）的百分比"),
    "share_of_group": ("% of the group's policy text (characters)", "占该组政策文本（字数）的百分比"),
    "plan_figure": ("plan figure", "规划所报数值"),
    "issuing_body": ("observation: issuing body", "观测值：发布机关"),
    "official_outlet": ("observation: official outlet", "观测值：官方媒体"),
    "mirror": ("observation: mirror or repost", "观测值：转载"),
    "hollow_derived": ("hollow: derived from a stated rate or margin", "空心：由所述增长率或差额推算"),
    "period_target": ("{} target", "{}目标"),
    "required_path": ("required path from the baseline (dotted)", "由基期值到目标的所需路径（点线）"),
    "definition_colour": ("colour: one per definition; a redefined indicator starts a new line",
                          "颜色：每种口径一色，口径变化另起一线"),
    "series_break_note": ("series break in the register: points not joined", "问题登记中的序列断点：不连线"),
    "reference_region": ("thin, faded: {}", "细线、浅色：{}"),
}
STAGE_ORDER = ("creation", "utilisation", "protection", "management", "services")


def _label(key: str, lang: str) -> str:
    return style.TEXT[key][LANGUAGES.index(lang)] if key in style.TEXT else TEXT[key][LANGUAGES.index(lang)]


def _figure(width: float, height: float) -> Figure:
    """A figure of the final printed size, laid out by constrained layout (so nothing is cut off or resized)."""
    return Figure(figsize=(width, height), layout="constrained")


def _plain_log_axis(axes: Axes, ticks: list[float]) -> None:
    """Log-scaled x axis labelled 0.5, 1, 2 ... instead of powers of ten."""
    axes.set_xscale("log")
    axes.set_xticks(ticks)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.xaxis.set_minor_formatter(FuncFormatter(lambda value, _: ""))


def _heatmap(
    axes: Axes,
    matrix: pd.DataFrame,
    xlabels: list[str],
    ylabels: list[str] | None,
    vmax: float,
    **options,
) -> None:
    """An annotated seaborn heatmap (counts or percentages) with horizontal row labels (none if ylabels is None)."""
    seaborn.heatmap(
        matrix.astype(float),
        ax=axes,
        cmap="Blues",
        vmin=0,
        vmax=vmax,
        annot=True,
        fmt=".0f",
        annot_kws={"fontsize": style.MIN_FONT_SIZE},
        linewidths=0.4,
        linecolor="white",
        cbar=False,
        **options,
    )
    axes.set_xticks(np.arange(matrix.shape[1]) + 0.5, xlabels, rotation=90)
    axes.set_yticks(np.arange(matrix.shape[0]) + 0.5 if ylabels is not None else [], ylabels or [], rotation=0)
    axes.tick_params(length=0)
    axes.set_xlabel("")
    axes.set_ylabel("")


# -- indicator coverage
def _lineage_order(dataset: Dataset, indicators: list[str]) -> tuple[list[str], dict[str, int]]:
    """Indicators grouped by lineage family (connected components of the lineage graph), each family in path order
    so that linked indicators sit on adjacent rows; families in the order of their first member."""
    index = {indicator_id: n for n, indicator_id in enumerate(indicators)}
    links = dataset.indicator_lineage
    links = links[links["from_indicator_id"].isin(index) & links["to_indicator_id"].isin(index)]
    rows, columns = links["from_indicator_id"].map(index).to_numpy(), links["to_indicator_id"].map(index).to_numpy()
    graph = coo_array((np.ones(len(rows)), (rows, columns)), shape=(len(indicators), len(indicators)))
    _, family = connected_components(graph, directed=False)
    neighbours: dict[str, set[str]] = {indicator_id: set() for indicator_id in indicators}
    for a, b in links[["from_indicator_id", "to_indicator_id"]].itertuples(index=False):
        neighbours[a].add(b)
        neighbours[b].add(a)
    ordered: list[str] = []
    for indicator_id in indicators:
        if indicator_id in ordered:
            continue
        members = [i for i in indicators if family[index[i]] == family[index[indicator_id]]]
        start = min(members, key=lambda i: (len(neighbours[i]) > 1, index[i]))  # a path's end, where there is one
        stack = [start]
        while stack:  # depth first: a chain of links comes out as consecutive rows
            current = stack.pop()
            if current not in ordered:
                ordered.append(current)
                stack.extend(sorted(neighbours[current] - set(ordered), key=index.get, reverse=True))
    return ordered, {indicator_id: int(family[index[indicator_id]]) for indicator_id in ordered}


def indicator_coverage(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Indicators x documents: where each targeted indicator is targeted or reported, with its lineage links."""
    targets, outcomes = dataset.canonical_targets, dataset.outcomes
    stage = dataset.indicators.set_index("indicator_id")["value_chain_stage"]
    by_stage = sorted(targets["indicator_id"].unique(), key=lambda i: (STAGE_ORDER.index(stage[i]), i))
    indicators, family = _lineage_order(dataset, by_stage)
    documents = dataset.document_order
    cells = []
    for indicator_id in indicators:
        for doc_id in documents:
            targeted = ((targets["indicator_id"] == indicator_id) & (targets["doc_id"] == doc_id)).any()
            reported = ((outcomes["indicator_id"] == indicator_id) & (outcomes["doc_id"] == doc_id)).any()
            role = "both" if targeted and reported else "target" if targeted else "outcome" if reported else ""
            cells.append(
                {
                    "indicator_id": indicator_id,
                    "value_chain_stage": stage[indicator_id],
                    "lineage_family": family[indicator_id],
                    "doc_id": doc_id,
                    "role": role,
                }
            )
    data = pd.DataFrame(cells)
    names = [wrap(indicator_label(dataset, i, lang), 64, lang) for i in indicators]
    heights = [1.0 + 0.7 * name.count("\n") for name in names]
    centre = dict(zip(indicators, np.cumsum(heights) - np.array(heights) / 2, strict=True))
    total = float(sum(heights))
    figure = _figure(width, 0.145 * total + 1.0)
    axes = figure.add_subplot()
    colours = {"target": OKABE_ITO["blue"], "outcome": OKABE_ITO["orange"], "both": OKABE_ITO["green"]}
    for cell in data[data["role"] != ""].itertuples():
        height = heights[indicators.index(cell.indicator_id)] - 0.25
        x = documents.index(cell.doc_id)
        axes.add_patch(
            Rectangle((x - 0.42, centre[cell.indicator_id] - height / 2), 0.84, height, color=colours[cell.role], lw=0)
        )
    links = dataset.indicator_lineage
    links = links[links["from_indicator_id"].isin(centre) & links["to_indicator_id"].isin(centre)]
    pairs = links.groupby(["to_indicator_id", "from_indicator_id"], sort=False)["relation"].agg(list)
    lineage_x = len(documents) - 0.35
    for (original, derived), relations in pairs.items():
        axes.annotate(
            "",
            xy=(lineage_x, centre[derived]),
            xytext=(lineage_x, centre[original]),
            arrowprops={"arrowstyle": "-|>", "color": OKABE_ITO["purple"], "lw": 0.7, "shrinkA": 1.5, "shrinkB": 1.5},
        )
        axes.text(
            lineage_x + 0.1,
            (centre[derived] + centre[original]) / 2,
            ("、" if lang == "zh" else ", ").join(label(r, lang) for r in relations),
            color=OKABE_ITO["purple"],
            fontsize=style.MIN_FONT_SIZE,
            va="center",
        )
    axes.set_xlim(-0.5, len(documents) + 1.3)
    axes.set_ylim(total, 0)
    axes.set_xticks(range(len(documents)), [wrap(dataset.document_label(d, lang), 13, lang) for d in documents])
    axes.xaxis.tick_top()
    axes.set_yticks(list(centre.values()), names)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    handles = [Patch(color=colours[k], label=_label(k, lang)) for k in ("target", "outcome", "both")]
    handles.append(Line2D([], [], color=OKABE_ITO["purple"], lw=0.7, marker=">", markersize=3, label=_label("lineage", lang)))
    figure.legend(handles=handles, loc="outside lower center", ncol=4)
    return figure, data


# -- 13th vs 14th plans, growth, attainment, district vs city
def _measure_points(dataset: Dataset, region: str, indicator_id: str) -> list[dict]:
    """Every level commitment and every dated outcome of one measure in one region: what a trajectory panel draws (a
    target two documents state is one commitment, one point, sourced to both statements)."""
    periods = dataset.documents.set_index("doc_id")["plan_period"]
    commitments = dataset.commitments
    commitments = commitments[
        (commitments["indicator_id"] == indicator_id)
        & (commitments["region"] == region)
        & commitments["target_form"].isin(("level", "unclear"))  # an unclear form is drawn at its level reading
        & commitments["period_start"].isna()
    ]
    points = [
        {
            "kind": "target",
            "plan_period": periods[t.doc_id],
            "year": int(t.target_year),
            "value": t.target_value,
            "derived": False,
            "sources": t.target_ids,
        }
        for t in commitments.itertuples()
    ]
    outcomes = dataset.outcomes
    outcomes = outcomes[
        (outcomes["indicator_id"] == indicator_id) & (outcomes["region"] == region) & outcomes["period_start"].isna()
    ].sort_values(["year", "is_derived", "outcome_id"])
    points += [
        {
            "kind": "outcome",
            "plan_period": None,
            "year": int(o.year),
            "value": o.value,
            "derived": bool(o.is_derived),
            "sources": o.outcome_id,
        }
        for o in outcomes.drop_duplicates("year").itertuples()
    ]
    for point in points:
        point["problem_ids"] = ";".join(problems_of(dataset, point["sources"].split(";")))
    return points


def _families(changes: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(region, measures) per group of indicators linked by the plan comparison: earlier measures first."""
    families = []
    for region, rows in changes.groupby("region", sort=False):
        later = set(rows["later_indicator_id"])
        earlier = [m for m in dict.fromkeys(rows["indicator_id"]) if m not in later]
        measures = earlier + list(dict.fromkeys(rows["later_indicator_id"]))
        index = {m: n for n, m in enumerate(measures)}
        graph = coo_array(
            (np.ones(len(rows)), (rows["indicator_id"].map(index), rows["later_indicator_id"].map(index))),
            shape=(len(measures), len(measures)),
        )
        _, component = connected_components(graph, directed=False)
        for number in dict.fromkeys(component):
            families.append((region, [m for m in measures if component[index[m]] == number]))
    return families


PERIOD_COLOURS = (OKABE_ITO["grey"], OKABE_ITO["vermillion"], OKABE_ITO["sky"], OKABE_ITO["green"], OKABE_ITO["purple"])


def plan_changes(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Each indicator a region's earlier plan targets and its next plan keeps or redefines: one panel per measure,
    on its own scale, with its targets and reported values over time. A redefined indicator gets its own panel beside
    its predecessor, never a shared line or scale."""
    changes = comparisons.plan_changes(dataset)
    changes = changes[changes["change"].isin(["kept", "redefined"])]
    families = _families(changes)
    relations = {  # (region, later indicator) -> (later period, relations): a region's own redefinitions only
        key: (rows["later_period"].iloc[0], list(dict.fromkeys(rows["relation"])))
        for key, rows in changes[changes["change"] == "redefined"].groupby(["region", "later_indicator_id"], sort=False)
    }
    several_regions = changes["region"].nunique() > 1  # then each panel names its region
    columns = max(4, *(len(measures) for _, measures in families))
    placed: list[list[tuple[int, str, str]]] = [[]]  # per grid row: (family, region, measure), families kept whole
    for number, (region, measures) in enumerate(families):
        if len(placed[-1]) + len(measures) > columns:
            placed.append([])
        placed[-1] += [(number + 1, region, measure) for measure in measures]
    figure = _figure(width, 1.55 * len(placed) + 0.55)
    grid = figure.subplots(len(placed), columns, squeeze=False)
    title_width = int((width / columns - 0.35) * 72 / (style.SMALL_FONT_SIZE * 0.52))  # Latin characters per line
    periods = dataset.plan_periods  # targets of every period a panel shows, each period in its own colour
    colours = {period: PERIOD_COLOURS[n % len(PERIOD_COLOURS)] for n, period in enumerate(periods)}
    styles = {
        **{("target", period): ("s", colour, colour) for period, colour in colours.items()},
        ("outcome", False): ("o", OKABE_ITO["blue"], OKABE_ITO["blue"]),
        ("outcome", True): ("o", OKABE_ITO["blue"], "white"),
    }
    rows = []
    for grid_row, members in zip(grid, placed, strict=True):
        for panel, (family, region, indicator_id) in zip(grid_row, members, strict=False):
            points = pd.DataFrame(_measure_points(dataset, region, indicator_id))
            outcomes = points[points["kind"] == "outcome"]
            panel.plot(outcomes["year"], outcomes["value"], color=OKABE_ITO["blue"], lw=0.6, zorder=1)
            for point in points.itertuples():
                key = ("target", point.plan_period) if point.kind == "target" else ("outcome", point.derived)
                marker, edge, face = styles[key]
                size = 30 if point.kind == "target" else 14  # a target under an equal outcome stays visible
                panel.scatter(point.year, point.value, marker=marker, s=size, edgecolors=edge, facecolors=face, lw=0.9, zorder=2)
                if point.problem_ids:
                    panel.annotate("†", (point.year, point.value), xytext=(3, 2), textcoords="offset points", fontsize=7)
            unit = dataset.indicators.set_index("indicator_id").loc[indicator_id, "unit"]
            name = indicator_label(dataset, indicator_id, lang)
            title = f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})"
            if several_regions:
                title = ("{}：{}" if lang == "zh" else "{}: {}").format(dataset.region_name(region, lang), title)
            title = wrap(title, title_width, lang)
            if (region, indicator_id) in relations:
                later, relation_ids = relations[region, indicator_id]
                changed = "、".join if lang == "zh" else ", ".join
                title += "\n← " + _label("redefines", lang).format(
                    period_label(later, lang), changed(label(r, lang) for r in relation_ids)
                )
            panel.set_title(title, loc="left", fontsize=style.SMALL_FONT_SIZE)
            panel.set_ylim(0, points["value"].max() * 1.3)
            panel.yaxis.set_major_locator(MaxNLocator(3, integer=bool((points["value"] % 1 == 0).all())))
            panel.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _compact_number(value, lang)))
            rows += [{"family": family, "region": region, "indicator_id": indicator_id, **p} for p in points.to_dict("records")]
        for panel in grid_row[len(members) :]:
            panel.set_visible(False)
    data = pd.DataFrame(rows)
    years = range(int(data["year"].min()) // 5 * 5, int(data["year"].max()) + 1, 5)
    for panel in grid.flat:
        panel.set_xlim(years[0] - 1, years[-1] + 1)
        panel.set_xticks(list(years))
    targeted = set(data.loc[data["kind"] == "target", "plan_period"])
    handles = [
        *[Line2D([], [], marker="s", color=colours[period], ls="",
                 label=_label("target_of", lang).format(period_label(period, lang)))
          for period in periods if period in targeted],
        Line2D([], [], marker="o", color=OKABE_ITO["blue"], label=_label("outcome", lang)),
        Line2D([], [], marker="o", color=OKABE_ITO["blue"], markerfacecolor="white", label=_label("derived", lang)),
        Line2D([], [], marker="$†$", color=OKABE_ITO["black"], ls="", label=_label("flagged_value", lang)),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=3)
    return figure, data


def _flag(text: str, problem_ids: str) -> str:
    """A label with a dagger when the value rests on a registered problem."""
    return f"{text} †" if problem_ids else text


def _documents_label(dataset: Dataset, doc_ids: str, lang: str) -> str:
    """The documents stating a commitment ('a;b' -> 'A & B')."""
    return " & ".join(dataset.document_label(doc_id, lang) for doc_id in doc_ids.split(";"))


def _readings(dataset: Dataset, row) -> list[tuple[float, float | None]]:
    """(baseline, required growth) under each reading of a commitment's baseline: the one the plan's comparison uses
    and every figure of its own documents that disputes it (comparisons' baseline_disputed_by)."""
    values = dataset.outcomes.set_index("outcome_id")["value"]
    baselines = [row.baseline_value, *(values[i] for i in row.baseline_disputed_by.split(";"))]
    return [(b, required_growth(b, row.baseline_year, row.target_value, row.target_year).value) for b in baselines]


def _rate_note(readings: list[tuple[float, float | None]] | None, baseline: float, lang: str) -> str:
    """Why a row has no required-growth bar: the required growth under each disputed baseline, or a zero baseline."""
    if readings:
        each = [
            _label("reading", lang).format(_compact_number(b, lang), _label("no_rate", lang) if rate is None else f"{rate:.1%}")
            for b, rate in readings
        ]
        return _label("disputed_baselines", lang) + "\n" + ("、" if lang == "zh" else ", ").join(each)
    return _label("zero_baseline", lang) if baseline == 0 else ""


def growth(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Required vs realised compound annual growth for every commitment with a baseline. A baseline the plan's own
    figures dispute gets one dot per reading (the required growth from each baseline, given in the row's label), not
    one bar; a zero baseline has no rate and its label says so. A bar is hatched when a row it comes from (the
    target, the baseline, the outcome five years before or at the target year) rests on a registered problem, and its
    row is marked."""
    data = comparisons.ambition_table(dataset).reset_index(drop=True)
    commitments = dataset.commitments.set_index("commitment_id")
    data["target_ids"] = data["commitment_id"].map(commitments["target_ids"])
    disputed = [ids.split(";") if isinstance(ids, str) else [] for ids in data["baseline_disputed_by"]]
    rests_on = {  # the rows each bar's value comes from
        "required_growth": [
            [*r.target_ids.split(";"), r.baseline_source, *ids] for r, ids in zip(data.itertuples(), disputed, strict=True)
        ],
        "realised_growth_during": [[r.baseline_source, r.during_source] for r in data.itertuples()],
        "realised_growth_before": [[r.before_source, r.baseline_source] for r in data.itertuples()],
    }
    for column, rows in rests_on.items():
        data[f"{column}_problem_ids"] = [";".join(problems_of(dataset, ids)) for ids in rows]
    data["problem_ids"] = [
        ";".join(problems_of(dataset, [i for rows in rests_on.values() for i in rows[n]])) for n in range(len(data))
    ]
    readings = [_readings(dataset, row) if ids else None for row, ids in zip(data.itertuples(), disputed, strict=True)]
    data["required_growth_readings"] = [
        None if each is None else ";".join(f"{b:g}:{'' if rate is None else f'{rate:.6g}'}" for b, rate in each)
        for each in readings
    ]
    series = {
        "required_growth": ("required", OKABE_ITO["vermillion"]),
        "realised_growth_during": ("realised_during", OKABE_ITO["blue"]),
        "realised_growth_before": ("realised_before", OKABE_ITO["sky"]),
    }
    names = []
    for r, each in zip(data.itertuples(), readings, strict=True):
        name = wrap(
            f"{indicator_label(dataset, r.indicator_id, lang)} · {dataset.region_name(r.region, lang)} "
            f"{r.baseline_year}–{r.target_year}",
            58,
            lang,
        )
        note = _rate_note(each, r.baseline_value, lang) if pd.isna(r.required_growth) else ""
        names.append(_flag(name + ("\n" + note if note else ""), r.problem_ids))
    heights = [1.0 + 0.45 * name.count("\n") for name in names]
    centres = np.cumsum(heights) - np.array(heights) / 2
    figure = _figure(width, 0.3 * sum(heights) + 1.0)
    axes = figure.add_subplot()
    for offset, (column, (key, colour)) in zip((-0.27, 0.0, 0.27), series.items(), strict=True):
        values = data[column] * 100
        bars = axes.barh(centres + offset, values.fillna(0), height=0.26, color=colour, label=_label(key, lang))
        for bar, value, flagged in zip(bars, values, data[f"{column}_problem_ids"] != "", strict=True):
            bar.set_visible(bool(pd.notna(value)))
            if flagged:
                bar.set_hatch("//////")
                bar.set_edgecolor("white")
    for each, centre in zip(readings, centres, strict=True):
        rates = [rate * 100 for _, rate in each or () if rate is not None]  # a zero baseline's reading has no rate
        axes.scatter(rates, [centre - 0.27] * len(rates), marker="o", s=14, color=OKABE_ITO["vermillion"], zorder=3)
        if len(rates) > 1:
            axes.plot([min(rates), max(rates)], [centre - 0.27] * 2, ls=":", lw=0.8, color=OKABE_ITO["vermillion"])
    axes.set_yticks(centres, names)
    axes.set_ylim(sum(heights), 0)
    axes.axvline(0, color=OKABE_ITO["black"], linewidth=0.5)
    axes.set_xlabel(_label("growth_axis", lang))
    handles = [Patch(color=colour, label=_label(key, lang)) for key, colour in series.values()]
    handles.append(Line2D([], [], marker="o", ls="", color=OKABE_ITO["vermillion"], label=_label("disputed_readings", lang)))
    handles.append(Patch(facecolor=OKABE_ITO["grey"], hatch="//////", edgecolor="white", label=_label("flagged_bar", lang)))
    figure.legend(handles=handles, loc="outside lower center", ncol=3)
    return figure, data


def attainment(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Attainment of every commitment a later document reviews, each counted once: the outcome/target ratio of those
    reported (grouped by the documents stating them), and how many of each group end in each status."""
    # the figure draws the plans' own judgement; progress_status (notebook 05's) is in attainment.csv
    data = comparisons.attainment_table(dataset).drop(columns=["progress_status", "progress_first_reached_year"])
    data["problem_ids"] = [
        ";".join(problems_of(dataset, [*row.target_ids.split(";"), row.outcome_id, row.baseline_source]))
        for row in data.itertuples()
    ]
    groups = list(dict.fromkeys(data["doc_ids"]))
    figure = _figure(width, 3.6)
    ratios, counts = figure.subplots(1, 2, width_ratios=[1.7, 1])
    rows: list[tuple[str, str | None]] = []  # (label, commitment) with group headings in between
    for doc_ids in groups:
        members = data[(data["doc_ids"] == doc_ids) & data["attainment_ratio"].notna()].sort_values("attainment_ratio")
        if members.empty:
            continue
        rows.append((wrap(_documents_label(dataset, doc_ids, lang), 60, lang), None))
        rows += [
            (_flag(wrap(indicator_label(dataset, r.indicator_id, lang), 48, lang), r.problem_ids), r.commitment_id)
            for r in members.itertuples()
        ]
    by_id = data.set_index("commitment_id")
    for position, (_, commitment) in enumerate(rows):
        if commitment is None:
            continue
        row = by_id.loc[commitment]
        colour = STATUS_COLOURS[row["status"]]
        ratios.plot([1, row["attainment_ratio"]], [position] * 2, color=colour, lw=0.9)
        ratios.scatter(row["attainment_ratio"], position, color=colour, s=16, zorder=3)
    ratios.set_yticks(range(len(rows)), [text for text, _ in rows])
    for tick, (_, commitment) in zip(ratios.get_yticklabels(), rows, strict=True):
        if commitment is None:
            tick.set_color(OKABE_ITO["grey"])
    ratios.set_ylim(len(rows) - 0.5, -0.5)
    finite = data["attainment_ratio"].dropna()
    _plain_log_axis(ratios, [0.5, 0.75, 1, 1.5, 2, 3])
    ratios.set_xlim(min(finite.min(), 0.6) / 1.15, max(finite.max(), 2) * 1.15)
    ratios.axvline(1, color=OKABE_ITO["black"], lw=0.5, ls=":")
    ratios.set_xlabel(_label("attainment_axis", lang))
    left = np.zeros(len(groups))
    for status, colour in STATUS_COLOURS.items():
        number = np.array([((data["doc_ids"] == g) & (data["status"] == status)).sum() for g in groups])
        counts.barh(range(len(groups)), number, left=left, color=colour, label=label(status, lang))
        left += number
    counts.set_yticks(range(len(groups)), [wrap(_documents_label(dataset, g, lang), 26, lang) for g in groups])
    counts.yaxis.tick_right()
    counts.set_ylim(len(groups) - 0.5, -0.5)
    counts.xaxis.set_major_locator(MaxNLocator(integer=True))
    counts.set_xlabel(_label("commitments_axis", lang))
    counts.set_title(_label("all_by_status", lang), fontsize=style.SMALL_FONT_SIZE)
    counts.spines["left"].set_visible(False)
    counts.spines["right"].set_visible(True)
    figure.legend(*counts.get_legend_handles_labels(), loc="outside lower center", ncol=4)
    return figure, data


def _is_rate(dataset: Dataset, indicator_id: str) -> bool:
    """A level per something (件/万人) or a percentage: a district's value is not a share of the city's."""
    unit = dataset.indicators.set_index("indicator_id").loc[indicator_id, "unit"]
    return "/" in unit or unit == "%"


def district_vs_city(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Each district commitment that a city plan of the same period also targets: the district target as a share of
    the city's (counts) or relative to the city's level (rates), and the annual growth each requires; rows whose
    indicators differ in definition are shown with the reason, never as a ratio."""
    data = comparisons.district_vs_city(dataset).copy()
    data["comparison"] = [
        "not_compared" if r.relation != "same" else "relative_level" if _is_rate(dataset, r.indicator_id) else "share"
        for r in data.itertuples()
    ]
    data["problem_ids"] = [";".join(problems_of(dataset, [r.district_target_id, r.city_target_id])) for r in data.itertuples()]
    city_region = {r.district: dataset.regions.set_index("region_id").loc[r.district, "parent_region"] for r in data.itertuples()}
    names = [
        _flag(
            wrap(indicator_label(dataset, r.indicator_id, lang), 40, lang)
            + "\n"
            + _label("versus", lang).format(
                dataset.region_name(r.district, lang),
                r.district_target_year,
                dataset.region_name(city_region[r.district], lang),
                r.city_target_year,
            ),
            r.problem_ids,
        )
        for r in data.itertuples()
    ]
    figure = _figure(width, 0.42 * len(data) + 1.3)
    panels = figure.subplots(1, 3, sharey=True, width_ratios=[1, 1, 1.1])
    positions = np.arange(len(data))
    for panel, kind in zip(panels[:2], ("share", "relative_level"), strict=True):
        chosen = data["comparison"] == kind
        panel.barh(positions[chosen], data.loc[chosen, "level_ratio"] * 100, color=OKABE_ITO["sky"], height=0.5)
        if kind == "share":
            known = chosen & data["district_share_at_baseline"].notna()
            panel.scatter(
                data.loc[known, "district_share_at_baseline"] * 100,
                positions[known],
                marker="D",
                s=14,
                color=OKABE_ITO["blue"],
                zorder=3,
                label=_label("share_at_baseline", lang),
            )
        panel.set_xlabel(wrap(_label(f"{kind}_axis", lang), 40, lang))
        panel.set_xlim(0, max(100, float((data.loc[chosen, "level_ratio"] * 100).max() if chosen.any() else 0)) * 1.05)
    for position, row in zip(positions, data.itertuples(), strict=True):
        if row.comparison != "not_compared":
            panel = panels[0] if row.comparison == "share" else panels[1]
            values = f"{_compact_number(row.district_target, lang)} / {_compact_number(row.city_target, lang)} {row.unit}"
            panel.annotate(
                values,
                (row.level_ratio * 100, position),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=style.MIN_FONT_SIZE,
            )
        else:
            panels[0].text(
                2,
                position,
                wrap(_label("not_compared", lang).format(label(row.relation, lang)), 44, lang),
                va="center",
                fontsize=style.MIN_FONT_SIZE,
                color=OKABE_ITO["grey"],
            )
    growth_panel = panels[2]
    grown = data.dropna(subset=["escalation"])
    for row in grown.itertuples():
        position = positions[row.Index]
        district, city = row.district_required_growth * 100, row.city_required_growth * 100
        growth_panel.plot([district, city], [position] * 2, color=OKABE_ITO["grey"], lw=0.8, zorder=1)
        growth_panel.scatter(district, position, color=OKABE_ITO["orange"], s=18, zorder=2)
        growth_panel.scatter(city, position, color=OKABE_ITO["blue"], s=18, zorder=2)
        growth_panel.annotate(
            f"{row.escalation * 100:+.1f} {_label('pp', lang)}",
            ((district + city) / 2, position),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            fontsize=style.MIN_FONT_SIZE,
        )
    growth_panel.axvline(0, color=OKABE_ITO["black"], lw=0.5)
    growth_panel.set_xlabel(wrap(_label("district_growth_axis", lang), 34, lang))
    low = min(0.0, float(grown[["district_required_growth", "city_required_growth"]].min().min()) * 100) if len(grown) else 0
    high = max(1.0, float(grown[["district_required_growth", "city_required_growth"]].max().max()) * 100) if len(grown) else 1
    growth_panel.set_xlim(low - 1, high * 1.3)
    panels[0].set_yticks(positions, names)
    panels[0].set_ylim(len(data) - 0.5, -0.5)
    handles = [
        Patch(color=OKABE_ITO["sky"], label=_label("district_target_ratio", lang)),
        Line2D([], [], marker="D", color=OKABE_ITO["blue"], ls="", markersize=4, label=_label("share_at_baseline", lang)),
        Line2D([], [], marker="o", color=OKABE_ITO["orange"], ls="", markersize=4, label=_label("district_growth", lang)),
        Line2D([], [], marker="o", color=OKABE_ITO["blue"], ls="", markersize=4, label=_label("city_growth", lang)),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=4)
    return figure, data


def reporting_coverage(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """For each 13th-period document, how many targets a later document reports, by status."""
    data = comparisons.reporting_coverage(comparisons.attainment_table(dataset))
    figure = _figure(width, 2.0)
    axes = figure.add_subplot()
    left = np.zeros(len(data))
    for status, colour in STATUS_COLOURS.items():
        counts = data[f"n_{status}"].to_numpy()
        axes.barh(range(len(data)), counts, left=left, color=colour, label=label(status, lang))
        left += counts
    axes.set_yticks(range(len(data)), [wrap(dataset.document_label(d, lang), 24, lang) for d in data["doc_id"]])
    axes.set_ylim(len(data) - 0.5, -0.5)
    axes.set_xlabel(_label("targets_axis", lang))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.legend(*axes.get_legend_handles_labels(), loc="outside lower center", ncol=2)
    return figure, data


# -- policy instruments
def code_label(dataset: Dataset, code_id: str, lang: str) -> str:
    """A codebook entry's label (or "uncoded") in `lang`."""
    if code_id == instruments.UNCODED:
        return _label("uncoded", lang)
    row = dataset.codebook.set_index("code_id").loc[code_id]
    return row["label_zh"] if lang == "zh" else row["label_en"]


def _instrument_panels(figure: Figure, dataset: Dataset, lang: str, table: pd.DataFrame, groups: list[tuple[str, str]]) -> None:
    """One type x stage heatmap of shares (%) per group, on a shared colour scale, row labels on the first."""
    panels = figure.subplots(1, len(groups))
    vmax = table["character_share"].max() * 100
    for n, (panel, (group, title)) in enumerate(zip(panels, groups, strict=True)):
        matrix = instruments.crosstab(table, group, "character_share") * 100
        _heatmap(
            panel,
            matrix,
            [code_label(dataset, c, lang) for c in matrix.columns],
            [wrap(code_label(dataset, c, lang), 14, lang) for c in matrix.index] if n == 0 else None,
            vmax,
        )
        panel.set_title(wrap(title, 22, lang))


def instruments_by_document(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Shares of each document's policy text by instrument type x value-chain stage (one heatmap per document)."""
    data = instruments.instrument_stage_table(dataset, "doc_id")
    figure = _figure(width, 2.5)
    groups = [(d, dataset.document_label(d, lang)) for d in dataset.document_order]
    _instrument_panels(figure, dataset, lang, data, groups)
    figure.suptitle(_label("share_of_units", lang), fontsize=style.FONT_SIZE)
    return figure, data


def instruments_by_group(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Shares of policy text by instrument type x stage, per plan period and per level (city, district ...)."""
    data = pd.concat(
        [instruments.instrument_stage_table(dataset, "plan_period"), instruments.instrument_stage_table(dataset, "level")]
    )
    figure = _figure(width, 2.5)
    levels = [level for level in LEVELS if level in set(dataset.documents["level"])]
    groups = [(period, period_label(period, lang)) for period in dataset.plan_periods]
    _instrument_panels(figure, dataset, lang, data, groups + [(level, _label(f"{level}_documents", lang)) for level in levels])
    figure.suptitle(_label("share_of_group", lang), fontsize=style.FONT_SIZE)
    return figure, data


def keyword_profiles(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Theme keyword intensity per 10,000 characters, by document."""
    data = instruments.keyword_intensity(dataset)
    matrix = data.pivot(index="theme_id", columns="doc_id", values="per_10k").reindex(
        index=data["theme_id"].unique(), columns=dataset.document_order
    )
    names = data.drop_duplicates("theme_id").set_index("theme_id")["label_zh" if lang == "zh" else "label_en"]
    figure = _figure(width, 3.2)
    axes = figure.add_subplot()
    _heatmap(
        axes,
        matrix,
        [wrap(dataset.document_label(d, lang), 16, lang) for d in dataset.document_order],
        [names[t] for t in matrix.index],
        float(matrix.to_numpy().max()),
    )
    axes.set_title(_label("per_10k", lang))
    return figure, data


def agencies(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """The agencies most often named responsible: tasks each leads or joins (ranked), and how many tasks the busiest
    ones share with each other (a labelled matrix)."""
    roles = instruments.agency_roles(dataset)
    links = instruments.co_responsibility(dataset)
    name = "agency_zh" if lang == "zh" else "agency_en"
    ranked, matrixed = roles.head(15).copy(), roles.head(10)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    shared = pd.DataFrame(0, index=matrixed["agency_zh"], columns=matrixed["agency_zh"], dtype=float)
    for link in links.itertuples():
        if link.agency_a in shared.index and link.agency_b in shared.index:
            shared.loc[link.agency_a, link.agency_b] = shared.loc[link.agency_b, link.agency_a] = link.shared_tasks
    figure = _figure(width, 3.4)
    bars, matrix = figure.subplots(1, 2, width_ratios=[1.25, 1])
    positions = np.arange(len(ranked))
    bars.barh(positions, ranked["leads"], color=OKABE_ITO["blue"], label=_label("leads", lang))
    bars.barh(positions, ranked["joins"], left=ranked["leads"], color=OKABE_ITO["sky"], label=_label("joins", lang))
    bars.set_yticks(positions, [f"{r.rank}  {wrap(getattr(r, name), 40, lang)}" for r in ranked.itertuples()])
    bars.set_ylim(len(ranked) - 0.5, -0.5)
    bars.set_xlabel(_label("agency_tasks", lang))
    bars.legend(loc="lower right")
    numbers = [str(n) for n in range(1, len(matrixed) + 1)]
    lower = shared.iloc[1:, :-1]  # each pair once: row agency below column agency
    seaborn.heatmap(
        lower,
        ax=matrix,
        mask=np.triu(np.ones(lower.shape, dtype=bool), k=1),
        cmap="Blues",
        vmin=0,
        annot=True,
        fmt=".0f",
        square=True,
        annot_kws={"fontsize": style.MIN_FONT_SIZE},
        linewidths=0.4,
        linecolor="white",
        cbar_kws={"label": _label("shared_tasks", lang), "shrink": 0.8},
    )
    matrix.set_xticks(np.arange(len(numbers) - 1) + 0.5, numbers[:-1], rotation=0)
    matrix.set_yticks(np.arange(len(numbers) - 1) + 0.5, numbers[1:], rotation=0)
    matrix.set_xlabel(_label("agency_number", lang))
    matrix.set_ylabel(_label("agency_number", lang))
    matrix.tick_params(length=0)
    colourbar = matrix.collections[0].colorbar
    colourbar.ax.tick_params(labelsize=style.SMALL_FONT_SIZE)
    colourbar.ax.yaxis.label.set_size(style.SMALL_FONT_SIZE)
    data = ranked.join(shared.set_axis([f"shares_with_{n}" for n in numbers], axis=1).reset_index(drop=True))
    return figure, data


def precoder_agreement(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Confusion of the rule-based pre-coder against the hand coding: instrument type and value-chain stage, each
    titled with Cohen's kappa in-sample and leave-one-document-out, with their 95 % bootstrap intervals."""
    coded = instruments.precode_units(dataset)
    scores = instruments.agreement(dataset).set_index(["estimate", "dimension"])
    codebook = dataset.codebook
    dimensions = ((instruments.TYPE, "hand_type", "precoded_type"), (instruments.STAGE, "hand_stage", "precoded_stage"))
    matrices = []
    for dimension, hand, machine in dimensions:
        codes = codebook.loc[codebook["dimension"] == dimension, "code_id"].tolist()
        matrices.append(instruments.confusion(coded[hand].tolist(), coded[machine].tolist(), codes))
    figure = _figure(width, 2.9)
    panels = figure.subplots(1, 2, width_ratios=[m.shape[1] + 2.5 for m in matrices])
    for panel, matrix, (dimension, _, _) in zip(panels, matrices, dimensions, strict=True):
        _heatmap(
            panel,
            matrix,
            [wrap(code_label(dataset, c, lang), 14, lang) for c in matrix.columns],
            [wrap(code_label(dataset, c, lang), 16, lang) for c in matrix.index],
            float(matrix.to_numpy().max()),
        )
        panel.set_xlabel(_label("precoder", lang))
        panel.set_ylabel(_label("hand", lang))
        kappas = [
            _label(estimate, lang).format(f"{score['kappa']:.2f}", f"{score['kappa_low']:.2f}–{score['kappa_high']:.2f}")
            for estimate in ("in_sample", "leave_one_document_out")
            for score in [scores.loc[(estimate, dimension)]]
        ]
        colon = "：" if lang == "zh" else ": "
        panel.set_title("\n".join([f"{_label(dimension, lang)}{colon}{_label('kappa', lang)}", *kappas]))
    return figure, coded


# -- indicator histories (notebook 05)
DEFINITION_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["purple"], OKABE_ITO["green"])
VALUE_MARKERS = {"issuing_body": "o", "official_outlet": "D", "mirror": "^"}  # plan figures: squares
TARGET_MARKERS = ("P", "*", "X", "p")  # by plan period, in order
HISTORY_YEARS = (2015, 2025)


def _definition_colour(segment: int) -> str:
    return DEFINITION_COLOURS[(segment - 1) % len(DEFINITION_COLOURS)]


def _compact_number(value: float, lang: str) -> str:
    """Axis label of a count: 300k / 30万 (values under 10,000 as they are)."""
    if abs(value) < 10_000:
        return f"{value:g}"
    if lang == "zh":
        return f"{value / 1e4:g}万"
    return f"{value / 1e6:g}M" if abs(value) >= 1e6 else f"{value / 1e3:g}k"


def _required_path(start_year: float, start: float, end_year: float, end: float) -> tuple[np.ndarray, np.ndarray]:
    """The compound-growth path from a baseline to a target (straight where a value is zero)."""
    years = np.linspace(start_year, end_year, 21)
    if start > 0 and end > 0:
        return years, start * (end / start) ** ((years - start_year) / (end_year - start_year))
    return years, np.linspace(start, end, 21)


def _history_panel(axes: Axes, dataset: Dataset, panel: pd.DataFrame, references: list[str], periods: list[str]) -> list[str]:
    """Draw one lineage family (regions without targets, such as the national average, as faded references); return
    the indicators of the other lines, in segment order."""
    named: list[str] = []
    for (region, indicator_id), series in panel.groupby(["region", "indicator_id"], sort=False):
        colour = _definition_colour(int(series["segment"].iloc[0]))
        reference = region in references
        alpha, linewidth, size = (0.5, 0.6, 2.4) if reference else (1.0, 0.9, 3.0)
        values = series[series["kind"] == "value"]
        joined = values[values["series_break"].isna()].drop_duplicates("year")
        if len(joined) > 1:
            axes.plot(joined["year"], joined["value"], color=colour, linewidth=linewidth, alpha=alpha, zorder=2)
        for row in values.itertuples():
            axes.plot(row.year, row.value, linestyle="", marker=VALUE_MARKERS.get(row.authority, "s"), markersize=size,
                      markeredgewidth=0.6, color=colour, alpha=alpha, zorder=3,
                      markerfacecolor="white" if row.is_derived else colour)
        for row in series[series["kind"] == progress.TARGET].itertuples():
            if not pd.isna(row.baseline_value) and row.year > row.baseline_year:
                axes.plot(*_required_path(row.baseline_year, row.baseline_value, row.year, row.value), color=colour,
                          linestyle=":", linewidth=0.8, alpha=alpha, zorder=1)
            axes.plot(row.year, row.value, linestyle="", marker=TARGET_MARKERS[periods.index(row.plan_period) % 4],
                      markersize=6, color=colour, markeredgecolor=OKABE_ITO["black"], markeredgewidth=0.4, zorder=4)
        if not reference and indicator_id not in named:
            named.append(indicator_id)
    flagged = panel[(panel["flagged_problems"] != "") & ~panel["region"].isin(references)].sort_values(["year", "value"])
    marked: list[tuple[int, float]] = []  # one dagger for values of one year that sit close together
    for row in flagged.itertuples():
        if not marked or marked[-1][0] != row.year or row.value - marked[-1][1] > 0.08 * panel["value"].max():
            marked.append((row.year, row.value))
            axes.annotate("†", (row.year, row.value), xytext=(3, 0), textcoords="offset points", va="center")
    return named


def _history_axis(axes: Axes, dataset: Dataset, panel: pd.DataFrame, lang: str) -> None:
    """Rank axes upside down (1 = best) with whole numbers; log scale where values span over two decades; else from 0."""
    values = panel["value"].astype(float)
    positive = values[values > 0]
    measure = panel["indicator_id"].map(dataset.indicators.set_index("indicator_id")["measure_type"])
    axes.margins(y=0.1)
    if (measure == "rank").all():
        axes.set_ylim(values.max() + 2, max(values.min() - 2, 0.5))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    elif len(positive) and positive.max() / positive.min() > 100:
        axes.set_yscale("log")
    else:
        axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _compact_number(value, lang)))
    axes.set_xlim(HISTORY_YEARS[0] - 0.5, HISTORY_YEARS[1] + 0.8)
    axes.set_xticks(range(HISTORY_YEARS[0], HISTORY_YEARS[1] + 1, 5))


def indicator_history(dataset: Dataset, lang: str, width: float) -> tuple[Figure, pd.DataFrame]:
    """Small multiples, one panel per lineage family targeted twice or observed over time: values 2015-2025 marked by
    layer and authority, targets at their target years with the required path from their baseline, a new line for
    each new definition, regions without targets (the national average) thin and faded."""
    data = progress.indicator_history(dataset).copy()
    data["flagged_problems"] = [
        ";".join(problems_of(dataset, [row.source_id, row.baseline_id, *str(row.source_id).split(";")]))
        for row in data.itertuples()
    ]
    targeted = set(data.loc[data["kind"] == progress.TARGET, "region"])
    references = [region for region in dict.fromkeys(data["region"]) if region not in targeted]
    periods = dataset.plan_periods
    several_regions = len(targeted) > 1  # then one panel per family and targeted region, named (references in each)
    panels = []  # (family, targeted region or None, rows)
    for family, rows in data.groupby("family", sort=False):
        regions = [region for region in dict.fromkeys(rows["region"]) if region in targeted]
        if not several_regions or not regions:
            panels.append((family, None, rows))
        else:
            panels += [(family, region, rows[rows["region"].isin([region, *references])]) for region in regions]
    columns = 3
    rows = -(-len(panels) // columns)
    figure = _figure(width, 1.6 * rows + 0.8)
    grid = figure.subplots(rows, columns, sharex=True, squeeze=False)
    for axes, (_, region, panel) in zip(grid.flat, panels, strict=False):
        named = _history_panel(axes, dataset, panel, references, periods)
        offset = 3.0
        for indicator_id in reversed(named):  # the first definition on top, each later one below it in its colour
            segment = int(panel.loc[panel["indicator_id"] == indicator_id, "segment"].iloc[0])
            text = wrap(indicator_label(dataset, indicator_id, lang), 46, lang)
            axes.annotate(text, (0, 1), xycoords="axes fraction", xytext=(0, offset), textcoords="offset points",
                          va="bottom", ha="left", fontsize=style.SMALL_FONT_SIZE,
                          color=OKABE_ITO["black"] if segment == 1 else _definition_colour(segment))
            offset += 8.0 * (text.count("\n") + 1)
        if region is not None:
            axes.annotate(dataset.region_name(region, lang), (0, 1), xycoords="axes fraction", xytext=(0, offset),
                          textcoords="offset points", va="bottom", ha="left", fontsize=style.SMALL_FONT_SIZE)
        _history_axis(axes, dataset, panel, lang)
    for axes in list(grid.flat)[len(panels):]:
        axes.set_axis_off()
    marker = {"linestyle": "", "color": OKABE_ITO["black"], "markersize": 3.2}
    handles = [
        Line2D([], [], marker="s", label=_label("plan_figure", lang), **marker),
        *[Line2D([], [], marker=VALUE_MARKERS[a], label=_label(a, lang), **marker) for a in progress.AUTHORITIES],
        Line2D([], [], marker="o", markerfacecolor="white", label=_label("hollow_derived", lang), **marker),
        *[Line2D([], [], marker=TARGET_MARKERS[n % 4], linestyle="", color="white", markeredgecolor=OKABE_ITO["black"],
                 markersize=6, label=_label("period_target", lang).format(period_label(period, lang)))
          for n, period in enumerate(periods)],
        Line2D([], [], linestyle=":", color=OKABE_ITO["black"], label=_label("required_path", lang)),
        Line2D([], [], color=_definition_colour(2), label=_label("definition_colour", lang)),
        Line2D([], [], linestyle="", label=_label("series_break_note", lang)),
        Line2D([], [], marker="$†$", linestyle="", color=OKABE_ITO["black"], label=_label("flagged_value", lang)),
    ]
    if references:
        names = ("、" if lang == "zh" else ", ").join(dataset.region_name(region, lang) for region in references)
        handles.append(Line2D([], [], color=_definition_colour(1), linewidth=0.6, alpha=0.5,
                              label=_label("reference_region", lang).format(names)))
    figure.legend(handles=handles, loc="outside lower center", ncols=2 if lang == "en" else 3)
    return figure, data


FIGURES: dict[str, Callable[[Dataset, str, float], tuple[Figure, pd.DataFrame]]] = {
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
WIDTHS = {name: PAGE_WIDTH for name in FIGURES} | {"reporting_coverage": COLUMN_WIDTH, "keyword_profiles": COLUMN_WIDTH}


def draw(name: str, dataset: Dataset, lang: str, width: float | None = None) -> tuple[Figure, pd.DataFrame]:
    """Draw figure `name` in `lang` at its declared width (or `width`), in the figure style.

    The layout is computed once and then frozen: constrained layout does not always reach the same positions when
    run again, and every format must show the same layout."""
    with style.context():
        figure, data = FIGURES[name](dataset, lang, WIDTHS[name] if width is None else width)
        figure.draw_without_rendering()
    figure.set_layout_engine("none")
    return figure, data


def caption(name: str, dataset: Dataset, lang: str, data: pd.DataFrame | None = None) -> Caption:
    """The caption of figure `name` in `lang`; `data` is the figure's plotted data if already drawn."""
    if data is None:
        with style.context():
            data = FIGURES[name](dataset, lang, WIDTHS[name])[1]
    return captions.CAPTIONS[name](dataset, data, lang)


def figure_bytes(figure: Figure, fmt: str = "png") -> bytes:
    """The figure rendered as the saved file would be (same style, resolution and metadata)."""
    buffer = io.BytesIO()
    with style.context():
        figure.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    return buffer.getvalue()


def save_figure(
    figure: Figure, data: pd.DataFrame, name: str, lang: str, out_dir: Path, caption: Caption | None = None
) -> list[Path]:
    """Write name.png/.pdf/.svg, the plotted data as name.csv and the caption as name.caption.json into out_dir/lang/."""
    folder = Path(out_dir) / lang
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        path = folder / f"{name}.{fmt}"
        path.write_bytes(figure_bytes(figure, fmt))
        written.append(path)
    written.append(write_csv(data, folder / f"{name}.csv", float_format="%.6g"))
    if caption is not None:
        path = folder / f"{name}.caption.json"
        record = {"name": name, "lang": lang, "title": caption.title, "text": caption.text, "alt": caption.alt}
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


def read_caption(path: Path) -> Caption:
    """The caption stored in a name.caption.json written by save_figure."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    return Caption(title=record["title"], text=record["text"], alt=record["alt"])


def write_figure(name: str, dataset: Dataset, lang: str, out_dir: Path) -> list[Path]:
    """Draw figure `name` in `lang`, caption it and write every file (what a build worker does per figure)."""
    figure, data = draw(name, dataset, lang)
    return save_figure(figure, data, name, lang, out_dir, caption(name, dataset, lang, data))

