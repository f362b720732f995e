"""14th-period progress: statuses, first years reached, bands and their baselines on hand-worked cases; the real
table's coverage; indicator histories; findings whose numbers all come from the tables."""

import dataclasses
import re

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import comparisons, progress
from ipanalysis.metrics import (
    ACCELERATION_NEEDED,
    ACHIEVED,
    LIMITED_PROGRESS,
    MOVING_AWAY,
    NOT_ACHIEVED,
    NOT_COMPARABLE,
    ON_TRACK,
)
from ipanalysis.progress import NOT_OBSERVED, OBSERVATION, PLAN_BASELINE, PLAN_REVIEW, Reading, TargetSpec


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


def reading(year, value, rank=4, authority="issuing_body", layer=OBSERVATION, derived=False, evidence_id=None):
    return Reading(evidence_id or f"o{year}-{value:g}", year, value, layer, authority, derived, None, rank)


def stock(value=380_000, year=2025, **changes):
    return TargetSpec(value, year, "reach", "stock", "level", year - 5, **changes)


# -- status
def test_a_stock_reached_before_the_target_year_is_achieved_first_year_and_heaviest_figure_named():
    figures = [reading(2021, 352_600), reading(2022, 399_652, rank=6, authority="mirror"), reading(2024, 454_899)]
    status = progress.judge_status(stock(), figures, 288_900)
    assert (status.status, status.reason) == (ACHIEVED, progress.REACHED_EARLY)
    assert (status.first_reached.year, status.first_reached.value) == (2022, 399_652)
    assert status.decided_by.year == 2024 and status.decided_by.authority == "issuing_body"  # rank 4 beats the mirror


def test_a_flow_reached_early_is_not_achieved_until_its_target_year_is_observed():
    spec = TargetSpec(50_000, 2020, "reach", "annual_flow", "level", 2015)
    status = progress.judge_status(spec, [reading(2019, 57_800)], None)
    assert status.status == NOT_OBSERVED and status.first_reached.year == 2019
    assert "must be met in the target year" in status.note
    missed = progress.judge_status(spec, [reading(2019, 57_800), reading(2020, 49_000)], None)
    assert (missed.status, missed.decided_by.value, missed.first_reached.year) == (NOT_ACHIEVED, 49_000, 2019)


def test_the_heaviest_target_year_figure_decides_and_a_disagreeing_one_is_named():
    plan = reading(2020, 288_900, rank=0, authority="city_plan", layer=PLAN_REVIEW, evidence_id="plan")
    status = progress.judge_status(stock(150_000, 2020), [plan, reading(2020, 140_000, evidence_id="low")], None)
    assert status.status == ACHIEVED and status.decided_by.evidence_id == "plan" and "low (140000)" in status.note


def test_rank_more_than_and_increment_targets():
    rank = TargetSpec(5, 2020, "reach", "rank", "level", 2015)
    assert progress.judge_status(rank, [reading(2020, 6)], None).status == NOT_ACHIEVED  # 6th is below 5th
    assert progress.judge_status(rank, [reading(2020, 4)], None).status == ACHIEVED
    more_than = TargetSpec(300, 2019, "more_than", "designated_units", "level", 2016)
    assert progress.judge_status(more_than, [reading(2019, 300)], None).status == NOT_ACHIEVED
    increment = TargetSpec(1, 2025, "reach", "stock", "increment", 2020)
    assert progress.judge_status(increment, [reading(2025, 3)], 2).status == ACHIEVED  # 2 + 1 reached
    assert progress.judge_status(increment, [reading(2025, 3)], None).status == NOT_COMPARABLE


def test_no_figure_is_not_observed():
    status = progress.judge_status(stock(), [], None)
    assert (status.status, status.reason, status.note) == (NOT_OBSERVED, progress.NO_FIGURE, "no figure dated 2021-2025")


