"""Attainment and progress of the targets that no later plan reviews (the 14th period), judged from official
statistics published after the plans (the observation layer), and the history of each indicator.

The evidence on a target is every dated value of its indicator in its region: the plans' own figures (outcomes.csv)
and the observations (observations.csv). Every judgement names the layer it rests on and that layer's weight:

- ``plan_review``: a figure a later plan reports for earlier years (outcomes.csv);
- ``plan_baseline``: the target's own plan's figure for its base year (for a district plan, the district baseline);
- ``observation``: an official statistic, whose authority is that of its source (issuing_body, official_outlet,
  mirror); plan figures carry the plan's level (``city_plan``, ``district_plan``).

Growth, required growth, attainment and progress bands come from metrics.py (one function per formula).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .dataset import Dataset, cached, period_number
from .metrics import (
    ACHIEVED,
    NOT_ACHIEVED,
    NOT_COMPARABLE,
    Rate,
    attainment_ratio,
    compound_annual_growth,
    is_achieved,
    progress_band,
    required_growth,
)
from .numbers import quantity

NOT_OBSERVED = "not_observed"
PROGRESS_STATUSES = (ACHIEVED, NOT_ACHIEVED, NOT_COMPARABLE, NOT_OBSERVED)
PLAN_REVIEW, PLAN_BASELINE, OBSERVATION = "plan_review", "plan_baseline", "observation"
AUTHORITIES = ("issuing_body", "official_outlet", "mirror")  # observation sources, most weight first
# Measure types whose level, once reached, stands: reaching the target before its year counts as achieved (early).
# Flows, shares and ranks must be met in the target year itself.
ACCUMULATING = ("stock", "designated_units")
# Lineage relations under which a later indicator re-measures an earlier one (drawn as a new line in its history).
REDEFINITIONS = ("redefined", "replaced", "narrowed", "broadened")
SERIES_BREAK = "series_break"
# Two base-year figures within 1 % of each other are one figure (a value derived from a rounded rate and the reported
# one); further apart they are alternatives, each with its own band (register entries R1-R3: 12 % to 20 % apart).
SAME_FIGURE = 0.01
# History layers: plan figures (reported, or derived from a relative statement such as the 2015 bases), observations.
PLAN_OUTCOME, PLAN_DERIVED, TARGET = "plan_outcome", "plan_derived", "target"


@dataclass(frozen=True)
class Reading:
    """One dated value a judgement rests on."""

    evidence_id: str
    year: int
    value: float
    layer: str
    authority: str
    is_derived: bool
    problem_ids: str | None
    rank: int = 0  # 0 = most weight (see evidence)


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _ids(*values) -> list[str]:
    """The ids in ';'-separated lists, in order, once each."""
    found = [item for value in values if not _is_missing(value) for item in str(value).split(";") if item]
    return list(dict.fromkeys(found))


# -- evidence
@cached
def evidence(dataset: Dataset) -> pd.DataFrame:
    """Every dated value of an indicator from the plans (outcomes.csv) and the observation layer, heaviest first:
    origin (plan, observation), doc_id of a plan figure, authority (the plan's level + '_plan', or the observation
    source's authority) and rank (0 = most weight: reported before derived, plans before observations, then by
    authority). Undated values are left out."""
    levels = dataset.documents.set_index("doc_id")["level"]
    authorities = dataset.observation_sources.set_index("source_id")["authority"]
    columns = ["indicator_id", "region", "year", "period_start", "period_end", "value", "is_derived", "problem_ids"]
    plans = dataset.outcomes.rename(columns={"outcome_id": "evidence_id"})
    plans = plans.assign(origin="plan", authority=plans["doc_id"].map(levels) + "_plan")
    observed = dataset.observations.rename(columns={"observation_id": "evidence_id"})
    observed = observed.assign(origin=OBSERVATION, doc_id=pd.NA, authority=observed["source_id"].map(authorities))
    frame = pd.concat(
        [part[["evidence_id", "origin", "doc_id", "authority", *columns]] for part in (plans, observed) if not part.empty],
        ignore_index=True,
    )
    frame["year"] = frame["year"].fillna(frame["period_end"])
    frame = frame[frame["year"].notna()].copy()
    frame["rank"] = (
        frame["is_derived"].astype(int) * 10
        + (frame["origin"] == OBSERVATION).astype(int) * 4
        + frame["authority"].map({a: n for n, a in enumerate(AUTHORITIES)}).fillna(0).astype(int)
    )
    return frame.sort_values(["indicator_id", "region", "year", "rank", "evidence_id"]).reset_index(drop=True)


def _figure(row, own_docs: Iterable[str]) -> Reading:
    own = row.doc_id in set(own_docs)
    layer = OBSERVATION if row.origin == OBSERVATION else PLAN_BASELINE if own else PLAN_REVIEW
    return Reading(row.evidence_id, int(row.year), float(row.value), layer, row.authority, bool(row.is_derived),
                   None if _is_missing(row.problem_ids) else row.problem_ids, int(row.rank))


# -- judging one target
@dataclass(frozen=True)
class TargetSpec:
    """What a judgement needs to know about a commitment."""

    value: float
    year: int
    bound: str
    measure_type: str
    target_form: str
    base_year: int  # the year before the plan period
    period: tuple[int, int] | None = None  # for period totals
    baseline: Reading | None = None  # the plan's own baseline, if it states one


def target_level(spec: TargetSpec, baseline: float | None) -> float | None:
    """The level the target asks for: the value, or baseline + increment for 新增 targets."""
    if spec.target_form == "increment":
        return None if baseline is None else baseline + spec.value
    return spec.value


def meets(spec: TargetSpec, figure: Reading, baseline: float | None) -> bool | None:
    """Whether a figure meets the target (None: an increment target without a baseline cannot be judged)."""
    if spec.target_form == "increment" and baseline is None:
        return None
    return is_achieved(figure.value, spec.value, bound=spec.bound, measure_type=spec.measure_type,
                       target_form=spec.target_form, baseline=baseline)


# Why a target has the status it has (the table's reason column; findings word them in both languages).
TARGET_YEAR_FIGURE, REACHED_EARLY, NO_TARGET_YEAR_FIGURE = "target_year_figure", "reached_early", "no_target_year_figure"
NO_FIGURE, LINKED_ONLY, REGION_NOT_OBSERVED = "no_figure", "linked_indicator_only", "region_not_observed"
SERIES_BROKEN, NO_INCREMENT_BASELINE = "series_break", "increment_without_baseline"


@dataclass(frozen=True)
class Status:
    """A target's status, why (a reason code and what it refers to: a linked indicator, register entries), the
    figure it rests on (the heaviest that decides it) and the earliest figure that meets the target."""

    status: str
    reason: str
    note: str
    decided_by: Reading | None = None
    first_reached: Reading | None = None
    refers_to: str | None = None


def judge_status(spec: TargetSpec, figures: list[Reading], baseline: float | None) -> Status:
    """Status from the figures dated within the plan period (heaviest first within a year): the target-year figure
    decides; before it, a reached level counts as achieved for accumulating measures only."""
    verdicts = [(figure, meets(spec, figure, baseline)) for figure in figures]
    reached = [figure for figure, verdict in verdicts if verdict]
    first = min(reached, key=lambda figure: figure.year) if reached else None
    strongest = min(reached, key=lambda figure: (figure.rank, -figure.year)) if reached else None
    at_target = [(figure, verdict) for figure, verdict in verdicts if figure.year == spec.year]
    if at_target:
        figure, verdict = at_target[0]
        if verdict is None:
            return Status(NOT_COMPARABLE, NO_INCREMENT_BASELINE, "an increment target without a baseline cannot be judged",
                          figure)
        others = [f"{other.evidence_id} ({other.value:g})" for other, v in at_target[1:] if v != verdict]
        note = f"{figure.evidence_id} gives {figure.value:g} for {figure.year}"
        note += f"; disagreeing figures for the same year: {', '.join(others)}" if others else ""
        return Status(ACHIEVED if verdict else NOT_ACHIEVED, TARGET_YEAR_FIGURE, note, figure, first)
    if first is not None and spec.measure_type in ACCUMULATING:
        return Status(ACHIEVED, REACHED_EARLY, f"reached in {first.year} ({first.evidence_id}: {first.value:g}), before "
                      f"the target year; no {spec.year} figure", strongest, first)
    if not figures:
        return Status(NOT_OBSERVED, NO_FIGURE, f"no figure dated {spec.base_year + 1}-{spec.year}")
    latest = max(figures, key=lambda figure: figure.year)
    note = f"no {spec.year} figure; latest {latest.year}: {latest.value:g} ({latest.evidence_id})"
    if first is not None:
        note += f"; reached in {first.year}, but a {spec.measure_type.replace('_', ' ')} must be met in the target year"
    return Status(NOT_OBSERVED, NO_TARGET_YEAR_FIGURE, note, None, first)


@dataclass(frozen=True)
class Band:
    band: str | None
    baseline: Reading | None
    latest: Reading | None
    required: Rate
    observed: Rate


def judge_band(spec: TargetSpec, baseline: Reading | None, figures: list[Reading]) -> Band:
    """Eurostat / Statistics Canada band for the latest figure after the baseline and before the target year."""
    if spec.period is not None:
        return Band(None, baseline, None, Rate(None, "a period total has no yearly path"), Rate(None))
    if baseline is None:
        return Band(None, None, None, Rate(None, "no baseline"), Rate(None))
    before = [figure for figure in figures if baseline.year < figure.year < spec.year]
    latest = max(before, key=lambda figure: figure.year) if before else None
    required = required_growth(baseline.value, baseline.year, target_level(spec, baseline.value), spec.year)
    if latest is None:
        return Band(None, baseline, None, required, Rate(None, f"no figure between {baseline.year} and {spec.year}"))
    observed = compound_annual_growth(baseline.value, latest.value, latest.year - baseline.year)
    return Band(progress_band(observed, required), baseline, latest, required, observed)


def _latest_first(figures: list[Reading]) -> list[Reading]:
    """One figure per year (the heaviest; figures come heaviest first within a year)."""
    seen: dict[int, Reading] = {}
    for figure in figures:
        seen.setdefault(figure.year, figure)
    return [seen[year] for year in sorted(seen)]


def baselines(spec: TargetSpec, figures: list[Reading]) -> tuple[list[Reading], str | None]:
    """Baseline candidates, the one used first: the plan's own baseline, else the figures for the year before the
    plan period (every differing value, heaviest first), else the earliest figure in the period (noted)."""
    at_base = [figure for figure in figures if figure.year == spec.base_year]
    if spec.baseline is not None or at_base:
        distinct: list[Reading] = []
        for figure in ([spec.baseline] if spec.baseline is not None else []) + at_base:
            if all(abs(figure.value - kept.value) > SAME_FIGURE * abs(kept.value) for kept in distinct):
                distinct.append(figure)
        return distinct, None
    later = [figure for figure in figures if spec.base_year < figure.year < spec.year]
    if not later:
        return [], None
    earliest = min(later, key=lambda figure: figure.year)
    return [earliest], f"no {spec.base_year} figure: the baseline is the earliest figure in the period ({earliest.year})"


# -- the table
def _series_breaks(dataset: Dataset) -> dict[str, list[tuple[str, str]]]:
    """Target, outcome or observation id -> [(problem_id, summary)] of the register's series breaks affecting it."""
    breaks: dict[str, list[tuple[str, str]]] = {}
    problems = dataset.source_problems
    for problem in problems[problems["kind"] == SERIES_BREAK].itertuples():
        for item in _ids(problem.affects):
            breaks.setdefault(item, []).append((problem.problem_id, problem.summary))
    return breaks


