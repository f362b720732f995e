"""Growth, ambition, attainment, progress and escalation: one function per formula.

Rates are fractions per year (0.056 = 5.6 % a year). Where a formula is undefined (a zero or missing base, no
time between two values), the function says so in ``Rate.reason`` instead of dividing by zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ACHIEVED, NOT_ACHIEVED, NOT_COMPARABLE, NOT_REPORTED = "achieved", "not_achieved", "not_comparable", "not_reported"
STATUSES = (ACHIEVED, NOT_ACHIEVED, NOT_COMPARABLE, NOT_REPORTED)

# Eurostat SDG / Statistics Canada progress bands: observed growth as a share of required growth.
ON_TRACK, ACCELERATION_NEEDED = "on_track", "acceleration_needed"
LIMITED_PROGRESS, MOVING_AWAY = "limited_progress", "moving_away"
PROGRESS_BANDS = ((0.95, ON_TRACK), (0.60, ACCELERATION_NEEDED), (0.0, LIMITED_PROGRESS))

ZERO_BASE = "zero base: a rise from zero (零突破) has no compound growth rate; the target is a first occurrence"


@dataclass(frozen=True)
class Rate:
    """A value that may be undefined; reason says why it is None (or carries a caveat)."""

    value: float | None
    reason: str | None = None


def _missing(*values) -> bool:
    return any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values)


def compound_annual_growth(start_value: float | None, end_value: float | None, years: float | None) -> Rate:
    """(end / start) ** (1 / years) - 1: the constant yearly rate that turns start into end."""
    if _missing(start_value, end_value, years):
        return Rate(None, "missing value")
    if years <= 0:
        return Rate(None, "no time between the two values")
    if start_value < 0 or end_value < 0:
        return Rate(None, "negative value")
    if start_value == 0:
        return Rate(0.0, "zero to zero") if end_value == 0 else Rate(None, ZERO_BASE)
    return Rate((end_value / start_value) ** (1 / years) - 1)


def required_growth(baseline_value, baseline_year, target_value, target_year) -> Rate:
    """Yearly growth needed to go from the baseline to the target."""
    if _missing(baseline_value, baseline_year):
        return Rate(None, "no baseline")
    return compound_annual_growth(baseline_value, target_value, None if _missing(target_year) else target_year - baseline_year)


def ambition_ratio(required: Rate, realised_before: Rate) -> Rate:
    """Required growth for the new target over the growth realised in the previous period (>1: asks for faster growth)."""
    if required.value is None or realised_before.value is None:
        return Rate(None, required.reason or realised_before.reason)
    if realised_before.value <= 0:
        return Rate(None, "growth in the previous period was zero or negative: the ratio is undefined")
    return Rate(required.value / realised_before.value)


def attainment_ratio(outcome, target, *, measure_type: str, target_form: str = "level", baseline=None) -> Rate:
    """How much of the target the outcome reached (1 = exactly reached).

    Level targets of stocks, flows, shares and designated units: outcome / target. Period-cumulative targets: the
    period's total over the target, so the outcome must be the same period's total. Increment targets (新增): the
    increase over the baseline / the increment. Ranks (lower is better): target / outcome.
    """
    if _missing(outcome, target):
        return Rate(None, "missing value")
    if target_form == "increment":
        if _missing(baseline):
            return Rate(None, "an increment target needs a baseline")
        return Rate((outcome - baseline) / target) if target else Rate(None, "zero increment")
    if measure_type == "rank":
        return Rate(target / outcome) if outcome else Rate(None, "rank 0")
    if target == 0:
        return Rate(None, "zero target")
    return Rate(outcome / target)


def is_achieved(outcome, target, *, bound: str, measure_type: str, target_form: str = "level", baseline=None) -> bool:
    """Whether the outcome meets the target under its bound (reach, at_least and keep_at: >=; more_than: >)."""
    if target_form == "increment":
        outcome = outcome - baseline
    if measure_type == "rank":
        return outcome <= target
    return outcome > target if bound == "more_than" else outcome >= target


def distance_covered(baseline, target, outcome) -> Rate:
    """Share of the baseline-to-target distance the outcome covered: (outcome - baseline) / (target - baseline)."""
    if _missing(baseline, target, outcome):
        return Rate(None, "missing value")
    if target == baseline:
        return Rate(None, "the target equals the baseline")
    return Rate((outcome - baseline) / (target - baseline))


def progress_band(observed: Rate, required: Rate) -> str | None:
    """Eurostat / Statistics Canada band for a mid-term outcome: observed growth over required growth."""
    if observed.value is None or required.value is None or required.value <= 0:
        return None
    ratio = observed.value / required.value
    return next((band for threshold, band in PROGRESS_BANDS if ratio >= threshold), MOVING_AWAY)


def escalation(district_required: Rate, city_required: Rate) -> Rate:
    """District required growth minus the city's, in growth points (positive: the district asks more, 层层加码)."""
    if district_required.value is None or city_required.value is None:
        return Rate(None, district_required.reason or city_required.reason)
    return Rate(district_required.value - city_required.value)


def level_ratio(district_value, city_value) -> Rate:
    """District level over city level, the fallback comparison where growth cannot be computed."""
    if _missing(district_value, city_value):
        return Rate(None, "missing value")
    if city_value == 0:
        return Rate(None, "zero city value")
    return Rate(district_value / city_value)


def share(part: int, whole: int) -> float | None:
    """part / whole, None for an empty whole."""
    return part / whole if whole else None
