"""The comparisons the notebooks tell: attainment of 13th-period targets, 13th vs 14th city plans, ambition,
district vs city, reporting coverage. Each function takes the loaded Dataset and returns one table; formulas
come from metrics.py; column_docs.py documents every computed column."""

from __future__ import annotations

from itertools import pairwise

import pandas as pd

from .dataset import Dataset, cached
from .metrics import (
    ACHIEVED,
    NOT_ACHIEVED,
    NOT_COMPARABLE,
    NOT_REPORTED,
    STATUSES,
    Rate,
    ambition_ratio,
    attainment_ratio,
    compound_annual_growth,
    distance_covered,
    escalation,
    is_achieved,
    level_ratio,
    progress_band,
    required_growth,
    share,
)
from .progress import progress_table


def _indicator_names(dataset: Dataset) -> pd.DataFrame:
    return dataset.indicators.set_index("indicator_id")


def _neighbours(dataset: Dataset) -> dict[str, list[tuple[str, str]]]:
    """Indicator -> [(linked indicator, relation)], links read in both directions."""
    links: dict[str, list[tuple[str, str]]] = {}
    for row in dataset.indicator_lineage.itertuples():
        links.setdefault(row.from_indicator_id, []).append((row.to_indicator_id, row.relation))
        links.setdefault(row.to_indicator_id, []).append((row.from_indicator_id, row.relation))
    return links


def _midterm(outcomes: pd.DataFrame, target, after_year: int) -> pd.DataFrame:
    """The latest outcome between the baseline year and the target year (a mid-term reading), if any."""
    found = outcomes[
        (outcomes["indicator_id"] == target.indicator_id)
        & (outcomes["region"] == target.region)
        & (outcomes["year"] > after_year)
        & (outcomes["year"] < target.target_year)
        & outcomes["period_start"].isna()
    ]
    return found.sort_values(["year", "outcome_id"], ascending=[False, True]).head(1)


def _dated(outcomes: pd.DataFrame, indicator_id: str, region: str, year: int):
    """The outcome measuring indicator_id in region in year (a value at a date, not a period total), or None."""
    found = outcomes[
        (outcomes["indicator_id"] == indicator_id)
        & (outcomes["region"] == region)
        & (outcomes["year"] == year)
        & outcomes["period_start"].isna()
    ]
    return None if found.empty else found.sort_values(["is_derived", "outcome_id"]).iloc[0]


def _baseline(dataset: Dataset, target, plan_start: int) -> tuple[float | None, int | None, str | None]:
    """The target's own baseline, else the outcome for the year before its plan period (e.g. a derived 2015 value)."""
    if pd.notna(target.baseline_value):
        return target.baseline_value, int(target.baseline_year), target.baseline_outcome_id
    row = _dated(dataset.outcomes, target.indicator_id, target.region, plan_start - 1)
    return (None, None, None) if row is None else (row["value"], int(row["year"]), row["outcome_id"])


def _disputing(dataset: Dataset, target, baseline: float, baseline_year: int, source: str | None) -> pd.DataFrame:
    """Other figures of the commitment's own documents for its indicator and region, dated at the baseline year or
    undated, that differ from the baseline and cite a major problem the commitment also cites: a disputed baseline
    (a district plan's table gives 0 advantage enterprises for 2020 and its text names one)."""
    problems = dataset.source_problems
    major = set(problems.loc[problems["severity"] == "major", "problem_id"])
    cited = major & set(target.problem_ids.split(";")) if isinstance(target.problem_ids, str) else set()
    outcomes = dataset.outcomes
    found = outcomes[
        (outcomes["indicator_id"] == target.indicator_id)
        & (outcomes["region"] == target.region)
        & outcomes["doc_id"].isin(target.doc_ids.split(";"))
        & (outcomes["outcome_id"] != source)
        & (outcomes["value"] != baseline)
        & ((outcomes["year"] == baseline_year) | (outcomes["year"].isna() & outcomes["period_end"].isna())).fillna(False)
    ]
    shared = [bool(cited & set(ids.split(";"))) if isinstance(ids, str) else False for ids in found["problem_ids"]]
    return found[pd.Series(shared, index=found.index, dtype=bool)].sort_values("outcome_id")