# -- bands
@pytest.mark.parametrize(("latest", "band"), [
    (reading(2024, 454_899), ON_TRACK),  # 12.02 % a year observed against 5.64 % required (ratio 2.13)
    (reading(2023, 330_000), ACCELERATION_NEEDED),  # 4.53 % (ratio 0.80)
])
def test_band_uses_the_latest_figure_before_the_target_year(latest, band):
    baseline = reading(2020, 288_900, rank=0, layer=PLAN_BASELINE, authority="city_plan")
    result = progress.judge_band(stock(), baseline, [reading(2021, 352_600), latest, reading(2025, 1.0)])
    assert result.latest == latest  # the 2025 figure is not a mid-term reading
    assert result.required.value == pytest.approx(0.05635, abs=1e-5)
    assert result.band == band


@pytest.mark.parametrize(("value", "band"), [(130, ACCELERATION_NEEDED), (105, LIMITED_PROGRESS), (90, MOVING_AWAY),
                                             (170, ON_TRACK)])
def test_band_thresholds_on_a_doubling_target(value, band):
    # 100 -> 200 over 2020-2025 needs 2 ** 0.2 - 1 = 14.87 % a year; by 2023: 130 is 9.14 % (ratio 0.61),
    # 105 is 1.64 % (0.11), 90 is -3.45 %, 170 is 19.35 % (1.30).
    result = progress.judge_band(stock(200), reading(2020, 100), [reading(2023, value)])
    assert result.band == band


def test_no_band_for_period_totals_zero_bases_or_without_a_later_figure():
    period = progress.judge_band(stock(period=(2021, 2025)), reading(2020, 4565), [reading(2023, 9000)])
    assert period.band is None and period.required.reason == "a period total has no yearly path"
    zero = progress.judge_band(stock(1), reading(2020, 0), [reading(2023, 1)])
    assert zero.band is None and "零突破" in zero.required.reason
    alone = progress.judge_band(stock(), reading(2020, 288_900), [])
    assert alone.band is None and alone.observed.reason == "no figure between 2020 and 2025"


# -- baselines
def test_baselines_keep_differing_base_year_figures_as_alternatives():
    own = reading(2020, 288_900, layer=PLAN_BASELINE, evidence_id="own")
    figures = [reading(2020, 289_016.39, derived=True), reading(2020, 300_000, evidence_id="far"), reading(2022, 399_652)]
    candidates, note = progress.baselines(stock(baseline=own), figures)
    assert [c.evidence_id for c in candidates] == ["own", "far"] and note is None  # 289,016 is within 1 % of 288,900


def test_baselines_without_a_base_year_figure_fall_back_to_the_earliest_in_the_period():
    candidates, note = progress.baselines(stock(), [reading(2022, 51_162), reading(2021, 43_394.4), reading(2025, 1)])
    assert [c.year for c in candidates] == [2021] and "earliest figure in the period (2021)" in note
    assert progress.baselines(stock(), [reading(2025, 1)]) == ([], None)


# -- the real table
def test_every_latest_period_commitment_has_a_status_and_a_reason(dataset):
    table = progress.progress_table(dataset)
    latest = dataset.documents.loc[dataset.documents["plan_period"] == dataset.plan_periods[-1], "doc_id"]
    expected = dataset.commitments[dataset.commitments["doc_id"].isin(latest)]
    current = table[table["plan_period"] == dataset.plan_periods[-1]]
    assert sorted(current["target_id"]) == sorted(expected["target_id"])
    assert current["status"].isin(progress.PROGRESS_STATUSES).all()
    assert current["reason"].notna().all() and current["status_note"].str.len().gt(0).all()


def test_shared_city_targets_are_one_row(dataset):
    table = progress.progress_table(dataset)
    assert table["target_id"].is_unique and table["commitment_id"].is_unique
    shared = table.loc[table["target_ids"].str.contains(";"), "target_ids"]
    assert set(shared) == {"tj2016-t01;tj2017-t01", "tj2016-t03;tj2017-t04", "tj2016-t04;tj2017-t06"}


