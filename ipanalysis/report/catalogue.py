"""The computed tables the build writes (reports/tables/<name>.csv and a workbook sheet each): one function per
table, so the build computes each once and notebooks show them by name (display.table)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .. import comparisons, instruments, progress
from ..coverage import number_coverage
from ..dataset import Dataset


def _instrument_stage(dataset: Dataset) -> pd.DataFrame:
    return pd.concat([instruments.instrument_stage_table(dataset, by) for by in ("doc_id", "plan_period", "level")])


TABLES: dict[str, Callable[[Dataset], pd.DataFrame]] = {
    "attainment": comparisons.attainment_table,
    "reporting_coverage": lambda dataset: comparisons.reporting_coverage(comparisons.attainment_table(dataset)),
    "plan_changes": comparisons.plan_changes,
    "ambition": comparisons.ambition_table,
    "district_vs_city": comparisons.district_vs_city,
    "source_number_coverage": number_coverage,
    "instrument_stage": _instrument_stage,
    "precoder_units": instruments.precode_units,
    "precoder_agreement": instruments.agreement,
    "keyword_intensity": instruments.keyword_intensity,
    "agency_roles": instruments.agency_roles,
    "agency_links": instruments.co_responsibility,
    "progress": progress.progress_table,
    "indicator_history": progress.indicator_history,
}


def computed_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every computed table, keyed by its name."""
    return {name: compute(dataset) for name, compute in TABLES.items()}
