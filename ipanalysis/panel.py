"""The tidy panel: one long table of every target, reported outcome and observation, each row with its document or
source, region, level, indicator, unit, year, kind, value, layer and verbatim quote; a search over it; and the panel
written as CSV and Stata .dta for researchers who work in Stata or R."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from .csvfiles import write_csv
from .dataset import Dataset

COLUMNS = [
    "row_id", "layer", "kind", "source_id", "source_label_en", "source_label_zh", "region", "region_en", "region_zh",
    "level", "indicator_id", "indicator_en", "indicator_zh", "unit", "ip_type", "value_chain_stage", "measure_type",
    "year", "period_start", "period_end", "value", "qualifier", "is_derived", "formula", "commitment_id",
    "restates_target_id", "problem_ids", "value_text", "quote",
]
# What each column holds: the .dta file's variable labels and the workbook's column notes.
DESCRIPTIONS = {
    "row_id": "target_id, outcome_id or observation_id", "layer": "plan (the documents) or observation (later statistics)",
    "kind": "target, outcome or observation", "source_id": "doc_id of the document, or source_id of the observation",
    "source_label_en": "Short label of the document or title of the source", "source_label_zh": "Chinese label",
    "region": "region_id", "region_en": "Region", "region_zh": "Region, Chinese", "level": "Level of the region",
    "indicator_id": "Indicator", "indicator_en": "Indicator, English", "indicator_zh": "Indicator, Chinese",
    "unit": "Unit of value", "ip_type": "IP type", "value_chain_stage": "IP value-chain stage",
    "measure_type": "stock, annual flow, period total, share, designated units or rank",
    "year": "Target year, or year of the outcome or observation", "period_start": "First year of a period value",
    "period_end": "Last year of a period value", "value": "The value in base units",
    "qualifier": "Targets: bound (reach, at_least ...); others: exact, more_than, nearly ...",
    "is_derived": "1 if computed from other figures (see formula)", "formula": "How a derived value is computed",
    "commitment_id": "Targets: the commitment (identical targets of one government and year share it)",
    "restates_target_id": "Targets: the canonical statement a restatement repeats",
    "problem_ids": "Registered source problems bearing on the row", "value_text": "The words that give the number",
    "quote": "The verbatim sentence fragment the number comes from",
}
PANEL_FILES = ("panel.csv", "panel.dta")
STATA_TIME = datetime(2000, 1, 1)  # a fixed time stamp, so the same panel gives the same .dta bytes


def panel(dataset: Dataset) -> pd.DataFrame:
    """Every target, outcome and observation as one long table (COLUMNS), in document order, then by row id."""
    documents = dataset.documents.set_index("doc_id")
    sources = dataset.observation_sources.set_index("source_id")
    commitment = dataset.commitments.assign(target_id=dataset.commitments["target_ids"].str.split(";")).explode(
        "target_id").set_index("target_id")["commitment_id"]
    targets = dataset.targets.assign(
        commitment_id=dataset.targets["restates_target_id"].fillna(dataset.targets["target_id"]).map(commitment),
        row_id=dataset.targets["target_id"], layer="plan", kind="target", source_id=dataset.targets["doc_id"],
        year=dataset.targets["target_year"], value=dataset.targets["target_value"], qualifier=dataset.targets["bound"],
        is_derived=False, formula=pd.NA,
    )
    outcomes = dataset.outcomes.assign(row_id=dataset.outcomes["outcome_id"], layer="plan", kind="outcome",
                                       source_id=dataset.outcomes["doc_id"])
    observations = dataset.observations.assign(row_id=dataset.observations["observation_id"], layer="observation",
                                               kind="observation")
    rows = pd.concat([frame.reindex(columns=COLUMNS) for frame in (targets, outcomes, observations)], ignore_index=True)
    labels_en = pd.concat([documents["label_en"], sources["title"]])
    labels_zh = pd.concat([documents["label_zh"], sources["title"]])
    rows["source_label_en"] = rows["source_id"].map(labels_en)
    rows["source_label_zh"] = rows["source_id"].map(labels_zh)
    regions = dataset.regions.set_index("region_id")
    for column, source in (("region_en", "name_en"), ("region_zh", "name_zh"), ("level", "level")):
        rows[column] = rows["region"].map(regions[source])
    indicators = dataset.indicators.set_index("indicator_id")
    for column, source in (("indicator_en", "name_en"), ("indicator_zh", "name_zh"), ("unit", "unit"),
                           ("ip_type", "ip_type"), ("value_chain_stage", "value_chain_stage"),
                           ("measure_type", "measure_type")):
        rows[column] = rows["indicator_id"].map(indicators[source])
    order = {doc_id: n for n, doc_id in enumerate([*dataset.document_order, *sources.index])}
    rows["_order"] = rows["source_id"].map(order)
    rows = rows.sort_values(["_order", "kind", "row_id"], kind="stable").drop(columns="_order").reset_index(drop=True)
    for column in ("year", "period_start", "period_end"):
        rows[column] = rows[column].astype("Int64")
    rows["is_derived"] = rows["is_derived"].astype("boolean")
    text = [c for c in COLUMNS if c not in ("year", "period_start", "period_end", "value", "is_derived")]
    rows[text] = rows[text].astype("string")
    rows["value"] = rows["value"].astype("float64")
    return rows[COLUMNS]


SEARCHED = ["indicator_id", "indicator_en", "indicator_zh", "quote", "value_text", "source_label_en", "source_label_zh",
            "region_en", "region_zh"]


def search(rows: pd.DataFrame, keyword: str | None = None, ip_type: str | None = None, stage: str | None = None,
           kind: str | None = None) -> pd.DataFrame:
    """Rows of a panel whose indicator names, quote, value text, source or region contain `keyword` (Chinese or
    English, case-insensitive), optionally of one IP type, value-chain stage or kind."""
    found = pd.Series(True, index=rows.index)
    if keyword:
        hits = [rows[column].str.contains(keyword, case=False, regex=False, na=False) for column in SEARCHED]
        found &= pd.concat(hits, axis=1).any(axis=1)
    for column, wanted in (("ip_type", ip_type), ("value_chain_stage", stage), ("kind", kind)):
        if wanted:
            found &= rows[column] == wanted
    return rows[found]


def stata_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The panel with types Stata stores: missing numbers as float NaN, flags as 0/1, text as plain strings."""
    out = rows.copy()
    for column in ("year", "period_start", "period_end"):
        out[column] = out[column].astype("float64")
    out["is_derived"] = out["is_derived"].astype("float64")
    for column in out.columns[out.dtypes == "string"]:
        out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


def write_panel(dataset: Dataset, folder: Path) -> list[Path]:
    """panel.csv (UTF-8) and panel.dta (Stata 14+ format 118, UTF-8 text, fixed time stamp) in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = panel(dataset)
    csv, dta = (folder / name for name in PANEL_FILES)
    write_csv(rows, csv)
    stata_frame(rows).to_stata(
        dta, write_index=False, version=118, time_stamp=STATA_TIME, data_label="ipanalysis panel",
        variable_labels=DESCRIPTIONS, convert_strl=["quote", "value_text", "formula", "source_label_en"],
    )
    return [csv, dta]
