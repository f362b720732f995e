"""Load the validated dataset as typed pandas DataFrames."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from .config import DATA_DIR
from .messages import Problem
from .tables import Table
from .validation import validate

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "year": "Int64", "number": "float64", "boolean": "boolean"}


class DataValidationError(ValueError):
    """The data folder breaks its contract; ``problems`` lists every located problem."""

    def __init__(self, problems: list[Problem], lang: str = "en"):
        self.problems = problems
        lines = "\n".join(problem.format(lang) for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}")


@dataclass(frozen=True)
class Dataset:
    """The curated tables, one DataFrame each, typed by data/datapackage.json."""

    documents: pd.DataFrame
    indicators: pd.DataFrame
    indicator_lineage: pd.DataFrame
    targets: pd.DataFrame
    outcomes: pd.DataFrame
    milestones: pd.DataFrame
    source_problems: pd.DataFrame
    agencies: pd.DataFrame
    policy_units: pd.DataFrame
    codebook: pd.DataFrame
    policy_codes: pd.DataFrame
    precoder_keywords: pd.DataFrame
    theme_keywords: pd.DataFrame
    document_texts: dict[str, str]

    @property
    def canonical_targets(self) -> pd.DataFrame:
        """Targets without restatements: one row per distinct target, the rows analyses should count."""
        return self.targets[self.targets["restates_target_id"].isna()]


def cached(function: Callable) -> Callable:
    """Memoise a table computed from a Dataset (Datasets are not modified after loading), so that a notebook and
    its figures in two languages compute it once; every call returns a copy the caller may change."""
    results: dict[tuple, tuple] = {}

    @functools.wraps(function)
    def wrapper(dataset, *args):
        key = (id(dataset), *args)
        if key not in results:
            results[key] = (dataset, function(dataset, *args))  # holding the dataset keeps its id from being reused
        return results[key][1].copy()

    return wrapper


def table_frame(table: Table) -> pd.DataFrame:
    """One table as a DataFrame with the dtypes its schema declares."""
    columns = {
        fld.name: pd.Series([row.values[fld.name] for row in table.rows], dtype=PANDAS_DTYPES[fld.type], name=fld.name)
        for fld in table.schema.fields
    }
    return pd.DataFrame(columns)


def load(data_dir: Path | str = DATA_DIR) -> Dataset:
    """Validate the data folder and return its tables; raise DataValidationError listing every problem."""
    result = validate(data_dir)
    if not result.ok:
        raise DataValidationError(result.problems)
    declared = {f.name for f in fields(Dataset)}
    frames = {name: table_frame(table) for name, table in result.tables.items() if name in declared}
    return Dataset(document_texts=result.document_texts, **frames)