def test_real_statuses_worked_by_hand(dataset):
    table = progress.progress_table(dataset).set_index("target_id")
    patents = table.loc["tj2021-t02"]  # 5万 by 2025: 43,394 (2021, derived), 51,162 (2022, repost), 72,904 (2024)
    assert (patents["status"], patents["first_reached_year"], patents["first_reached_authority"]) == (ACHIEVED, 2022, "mirror")
    assert (patents["decided_by_id"], patents["decided_by_authority"]) == ("tjipa-2025-02-o01", "issuing_body")
    assert (patents["baseline_year"], patents["latest_year"], patents["progress_band"]) == (2021, 2024, ON_TRACK)
    trademarks = table.loc["tj2021-t03"]  # 38万 from the plan's own 28.89万 (2020): 39.97万 in 2022
    assert (trademarks["baseline_layer"], trademarks["baseline_value"], trademarks["first_reached_year"]) == (
        PLAN_BASELINE, 288_900, 2022)
    assert trademarks["observed_growth"] == pytest.approx((454_899 / 288_900) ** 0.25 - 1)
    sectors = table.loc["tj2021-t04"]  # part of all registrations (no figure); whether in force is not said
    assert (sectors["status"], sectors["reason"]) == (NOT_OBSERVED, progress.NO_FIGURE)
    density = table.loc["tj2016-t01"]  # 13th period: 18 by 2020, 22.3 in 2019 (repost), 24.4 in the 14th plan's review
    assert (density["status"], density["first_reached_year"], density["decided_by_layer"]) == (ACHIEVED, 2019, PLAN_REVIEW)
    assert (density["baseline_value"], density["latest_year"], density["progress_band"]) == (12.2, 2019, ON_TRACK)
    assert "from 113561" in table.loc["tj2016-t03", "band_note"]  # R1: the derived 2015 base is an alternative


def test_a_region_without_observations_is_said_so(dataset):
    table = progress.progress_table(dataset)
    observed = set(dataset.observations["region"])
    unobserved = table[~table["region"].isin(observed)]
    assert not unobserved.empty
    assert (unobserved["status"] == NOT_OBSERVED).all() and (unobserved["reason"] == progress.REGION_NOT_OBSERVED).all()


def test_a_series_break_in_the_register_makes_a_target_not_comparable(dataset):
    breaks = dataset.source_problems[dataset.source_problems["kind"] == progress.SERIES_BREAK]
    assert not breaks.empty
    row = progress.progress_table(dataset).set_index("target_id").loc["tj2021-t05"]  # works registrations, 30万 by 2025
    assert (row["status"], row["reason"]) == (NOT_COMPARABLE, progress.SERIES_BROKEN)
    assert set(row["refers_to"].split(";")) <= set(breaks["problem_id"]) and pd.isna(row["progress_band"])
    history = progress.indicator_history(dataset)
    works = history[(history["indicator_id"] == "works_copyright_registrations") & (history["kind"] == "value")]
    assert works["series_break"].notna().all()  # 349 (2015), 450 (2018), 21.34万 (2020), 9.2万 (2022): not joined
    unbroken = dataclasses.replace(dataset, source_problems=dataset.source_problems.drop(breaks.index))
    row = progress.progress_table(unbroken).set_index("target_id").loc["tj2021-t05"]
    # without the register entry the 2022 figure (92,000) would read as a fall from 213,400 (2020): moving away
    assert (row["status"], row["latest_value"], row["progress_band"]) == (NOT_OBSERVED, 92_000, MOVING_AWAY)


# -- histories
def test_families_join_redefinitions_of_the_same_unit_only(dataset):
    family = progress.families(dataset)
    assert family["high_value_invention_patents_per_10k_pop"] == family["invention_patents_per_10k_pop"]
    assert family["valid_invention_patents"] == family["valid_patents"]  # narrowed, both 件 stocks
    assert family["valid_invention_patents"] != family["invention_patents_per_10k_pop"]  # component, another unit
    assert family["patent_grants_period"] != family["patent_grants_annual"]  # aggregation: a period total


def _frame_like(template: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=template.columns).astype(template.dtypes.to_dict())