def _linked(dataset: Dataset, indicator_id: str) -> list[tuple[str, str]]:
    """(linked indicator, relation) for every lineage link of an indicator, read in both directions."""
    lineage = dataset.indicator_lineage
    forward = lineage[lineage["from_indicator_id"] == indicator_id]
    backward = lineage[lineage["to_indicator_id"] == indicator_id]
    return [*zip(forward["to_indicator_id"], forward["relation"], strict=True),
            *zip(backward["from_indicator_id"], backward["relation"], strict=True)]


def _in_scope(dataset: Dataset, table: pd.DataFrame, found: pd.DataFrame) -> pd.Series:
    """Every commitment of the latest plan period, and an earlier one where an observation is dated in its plan period."""
    documents = dataset.documents.set_index("doc_id")
    latest = dataset.plan_periods[-1]
    observed = found[found["origin"] == OBSERVATION]
    keep = []
    for row in table.itertuples():
        if documents.loc[row.doc_id, "plan_period"] == latest:
            keep.append(True)
            continue
        start = int(documents.loc[row.doc_id, "period_start"])
        mine = observed[(observed["indicator_id"] == row.indicator_id) & (observed["region"] == row.region)]
        keep.append(bool(((mine["year"] >= start) & (mine["year"] <= row.target_year)).any()))
    return pd.Series(keep, index=table.index)


