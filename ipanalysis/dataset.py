"""Load the validated dataset as typed pandas DataFrames."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from .config import DATA_DIR
from .messages import Problem
from .tables import Table
from .validation import validate

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "year": "Int64", "number": "float64", "boolean": "boolean"}
LEVELS = ("national", "provincial", "city", "district")  # top to bottom, the order of regions.level


def period_number(plan_period: str) -> int:
    """The number of an ordinal plan period: 14 for '14th'."""
    return int(re.match(r"\d+", plan_period).group())


class DataValidationError(ValueError):
    """The data folder breaks its contract; ``problems`` lists every located problem."""

    def __init__(self, problems: list[Problem], lang: str = "en"):
        self.problems = problems
        lines = "\n".join(problem.format(lang) for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}")


@dataclass(frozen=True)
class Dataset:
    """The curated tables, one DataFrame each, typed by data/datapackage.json."""

    regions: pd.DataFrame
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
    observation_sources: pd.DataFrame
    observations: pd.DataFrame
    document_texts: dict[str, str]

    @property
    def canonical_targets(self) -> pd.DataFrame:
        """Targets without restatements: one row per distinct target, the rows analyses should count."""
        return self.targets[self.targets["restates_target_id"].isna()]

    @property
    def commitments(self) -> pd.DataFrame:
        """One row per commitment (targets.commitment_id; a target without one is a commitment of its own, keyed by
        its target_id), the unit every count of targets uses: identical targets of one government for one year count
        once. Columns: commitment_id, then those of the commitment's first canonical statement in document order
        (target_id, doc_id, indicator_id, values ...), its baseline from the first statement that gives one,
        target_ids and doc_ids (every canonical statement and its document, ';'-separated, in document order),
        statements (all rows, restatements included) and problem_ids (of every statement)."""
        position = {doc_id: n for n, doc_id in enumerate(self.document_order)}
        targets = self.targets.assign(_position=self.targets["doc_id"].map(position))
        targets = targets.sort_values(["_position", "target_id"], kind="stable")
        own = targets["restates_target_id"].fillna(targets["target_id"])  # an empty commitment_id: a commitment of its own
        stated = targets.set_index("target_id")["commitment_id"]
        targets["commitment_id"] = targets["commitment_id"].fillna(own.map(stated)).fillna(own)
        canonical = targets[targets["restates_target_id"].isna()]
        first = canonical.drop_duplicates("commitment_id").set_index("commitment_id")
        baselines = canonical.dropna(subset=["baseline_value"]).drop_duplicates("commitment_id").set_index("commitment_id")
        for column in ("baseline_year", "baseline_value", "baseline_outcome_id"):
            first[column] = first[column].fillna(baselines[column].reindex(first.index))
        grouped = canonical.groupby("commitment_id", sort=False)
        first["target_ids"] = grouped["target_id"].agg(";".join)
        first["doc_ids"] = grouped["doc_id"].agg(";".join)
        first["statements"] = targets.groupby("commitment_id").size()
        problems = targets.groupby("commitment_id")["problem_ids"].agg(
            lambda ids: ";".join(sorted({item for value in ids.dropna() for item in value.split(";")}))
        )
        first["problem_ids"] = problems.replace("", pd.NA).astype("string")
        return first.drop(columns="_position").reset_index()

    @property
    def document_order(self) -> list[str]:
        """doc_ids by plan period, then level (national first, district last), then date of issue: the order in
        which tables and figures list documents."""
        documents = self.documents
        keys = pd.DataFrame(
            {
                "period": documents["plan_period"].map(period_number),
                "level": documents["level"].map(LEVELS.index),
                "date": documents["date_issued"],
                "doc_id": documents["doc_id"],
            }
        )
        return keys.sort_values(["period", "level", "date", "doc_id"])["doc_id"].tolist()

    @property
    def plan_periods(self) -> list[str]:
        """The plan periods of the documents, earliest first (13th, 14th ...)."""
        periods = self.documents["plan_period"].drop_duplicates()
        return sorted(periods, key=period_number)

    def document_label(self, doc_id: str, lang: str = "en") -> str:
        """Short label of a document for figures and tables (label_en or label_zh)."""
        return self.documents.set_index("doc_id").loc[doc_id, "label_zh" if lang == "zh" else "label_en"]

    def region_name(self, region_id: str, lang: str = "en") -> str:
        """Name of a region in English or Chinese."""
        return self.regions.set_index("region_id").loc[region_id, "name_zh" if lang == "zh" else "name_en"]

    def panel(self) -> pd.DataFrame:
        """Every target, reported outcome and observation as one long table (see ipanalysis.panel)."""
        from .panel import panel

        return panel(self)

    def search(self, keyword: str | None = None, ip_type: str | None = None, stage: str | None = None,
               kind: str | None = None) -> pd.DataFrame:
        """Rows of the panel matching a Chinese or English keyword, an IP type, a value-chain stage or a kind
        (target, outcome, observation): ``dataset.search("商标")``, ``dataset.search("patent", kind="target")``."""
        from .panel import search

        return search(self.panel(), keyword, ip_type, stage, kind)

    def parent_documents(self, doc_id: str) -> list[str]:
        """Documents of the parent region for the same plan period, in document order: the city plans a district
        plan is compared with. Empty when the region has no parent or the parent has no plan for the period."""
        documents = self.documents.set_index("doc_id")
        parent = self.regions.set_index("region_id")["parent_region"].get(documents.loc[doc_id, "region"])
        if pd.isna(parent):
            return []
        period = documents.loc[doc_id, "plan_period"]
        found = set(documents.index[(documents["region"] == parent) & (documents["plan_period"] == period)])
        return [other for other in self.document_order if other in found]


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
