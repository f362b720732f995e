"""Paper-ready figures in English and Chinese: one function per figure, each returning (Figure, plotted data).

Chinese is drawn with Noto Sans SC (OFL-1.1), shipped by the pinned package pylopdf-fonts-zh-cn and registered
at import. ``publish`` writes PNG (300 dpi), PDF and SVG with the data beside them as CSV, byte-identical from
run to run (no dates, creator strings or random ids).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import comparisons, instruments
from .config import FIGURES_DIR, FONT_FILE
from .dataset import Dataset
from .metrics import ACHIEVED, NOT_ACHIEVED, NOT_COMPARABLE, NOT_REPORTED

FONT_NAME = "Noto Sans SC"
LANGUAGES = ("en", "zh")
FORMATS = {
    "png": {"dpi": 300, "metadata": {"Software": None}},
    "pdf": {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}},
    "svg": {"metadata": {"Date": None, "Creator": None}},
}
COLUMN_WIDTH, PAGE_WIDTH = 3.5, 7.2  # inches: one journal column, a full page width

# Okabe-Ito, safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "black": "#000000",
}
STATUS_COLOURS = {
    ACHIEVED: OKABE_ITO["blue"],
    NOT_ACHIEVED: OKABE_ITO["vermillion"],
    NOT_COMPARABLE: OKABE_ITO["orange"],
    NOT_REPORTED: OKABE_ITO["grey"],
}

DOC_ORDER = ("tj2016", "tj2017", "wq2017", "tj2021", "jh2022")
TEXT = {
    "tj2016": ("Tianjin 2016\nopinion", "天津2016\n强市意见"),
    "tj2017": ("Tianjin 2017\n13th FYP", "天津2017\n“十三五”意见"),
    "wq2017": ("Wuqing 2017\ncultivation plan", "武清2017\n培育方案"),
    "tj2021": ("Tianjin\n14th FYP", "天津\n“十四五”规划"),
    "jh2022": ("Jinghai\n14th FYP", "静海\n“十四五”规划"),
    ACHIEVED: ("achieved", "已实现"),
    NOT_ACHIEVED: ("not achieved", "未实现"),
    NOT_COMPARABLE: ("not comparable", "不可比"),
    NOT_REPORTED: ("not reported", "未报告"),
    "target": ("target", "目标"),
    "outcome": ("reported outcome", "报告实际值"),
    "both": ("target and outcome", "目标与实际值"),
    "coverage_title": ("Indicators targeted, by document", "各文件设定目标的指标"),
    "lineage": ("lineage", "指标沿革"),
    "target_13th": ("13th-period target", "“十三五”目标"),
    "outcome_2020": ("2020 outcome", "2020年实际值"),
    "target_14th": ("14th-period target", "“十四五”目标"),
    "relative_to_13th": ("value relative to the 13th-period target (log scale)", "相对“十三五”目标的倍数（对数刻度）"),
    "redefined_note": ("hollow: the 14th plan targets a redefined indicator", "空心：“十四五”目标为重新定义的指标"),
    "required": ("required", "所需增速"),
    "realised_during": ("realised during the plan", "规划期实际增速"),
    "realised_before": ("realised in the previous five years", "前五年实际增速"),
    "growth_axis": ("compound annual growth (%)", "年均复合增长率（%）"),
    "attainment_axis": ("attainment ratio: outcome / target (log scale)", "完成率：实际值/目标值（对数刻度）"),
    "level_ratio_axis": ("district target as % of city target", "区级目标占市级目标的百分比"),
    "district_growth_axis": ("required annual growth (%)", "所需年均增速（%）"),
    "district": ("district", "区"),
    "city": ("city", "市"),
    "flagged": ("hatched: definitions differ", "斜线：指标口径不同"),
    "targets_axis": ("distinct targets", "目标数"),
    "tianjin": ("Tianjin", "天津"),
    "wuqing": ("Wuqing", "武清"),
    "jinghai": ("Jinghai", "静海"),
    "narrowed": ("narrowed", "收窄"),
    "broadened": ("broadened", "放宽"),
    "redefined": ("redefined", "重新定义"),
    "replaced": ("replaced", "替代"),
    "aggregation": ("aggregation", "汇总口径"),
    "component": ("component", "组成部分"),
    "nearest_proxy": ("nearest proxy", "近似替代"),
    "13th": ("13th FYP period", "“十三五”时期"),
    "14th": ("14th FYP period", "“十四五”时期"),
    "city_docs": ("city documents", "市级文件"),
    "district_docs": ("district documents", "区级文件"),
    "per_10k": ("occurrences per 10,000 characters", "每万字出现次数"),
    "leads": ("leads", "牵头/负责"),
    "joins": ("joins", "配合"),
    "agency_tasks": ("tasks", "任务数"),
    "hand": ("hand coding", "人工编码"),
    "precoder": ("pre-coder", "规则预编码"),
    "uncoded": ("uncoded", "未编码"),
    "kappa": ("Cohen's kappa", "科恩kappa"),
    "units_share": ("share of the group's units", "占本组政策单元的比例"),
}
STAGE_ORDER = ("creation", "utilisation", "protection", "management", "services")


def _register_font() -> None:
    """Make Noto Sans SC the default font; registration is per process (not cached by matplotlib)."""
    font_manager.fontManager.addfont(str(FONT_FILE))
    matplotlib.rcParams.update(
        {
            "font.family": FONT_NAME,
            "font.size": 7,
            "axes.titlesize": 8,
            "axes.labelsize": 7,
            "legend.fontsize": 6.5,
            "xtick.labelsize": 6.5,
            "ytick.labelsize": 6.5,
            "axes.unicode_minus": False,
            "pdf.fonttype": 3,
            "svg.hashsalt": "ipanalysis",
            "svg.fonttype": "path",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "savefig.pad_inches": 0.02,
        }
    )


_register_font()


def label(key: str, lang: str) -> str:
    return TEXT[key][LANGUAGES.index(lang)]


def indicator_label(dataset: Dataset, indicator_id: str, lang: str, width: int = 42) -> str:
    row = dataset.indicators.set_index("indicator_id").loc[indicator_id]
    return row["name_zh"] if lang == "zh" else textwrap.shorten(row["name_en"], width=width, placeholder="…")


def _plain_log_axis(axes, ticks) -> None:
    """Log-scaled x axis labelled 0.5, 1, 2 ... instead of powers of ten."""
    axes.set_xscale("log")
    axes.set_xticks(ticks)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.xaxis.set_minor_formatter(FuncFormatter(lambda value, _: ""))


def _lineage_families(dataset: Dataset, indicators: list[str]) -> dict[str, int]:
    """Number each group of indicators connected by lineage links, so linked rows can sit together."""
    family = {indicator_id: n for n, indicator_id in enumerate(indicators)}
    links = [
        (a, b)
        for a, b in dataset.indicator_lineage[["from_indicator_id", "to_indicator_id"]].itertuples(index=False)
        if a in family and b in family
    ]
    changed = True
    while changed:  # give every member of a connected group the group's smallest number
        changed = False
        for a, b in links:
            low = min(family[a], family[b])
            if family[a] != low or family[b] != low:
                family[a] = family[b] = low
                changed = True
    return family


def indicator_coverage(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Indicators x documents: where each targeted indicator is targeted or reported, with lineage links."""
    targets, outcomes = dataset.canonical_targets, dataset.outcomes
    stage = dataset.indicators.set_index("indicator_id")["value_chain_stage"]
    by_stage = sorted(targets["indicator_id"].unique(), key=lambda i: (STAGE_ORDER.index(stage[i]), i))
    family = _lineage_families(dataset, by_stage)
    indicators = sorted(by_stage, key=lambda i: (family[i], by_stage.index(i)))
    cells = []
    for indicator_id in indicators:
        for doc_id in DOC_ORDER:
            targeted = ((targets["indicator_id"] == indicator_id) & (targets["doc_id"] == doc_id)).any()
            reported = ((outcomes["indicator_id"] == indicator_id) & (outcomes["doc_id"] == doc_id)).any()
            role = "both" if targeted and reported else "target" if targeted else "outcome" if reported else ""
            cells.append({"indicator_id": indicator_id, "value_chain_stage": stage[indicator_id], "doc_id": doc_id, "role": role})
    data = pd.DataFrame(cells)
    colours = {"target": OKABE_ITO["blue"], "outcome": OKABE_ITO["orange"], "both": OKABE_ITO["green"]}
    figure = Figure(figsize=(PAGE_WIDTH, 0.13 * len(indicators) + 1.2))
    axes = figure.add_subplot()
    row_of = {indicator_id: n for n, indicator_id in enumerate(indicators)}
    for cell in data.itertuples():
        if cell.role:
            axes.add_patch(
                matplotlib.patches.Rectangle(
                    (DOC_ORDER.index(cell.doc_id) - 0.42, row_of[cell.indicator_id] - 0.4),
                    0.84,
                    0.8,
                    color=colours[cell.role],
                    linewidth=0,
                )
            )
    links = dataset.indicator_lineage[
        dataset.indicator_lineage["from_indicator_id"].isin(row_of) & dataset.indicator_lineage["to_indicator_id"].isin(row_of)
    ]
    placed: list[list[tuple[int, int]]] = []  # spans already drawn, per bracket level
    for link in links.itertuples():
        top, bottom = sorted((row_of[link.from_indicator_id], row_of[link.to_indicator_id]))
        level = next((n for n, spans in enumerate(placed) if all(bottom < a - 1 or top > b + 1 for a, b in spans)), len(placed))
        if level == len(placed):
            placed.append([])
        placed[level].append((top, bottom))
        x = len(DOC_ORDER) - 0.45 + 0.55 * level
        axes.plot([x - 0.06, x, x, x - 0.06], [top, top, bottom, bottom], color=OKABE_ITO["purple"], linewidth=0.7)
        axes.text(x + 0.04, (top + bottom) / 2, label(link.relation, lang), color=OKABE_ITO["purple"], fontsize=5, va="center")
    axes.set_xlim(-0.5, len(DOC_ORDER) + 1.2)
    axes.set_ylim(len(indicators) - 0.5, -0.5)
    axes.set_xticks(range(len(DOC_ORDER)), [label(d, lang) for d in DOC_ORDER])
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(indicators)), [indicator_label(dataset, i, lang) for i in indicators])
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    handles = [Patch(color=colours[k], label=label(k, lang)) for k in ("target", "outcome", "both")]
    handles.append(Line2D([], [], color=OKABE_ITO["purple"], linewidth=0.7, label=label("lineage", lang)))
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4, frameon=False)
    return figure, data