def _rate_text(rate: Rate) -> str:
    return f"{rate.value:.1%} a year" if rate.value is not None else (rate.reason or "undefined")


def _required(dataset: Dataset, target, baseline, baseline_year, source) -> tuple[Rate, str]:
    """Required yearly growth from the baseline to the target, and the ids of figures disputing the baseline. Where
    the document's own figures dispute the baseline, the rate under each reading goes into the reason and the value
    is None: no growth is derived from one side of a registered conflict."""
    required = required_growth(baseline, baseline_year, target.target_value, target.target_year)
    if baseline is None or pd.isna(baseline):
        return required, ""
    disputing = _disputing(dataset, target, baseline, baseline_year, source)
    if disputing.empty:
        return required, ""
    readings = [(baseline, source, required)] + [
        (other["value"], other["outcome_id"],
         required_growth(other["value"], baseline_year, target.target_value, target.target_year))
        for _, other in disputing.iterrows()
    ]
    problems = _caveats(*disputing["problem_ids"])
    each = "; ".join(f"from {value:g} ({outcome_id}): {_rate_text(rate)}" for value, outcome_id, rate in readings)
    return Rate(None, f"baseline disputed ({problems}): {each}"), ";".join(disputing["outcome_id"])


def _caveats(*problem_ids) -> str:
    ids = sorted({item for value in problem_ids if isinstance(value, str) and value for item in value.split(";")})
    return ";".join(ids)


def _issue_year(date_issued: str) -> int:
    return int(date_issued[:4])


def _due(dataset: Dataset, target_year: int) -> bool:
    """Whether a document issued after target_year reviews outcomes back to it, so the target can be judged."""
    documents = dataset.documents
    reviews = documents["reports_from"].notna() & (documents["reports_from"] <= target_year)
    return bool((reviews & (documents["date_issued"].map(_issue_year) > target_year)).any())


# Measure types whose figures add up, so a part of what a target counts bounds it from below.
ADDITIVE = ("stock", "annual_flow", "period_cumulative", "designated_units")


def _parts(dataset: Dataset) -> set[tuple[str, str]]:
    """(part, whole): the first indicator counts part of what the second counts (lineage 'narrowed')."""
    lineage = dataset.indicator_lineage
    narrowed = lineage[lineage["relation"] == "narrowed"]
    return set(zip(narrowed["from_indicator_id"], narrowed["to_indicator_id"], strict=True))


def _readings(outcome) -> list[str]:
    """What a figure measures: its indicator, then the alternatives a registered ambiguity allows."""
    alternatives = outcome["alternative_indicator_ids"]
    return [outcome["indicator_id"], *(alternatives.split(";") if isinstance(alternatives, str) else [])]


def _forms(target) -> tuple[str, ...]:
    """The forms a target statement may take: an 'unclear' one (培育20个: a level of 20, or 20 more) is read both
    ways."""
    return ("level", "increment") if target.target_form == "unclear" else (target.target_form,)


def _verdict(target, form: str, measure_type: str, measured: str, value: float, baseline, parts) -> tuple[str | None, str]:
    """The status a figure gives a target of `form` if it measures `measured`: the same measure decides directly; a
    part of what the target counts that already meets it decides 'achieved' (the whole is at least as large); a whole
    that falls short decides 'not achieved'. Anything else decides nothing (None), as does an increment without a
    baseline to add it to."""
    if form == "increment" and (baseline is None or pd.isna(baseline)):
        return None, "an increment with no baseline to add it to settles nothing"
    met = is_achieved(value, target.target_value, bound=target.bound, measure_type=measure_type,
                      target_form=form, baseline=baseline)
    if measured == target.indicator_id:
        return (ACHIEVED if met else NOT_ACHIEVED), "the same measure"
    if form != "level" or measure_type not in ADDITIVE:
        return None, "a different measure"
    if (measured, target.indicator_id) in parts:
        return (ACHIEVED, "a part of what the target counts meets it: a lower bound") if met else (
            None, "a part of what the target counts falls short, which settles nothing")
    if (target.indicator_id, measured) in parts:
        return (NOT_ACHIEVED, "a whole the target counts part of falls short: an upper bound") if not met else (
            None, "a whole the target counts part of meets it, which settles nothing")
    return None, "a different measure"


