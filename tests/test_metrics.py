"""Metrics: each formula on hand-computed cases, including zero and missing bases."""

import math

import pytest

from ipanalysis.metrics import (
    ACCELERATION_NEEDED,
    LIMITED_PROGRESS,
    MOVING_AWAY,
    ON_TRACK,
    ZERO_BASE,
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


def test_compound_annual_growth_doubling_over_five_years():
    assert compound_annual_growth(12.2, 24.4, 5).value == pytest.approx(2 ** 0.2 - 1)  # 14.87 % a year


def test_compound_annual_growth_decline():
    assert compound_annual_growth(100, 81, 2).value == pytest.approx(-0.1)


@pytest.mark.parametrize(("start", "end", "years", "reason"), [
    (0, 1, 5, ZERO_BASE), (None, 10, 5, "missing value"), (10, float("nan"), 5, "missing value"),
    (10, 20, 0, "no time between the two values"), (-1, 5, 2, "negative value"),
])
def test_compound_annual_growth_undefined_cases_say_why(start, end, years, reason):
    rate = compound_annual_growth(start, end, years)
    assert rate.value is None and rate.reason == reason


def test_zero_to_zero_is_no_growth():
    assert compound_annual_growth(0, 0, 5) == Rate(0.0, "zero to zero")


def test_required_growth_from_a_zero_baseline_is_undefined_not_an_error():
    rate = required_growth(0, 2020, 1, 2025)  # Jinghai: PCT 0 -> 〔1〕 (零突破)
    assert rate.value is None and "零突破" in rate.reason


def test_required_growth_jinghai_trademarks():
    assert required_growth(12654, 2020, 15000, 2025).value == pytest.approx((15000 / 12654) ** 0.2 - 1)
    assert required_growth(None, None, 15000, 2025).reason == "no baseline"


def test_ambition_ratio():
    assert ambition_ratio(Rate(0.05), Rate(0.20)).value == pytest.approx(0.25)
    assert ambition_ratio(Rate(0.05), Rate(-0.01)).value is None
    assert ambition_ratio(Rate(None, "no baseline"), Rate(0.1)).reason == "no baseline"


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"outcome": 24.4, "target": 18, "measure_type": "stock"}, 24.4 / 18),
    ({"outcome": 8, "target": 10, "measure_type": "designated_units"}, 0.8),
    ({"outcome": 45, "target": 30, "measure_type": "share"}, 1.5),
    ({"outcome": 9000, "target": 10000, "measure_type": "annual_flow"}, 0.9),
    ({"outcome": 1500, "target": 2000, "measure_type": "period_cumulative"}, 0.75),
    ({"outcome": 12, "target": 16, "measure_type": "designated_units", "target_form": "increment", "baseline": 4}, 0.5),
    ({"outcome": 4, "target": 6, "measure_type": "rank"}, 1.5),
])
def test_attainment_ratio_by_measure_type(kwargs, expected):
    assert attainment_ratio(**kwargs).value == pytest.approx(expected)


def test_attainment_ratio_undefined_cases():
    assert attainment_ratio(5, 0, measure_type="stock").value is None
    assert attainment_ratio(None, 5, measure_type="stock").reason == "missing value"
    assert attainment_ratio(5, 3, measure_type="stock", target_form="increment").value is None


@pytest.mark.parametrize(("outcome", "target", "bound", "measure_type", "expected"), [
    (156, 150, "reach", "stock", True), (150, 150, "reach", "stock", True), (149, 150, "reach", "stock", False),
    (30, 30, "at_least", "share", True), (300, 300, "more_than", "designated_units", False),
    (301, 300, "more_than", "designated_units", True), (10000, 10000, "keep_at", "annual_flow", True),
    (9999, 10000, "keep_at", "annual_flow", False), (4, 6, "reach", "rank", True), (7, 6, "reach", "rank", False),
])
def test_is_achieved(outcome, target, bound, measure_type, expected):
    assert is_achieved(outcome, target, bound=bound, measure_type=measure_type) is expected


def test_is_achieved_increment_counts_the_increase():
    assert is_achieved(20, 16, bound="reach", measure_type="designated_units", target_form="increment", baseline=4)
    assert not is_achieved(19, 16, bound="reach", measure_type="designated_units", target_form="increment", baseline=4)


def test_distance_covered():
    assert distance_covered(12.2, 18, 24.4).value == pytest.approx(12.2 / 5.8)
    assert distance_covered(10, 20, 15).value == pytest.approx(0.5)
    assert distance_covered(10, 10, 15).value is None
    assert distance_covered(None, 10, 15).value is None


@pytest.mark.parametrize(("observed", "required", "band"), [
    (0.10, 0.10, ON_TRACK), (0.096, 0.10, ON_TRACK), (0.094, 0.10, ACCELERATION_NEEDED), (0.06, 0.10, ACCELERATION_NEEDED),
    (0.059, 0.10, LIMITED_PROGRESS), (0.0, 0.10, LIMITED_PROGRESS), (-0.01, 0.10, MOVING_AWAY),
])
def test_progress_bands(observed, required, band):
    assert progress_band(Rate(observed), Rate(required)) == band


def test_progress_band_undefined_without_required_growth():
    assert progress_band(Rate(0.1), Rate(None, ZERO_BASE)) is None
    assert progress_band(Rate(0.1), Rate(0.0)) is None


def test_escalation_and_level_ratio():
    assert escalation(Rate(0.10), Rate(0.06)).value == pytest.approx(0.04)
    assert escalation(Rate(None, "no baseline"), Rate(0.06)).reason == "no baseline"
    assert level_ratio(15, 150).value == pytest.approx(0.1)
    assert level_ratio(15, 0).value is None


def test_share():
    assert share(3, 5) == pytest.approx(0.6)
    assert share(0, 0) is None
    assert math.isclose(share(1, 3), 1 / 3)