def _figures(found: pd.DataFrame, indicator_id: str, region: str, own_docs: list[str],
             period: tuple[int, int] | None) -> list[Reading]:
    mine = found[(found["indicator_id"] == indicator_id) & (found["region"] == region)]
    if period is None:
        mine = mine[mine["period_start"].isna()]
    else:
        mine = mine[(mine["period_start"] == period[0]) & (mine["period_end"] == period[1])]
    return [_figure(row, own_docs) for row in mine.itertuples()]


def _describe(figure: Reading | None, prefix: str) -> dict:
    if figure is None:
        return {f"{prefix}_year": None, f"{prefix}_value": None, f"{prefix}_id": None, f"{prefix}_layer": None,
                f"{prefix}_authority": None}
    return {f"{prefix}_year": figure.year, f"{prefix}_value": figure.value, f"{prefix}_id": figure.evidence_id,
            f"{prefix}_layer": figure.layer, f"{prefix}_authority": figure.authority}


@cached
def progress_table(dataset: Dataset) -> pd.DataFrame:
    """One row per commitment of the latest plan period (and per earlier commitment with an observation dated in its
    plan period): status from the evidence, the first year the target was reached, the progress band of the latest
    figure before the target year, and the layer and authority each rests on."""
    documents = dataset.documents.set_index("doc_id")
    indicators = dataset.indicators.set_index("indicator_id")
    found = evidence(dataset)
    breaks = _series_breaks(dataset)
    table = dataset.commitments
    table = table[_in_scope(dataset, table, found)]
    rows = []
    for row in table.itertuples():
        own_docs = row.doc_ids.split(";")
        document = documents.loc[row.doc_id]
        indicator = indicators.loc[row.indicator_id]
        period = None if pd.isna(row.period_start) else (int(row.period_start), int(row.period_end))
        own_baseline = None
        if not pd.isna(row.baseline_value):
            own_baseline = Reading(row.baseline_outcome_id if not pd.isna(row.baseline_outcome_id) else row.target_id,
                                  int(row.baseline_year), float(row.baseline_value), PLAN_BASELINE,
                                  f"{document['level']}_plan", False, None)
        spec = TargetSpec(float(row.target_value), int(row.target_year), row.bound, indicator["measure_type"],
                          row.target_form, int(document["period_start"]) - 1, period, own_baseline)
        figures = _figures(found, row.indicator_id, row.region, own_docs, period)
        window = [f for f in figures if spec.base_year < f.year <= spec.year and f.layer != PLAN_BASELINE]
        candidates, baseline_note = baselines(spec, figures)
        baseline = candidates[0] if candidates else None
        status = judge_status(spec, window, None if baseline is None else baseline.value)
        band = judge_band(spec, baseline, _latest_first(window))
        alternatives = []
        for other in candidates[1:]:
            alternative = judge_band(spec, other, _latest_first(window))
            alternatives.append(f"from {other.value:g} ({other.evidence_id}, {other.layer}, {other.authority}): "
                                f"{alternative.band or 'no band'}")
        used = [f.evidence_id for f in (*candidates, *window)]
        broken = [(pid, summary) for item in (*row.target_ids.split(";"), *used) for pid, summary in breaks.get(item, [])]
        broken = list(dict.fromkeys(broken))
        band_value, band_note = band.band, band.required.reason or band.observed.reason
        if broken:
            status = Status(NOT_COMPARABLE, SERIES_BROKEN,
                            "; ".join(f"series break ({pid}): {summary}" for pid, summary in broken),
                            status.decided_by, status.first_reached, ";".join(pid for pid, _ in broken))
            band_value, band_note = None, "no band across a series break"
        elif not window:
            status = _unobserved(dataset, found, row, spec)
        latest_share = (
            attainment_ratio(band.latest.value, target_level(spec, baseline.value if baseline else None),
                             measure_type=spec.measure_type).value
            if band.latest is not None else None
        )
        rows.append({
            "commitment_id": row.commitment_id,
            "target_id": row.target_id,
            "target_ids": row.target_ids,
            "doc_ids": row.doc_ids,
            "plan_period": document["plan_period"],
            "region": row.region,
            "indicator_id": row.indicator_id,
            "indicator_en": indicator["name_en"],
            "indicator_zh": indicator["name_zh"],
            "unit": indicator["unit"],
            "measure_type": spec.measure_type,
            "bound": row.bound,
            "target_form": row.target_form,
            "target_year": spec.year,
            "target_value": spec.value,
            "status": status.status,
            "reason": status.reason,
            "refers_to": status.refers_to,
            **_describe(status.first_reached, "first_reached"),
            **_describe(status.decided_by, "decided_by"),
            **_describe(baseline, "baseline"),
            **_describe(band.latest, "latest"),
            "latest_share_of_target": latest_share,
            "required_growth": band.required.value,
            "observed_growth": band.observed.value,
            "progress_band": band_value,
            "band_note": "; ".join(n for n in (baseline_note, None if band_value else band_note, *alternatives) if n) or None,
            "status_note": status.note,
            "caveats": ";".join(_ids(row.problem_ids, *(f.problem_ids for f in (*candidates, *window)),
                                     *(pid for pid, _ in broken))) or None,
        })
    frame = pd.DataFrame(rows)
    years = [column for column in frame.columns if column.endswith("_year")]
    return frame.astype(dict.fromkeys(years, "Int64"))


