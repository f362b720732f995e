"""The extractor: every curated target and outcome of the five documents is among its candidates, and its rules work
on a made-up plan written in other words and layouts (tests/made_up_plan.txt), read as UTF-8 or GBK."""

from pathlib import Path

import pytest

from ipanalysis.dataset import load
from ipanalysis.extraction import NOT_QUANTITY, OUTCOME, TARGET, SourceError, evaluate, extract, missed, read_source
from ipanalysis.quantities import parse_quantity

MADE_UP = Path(__file__).with_name("made_up_plan.txt")


@pytest.fixture(scope="module")
def dataset():
    return load()


@pytest.fixture(scope="module")
def made_up(dataset):
    return extract(read_source(MADE_UP).text, "xx2021", dataset, source_name=MADE_UP.name)


def find(extraction, value_text: str, kind: str | None = None):
    found = [c for c in extraction.candidates if c.value_text == value_text and (kind is None or c.kind == kind)]
    assert found, f"no candidate {value_text!r}: {[c.value_text for c in extraction.candidates]}"
    return found[0]


def test_every_curated_target_and_outcome_is_a_candidate(dataset):
    table = evaluate(dataset).set_index("doc_id")
    assert set(table.index) == set(dataset.documents["doc_id"])
    for doc_id, row in table.iterrows():
        assert row["recall"] == 1, f"{doc_id} misses:\n{missed(dataset, doc_id).to_string()}"
        assert row["targets_found"] == row["targets_curated"] and row["outcomes_found"] == row["outcomes_curated"]
        # A floor, not the measured value: most proposed rows must be real ones for the workbook to save time.
        assert row["precision"] >= 0.8, (doc_id, row["precision"])
        assert row["kind_right"] >= 0.9 and (row["indicator_known"] == 0 or row["indicator_right"] >= 0.7), row


def test_candidates_are_verbatim_and_read_back(dataset):
    """Every quote is the text at its offset, holds its value_text, and value_text parses to the stated value."""
    for doc_id, text in dataset.document_texts.items():
        for candidate in extract(text, doc_id, dataset, precode=False).quantities:
            assert text[candidate.quote_start: candidate.quote_start + len(candidate.quote)] == candidate.quote
            assert candidate.value_text in candidate.quote, (doc_id, candidate.value_text, candidate.quote)
            if candidate.derived != "count":
                assert parse_quantity(candidate.value_text).value == candidate.stated


def test_targets_with_year_bound_and_indicator(made_up):
    high_value = find(made_up, "6件")
    assert (high_value.kind, high_value.value, high_value.year) == (TARGET, 6, 2025)
    assert high_value.indicator_id == "high_value_invention_patents_per_10k_pop" and high_value.indicator_score == 1
    financing = find(made_up, "突破20亿元")
    assert (financing.kind, financing.value, financing.unit, financing.bound) == (TARGET, 2_000_000_000, "元", "more_than")
    assert financing.year == 2025 and financing.year_inferred


def test_outcomes_and_their_years(made_up):
    patents = find(made_up, "8560件")
    assert (patents.kind, patents.year) == (OUTCOME, 2020)  # 2020年末，… opens the sentence
    grants = find(made_up, "3.2万件")
    assert (grants.kind, grants.value, grants.period_start, grants.period_end) == (OUTCOME, 32000, 2016, 2020)
    rank = find(made_up, "第12位")
    assert (rank.kind, rank.value, rank.unit) == (OUTCOME, 12, "位")


def test_relative_forms_are_derived_candidates(made_up):
    times = find(made_up, "2.5倍")
    assert (times.derived, times.year, times.formula, times.value) == ("times", 2015, "{base} / 2.5", 3424)
    assert times.base is find(made_up, "8560件")
    growth = find(made_up, "45%")
    assert (growth.derived, growth.period_start, growth.period_end) == ("growth", 2011, 2015)  # 较“十二五”时期增长
    assert growth.value == round(32000 / 1.45, 2)
    difference = find(made_up, "1.5件")
    assert (difference.derived, difference.value, difference.year) == ("difference", 8.3, None)
    across_page_break = find(made_up, "80.2%")  # 比2015年增长 / blank lines / 80.2%
    assert across_page_break.derived == "growth" and across_page_break.base is find(made_up, "12.5万件")
    assert "\n\n" in across_page_break.quote
    named = find(made_up, "甲公司、乙公司和丙研究院")
    assert (named.derived, named.value, named.formula) == ("count", 3, "count(甲公司;乙公司;丙研究院)")


def test_numbers_that_are_not_quantities(made_up):
    reasons = {(c.value_text, c.reason) for c in made_up.candidates if c.kind == NOT_QUANTITY}
    for expected in [("2021", "date"), ("12345", "hotline"), ("4", "label or slogan"), ("5", "name or code"),
                     ("20", "ordinal"), ("1", "heading or list number")]:
        assert expected in reasons, expected
    assert not any(c.value_text in ("2021", "12345") for c in made_up.quantities)


def test_table_with_one_row_per_line(made_up):
    baseline, target = find(made_up, "9.8", OUTCOME), find(made_up, "15", TARGET)
    assert (baseline.year, baseline.unit) == (2020, "件")
    assert (target.year, target.binding, target.unit) == (2025, "预期性", "件")
    assert target.quote == "每万人口发明专利拥有量\t件\t9.8\t15\t预期性"
    cumulative = find(made_up, "〔10〕")
    assert cumulative.cumulative and cumulative.value == 10
    assert any("亿元" in note for note in find(made_up, "12.6").notes)


def test_policy_units(made_up):
    units = [(u.number, u.part, u.heading) for u in made_up.units]
    assert units == [("二、", "goals", "发展目标"), ("1．", "tasks", "提升专利质量"), ("2．", "tasks", "培育商标品牌"),
                     ("1．", "tasks", "严格行政执法"), ("（一）", "guarantees", "加强组织领导")]
    first_task = made_up.units[1]
    assert (first_task.lead_agencies, first_task.cooperating_agencies) == (["市知识产权局"], ["市科技局"])
    assert first_task.codes["instrument_subtype"] and made_up.units[-1].text.endswith("每季度召开1次会议。")


def test_document_facts(made_up):
    assert (made_up.title, made_up.issue_date, made_up.plan_period, made_up.target_year) == (
        "某某市知识产权保护和运用“十四五”规划", "2021-12-20", "14th", 2025)


def test_read_source_in_gbk_and_with_crlf(tmp_path):
    text = MADE_UP.read_text(encoding="utf-8")
    gbk = tmp_path / "plan-gbk.txt"
    gbk.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    source = read_source(gbk)
    assert source.text == text and source.encoding == "gb18030"
    assert "GBK" in source.note and "LF" in source.note
    assert read_source(MADE_UP).note is None


def test_unreadable_source_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("第一行\n第二行\x0c有换页符\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad.txt:2: control character"):
        read_source(bad)