def _judge(target, measure_type: str, outcome, baseline, parts) -> tuple[str | None, bool, str]:
    """(status, robust, how) from one figure: the status every reading of it (and of the target's form, if unclear)
    gives (robust), else the one its filed reading gives (not robust), else None."""
    forms = _forms(target)
    verdicts = [(measured if len(forms) == 1 else f"{measured} with the target as {form}",
                 *_verdict(target, form, measure_type, measured, outcome["value"], baseline, parts))
                for form in forms for measured in _readings(outcome)]
    statuses = {status for _, status, _ in verdicts}
    how = "; ".join(f"read as {measured}: {status or 'undecided'} ({why})" for measured, status, why in verdicts)
    if len(statuses) == 1 and None not in statuses:
        return statuses.pop(), True, how
    return verdicts[0][1], False, how


def _series_breaks(dataset: Dataset, target_ids: list[str]) -> list[tuple[str, str]]:
    """(problem_id, summary) of the register's series breaks that name one of the targets: the reason a figure on
    the other side of the break cannot judge them."""
    problems = dataset.source_problems
    breaks = problems[problems["kind"] == "series_break"]
    return [(row.problem_id, row.summary) for row in breaks.itertuples()
            if set(str(row.affects).split(";")) & set(target_ids)]


def _evidence(dataset: Dataset, target, later: pd.DataFrame) -> pd.DataFrame:
    """Later figures at the target's date (its period, for period totals) that may decide it: the same indicator
    first, then figures whose readings include it or a part or whole of it."""
    parts = _parts(dataset)
    related = {target.indicator_id} | {a for a, b in parts if b == target.indicator_id} | {
        b for a, b in parts if a == target.indicator_id}
    found = later[later["region"] == target.region]
    if pd.notna(target.period_start):
        found = found[(found["period_start"] == target.period_start) & (found["period_end"] == target.period_end)]
    else:
        found = found[found["year"] == target.target_year]
    found = found[pd.Series([bool(set(_readings(o)) & related) for _, o in found.iterrows()], index=found.index, dtype=bool)]
    direct = found["indicator_id"] != target.indicator_id
    return found.assign(_other=direct).sort_values(["_other", "is_derived", "outcome_id"]).drop(columns="_other")


