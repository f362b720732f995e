"""The notebooks' findings: every number a sentence states is one the finding computed (no number typed by hand), the
computed numbers agree with the tables they summarise, and a data edit changes the text."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import comparisons, coverage, findings, instruments, numbers

# Numbers that are part of fixed wording, not results: "per 10,000 characters", "95 % interval".
CONSTANTS = {"10,000", "95"}
NUMBER = re.compile(r"−?\d{1,3}(?:,\d{3})+(?:\.\d+)?|−?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


@pytest.fixture(scope="module")
def stated(dataset):
    return {name: function(dataset) for name, function in findings.NOTEBOOKS.items()}


def _labels(dataset) -> list[str]:
    """Every name the sentences quote from the data (they may contain digits: 'per 10,000 population', 'p09')."""
    texts = [
        *dataset.indicators["name_en"], *dataset.indicators["name_zh"], *dataset.documents["label_en"],
        *dataset.documents["label_zh"], *dataset.milestones["goal_en"], *dataset.milestones["quote"],
        *dataset.source_problems["problem_id"], *dataset.codebook["label_en"], *dataset.codebook["label_zh"],
        *dataset.agencies["name_en"], *dataset.agencies["name_zh"], *dataset.documents["plan_period"],
        "十三五", "十四五", "1+N", "零突破", "三合一",
    ]
    return sorted({text for text in texts if isinstance(text, str)}, key=len, reverse=True)


def _renderings(value: float) -> set[str]:
    """Every way numbers.py may write `value` in a sentence."""
    forms = {numbers.number(value), numbers.count(value) if float(value).is_integer() else "",
             numbers.number(value, "zh", prose=True).rstrip("万亿"), str(value)}
    for decimals in (0, 1, 2):
        forms |= {numbers.number(value, decimals=decimals), numbers.number(value * 100, decimals=decimals)}
    forms.add(numbers.times(value).removesuffix(" times"))
    return {form.replace("万", "").replace("亿", "") for form in forms if form}


def test_every_number_in_a_finding_is_one_it_computed(dataset, stated):
    labels = _labels(dataset)
    for name, items in stated.items():
        for finding in items:
            allowed = set().union(*(_renderings(v) for v in finding.values.values() if not pd.isna(v))) | CONSTANTS
            for lang in ("en", "zh"):
                text = finding[lang]
                for label in labels:
                    text = text.replace(label, " ")
                unexplained = [t for t in NUMBER.findall(text) if t not in allowed and t.lstrip("−") not in allowed]
                assert not unexplained, f"{name} ({lang}): {unexplained} in {finding[lang]!r}"


def test_every_finding_is_in_both_languages(stated):
    for items in stated.values():
        assert items
        for finding in items:
            assert finding.en and finding.zh and finding.en != finding.zh
            assert re.search(r"[\u4e00-\u9fff]", finding.zh)


def _values(items: list[findings.Finding]) -> dict[str, float]:
    merged: dict[str, float] = {}
    for finding in items:
        merged.update(finding.values)
    return merged


def test_curation_numbers_match_the_tables(dataset, stated):
    values = _values(stated["00_sources_and_data"])
    assert values["statements"] == len(dataset.targets)
    assert values["commitments"] == len(dataset.commitments) == dataset.commitments["commitment_id"].nunique()
    assert values["outcomes"] == len(dataset.outcomes)
    assert values["derived"] == int(dataset.outcomes["is_derived"].sum())
    assert values["milestones"] == len(dataset.milestones)
    assert values["problems"] == len(dataset.source_problems)
    assert values["major"] == int((dataset.source_problems["severity"] == "major").sum())
    assert values["indicators"] == dataset.commitments["indicator_id"].nunique()
    assert values["numbers"] == len(coverage.number_coverage(dataset))
    assert values["shared"] == int(dataset.commitments["doc_ids"].str.contains(";").sum())


def test_plan_comparison_numbers_match_the_tables(dataset, stated):
    values = _values(stated["01_13th_vs_14th_fyp"])
    changes = comparisons.plan_changes(dataset)
    for change in ("kept", "redefined", "dropped"):
        assert values[change] == changes.loc[changes["change"] == change, "indicator_id"].nunique()
    assert values["added"] == int((changes["change"] == "added").sum())
    ambition = comparisons.ambition_table(dataset)
    ambition = ambition[ambition["region"] == changes["region"].iloc[0]].set_index(["indicator_id", "plan_period"])
    kept = changes.loc[changes["change"] == "kept", "indicator_id"].iloc[0]
    assert values["ambition_ratio"] == ambition.loc[(kept, "14th"), "ambition_ratio"]
    assert values["realised"] == ambition.loc[(kept, "13th"), "realised_growth_during"]
    for key, value in values.items():
        if key.startswith("required_") and key not in ("required_earlier", "required_later"):
            assert value == ambition.loc[(key.removeprefix("required_"), "13th"), "required_growth"]
    by_earlier = changes.dropna(subset=["indicator_id"]).drop_duplicates("indicator_id").set_index("indicator_id")
    by_later = changes.dropna(subset=["later_indicator_id"]).drop_duplicates("later_indicator_id").set_index("later_indicator_id")
    stated_values = (("earlier_target_", by_earlier, "earlier_target"), ("later_target_", by_later, "later_target"),
                     ("later_baseline_outcome_", by_earlier, "later_baseline_outcome"))
    checked = 0
    for prefix, rows, column in stated_values:
        for key in [key for key in values if key.startswith(prefix)]:
            assert values[key] == rows.loc[key.removeprefix(prefix), column], key
            checked += 1
    assert checked >= 3


def test_district_numbers_match_the_tables(dataset, stated):
    values = _values(stated["02_district_vs_city"])
    table = comparisons.district_vs_city(dataset)
    grown = table[table["escalation"].notna()].iloc[0]
    assert values["escalation"] == grown["escalation"]
    assert values["district_growth"] == grown["district_required_growth"]
    assert values["share_at_target"] == grown["level_ratio"]
    for row in table[table["level_ratio"].notna() & table["escalation"].isna()].itertuples():
        assert values[f"ratio_{row.district_target_id}"] == row.level_ratio
    assert values["differ"] == int((table["relation"] != "same").sum())
    assert values["escalating"] == int((table["escalation"] > 0).sum())


def test_attainment_numbers_match_the_tables(dataset, stated):
    values = _values(stated["03_attainment"])
    table = comparisons.attainment_table(dataset)
    assert values["commitments"] == len(table)
    for status, n in table["status"].value_counts().items():
        assert values[status] == n
    assert values["fragile"] == int(table["robust"].eq(False).sum())
    for row in table.dropna(subset=["attainment_ratio"]).itertuples():
        assert values[f"ratio_{row.commitment_id}"] == row.attainment_ratio
    for row in comparisons.reporting_coverage(table).itertuples():
        assert values[f"reported_{row.doc_id}"] == row.n_achieved + row.n_not_achieved
        assert values[f"targets_{row.doc_id}"] == row.targets


def test_instrument_numbers_match_the_tables(dataset, stated):
    values = _values(stated["04_policy_instruments"])
    shares = instruments.type_shares(dataset)
    for instrument_type in ("supply", "environmental", "demand"):
        assert values[f"share_{instrument_type}"] == shares.loc[("all", "all"), instrument_type]
    assert values["counted"] == shares.loc[("all", "all"), "units"]
    agreement = instruments.agreement(dataset).set_index(["estimate", "dimension"])
    for dimension in ("instrument_type", "instrument_subtype", "value_chain_stage"):
        assert values[f"loo_{dimension}"] == agreement.loc[("leave_one_document_out", dimension), "kappa"]
        assert values[f"in_{dimension}"] == agreement.loc[("in_sample", dimension), "kappa"]
    follows = instruments.stage_follows_subtype(dataset)
    assert (values["at_modal"], values["units"]) == (follows["at_modal_stage"].sum(), follows["units"].sum())


def test_a_data_edit_changes_the_findings(dataset, stated):
    """A reported outcome below its target turns an achieved commitment into a missed one: the counts, the ratio and
    the sentences change in both languages."""
    table = comparisons.attainment_table(dataset)
    row = table[(table["status"] == "achieved") & table["robust"].eq(True) & table["attainment_ratio"].notna()].iloc[0]
    outcomes = dataset.outcomes.copy()
    outcomes.loc[outcomes["outcome_id"] == row["outcome_id"], "value"] = row["target_value"] / 2
    edited = dataclasses.replace(dataset, outcomes=outcomes)
    before, after = stated["03_attainment"], findings.attainment(edited)
    assert _values(after)["achieved"] == _values(before)["achieved"] - 1
    assert _values(after)["not_achieved"] == _values(before)["not_achieved"] + 1
    assert _values(after)[f"ratio_{row['commitment_id']}"] == pytest.approx(0.5)
    for lang in ("en", "zh"):
        assert before[0][lang] != after[0][lang]
        assert numbers.times(0.5, lang) in after[1][lang]


def test_dropping_a_target_changes_the_curation_counts(dataset, stated):
    targets = dataset.targets[dataset.targets["commitment_id"].isna() | dataset.targets["restates_target_id"].notna()]
    edited = dataclasses.replace(dataset, targets=dataset.targets.drop(targets.index[-1:]))
    after = findings.sources_and_data(edited)
    assert _values(after)["statements"] == len(dataset.targets) - 1
    assert str(len(dataset.targets) - 1) in after[0]["en"] and str(len(dataset.targets)) not in after[0]["en"]


@pytest.mark.parametrize(
    ("call", "en", "zh"),
    [
        (lambda lang: numbers.number(288900, lang, prose=True), "288,900", "28.89万"),
        (lambda lang: numbers.number(12654, lang, prose=True), "12,654", "12,654"),
        (lambda lang: numbers.number(100_000_000, lang, prose=True), "100,000,000", "1亿"),
        (lambda lang: numbers.number(4.37, lang), "4.37", "4.37"),
        (lambda lang: numbers.number(24.400000001, lang), "24.4", "24.4"),
        (lambda lang: numbers.count(1500, lang), "1,500", "1,500"),
        (lambda lang: numbers.percent(0.45, lang), "45 %", "45%"),
        (lambda lang: numbers.growth(0.080893, lang), "8.1 %", "8.1%"),
        (lambda lang: numbers.growth(-0.0217, lang), "−2.2 %", "−2.2%"),
        (lambda lang: numbers.points(-0.021748, lang), "−2.2 points", "−2.2个百分点"),
        (lambda lang: numbers.ratio(0.274437, lang), "0.27", "0.27"),
        (lambda lang: numbers.times(1.926, lang), "1.93 times", "1.93倍"),
        (lambda lang: numbers.times(2.6, lang), "2.6 times", "2.6倍"),
        (lambda lang: numbers.share_of(3, 5, lang), "3 of 5 (60 %)", "5项中的3项（60%）"),
        (lambda lang: numbers.join(["a", "b", "c"], lang), "a, b and c", "a、b和c"),
        (lambda lang: numbers.quantity(80, "%", lang), "80 %", "80%"),
        (lambda lang: numbers.quantity(288900, "件", lang), "288,900", "28.89万件"),
        (lambda lang: numbers.quantity(24.4, "件/万人", lang), "24.4", "24.4件"),
        (lambda lang: numbers.quantity(1e8, "元", lang), "100,000,000 yuan", "1亿元"),
        (lambda lang: numbers.number(float("nan"), lang), "–", "–"),
        (lambda lang: numbers.percent(pd.NA, lang), "–", "–"),
    ],
)
def test_numbers_are_written_alike_everywhere(call, en, zh):
    assert (call("en"), call("zh")) == (en, zh)


def test_the_unit_finding_states_the_unit_summary(dataset, stated):
    """Notebook 04's narrative leaves unit counts and sizes to this finding; they must be the unit summary's."""
    summary = instruments.unit_summary(dataset)
    finding = stated["04_policy_instruments"][0]
    medians = summary["median_characters"].sort_values()
    assert finding.values == {"units": summary["units"].sum(), "counted": summary["counted"].sum(),
                              "restatements": summary["restatements"].sum(), "low": medians.iloc[0],
                              "high": medians.iloc[-1]}
    assert f"{summary['counted'].sum()} of the {summary['units'].sum()} policy units" in finding.en
    for doc_id in (medians.index[0], medians.index[-1]):
        assert dataset.document_label(doc_id) in finding.en and dataset.document_label(doc_id, "zh") in finding.zh