def _unobserved(dataset: Dataset, found: pd.DataFrame, row, spec: TargetSpec) -> Status:
    """Status of a target no figure judges: not comparable where a linked indicator is observed instead (say how),
    else not observed because the region has no observation at all or the indicator is not observed there."""
    indicators = dataset.indicators.set_index("indicator_id")
    window = found[(found["region"] == row.region) & (found["year"] > spec.base_year) & (found["year"] <= spec.year)]
    for other, relation in _linked(dataset, row.indicator_id):
        linked = window[window["indicator_id"] == other]
        if not linked.empty:
            latest = linked.sort_values(["year", "rank"], ascending=[False, True]).iloc[0]
            return Status(NOT_COMPARABLE, LINKED_ONLY,
                          f"only {indicators.loc[other, 'name_en']} is observed ({relation}; {latest['evidence_id']}: "
                          f"{latest['value']:g} in {int(latest['year'])}), a different measure",
                          refers_to=f"{relation}:{other}")
    name = dataset.region_name(row.region)
    if not (dataset.observations["region"] == row.region).any():
        return Status(NOT_OBSERVED, REGION_NOT_OBSERVED, f"the observation layer has no figure for {name}")
    return Status(NOT_OBSERVED, NO_FIGURE,
                  f"no figure for {indicators.loc[row.indicator_id, 'name_en']} in {name} dated {spec.base_year + 1}-{spec.year}")


