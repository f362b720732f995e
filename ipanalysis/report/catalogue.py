"""The computed tables the build writes (reports/tables/<name>.csv and a workbook sheet each): one function per
table, so the build computes each once and notebooks show them by name (display.table)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .. import comparisons, instruments, progress
from ..coverage import number_coverage
from ..dataset import Dataset

GROUPINGS = ("doc_id", "plan_period", "level")


def _instrument_stage(dataset: Dataset) -> pd.DataFrame:
    return pd.concat([instruments.instrument_stage_table(dataset, by) for by in GROUPINGS])


def _stage_shares(dataset: Dataset) -> pd.DataFrame:
    """Shares of policy text by the literature's five stages (综合 split equally among them), per grouping."""
    frames = [
        instruments.stage_shares(dataset, by, comprehensive="split").rename_axis("group").reset_index().assign(grouping=by)
        for by in GROUPINGS
    ]
    table = pd.concat(frames, ignore_index=True)
    return table[["grouping", *table.columns.drop("grouping")]]


TABLES: dict[str, Callable[[Dataset], pd.DataFrame]] = {
    "attainment": comparisons.attainment_table,
    "reporting_coverage": lambda dataset: comparisons.reporting_coverage(comparisons.attainment_table(dataset)),
    "plan_changes": comparisons.plan_changes,
    "ambition": comparisons.ambition_table,
    "district_vs_city": comparisons.district_vs_city,
    "source_number_coverage": number_coverage,
    "instrument_stage": _instrument_stage,
    "stage_shares": _stage_shares,
    "precoder_units": instruments.precode_units,
    "precoder_units_loo": instruments.loo_precode_units,
    "dictionary_folds": instruments.dictionary_folds,
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


# What each computed table holds: the workbook's index sheet.
DESCRIPTIONS = {
    "attainment": "Every earlier-period commitment: target, the outcome a later plan reports, attainment ratio and status.",
    "reporting_coverage": "Per document: how many of its targets later reporting judges, and which it leaves out.",
    "plan_changes": "The city's indicators from one plan period to the next: kept, redefined, dropped, added.",
    "ambition": "Required against realised compound annual growth of every commitment with a baseline; ambition ratio.",
    "district_vs_city": "District targets against the city's: ratio of levels, required growth, escalation.",
    "source_number_coverage": "Every number in the source documents and why it is or is not curated.",
    "instrument_stage": "Policy units and shares of policy text by instrument type and value-chain stage, per group.",
    "stage_shares": "Shares of policy text by the literature's five value-chain stages (综合 split equally), per group.",
    "precoder_units": "The rule-based pre-coder's codes beside the hand codes, per counted unit.",
    "precoder_units_loo": "The pre-coder's codes leave-one-document-out: each document with the dictionary of its fold.",
    "dictionary_folds": "Per held-out document: its units and the dictionary entries only it motivates (dropped in its fold).",
    "precoder_agreement": "Cohen's kappa of pre-coder against hand coding, in-sample and leave-one-document-out.",
    "keyword_intensity": "Theme keywords per 10,000 characters of each document.",
    "agency_roles": "Agencies named in responsibility clauses: tasks they lead and join.",
    "agency_links": "Pairs of agencies sharing tasks.",
    "progress": "Status and progress band of every commitment judged from the observation layer.",
    "indicator_history": "Every figure of each indicator over time: plan figures, observations, targets.",
    "panel": "Tidy panel: every target, reported outcome and observation in one long table (also panel.csv, panel.dta).",
}