@cached
def attainment_table(dataset: Dataset) -> pd.DataFrame:
    """One row per commitment that a later document's review period covers (here the 13th-period targets; two
    documents stating the same target make one row): the figure a later document reports for it, ratio and status.
    A status must hold under every reading of a registered ambiguity to be robust; a bound decides where it holds
    (registrations in force that exceed a target for all registrations achieve it)."""
    documents = dataset.documents.set_index("doc_id")
    names = _indicator_names(dataset)
    neighbours = _neighbours(dataset)
    parts = _parts(dataset)
    targets = dataset.commitments
    targets = targets[[_due(dataset, int(year)) for year in targets["target_year"]]]
    rows = []
    for target in targets.itertuples():
        indicator = names.loc[target.indicator_id]
        plan_start = int(documents.loc[target.doc_id, "period_start"])
        baseline, baseline_year, baseline_source = _baseline(dataset, target, plan_start)
        later = dataset.outcomes[~dataset.outcomes["doc_id"].isin(target.doc_ids.split(";"))]
        row = {
            "commitment_id": target.commitment_id,
            "target_id": target.target_id,
            "target_ids": target.target_ids,
            "doc_id": target.doc_id,
            "doc_ids": target.doc_ids,
            "region": target.region,
            "indicator_id": target.indicator_id,
            "indicator_en": indicator["name_en"],
            "indicator_zh": indicator["name_zh"],
            "measure_type": indicator["measure_type"],
            "unit": indicator["unit"],
            "bound": target.bound,
            "target_year": target.target_year,
            "target_value": target.target_value,
            "baseline_year": baseline_year,
            "baseline_value": baseline,
            "baseline_source": baseline_source,
            "outcome_id": None,
            "outcome_year": None,
            "outcome_value": None,
            "attainment_ratio": None,
            "distance_covered": None,
            "status": NOT_REPORTED,
            "robust": None,
            "progress_band": None,
            "status_note": None,
            "caveats": _caveats(target.problem_ids),
        }
        judged = next(
            (
                (outcome, *judgement)
                for _, outcome in _evidence(dataset, target, later).iterrows()
                if (judgement := _judge(target, indicator["measure_type"], outcome, baseline, parts))[0] is not None
            ),
            None,
        )
        if judged is not None:
            outcome, status, robust, how = judged
            same = outcome["indicator_id"] == target.indicator_id
            row.update(
                outcome_id=outcome["outcome_id"],
                outcome_year=outcome["year"],
                outcome_value=outcome["value"],
                attainment_ratio=attainment_ratio(
                    outcome["value"], target.target_value, measure_type=indicator["measure_type"],
                    target_form=target.target_form, baseline=baseline,
                ).value if same else None,
                distance_covered=distance_covered(baseline, target.target_value, outcome["value"]).value if same else None,
                status=status,
                robust=robust,
                status_note=f"{outcome['doc_id']} reports {outcome['value']:g} ({outcome['outcome_id']}"
                + (", derived" if outcome["is_derived"] else "") + f"); {how}"
                + ("" if robust else "; the status holds under the first reading only"),
                caveats=_caveats(target.problem_ids, outcome["problem_ids"]),
            )
            rows.append(row)
            continue
        midterm = _midterm(later, target, baseline_year or plan_start - 1)
        if not midterm.empty:
            outcome = midterm.iloc[0]
            required = required_growth(baseline, baseline_year, target.target_value, target.target_year)
            observed = compound_annual_growth(
                baseline, outcome["value"], None if baseline_year is None else outcome["year"] - baseline_year
            )
            met = is_achieved(outcome["value"], target.target_value, bound=target.bound,
                              measure_type=indicator["measure_type"], target_form=target.target_form, baseline=baseline)
            row.update(
                outcome_id=outcome["outcome_id"],
                outcome_year=outcome["year"],
                outcome_value=outcome["value"],
                attainment_ratio=attainment_ratio(
                    outcome["value"], target.target_value, measure_type=indicator["measure_type"],
                    target_form=target.target_form, baseline=baseline,
                ).value,
                distance_covered=distance_covered(baseline, target.target_value, outcome["value"]).value,
                status=ACHIEVED if met else NOT_REPORTED,
                robust=True if met else None,
                progress_band=progress_band(observed, required),
                status_note=f"{outcome['doc_id']} reports {outcome['value']:g} {indicator['unit']} for {outcome['year']}, "
                "before the target year",
                caveats=_caveats(target.problem_ids, outcome["problem_ids"]),
            )
            rows.append(row)
            continue
        proxy = next(
            (
                (other, relation, outcome)
                for other, relation in neighbours.get(target.indicator_id, [])
                if (outcome := _dated(dataset.outcomes, other, target.region, int(target.target_year))) is not None
            ),
            None,
        )
        if proxy is not None:
            other, relation, outcome = proxy
            breaks = _series_breaks(dataset, target.target_ids.split(";"))
            row.update(
                status=NOT_COMPARABLE,
                caveats=_caveats(target.problem_ids, outcome["problem_ids"]),
                status_note="".join(f"series break ({problem_id}): {summary}; " for problem_id, summary in breaks)
                + f"nearest reported figure: {names.loc[other, 'name_en']} = {outcome['value']:g} "
                f"({outcome['outcome_id']}); indicators linked as {relation}",
            )
        else:
            row["status_note"] = f"no later document reports this indicator for {target.region} at the target date"
        rows.append(row)
    return _with_progress(dataset, pd.DataFrame(rows).astype({"robust": "boolean"}))