# -- indicator histories
def families(dataset: Dataset) -> dict[str, str]:
    """Indicator -> the first indicator (in indicators.csv order) of its lineage family: indicators linked by a
    redefinition (REDEFINITIONS) with the same unit and measure type re-measure one quantity, so their histories
    share a panel, each definition its own line."""
    indicators = dataset.indicators.set_index("indicator_id")
    order = {indicator_id: n for n, indicator_id in enumerate(indicators.index)}
    parent = {indicator_id: indicator_id for indicator_id in indicators.index}

    def root(indicator_id: str) -> str:
        while parent[indicator_id] != indicator_id:
            indicator_id = parent[indicator_id]
        return indicator_id

    for link in dataset.indicator_lineage.itertuples():
        a, b = link.from_indicator_id, link.to_indicator_id
        same = all(indicators.loc[a, column] == indicators.loc[b, column] for column in ("unit", "measure_type"))
        if link.relation in REDEFINITIONS and same:
            first, second = sorted((root(a), root(b)), key=order.get)
            parent[second] = first
    return {indicator_id: root(indicator_id) for indicator_id in indicators.index}


def _target_rows(dataset: Dataset, table: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Each commitment as a history row: its target and the baseline its required path starts from."""
    documents = dataset.documents.set_index("doc_id")
    measure = dataset.indicators.set_index("indicator_id")["measure_type"]
    rows = []
    for row in table.itertuples():
        document = documents.loc[row.doc_id]
        period = None if pd.isna(row.period_start) else (int(row.period_start), int(row.period_end))
        own = None
        if not pd.isna(row.baseline_value):
            own = Reading(row.baseline_outcome_id if not pd.isna(row.baseline_outcome_id) else row.target_id,
                          int(row.baseline_year), float(row.baseline_value), PLAN_BASELINE, f"{document['level']}_plan",
                          False, None)
        spec = TargetSpec(float(row.target_value), int(row.target_year), row.bound, measure[row.indicator_id],
                          row.target_form, int(document["period_start"]) - 1, period, own)
        candidates, _ = baselines(spec, _figures(found, row.indicator_id, row.region, row.doc_ids.split(";"), period))
        base = candidates[0] if candidates else None
        rows.append({
            "indicator_id": row.indicator_id, "region": row.region, "kind": TARGET, "year": spec.year,
            "period_start": row.period_start, "period_end": row.period_end,
            "value": target_level(spec, base.value if base else None), "layer": TARGET,
            "authority": f"{document['level']}_plan", "source_id": row.target_ids, "is_derived": False,
            "plan_period": document["plan_period"], "baseline_year": base.year if base else None,
            "baseline_value": base.value if base else None, "baseline_id": base.evidence_id if base else None,
            "problem_ids": row.problem_ids,
        })
    return pd.DataFrame(rows)


@cached
def indicator_history(dataset: Dataset) -> pd.DataFrame:
    """The history of every indicator targeted more than once or observed over time, long form: per lineage family
    and region with more than one commitment, or with values for more than one year at least one of which is an
    observation, every value (layer plan_outcome, plan_derived or observation, with its authority) and every target
    (plan period, baseline of its required path). segment numbers the definitions in the order they appear (a new
    definition starts a new line), lineage_link links a later one to an earlier member, series_break names the
    register's series breaks affecting a row."""
    family_of = families(dataset)
    found = evidence(dataset)
    plan_layer = found["is_derived"].map({True: PLAN_DERIVED, False: PLAN_OUTCOME})
    values = found.assign(
        kind="value",
        layer=found["origin"].where(found["origin"] == OBSERVATION, plan_layer),
        source_id=found["evidence_id"], plan_period=pd.NA, baseline_year=pd.NA, baseline_value=pd.NA, baseline_id=pd.NA,
    )
    targets = _target_rows(dataset, dataset.commitments, found)
    columns = ["indicator_id", "region", "kind", "year", "period_start", "period_end", "value", "layer", "authority",
               "source_id", "is_derived", "plan_period", "baseline_year", "baseline_value", "baseline_id", "problem_ids"]
    rows = pd.concat([values[columns], targets[columns]], ignore_index=True)
    rows["family"] = rows["indicator_id"].map(family_of)
    keep = []
    for _, group in rows.groupby(["family", "region"], sort=False):
        dated = group[group["kind"] == "value"]
        observed = (dated["layer"] == OBSERVATION).any()
        if (group["kind"] == TARGET).sum() > 1 or (dated["year"].nunique() > 1 and observed):
            keep.append(group)
    if not keep:
        return pd.DataFrame(columns=["family", "segment", "lineage_link", "series_break", *columns])
    history = pd.concat(keep, ignore_index=True)
    history["segment"], history["lineage_link"] = _segments(dataset, history)
    breaks = _series_breaks(dataset)
    history["series_break"] = [
        ";".join(dict.fromkeys(pid for item in str(ids).split(";") for pid, _ in breaks.get(item, []))) or None
        for ids in history["source_id"]
    ]
    indicator_order = {indicator_id: n for n, indicator_id in enumerate(dataset.indicators["indicator_id"])}
    region_order = {region_id: n for n, region_id in enumerate(dataset.regions["region_id"])}
    history = history.assign(
        _f=history["family"].map(indicator_order), _r=history["region"].map(region_order),
        _k=history["kind"].map({"value": 0, TARGET: 1}),
    ).sort_values(["_f", "_r", "segment", "_k", "year", "source_id"])
    return history.drop(columns=["_f", "_r", "_k"])[
        ["family", "indicator_id", "region", "segment", "lineage_link", "series_break", *columns[2:]]
    ].reset_index(drop=True)


def _segments(dataset: Dataset, history: pd.DataFrame) -> tuple[list[int], list[str | None]]:
    """Per family and region, number the indicators by the year they first appear (1 = the first definition) and
    give each later one's lineage link to an earlier member ("from relation to", as indicator_lineage.csv has it)."""
    links: dict[tuple[str, str], str] = {}
    for row in dataset.indicator_lineage.itertuples():
        text = f"{row.from_indicator_id} {row.relation} {row.to_indicator_id}"
        for pair in ((row.from_indicator_id, row.to_indicator_id), (row.to_indicator_id, row.from_indicator_id)):
            links[pair] = f"{links[pair]}; {text}" if pair in links else text
    segment: dict[tuple[str, str, str], tuple[int, str | None]] = {}
    for (family, region), group in history.groupby(["family", "region"], sort=False):
        first_year = group.groupby("indicator_id")["year"].min().sort_values(kind="stable")
        members: list[str] = []
        for indicator_id in first_year.index:
            link = next((links[(indicator_id, earlier)] for earlier in members if (indicator_id, earlier) in links), None)
            members.append(indicator_id)
            segment[(family, region, indicator_id)] = (len(members), link)
    keys = list(zip(history["family"], history["region"], history["indicator_id"], strict=True))
    return [segment[key][0] for key in keys], [segment[key][1] for key in keys]


# -- sources and findings
@cached
def source_table(dataset: Dataset) -> pd.DataFrame:
    """Each stored observation source, heaviest authority first: what it contributes (observations, how many derived,
    which indicators, regions and years), so a reader sees which figures rest on mirrors."""
    observations = dataset.observations
    sources = dataset.observation_sources.copy()
    grouped = observations.groupby("source_id")
    sources["observations"] = sources["source_id"].map(grouped.size()).fillna(0).astype(int)
    sources["derived"] = sources["source_id"].map(grouped["is_derived"].sum()).fillna(0).astype(int)
    sources["indicators"] = sources["source_id"].map(grouped["indicator_id"].agg(lambda ids: ";".join(dict.fromkeys(ids))))
    sources["regions"] = sources["source_id"].map(grouped["region"].agg(lambda ids: ";".join(dict.fromkeys(ids))))
    sources["years"] = sources["source_id"].map(
        grouped["year"].agg(lambda years: ";".join(str(year) for year in sorted(set(years.dropna()))))
    )
    sources["_a"] = sources["authority"].map({a: n for n, a in enumerate(AUTHORITIES)})
    columns = ["source_id", "authority", "publisher", "title", "date_published", "observations", "derived", "indicators",
               "regions", "years", "url"]
    return sources.sort_values(["_a", "date_published", "source_id"])[columns].reset_index(drop=True)


def register_entries(dataset: Dataset) -> pd.DataFrame:
    """Register entries that cite an observation snapshot or affect an observation."""
    problems = dataset.source_problems
    sources = set(dataset.observation_sources["source_id"])
    observations = set(dataset.observations["observation_id"])
    cites = problems["doc_a"].isin(sources) | problems["doc_b"].isin(sources)
    affects = problems["affects"].map(lambda ids: bool(set(_ids(ids)) & observations))
    return problems[cites | affects].reset_index(drop=True)


AUTHORITY_WORDS = {
    "issuing_body": ("the issuing body", "发布机关"),
    "official_outlet": ("an official outlet", "官方媒体"),
    "mirror": ("a mirror", "转载"),
}
LEVEL_WORDS = {"national": "国家级", "provincial": "省级", "city": "市级", "district": "区级"}


def _authority_words(authority: str, lang: str) -> str:
    if authority in AUTHORITY_WORDS:
        return AUTHORITY_WORDS[authority][lang == "zh"]
    level = authority.removesuffix("_plan")
    return f"{LEVEL_WORDS[level]}规划" if lang == "zh" else f"the {level} plan"


def _value(row, column: str, lang: str) -> str:
    """A value of the row in its unit, as numbers.quantity writes it (28.89万件 in Chinese prose)."""
    return quantity(getattr(row, column), row.unit, lang)


def _bilingual(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def findings(dataset: Dataset) -> list[dict[str, str]]:
    """The findings of notebook 05 as sentences in English and Chinese; every number comes from source_table and
    progress_table."""
    sources = source_table(dataset)
    table = progress_table(dataset)
    latest = dataset.plan_periods[-1]
    current = table[table["plan_period"] == latest]
    counts = current["status"].value_counts()
    by_authority = sources.groupby("authority")["source_id"].size()
    on_mirrors = int(sources.loc[sources["authority"] == "mirror", "observations"].sum())
    n_obs, n_derived = int(sources["observations"].sum()), int(sources["derived"].sum())
    result = [_bilingual(
        f"The observation layer holds {n_obs} official figures from {len(sources)} stored sources: "
        f"{by_authority.get('issuing_body', 0)} published by the issuing body itself, "
        f"{by_authority.get('official_outlet', 0)} by an official outlet and {by_authority.get('mirror', 0)} by mirrors "
        f"or reposts, which carry {on_mirrors} of the {n_obs} figures; {n_derived} figures are derived from a stated "
        "growth rate or margin.",
        f"观测层收录{n_obs}个官方数字，来自{len(sources)}份存档来源：发布机关自身{by_authority.get('issuing_body', 0)}份、"
        f"官方媒体{by_authority.get('official_outlet', 0)}份、转载{by_authority.get('mirror', 0)}份，"
        f"{n_obs}个数字中有{on_mirrors}个来自转载；{n_derived}个由所述增长率或差额推算。",
    )]
    years = sorted(set(current["target_year"]))
    at_year = int((current["decided_by_year"] == current["target_year"]).sum())
    result.append(_bilingual(
        f"Of the {len(current)} distinct {latest}-period targets, {counts.get(ACHIEVED, 0)} are achieved by the latest "
        f"observation, {counts.get(NOT_ACHIEVED, 0)} not achieved, {counts.get(NOT_COMPARABLE, 0)} not comparable and "
        f"{counts.get(NOT_OBSERVED, 0)} not observed; {at_year} of these judgements rest on a figure for the target year "
        f"itself ({', '.join(str(year) for year in years)}), the others on earlier years.",
        f"{len(current)}项不重复的“{_chinese_period(latest)}”目标中，按最新观测值已实现{counts.get(ACHIEVED, 0)}项，"
        f"未实现{counts.get(NOT_ACHIEVED, 0)}项，不可比{counts.get(NOT_COMPARABLE, 0)}项，无观测值"
        f"{counts.get(NOT_OBSERVED, 0)}项；其中{at_year}项判断依据目标年份（{'、'.join(str(year) for year in years)}）"
        "本身的数字，其余依据更早年份。",
    ))
    for row in current[current["status"] == ACHIEVED].itertuples():
        result.append(_bilingual(
            f"{row.indicator_en}: {_value(row, 'target_value', 'en')} by {row.target_year}, first reached in "
            f"{row.first_reached_year} ({_value(row, 'first_reached_value', 'en')}, published by "
            f"{_authority_words(row.first_reached_authority, 'en')}); {_value(row, 'latest_value', 'en')} in {row.latest_year} "
            f"({_authority_words(row.latest_authority, 'en')}), band {row.progress_band.replace('_', ' ')}.",
            f"{row.indicator_zh}：{row.target_year}年目标{_value(row, 'target_value', 'zh')}，{row.first_reached_year}年即已达到"
            f"（{_value(row, 'first_reached_value', 'zh')}，来源：{_authority_words(row.first_reached_authority, 'zh')}）；"
            f"{row.latest_year}年为{_value(row, 'latest_value', 'zh')}（{_authority_words(row.latest_authority, 'zh')}），"
            f"进度等级：{BAND_WORDS[row.progress_band]}。",
        ) if not pd.isna(row.latest_year) and row.progress_band else _bilingual(
            f"{row.indicator_en}: {_value(row, 'target_value', 'en')} by {row.target_year}, first reached in "
            f"{row.first_reached_year} ({_value(row, 'first_reached_value', 'en')}, published by "
            f"{_authority_words(row.first_reached_authority, 'en')}).",
            f"{row.indicator_zh}：{row.target_year}年目标{_value(row, 'target_value', 'zh')}，{row.first_reached_year}年即已达到"
            f"（{_value(row, 'first_reached_value', 'zh')}，来源：{_authority_words(row.first_reached_authority, 'zh')}）。",
        ))
    names = dataset.indicators.set_index("indicator_id")
    for row in current[current["status"] == NOT_COMPARABLE].itertuples():
        head_en = f"{row.indicator_en} ({_value(row, 'target_value', 'en')} by {row.target_year}) is not comparable"
        head_zh = f"{row.indicator_zh}（{row.target_year}年目标{_value(row, 'target_value', 'zh')}）不可比"
        if row.reason == LINKED_ONLY:
            relation, other = row.refers_to.split(":")
            result.append(_bilingual(
                f"{head_en}: only {names.loc[other, 'name_en']} is observed, a different measure ({relation}).",
                f"{head_zh}：仅有{names.loc[other, 'name_zh']}的观测值，口径不同（{RELATION_WORDS[relation]}）。",
            ))
        elif row.reason == SERIES_BROKEN:
            result.append(_bilingual(
                f"{head_en}: the register records a series break ({row.refers_to.replace(';', ', ')}).",
                f"{head_zh}：问题登记记录了统计序列断点（{row.refers_to.replace(';', '、')}）。",
            ))
    observed_regions = set(dataset.observations["region"])
    for region, group in current.groupby("region", sort=False):
        name_en, name_zh = dataset.region_name(region), dataset.region_name(region, "zh")
        missing = group[group["reason"] == NO_FIGURE]
        if region not in observed_regions:
            result.append(_bilingual(
                f"None of the {len(group)} targets of {name_en} can be judged: the observation layer has no figure for it.",
                f"{name_zh}的{len(group)}项目标均无法判断：观测层没有该地区的数字。",
            ))
        elif not missing.empty:
            result.append(_bilingual(
                f"{len(missing)} of the {len(group)} targets of {name_en} have no observation at all: "
                + "; ".join(missing["indicator_en"]) + ".",
                f"{name_zh}的{len(group)}项目标中有{len(missing)}项没有任何观测值：" + "；".join(missing["indicator_zh"]) + "。",
            ))
    early = table[(table["plan_period"] != latest) & (table["first_reached_year"] < table["target_year"])]
    if not early.empty:
        items_en = "; ".join(f"{r.indicator_en} ({_value(r, 'target_value', 'en')} by {r.target_year}) in {r.first_reached_year}"
                             for r in early.itertuples())
        items_zh = "；".join(f"{r.indicator_zh}（{r.target_year}年目标{_value(r, 'target_value', 'zh')}）"
                             f"于{r.first_reached_year}年"
                             for r in early.itertuples())
        result.append(_bilingual(
            f"Observations dated inside earlier plan periods show {len(early)} earlier targets reached before their "
            f"target year: {items_en}.",
            f"早期规划期内的观测值显示，{len(early)}项早期目标在目标年份之前即已达到：{items_zh}。",
        ))
        from .comparisons import attainment_table  # comparisons imports this module

        unreported = set(attainment_table(dataset).query("status == 'not_reported'")["commitment_id"])
        silent = early[early["commitment_id"].isin(unreported)]
        if not silent.empty:
            result.append(_bilingual(
                f"{len(silent)} of them no later plan reports (status not reported in attainment.csv, which judges by "
                "the plans' own reviews; its column progress_status gives this judgement): "
                + "; ".join(silent["indicator_en"]) + ".",
                f"其中{len(silent)}项没有后续规划报告（attainment.csv仅依据规划自身的回顾判断，状态为未报告；其progress_status列"
                "给出此处的判断）：" + "；".join(silent["indicator_zh"]) + "。",
            ))
    result.extend(_weight_of_evidence(dataset, table))
    return result


def _weight_of_evidence(dataset: Dataset, table: pd.DataFrame) -> list[dict[str, str]]:
    """What the judgements rest on: those that rest on reposts (mirrors) alone, and the targets whose base-year
    figure two sources give differently (register entries of kind cross_source_disagreement), each given a band."""
    result = []
    columns = ["decided_by_authority", "first_reached_authority", "latest_authority"]
    on_mirrors = table[columns].apply(lambda row: set(row.dropna()) == {"mirror"}, axis=1)
    mirrors = table[(table["decided_by_layer"] == OBSERVATION) & on_mirrors]
    if not mirrors.empty:
        result.append(_bilingual(
            f"{len(mirrors)} judgement{'s' if len(mirrors) > 1 else ''} rest{'' if len(mirrors) > 1 else 's'} on reposts "
            "(mirrors) alone, with no figure from the issuing body or an official outlet: "
            + "; ".join(mirrors["indicator_en"]) + ".",
            f"{len(mirrors)}项判断仅依据转载，没有发布机关或官方媒体的数字：" + "；".join(mirrors["indicator_zh"]) + "。",
        ))
    register = register_entries(dataset)
    disagreements = register[register["kind"] == "cross_source_disagreement"]
    if not disagreements.empty:
        cited = table["caveats"].fillna("").str.split(";").map(set(disagreements["problem_id"]).intersection)
        two_bases = table[cited.map(bool)]
        result.append(_bilingual(
            f"The register records {len(disagreements)} base-year figures that two sources give differently "
            f"({', '.join(disagreements['problem_id'])}); both are kept; judged targets citing "
            f"one: {len(two_bases)}, with the band from each figure in band_note.",
            f"问题登记记录了{len(disagreements)}个两份来源说法不一的基期数字（{'、'.join(disagreements['problem_id'])}）；"
            f"两者都保留，已判断的目标中有{len(two_bases)}项涉及此类数字，band_note给出按每个数字得出的进度等级。",
        ))
    return result


RELATION_WORDS = {"narrowed": "收窄", "broadened": "放宽", "redefined": "重新定义", "replaced": "替代",
                  "aggregation": "汇总口径", "component": "组成部分", "nearest_proxy": "近似替代"}
BAND_WORDS = {"on_track": "按计划推进", "acceleration_needed": "需加速", "limited_progress": "进展有限",
              "moving_away": "背离目标"}


def _chinese_period(plan_period: str) -> str:
    """'14th' -> 十四五 (the Chinese name of a five-year plan period)."""
    number = period_number(plan_period)
    tens, units = divmod(number, 10)
    digits = "零一二三四五六七八九"
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "") + "五"