def test_history_keeps_series_targeted_twice_or_observed_over_time(dataset):
    outcome = dataset.outcomes.iloc[0].to_dict()
    observation = dataset.observations.iloc[0].to_dict()
    outcomes = _frame_like(dataset.outcomes, [
        {**outcome, "outcome_id": "a1", "indicator_id": "patent_agencies", "year": 2015, "value": 26.0},
        {**outcome, "outcome_id": "a2", "indicator_id": "patent_agencies", "year": 2020, "value": 88.0},  # plan only
        {**outcome, "outcome_id": "w1", "indicator_id": "well_known_trademarks", "year": 2015, "value": 145.0},
    ])
    observations = _frame_like(dataset.observations, [
        {**observation, "observation_id": "x-o01", "indicator_id": "well_known_trademarks", "year": 2021, "value": 156.0},
    ])
    targets = dataset.targets[dataset.targets["target_id"].isin(["tj2016-t05", "tj2017-t07", "tj2021-t05"])]
    tiny = dataclasses.replace(dataset, outcomes=outcomes, observations=observations, targets=targets)
    history = progress.indicator_history(tiny)
    assert set(history["family"]) == {"well_known_trademarks", progress.families(dataset)["works_copyright_registrations"]}
    copyright_rows = history[history["kind"] == progress.TARGET].set_index("source_id")
    assert set(copyright_rows.index) == {"tj2016-t05;tj2017-t07", "tj2021-t05"}  # two commitments, one shared
    assert copyright_rows.loc["tj2016-t05;tj2017-t07", "plan_period"] == "13th"
    segments = copyright_rows.set_index("indicator_id")["segment"]
    assert segments["copyright_registrations"] == 1 and segments["works_copyright_registrations"] == 2
    assert copyright_rows.loc["tj2021-t05", "lineage_link"] == (
        "works_copyright_registrations redefined copyright_registrations")
    assert list(history.loc[history["indicator_id"] == "well_known_trademarks", "layer"]) == [
        progress.PLAN_OUTCOME, OBSERVATION]


def test_history_targets_carry_the_baseline_of_their_required_path(dataset):
    history = progress.indicator_history(dataset)
    target = history[(history["kind"] == progress.TARGET) & (history["source_id"] == "tj2021-t03")].iloc[0]
    assert (target["baseline_year"], target["baseline_value"], target["plan_period"]) == (2020, 288_900, "14th")


def test_register_entries_are_those_citing_snapshots_or_affecting_observations(dataset):
    entries = progress.register_entries(dataset)
    sources = set(dataset.observation_sources["source_id"])
    assert not entries.empty
    for row in entries.itertuples():
        affected = set(row.affects.split(";")) & set(dataset.observations["observation_id"])
        assert row.doc_a in sources or row.doc_b in sources or affected
    plans_only = dataset.source_problems[~dataset.source_problems["problem_id"].isin(entries["problem_id"])]
    assert plans_only["doc_a"].isin(dataset.documents["doc_id"]).all()


# -- findings
ORDINAL = re.compile(r"\d+(st|nd|rd|th)\b|\bp\d+\b")  # ordinals (14th) and register ids (p21) are not numbers
NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(万|亿)?")
SCALE = {"": 1, "万": 10_000, "亿": 100_000_000}


def _numbers(text: str, names: list[str]) -> list[float]:
    """The numbers a sentence states (28.89万 read as 288,900), leaving out ordinals (14th) and those inside indicator
    names (per 10,000)."""
    for name in names:
        text = text.replace(name, "")
    return sorted(round(float(n.replace(",", "")) * SCALE[scale], 6) for n, scale in NUMBER.findall(ORDINAL.sub("", text)))