def _with_progress(dataset: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """Beside the plans' own judgement, the judgement of the same commitment in progress_table (notebook 05, which adds
    the official statistics of the observation layer): progress_status and progress_first_reached_year, empty where
    progress_table has no row for the commitment. The two rest on different evidence by design; the columns let a
    reader see both."""
    judged = progress_table(dataset).set_index("commitment_id")
    table["progress_status"] = table["commitment_id"].map(judged["status"]).astype("string")
    table["progress_first_reached_year"] = table["commitment_id"].map(judged["first_reached_year"]).astype("Int64")
    return table


def reporting_coverage(attainment: pd.DataFrame) -> pd.DataFrame:
    """Per target document: how many of the commitments it states a later document reports on, and which it leaves
    out (a per-document count: a commitment two documents state counts in both rows)."""
    statements = attainment.assign(
        doc_id=attainment["doc_ids"].str.split(";"), target_id=attainment["target_ids"].str.split(";")
    ).explode(["doc_id", "target_id"])
    rows = []
    for doc_id, group in statements.groupby("doc_id", sort=False):
        group = group.sort_values("target_id")
        counts = group["status"].value_counts()
        reported = int(counts.get(ACHIEVED, 0) + counts.get(NOT_ACHIEVED, 0))
        rows.append(
            {
                "doc_id": doc_id,
                "targets": len(group),
                **{f"n_{status}": int(counts.get(status, 0)) for status in STATUSES},
                "share_reported": share(reported, len(group)),
                "not_reported_ids": ";".join(group.loc[group["status"] == NOT_REPORTED, "target_id"]),
                "not_comparable_ids": ";".join(group.loc[group["status"] == NOT_COMPARABLE, "target_id"]),
            }
        )
    return pd.DataFrame(rows)


def _plan_steps(dataset: Dataset) -> list[tuple[str, str, str]]:
    """(region, earlier period, later period) for each region with plans in two successive periods of its own."""
    steps = []
    for region, documents in dataset.documents.groupby("region", sort=False):
        periods = [period for period in dataset.plan_periods if period in set(documents["plan_period"])]
        steps += [(region, earlier, later) for earlier, later in pairwise(periods)]
    return steps


# Lineage relations by which a later indicator continues an earlier one's measure; component, nearest_proxy and the
# like relate different measures, so an earlier indicator linked only by them was dropped.
CONTINUING = ("narrowed", "broadened", "redefined", "replaced", "aggregation")


@cached
def plan_changes(dataset: Dataset) -> pd.DataFrame:
    """A region's plans of one period against its plans of the next (here the city's two 13th-period opinions against
    its 14th plan): each indicator targeted by either, classified kept, redefined, dropped or added."""
    frames = [_plan_change(dataset, *step) for step in _plan_steps(dataset)]
    columns = ["region", "earlier_period", "later_period", "indicator_id", "later_indicator_id", "name_en", "name_zh",
               "unit", "change", "relation", "value_chain_stage", "ip_type", "earlier_target",
               "later_baseline_year", "later_baseline_outcome", "later_baseline_outcome_id", "later_target"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _plan_change(dataset: Dataset, region: str, earlier: str, later: str) -> pd.DataFrame:
    documents = dataset.documents
    mine = documents[documents["region"] == region]
    earlier_docs = set(mine.loc[mine["plan_period"] == earlier, "doc_id"])
    later_docs = set(mine.loc[mine["plan_period"] == later, "doc_id"])
    base_year = int(mine.loc[mine["plan_period"] == later, "period_start"].min()) - 1
    targets = dataset.commitments
    targets = targets[targets["region"] == region]
    names = _indicator_names(dataset)
    neighbours = _neighbours(dataset)
    before = targets[targets["doc_id"].isin(earlier_docs)].groupby("indicator_id", sort=False)["target_value"].first()
    after = targets[targets["doc_id"].isin(later_docs)].groupby("indicator_id", sort=False)["target_value"].first()
    kept = set(before.index) & set(after.index)
    rows, matched_later = [], set(kept)
    for indicator_id, value in before.items():
        linked = [  # a later indicator that continues its own earlier target does not also continue this one
            (other, relation)
            for other, relation in neighbours.get(indicator_id, [])
            if other in after.index and other not in kept and relation in CONTINUING
        ]
        if indicator_id in kept:
            change, later_id, relation = "kept", indicator_id, None
        elif linked:
            (later_id, relation), change = linked[0], "redefined"
        else:
            change, later_id, relation = "dropped", None, None
        matched_later.add(later_id)
        rows.append((indicator_id, change, later_id, relation, value, after.get(later_id) if later_id else None))
    rows += [(None, "added", later_id, None, None, value) for later_id, value in after.items() if later_id not in matched_later]
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "change", "later_indicator_id", "relation", "earlier_target", "later_target"]
    )
    key = frame["indicator_id"].fillna(frame["later_indicator_id"])
    at_base = [_dated(dataset.outcomes, k, region, base_year) for k in key]
    frame["later_baseline_year"] = base_year
    frame["later_baseline_outcome"] = [o["value"] if o is not None else None for o in at_base]
    frame["later_baseline_outcome_id"] = [o["outcome_id"] if o is not None else None for o in at_base]
    for column in ("name_en", "name_zh", "unit", "value_chain_stage", "ip_type"):
        frame[column] = key.map(names[column])
    return frame.assign(region=region, earlier_period=earlier, later_period=later)