def plan_changes(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """13th vs 14th city plan: for each indicator kept or redefined, the 13th target, 2020 outcome and 14th target,
    relative to the 13th target."""
    changes = comparisons.plan_changes(dataset)
    data = changes[changes["change"].isin(["kept", "redefined"])].copy()
    for column in ("target_13th", "outcome_2020", "target_14th"):
        data[f"{column}_relative"] = data[column] / data["target_13th"]
    figure = Figure(figsize=(PAGE_WIDTH, 0.28 * len(data) + 0.9))
    axes = figure.add_subplot()
    markers = {
        "target_13th": ("o", OKABE_ITO["grey"]),
        "outcome_2020": ("D", OKABE_ITO["blue"]),
        "target_14th": ("s", OKABE_ITO["vermillion"]),
    }
    for row_number, row in enumerate(data.itertuples()):
        values = [getattr(row, f"{c}_relative") for c in markers]
        present = [v for v in values if pd.notna(v)]
        axes.plot([min(present), max(present)], [row_number] * 2, color=OKABE_ITO["grey"], linewidth=0.8, zorder=1)
        for column, (marker, colour) in markers.items():
            value = getattr(row, f"{column}_relative")
            hollow = column == "target_14th" and row.change == "redefined"
            if pd.notna(value):
                axes.scatter(
                    value,
                    row_number,
                    marker=marker,
                    s=22,
                    zorder=2,
                    edgecolors=colour,
                    linewidths=1,
                    facecolors="white" if hollow else colour,
                )
    _plain_log_axis(axes, [0.2, 0.5, 1, 2, 5, 10, 100, 500])
    axes.axvline(1, color=OKABE_ITO["black"], linewidth=0.5, linestyle=":")
    axes.set_yticks(range(len(data)), [indicator_label(dataset, i, lang) for i in data["indicator_id"]])
    axes.set_ylim(len(data) - 0.5, -0.5)
    axes.set_xlabel(label("relative_to_13th", lang))
    handles = [Line2D([], [], marker=m, color=c, linestyle="", label=label(k, lang)) for k, (m, c) in markers.items()]
    axes.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        ncol=3,
        frameon=False,
        title=label("redefined_note", lang),
        title_fontsize=6.5,
    )
    return figure, data.reset_index(drop=True)


