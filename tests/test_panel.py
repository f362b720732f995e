"""The tidy panel: every target, outcome and observation once, with its labels and quote; the search; the .dta file."""

from __future__ import annotations

import dataclasses
import hashlib

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import panel


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


@pytest.fixture(scope="module")
def rows(dataset):
    return dataset.panel()


def test_every_row_of_the_three_tables_is_in_the_panel_once(dataset, rows):
    assert list(rows.columns) == panel.COLUMNS
    assert rows["row_id"].is_unique
    assert rows["kind"].value_counts().to_dict() == {
        "target": len(dataset.targets), "outcome": len(dataset.outcomes), "observation": len(dataset.observations)}
    assert set(rows.loc[rows["layer"] == "observation", "kind"]) == {"observation"}


def test_a_row_carries_its_value_quote_and_labels(dataset, rows):
    target = dataset.targets.iloc[0]
    row = rows.set_index("row_id").loc[target["target_id"]]
    indicator = dataset.indicators.set_index("indicator_id").loc[target["indicator_id"]]
    assert (row["value"], row["year"], row["quote"], row["qualifier"]) == (
        target["target_value"], target["target_year"], target["quote"], target["bound"])
    assert (row["indicator_zh"], row["unit"], row["ip_type"]) == (indicator["name_zh"], indicator["unit"], indicator["ip_type"])
    assert row["source_label_en"] == dataset.document_label(target["doc_id"])
    assert row["region_zh"] == dataset.region_name(target["region"], "zh")
    assert row["commitment_id"] == dataset.commitments.set_index("target_id").loc[target["target_id"], "commitment_id"]


def test_search_by_chinese_or_english_keyword_ip_type_stage_and_kind(dataset, rows):
    chinese = dataset.search("商标")
    assert len(chinese) and all("商标" in " ".join(str(v) for v in row) for row in chinese.itertuples())
    english = dataset.search("TRADEMARK", kind="target")
    assert len(english) and set(english["kind"]) == {"target"}
    searched = english[panel.SEARCHED].astype(str).agg(" ".join, axis=1).str.lower()
    assert searched.str.contains("trademark").all()
    copyright_targets = dataset.search(ip_type="copyright", kind="target")
    expected = dataset.targets["indicator_id"].map(dataset.indicators.set_index("indicator_id")["ip_type"]) == "copyright"
    assert len(copyright_targets) == int(expected.sum()) > 0
    assert set(dataset.search(stage="protection")["value_chain_stage"]) == {"protection"}
    assert dataset.search("no such words anywhere").empty


def test_an_added_outcome_appears_in_the_panel(dataset):
    extra = dataset.outcomes.iloc[[0]].assign(outcome_id="tj9999-o01", value=1.5)
    edited = dataclasses.replace(dataset, outcomes=pd.concat([dataset.outcomes, extra], ignore_index=True))
    assert edited.panel().set_index("row_id").loc["tj9999-o01", "value"] == 1.5


def test_panel_files_are_stable_and_keep_chinese(dataset, rows, tmp_path):
    csv, dta = panel.write_panel(dataset, tmp_path / "a")
    again = panel.write_panel(dataset, tmp_path / "b")
    assert [hashlib.sha256(p.read_bytes()).digest() for p in (csv, dta)] == [
        hashlib.sha256(p.read_bytes()).digest() for p in again]
    read = pd.read_stata(dta)
    assert len(read) == len(rows) and list(read.columns) == panel.COLUMNS
    assert read["quote"].tolist() == rows["quote"].fillna("").tolist()
    assert read["indicator_zh"].iloc[0] == rows["indicator_zh"].iloc[0]
    assert pd.read_csv(csv)["row_id"].tolist() == rows["row_id"].tolist()