@cached
def ambition_table(dataset: Dataset) -> pd.DataFrame:
    """Every commitment with a baseline: required yearly growth, growth realised before and during the plan, and
    the ambition ratio (required over growth in the previous five years)."""
    documents = dataset.documents.set_index("doc_id")
    names = _indicator_names(dataset)
    rows = []
    for target in dataset.commitments.itertuples():
        plan_start = int(documents.loc[target.doc_id, "period_start"])
        baseline, baseline_year, baseline_source = _baseline(dataset, target, plan_start)
        if baseline is None or target.target_form != "level" or pd.notna(target.period_start):
            continue
        required, disputed_by = _required(dataset, target, baseline, baseline_year, baseline_source)
        before = _dated(dataset.outcomes, target.indicator_id, target.region, baseline_year - 5)
        realised_before = (
            compound_annual_growth(before["value"], baseline, 5)
            if before is not None
            else Rate(None, f"no {baseline_year - 5} value reported")
        )
        during = _dated(dataset.outcomes, target.indicator_id, target.region, int(target.target_year))
        realised_during = (
            compound_annual_growth(baseline, during["value"], int(target.target_year) - baseline_year)
            if during is not None
            else Rate(None, "no outcome at the target year")
        )
        ratio = ambition_ratio(required, realised_before)
        used = [o for o in (before, during) if o is not None]
        if baseline_source is not None:
            used.append(dataset.outcomes.set_index("outcome_id").loc[baseline_source].rename(baseline_source))
        readings = _caveats(*(o["problem_ids"] for o in used if isinstance(o["alternative_indicator_ids"], str)))
        rows.append(
            {
                "commitment_id": target.commitment_id,
                "target_id": target.target_id,
                "doc_id": target.doc_id,
                "plan_period": documents.loc[target.doc_id, "plan_period"],
                "region": target.region,
                "indicator_id": target.indicator_id,
                "indicator_en": names.loc[target.indicator_id, "name_en"],
                "baseline_year": baseline_year,
                "baseline_value": baseline,
                "baseline_source": baseline_source,
                "baseline_disputed_by": disputed_by or None,
                "before_source": None if before is None else before["outcome_id"],
                "during_source": None if during is None else during["outcome_id"],
                "target_year": target.target_year,
                "target_value": target.target_value,
                "required_growth": required.value,
                "realised_growth_before": realised_before.value,
                "realised_growth_during": realised_during.value,
                "ambition_ratio": ratio.value,
                "note": "; ".join(
                    dict.fromkeys(
                        r
                        for r in (
                            required.reason,
                            realised_before.reason,
                            realised_during.reason,
                            f"the figures rest on one reading of an ambiguity ({readings})" if readings else None,
                        )
                        if r
                    )
                ),
                "caveats": _caveats(target.problem_ids, *(o["problem_ids"] for o in used)),
            }
        )
    return pd.DataFrame(rows)