def test_every_number_in_the_findings_comes_from_the_tables(dataset):
    table = progress.progress_table(dataset)
    current = table[table["plan_period"] == dataset.plan_periods[-1]]
    sources = dataset.observation_sources
    allowed = {float(len(current)), float(len(dataset.observations)), float(len(sources)),
               float(dataset.observations["is_derived"].sum()),
               float(dataset.observations["source_id"].map(sources.set_index("source_id")["authority"]).eq("mirror").sum()),
               *map(float, current["status"].value_counts()), 0.0,
               *map(float, sources["authority"].value_counts()),
               float((current["decided_by_year"] == current["target_year"]).sum())}
    for column in ("target_value", "target_year", "first_reached_year", "first_reached_value", "latest_year", "latest_value"):
        allowed |= set(table[column].dropna().astype(float))
    allowed |= {float(n) for n in table.groupby("region").size()} | {float(n) for n in current.groupby("region").size()}
    allowed |= {float(n) for n in current[current["reason"] == progress.NO_FIGURE].groupby("region").size()}
    earlier = table[(table["plan_period"] != dataset.plan_periods[-1]) & (table["first_reached_year"] < table["target_year"])]
    allowed.add(float(len(earlier)))
    attainment = comparisons.attainment_table(dataset)
    unreported = set(attainment.loc[attainment["status"] == "not_reported", "commitment_id"])
    register = progress.register_entries(dataset)
    disagreements = register[register["kind"] == "cross_source_disagreement"]["problem_id"]
    allowed |= {float(earlier["commitment_id"].isin(unreported).sum()), float(len(disagreements)),
                float(table["caveats"].fillna("").str.split(";").map(lambda ids: bool(set(ids) & set(disagreements))).sum())}
    observed = table[table["decided_by_layer"] == progress.OBSERVATION]
    allowed.add(float(observed[["decided_by_authority", "first_reached_authority", "latest_authority"]].apply(
        lambda row: set(row.dropna()) == {"mirror"}, axis=1).sum()))
    names = sorted([*dataset.indicators["name_en"], *dataset.indicators["name_zh"]], key=len, reverse=True)
    found = progress.findings(dataset)
    assert len(found) >= 4
    for finding in found:
        assert set(finding) == {"en", "zh"}
        english, chinese = _numbers(finding["en"], names), _numbers(finding["zh"], names)
        assert set(english) <= allowed, finding["en"]
        assert english == chinese, finding  # the same numbers in both languages


def test_findings_count_statuses_as_the_table_does(dataset):
    table = progress.progress_table(dataset)
    current = table[table["plan_period"] == dataset.plan_periods[-1]]
    counts = current["status"].value_counts()
    sentence = progress.findings(dataset)[1]["en"]
    assert f"Of the {len(current)} distinct" in sentence
    assert f"{counts.get(ACHIEVED, 0)} are achieved" in sentence and f"{counts.get(NOT_OBSERVED, 0)} not observed" in sentence


def test_attainment_shows_the_judgement_of_this_notebook_beside_the_plans_own(dataset):
    """The attainment table (plans' reviews) names, per commitment, the status progress_table gives it, so a
    commitment no plan reports on but the statistics show reached carries both answers; the findings of both
    notebooks name those commitments."""
    table = progress.progress_table(dataset).set_index("commitment_id")
    attainment = comparisons.attainment_table(dataset).set_index("commitment_id")
    judged = attainment["progress_status"].dropna()
    assert not judged.empty and (judged == table.loc[judged.index, "status"]).all()
    assert attainment["progress_status"].isna().sum() == len(attainment.index.difference(table.index))
    both = attainment[(attainment["status"] == "not_reported") & attainment["progress_status"].eq(ACHIEVED)]
    assert not both.empty  # the plans' reviews are silent on targets the statistics show reached
    from ipanalysis import findings

    stated = next(f for f in findings.attainment(dataset) if "two answers" in f.en)
    assert stated.values["observed"] == len(both)
    for row in both.itertuples():
        assert row.indicator_en in stated.en and row.indicator_zh in stated.zh
        assert str(row.progress_first_reached_year) in stated.en
    back = next(f for f in progress.findings(dataset) if "no later plan reports" in f["en"])
    assert all(name in back["en"] for name in both["indicator_en"])