def growth(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Required vs realised compound annual growth for every target with a baseline."""
    ambition = comparisons.ambition_table(dataset)
    data = ambition.dropna(subset=["required_growth"]).drop_duplicates(
        ["indicator_id", "region", "baseline_year", "target_value"]
    )
    data = data.reset_index(drop=True)
    series = {
        "required_growth": ("required", OKABE_ITO["vermillion"]),
        "realised_growth_during": ("realised_during", OKABE_ITO["blue"]),
        "realised_growth_before": ("realised_before", OKABE_ITO["sky"]),
    }
    figure = Figure(figsize=(PAGE_WIDTH, 0.32 * len(data) + 0.9))
    axes = figure.add_subplot()
    positions = np.arange(len(data))
    for offset, (column, (key, colour)) in zip((-0.27, 0.0, 0.27), series.items(), strict=True):
        axes.barh(positions + offset, data[column].fillna(0) * 100, height=0.26, color=colour, label=label(key, lang))
    names = [
        f"{indicator_label(dataset, r.indicator_id, lang, 34)} · {label(r.region, lang)} {r.baseline_year}→{r.target_year}"
        for r in data.itertuples()
    ]
    axes.set_yticks(positions, names)
    axes.set_ylim(len(data) - 0.5, -0.5)
    axes.axvline(0, color=OKABE_ITO["black"], linewidth=0.5)
    axes.set_xlabel(label("growth_axis", lang))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
    return figure, data


def attainment(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Every distinct 13th-period target: attainment ratio where comparable, status otherwise."""
    data = comparisons.attainment_table(dataset)
    figure = Figure(figsize=(PAGE_WIDTH, 0.14 * len(data) + 0.9))
    axes = figure.add_subplot()
    finite = data["attainment_ratio"].dropna()
    low, high = min(finite.min(), 0.5) / 1.3, max(finite.max(), 2) * 1.3
    for row_number, row in enumerate(data.itertuples()):
        colour = STATUS_COLOURS[row.status]
        if pd.notna(row.attainment_ratio):
            axes.plot([1, row.attainment_ratio], [row_number] * 2, color=colour, linewidth=0.8)
            axes.scatter(row.attainment_ratio, row_number, color=colour, s=14, zorder=3)
        else:
            axes.text(low * 1.05, row_number, label(row.status, lang), color=colour, va="center", fontsize=6)
    _plain_log_axis(axes, [0.5, 0.75, 1, 1.5, 2, 3])
    axes.set_xlim(low, high)
    axes.axvline(1, color=OKABE_ITO["black"], linewidth=0.5, linestyle=":")
    axes.set_yticks(
        range(len(data)), [f"{r.target_id}  {indicator_label(dataset, r.indicator_id, lang, 36)}" for r in data.itertuples()]
    )
    axes.set_ylim(len(data) - 0.5, -0.5)
    axes.set_xlabel(label("attainment_axis", lang))
    handles = [Patch(color=STATUS_COLOURS[s], label=label(s, lang)) for s in STATUS_COLOURS]
    axes.legend(handles=handles, loc="lower right", frameon=True, framealpha=0.9, edgecolor="none")
    return figure, data


def district_vs_city(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """District targets as a share of the city's, and required growth where both have baselines."""
    data = comparisons.district_vs_city(dataset)
    figure = Figure(figsize=(PAGE_WIDTH, 2.6))
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
    names = [f"{r.district_target_id}  {indicator_label(dataset, r.indicator_id, lang, 30)}" for r in data.itertuples()]
    bars = left.barh(range(len(data)), data["level_ratio"] * 100, color=OKABE_ITO["sky"])
    for bar, relation in zip(bars, data["relation"], strict=True):
        if relation != "same":
            bar.set_hatch("////")
            bar.set_edgecolor(OKABE_ITO["blue"])
    left.set_yticks(range(len(data)), names)
    left.set_ylim(len(data) - 0.5, -0.5)
    left.set_xlabel(label("level_ratio_axis", lang))
    left.set_title(label("flagged", lang), fontsize=6.5, loc="left")
    grown = data.dropna(subset=["escalation"]).reset_index(drop=True)
    width = 0.35
    right.bar(
        np.arange(len(grown)) - width / 2,
        grown["district_required_growth"] * 100,
        width,
        color=OKABE_ITO["orange"],
        label=label("district", lang),
    )
    right.bar(
        np.arange(len(grown)) + width / 2,
        grown["city_required_growth"] * 100,
        width,
        color=OKABE_ITO["blue"],
        label=label("city", lang),
    )
    right.set_xticks(range(len(grown)), [indicator_label(dataset, i, lang, 24) for i in grown["indicator_id"]])
    right.set_xlim(-0.9, len(grown) - 0.1)
    right.set_ylabel(label("district_growth_axis", lang))
    right.legend(frameon=False)
    return figure, data


def reporting_coverage(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """For each 13th-period document, how many targets a later document reports, by status."""
    data = comparisons.reporting_coverage(comparisons.attainment_table(dataset))
    figure = Figure(figsize=(COLUMN_WIDTH, 1.9))
    axes = figure.add_subplot()
    left = np.zeros(len(data))
    for status, colour in STATUS_COLOURS.items():
        counts = data[f"n_{status}"].to_numpy()
        axes.barh(range(len(data)), counts, left=left, color=colour, label=label(status, lang))
        left += counts
    axes.set_yticks(range(len(data)), [label(d, lang).replace("\n", " ") for d in data["doc_id"]])
    axes.set_ylim(len(data) - 0.5, -0.5)
    axes.set_xlabel(label("targets_axis", lang))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper center", bbox_to_anchor=(0.4, -0.32), ncol=2, frameon=False)
    return figure, data


def code_label(dataset: Dataset, code_id: str, lang: str) -> str:
    if code_id == instruments.UNCODED:
        return label("uncoded", lang)
    row = dataset.codebook.set_index("code_id").loc[code_id]
    return row["label_zh"] if lang == "zh" else row["label_en"]


def _heatmap(axes, matrix: pd.DataFrame, dataset: Dataset, lang: str, fmt: str, vmax: float, row_labels: bool = True) -> None:
    axes.imshow(matrix.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    for (row, column), value in np.ndenumerate(matrix.to_numpy(dtype=float)):
        axes.text(
            column,
            row,
            format(value, fmt),
            ha="center",
            va="center",
            fontsize=6,
            color="white" if value > 0.6 * vmax else OKABE_ITO["black"],
        )
    axes.set_xticks(range(matrix.shape[1]), [code_label(dataset, c, lang) for c in matrix.columns], rotation=90)
    axes.set_yticks(range(matrix.shape[0]), [code_label(dataset, c, lang) for c in matrix.index])
    axes.tick_params(length=0, labelleft=row_labels)
    for spine in axes.spines.values():
        spine.set_visible(False)


def instruments_by_document(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Units by instrument type x value-chain stage, one heatmap per document (counts)."""
    data = instruments.instrument_stage_table(dataset, "doc_id")
    figure = Figure(figsize=(PAGE_WIDTH, 2.3))
    axes = figure.subplots(1, len(DOC_ORDER))
    vmax = data["units"].max()
    for n, (panel, doc_id) in enumerate(zip(axes, DOC_ORDER, strict=True)):
        _heatmap(panel, instruments.crosstab(data, doc_id), dataset, lang, ".0f", vmax, row_labels=n == 0)
        panel.set_title(label(doc_id, lang), fontsize=6.5)
    return figure, data


def instruments_by_group(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Shares of policy text (characters of counted units) by instrument type x stage: 13th vs 14th, city vs district."""
    data = pd.concat(
        [instruments.instrument_stage_table(dataset, "plan_period"), instruments.instrument_stage_table(dataset, "level")]
    )
    figure = Figure(figsize=(PAGE_WIDTH, 2.4))
    axes = figure.subplots(1, 4)
    vmax = data["character_share"].max() * 100
    for n, (panel, group, title) in enumerate(
        zip(axes, ("13th", "14th", "city", "district"), ("13th", "14th", "city_docs", "district_docs"), strict=True)
    ):
        _heatmap(panel, instruments.crosstab(data, group, "character_share") * 100, dataset, lang, ".0f", vmax, row_labels=n == 0)
        panel.set_title(label(title, lang) + " (%)", fontsize=6.5)
    return figure, data


def keyword_profiles(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Theme keyword intensity per 10,000 characters, by document."""
    data = instruments.keyword_intensity(dataset)
    matrix = data.pivot(index="theme_id", columns="doc_id", values="per_10k").reindex(
        index=data["theme_id"].unique(), columns=list(DOC_ORDER)
    )
    names = data.drop_duplicates("theme_id").set_index("theme_id")["label_zh" if lang == "zh" else "label_en"]
    figure = Figure(figsize=(COLUMN_WIDTH, 3.0))
    axes = figure.add_subplot()
    vmax = float(matrix.to_numpy().max())
    axes.imshow(matrix.to_numpy(), cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    for (row, column), value in np.ndenumerate(matrix.to_numpy()):
        axes.text(
            column, row, f"{value:.0f}", ha="center", va="center", fontsize=5.5, color="white" if value > 0.6 * vmax else "black"
        )
    axes.set_xticks(range(len(DOC_ORDER)), [label(d, lang) for d in DOC_ORDER], fontsize=5.5)
    axes.set_yticks(range(len(matrix)), [names[t] for t in matrix.index])
    axes.tick_params(length=0)
    axes.set_title(label("per_10k", lang), fontsize=6.5)
    for spine in axes.spines.values():
        spine.set_visible(False)
    return figure, data


def agencies(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Tasks each agency leads or joins (the two city opinions name agencies), and who shares tasks with whom."""
    roles = instruments.agency_roles(dataset)
    links = instruments.co_responsibility(dataset)
    name = "agency_zh" if lang == "zh" else "agency_en"
    figure = Figure(figsize=(PAGE_WIDTH, 3.6))
    bars, network = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
    top = roles.head(15)
    bars.barh(range(len(top)), top["leads"], color=OKABE_ITO["blue"], label=label("leads", lang))
    bars.barh(range(len(top)), top["joins"], left=top["leads"], color=OKABE_ITO["sky"], label=label("joins", lang))
    bars.set_yticks(range(len(top)), [textwrap.shorten(n, 34, placeholder="…") for n in top[name]], fontsize=5.5)
    bars.set_ylim(len(top) - 0.5, -0.5)
    bars.set_xlabel(label("agency_tasks", lang))
    bars.legend(frameon=False, loc="lower right")
    step = next(k for k in range(len(roles) // 3, len(roles)) if np.gcd(k, len(roles)) == 1)  # spread busy agencies apart
    angles = [2 * np.pi * ((rank * step) % len(roles)) / len(roles) for rank in range(len(roles))]
    position = {row.agency_zh: (np.cos(a), np.sin(a)) for row, a in zip(roles.itertuples(), angles, strict=True)}
    for link in links.itertuples():
        (x1, y1), (x2, y2) = position[link.agency_a], position[link.agency_b]
        network.plot([x1, x2], [y1, y2], color=OKABE_ITO["grey"], linewidth=0.25 + 0.12 * link.shared_tasks, alpha=0.6, zorder=1)
    for row in roles.itertuples():
        x, y = position[row.agency_zh]
        network.scatter(x, y, s=8 + 4 * row.tasks, color=OKABE_ITO["vermillion"], zorder=2)
        if row.tasks >= 20:  # the bar panel names the rest
            text = getattr(row, name)
            network.text(
                x * 1.12,
                y * 1.12,
                textwrap.shorten(text, 26, placeholder="…"),
                fontsize=5,
                ha="left" if x >= 0 else "right",
                va="center",
            )
    network.set_xlim(-2.1, 2.1)
    network.set_ylim(-1.3, 1.3)
    network.set_aspect("equal")
    network.axis("off")
    data = links.merge(roles[["agency_zh", "agency_en"]], left_on="agency_a", right_on="agency_zh").drop(columns="agency_zh")
    return figure, data.rename(columns={"agency_en": "agency_a_en"})


def precoder_agreement(dataset: Dataset, lang: str = "en") -> tuple[Figure, pd.DataFrame]:
    """Confusion of the rule-based pre-coder against the hand coding: instrument type and value-chain stage."""
    coded = instruments.precode_units(dataset)
    scores = instruments.agreement_of(coded).set_index("dimension")["kappa"]
    codebook = dataset.codebook
    figure = Figure(figsize=(PAGE_WIDTH, 2.6))
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    for panel, (dimension, hand, machine) in zip(
        (left, right),
        ((instruments.TYPE, "hand_type", "precoded_type"), (instruments.STAGE, "hand_stage", "precoded_stage")),
        strict=True,
    ):
        labels = codebook.loc[codebook["dimension"] == dimension, "code_id"].tolist()
        matrix = instruments.confusion(coded[hand].tolist(), coded[machine].tolist(), labels)
        _heatmap(panel, matrix, dataset, lang, ".0f", float(matrix.to_numpy().max()))
        panel.set_xlabel(label("precoder", lang))
        panel.set_ylabel(label("hand", lang))
        panel.set_title(f"{label('kappa', lang)} = {scores[dimension]:.2f}", fontsize=6.5)
    return figure, coded


FIGURES = {
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
}


def save_figure(figure: Figure, data: pd.DataFrame, name: str, lang: str, out_dir: Path = FIGURES_DIR) -> list[Path]:
    """Write name.png/.pdf/.svg and the plotted data name.csv into out_dir/lang/."""
    folder = out_dir / lang
    folder.mkdir(parents=True, exist_ok=True)
    # One tight bounding box for all formats: bbox_inches="tight" would draw the figure twice per format.
    bbox = figure.get_tightbbox(FigureCanvasAgg(figure).get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
    written = []
    for extension, options in FORMATS.items():
        path = folder / f"{name}.{extension}"
        figure.savefig(path, format=extension, bbox_inches=bbox, **options)
        written.append(path)
    data.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", float_format="%.6g")
    written.append(folder / f"{name}.csv")
    return written


def publish(name: str, dataset: Dataset, out_dir: Path = FIGURES_DIR, show: str = "en") -> Figure:
    """Draw a figure in every language, save all formats, and return the one in `show` for display."""
    shown = None
    for lang in LANGUAGES:
        figure, data = FIGURES[name](dataset, lang)
        save_figure(figure, data, name, lang, out_dir)
        if lang == show:
            shown = figure
    return shown