def _stated_in(commitments: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """Commitments that any of doc_ids states."""
    wanted = set(doc_ids)
    return commitments[[bool(wanted & set(ids.split(";"))) for ids in commitments["doc_ids"]]]


@cached
def district_vs_city(dataset: Dataset) -> pd.DataFrame:
    """Each district commitment that a plan of its city for the same period also targets (same or linked indicator).
    Same indicator: levels, their ratio, the district's share of the city where the measure adds up, required growth
    and escalation. Linked indicator: the row with the reason and no ratio, since two definitions do not divide."""
    names = _indicator_names(dataset)
    neighbours = _neighbours(dataset)
    commitments = dataset.commitments
    documents = dataset.documents.set_index("doc_id")
    rows = []
    for district_doc in dataset.document_order:
        city_docs = dataset.parent_documents(district_doc)
        if documents.loc[district_doc, "level"] != "district" or not city_docs:
            continue  # a district plan whose city has no plan for its period is reported by the validator
        city_region = documents.loc[city_docs[0], "region"]
        city = _stated_in(commitments, city_docs).drop_duplicates("indicator_id")
        for target in _stated_in(commitments, [district_doc]).itertuples():
            candidates = [(target.indicator_id, "same"), *neighbours.get(target.indicator_id, [])]
            match = next(((other, relation) for other, relation in candidates if other in set(city["indicator_id"])), None)
            if match is None:
                continue
            city_target = city[city["indicator_id"] == match[0]].iloc[0]
            same = match[1] == "same"
            district_required, _ = _required(dataset, target, target.baseline_value, target.baseline_year,
                                             target.baseline_outcome_id)
            city_baseline, city_baseline_year, city_source = _baseline(
                dataset, city_target, int(documents.loc[city_target["doc_id"], "period_start"])
            )
            city_required, _ = _required(dataset, city_target, city_baseline, city_baseline_year, city_source)
            gap = escalation(district_required, city_required) if same else Rate(None, f"indicators {match[1]}")
            additive = names.loc[target.indicator_id, "measure_type"] in ADDITIVE
            city_then = (
                _dated(dataset.outcomes, match[0], city_region, int(target.baseline_year))
                if same and additive and pd.notna(target.baseline_year)
                else None
            )
            if same:
                basis = "growth" if gap.value is not None else "level ratio (growth not computable)"
            else:
                basis = f"none: definitions differ ({match[1]}), no ratio across two measures"
            rows.append(
                {
                    "district_target_id": target.target_id,
                    "city_target_id": city_target["target_id"],
                    "district": target.region,
                    "indicator_id": target.indicator_id,
                    "city_indicator_id": match[0],
                    "relation": match[1],
                    "indicator_en": names.loc[target.indicator_id, "name_en"],
                    "unit": names.loc[target.indicator_id, "unit"],
                    "district_target_year": target.target_year,
                    "district_target": target.target_value,
                    "city_target_year": city_target["target_year"],
                    "city_target": city_target["target_value"],
                    "level_ratio": level_ratio(target.target_value, city_target["target_value"]).value if same else None,
                    "district_baseline": target.baseline_value,
                    "city_baseline": city_baseline,
                    "district_share_at_baseline": level_ratio(target.baseline_value, city_then["value"]).value
                    if city_then is not None
                    else None,
                    "district_required_growth": district_required.value,
                    "city_required_growth": city_required.value,
                    "escalation": gap.value,
                    "basis": basis,
                    "note": "; ".join(
                        dict.fromkeys(
                            r
                            for r in (
                                district_required.reason,
                                city_required.reason,
                                None if gap.value is not None else gap.reason,
                            )
                            if r
                        )
                    ),
                }
            )
    return pd.DataFrame(rows)


def target_profile(dataset: Dataset, by: str = "value_chain_stage") -> pd.DataFrame:
    """Commitments per document by an indicator attribute (value_chain_stage or ip_type), documents in document order
    (a per-document count), and a last row 'distinct' counting each commitment once."""
    commitments = dataset.commitments
    attribute = commitments["indicator_id"].map(dataset.indicators.set_index("indicator_id")[by])
    stated = commitments.assign(**{by: attribute, "doc_id": commitments["doc_ids"].str.split(";")}).explode("doc_id")
    table = pd.crosstab(stated["doc_id"], stated[by])
    table = table.reindex([d for d in dataset.document_order if d in table.index])
    table.loc["distinct"] = attribute.value_counts().reindex(table.columns, fill_value=0)
    return table.rename_axis(index="doc_id", columns=by)


def change_counts(changes: pd.DataFrame, by: str = "value_chain_stage") -> pd.DataFrame:
    """Indicators kept, redefined, dropped and added between the city plans, by value-chain stage or IP type."""
    table = pd.crosstab(changes[by], changes["change"])
    return table.reindex(columns=[c for c in ("kept", "redefined", "dropped", "added") if c in table.columns])


def regional_levels(dataset: Dataset, indicator_id: str, year: int) -> pd.DataFrame:
    """Every reported value of an indicator in a year, one row per region, with its source outcome."""
    outcomes = dataset.outcomes
    found = outcomes[(outcomes["indicator_id"] == indicator_id) & (outcomes["year"] == year) & outcomes["period_start"].isna()]
    return found[["region", "value", "outcome_id", "is_derived", "doc_id"]].reset_index(drop=True)
