"""The observation layer (observation_sources.csv, observations.csv, snapshots/) is validated like outcomes: each
case builds a small data folder in tmp_path and breaks one thing."""

import os

import pytest
from folders import build, sha256

import ipanalysis

SNAPSHOT = ("截至2024年底，我市有效发明专利72904件，同比增长14.3%，\n每万人口发明专利拥有量53.5件。\n"
            "2021年以来累计培育知识产权示范企业120家。\n")
INDICATORS = [
    {"indicator_id": "valid_invention_patents", "name_zh": "有效发明专利", "name_en": "Valid invention patents",
     "unit": "件", "measure_type": "stock", "ip_type": "patent", "value_chain_stage": "creation", "description": "Stock."},
    {"indicator_id": "invention_patents_per_10k_pop", "name_zh": "每万人口发明专利拥有量", "name_en": "Per 10k",
     "unit": "件/万人", "measure_type": "stock", "ip_type": "patent", "value_chain_stage": "creation", "description": "Density."},
    {"indicator_id": "demo_enterprises_period", "name_zh": "示范企业", "name_en": "Demonstration enterprises",
     "unit": "家", "measure_type": "period_cumulative", "ip_type": "general", "value_chain_stage": "management",
     "description": "Designated over a period."},
]
REGIONS = [{"region_id": "china", "name_zh": "中国", "name_en": "China", "level": "national"},
           {"region_id": "tianjin", "name_zh": "天津市", "name_en": "Tianjin", "level": "city", "parent_region": "china"}]
SOURCE = {"source_id": "tjipa-2025-02", "file": "tjipa-2025-02.txt", "sha256": sha256(SNAPSHOT), "title": "2024年工作总结",
          "publisher": "天津市知识产权局", "url": "https://zscq.tj.gov.cn/zwxx/x.html", "date_published": "2025-02-27",
          "date_retrieved": "2026-11-23", "retrieval_route": "download", "authority": "issuing_body"}
QUOTE = "我市有效发明专利72904件，同比增长14.3%"
OBSERVATIONS = [
    {"observation_id": "tjipa-2025-02-o01", "source_id": "tjipa-2025-02", "indicator_id": "valid_invention_patents",
     "region": "tianjin", "year": 2024, "value": 72904, "qualifier": "exact", "value_text": "72904件", "quote": QUOTE,
     "is_derived": "false"},
    {"observation_id": "tjipa-2025-02-o02", "source_id": "tjipa-2025-02", "indicator_id": "valid_invention_patents",
     "region": "tianjin", "year": 2023, "value": 63783.03, "qualifier": "approximately", "value_text": "14.3%",
     "quote": QUOTE, "is_derived": "true", "formula": "[tjipa-2025-02-o01] / (1 + 14.3/100)"},
    {"observation_id": "tjipa-2025-02-o03", "source_id": "tjipa-2025-02", "indicator_id": "invention_patents_per_10k_pop",
     "region": "tianjin", "year": 2024, "value": 53.5, "qualifier": "exact", "value_text": "53.5件",
     "quote": "，\n每万人口发明专利拥有量53.5件", "is_derived": "false"},
    {"observation_id": "tjipa-2025-02-o04", "source_id": "tjipa-2025-02", "indicator_id": "demo_enterprises_period",
     "region": "tianjin", "year": 2024, "period_start": 2021, "period_end": 2024, "value": 120, "qualifier": "exact",
     "value_text": "120家", "quote": "2021年以来累计培育知识产权示范企业120家", "is_derived": "false"},
]


def folder(tmp_path, sources=None, observations=None, snapshot=SNAPSHOT, snapshot_name="tjipa-2025-02.txt"):
    """A data folder with indicators and the observation tables; `sources`/`observations` edit the rows."""
    source_rows = [{**SOURCE, **(sources or {})}]
    observation_rows = [dict(row) for row in OBSERVATIONS]
    for index, changes in (observations or {}).items():
        observation_rows[index].update(changes)
    files = {f"snapshots/{snapshot_name}": snapshot} if snapshot is not None else {}
    return build(tmp_path / "data", {"regions": REGIONS, "indicators": INDICATORS, "observation_sources": source_rows,
                                     "observations": observation_rows}, files)


def problems(data):
    return ipanalysis.validate(data).problems


def one(data, key):
    found = [p for p in problems(data) if p.key == key]
    assert len(found) == 1, [p.format() for p in problems(data)]
    return found[0]


def test_the_small_folder_validates(tmp_path):
    result = ipanalysis.validate(folder(tmp_path))
    assert [p.format() for p in result.problems] == []
    assert len(result.tables["observations"].rows) == 4
    assert result.snapshot_texts["tjipa-2025-02"] == SNAPSHOT


def test_a_project_without_observation_files_validates(tmp_path):
    data = build(tmp_path / "data", {"regions": REGIONS, "indicators": INDICATORS, "observation_sources": None,
                                     "observations": None})
    result = ipanalysis.validate(data)
    assert result.problems == []
    assert result.tables["observations"].rows == [] and "observation_id" in result.tables["observations"].schema.field_names


def test_header_only_observation_files_validate(tmp_path):
    data = build(tmp_path / "data", {"regions": REGIONS, "indicators": INDICATORS, "observation_sources": [],
                                     "observations": []})
    assert problems(data) == []
    assert (data / "observations.csv").read_text(encoding="utf-8").startswith("observation_id,")


@pytest.mark.provokes("no_rows")
def test_a_required_table_without_rows_is_still_reported(tmp_path):
    data = build(tmp_path / "data", {"indicators": [], "observation_sources": [], "observations": []})
    assert one(data, "no_rows").file.endswith("indicators.csv")


@pytest.mark.provokes("checksum")
def test_edited_snapshot_fails_its_checksum(tmp_path):
    problem = one(folder(tmp_path, snapshot=SNAPSHOT.replace("120家", "121家")), "checksum")
    assert (problem.file.endswith("observation_sources.csv"), problem.line, problem.column) == (True, 2, "sha256")


@pytest.mark.provokes("source_missing")
def test_missing_snapshot(tmp_path):
    problem = one(folder(tmp_path, snapshot=None), "source_missing")
    assert problem.column == "file" and "snapshots" in problem.format()


@pytest.mark.provokes("unsafe_file_name")
@pytest.mark.parametrize("name", ["../observations.csv", "sub/x.txt", "..", "C:x.txt", "a\\b.txt", "/etc/passwd"])
def test_snapshot_names_that_leave_the_folder_are_refused(tmp_path, name):
    problem = one(folder(tmp_path, sources={"file": name}), "unsafe_file_name")
    assert problem.column == "file"
    assert f"'{name}' is not a plain file name" in problem.format()
    assert "不是" in problem.format("zh")


@pytest.mark.provokes("unsafe_file_name")
def test_a_snapshot_linking_out_of_the_folder_is_refused(tmp_path):
    data = folder(tmp_path, sources={"file": "link.txt"})
    outside = tmp_path / "secret.txt"
    outside.write_text(SNAPSHOT, encoding="utf-8")
    os.symlink(outside, data / "snapshots" / "link.txt")
    assert one(data, "unsafe_file_name").column == "file"
    assert "tjipa-2025-02" not in ipanalysis.validate(data).snapshot_texts


@pytest.mark.provokes("quote_not_found")
def test_quote_not_in_snapshot(tmp_path):
    problem = one(folder(tmp_path, observations={0: {"quote": QUOTE.replace("，", ",")}}), "quote_not_found")
    assert (problem.line, problem.column) == (2, "quote")
    assert "tjipa-2025-02.txt" in problem.format() and "','" in problem.format()


def test_a_snapshot_with_windows_line_endings_is_accepted(tmp_path):
    crlf = SNAPSHOT.replace("\n", "\r\n")
    assert problems(folder(tmp_path, sources={"sha256": sha256(crlf)}, snapshot=crlf)) == []


@pytest.mark.provokes("value_mismatch")
def test_value_must_read_back_from_its_quote(tmp_path):
    problem = one(folder(tmp_path, observations={0: {"value": 72094}}), "value_mismatch")
    assert (problem.line, problem.column) == (2, "value")


@pytest.mark.provokes("bound_mismatch")
def test_qualifier_must_follow_the_quote(tmp_path):
    problem = one(folder(tmp_path, observations={0: {"qualifier": "more_than"}}), "bound_mismatch")
    assert (problem.line, problem.column) == (2, "qualifier")


@pytest.mark.provokes("value_text_not_in_quote")
def test_value_text_must_be_in_the_quote(tmp_path):
    assert one(folder(tmp_path, observations={2: {"value_text": "53.6件", "value": 53.6}}), "value_text_not_in_quote").line == 4


@pytest.mark.provokes("formula_mismatch")
def test_derived_value_must_recompute(tmp_path):
    problem = one(folder(tmp_path, observations={1: {"value": 63000}}), "formula_mismatch")
    assert (problem.line, problem.column) == (3, "value")


@pytest.mark.provokes("formula_operand")
def test_derived_formula_must_use_the_quoted_operand(tmp_path):
    data = folder(tmp_path, observations={1: {"formula": "[tjipa-2025-02-o01] / 1.143"}})
    assert one(data, "formula_operand").line == 3


@pytest.mark.provokes("formula_missing")
def test_derived_row_needs_a_formula(tmp_path):
    assert one(folder(tmp_path, observations={1: {"formula": ""}}), "formula_missing").column == "formula"


@pytest.mark.provokes("formula_not_derived")
def test_formula_on_a_direct_row(tmp_path):
    assert one(folder(tmp_path, observations={0: {"formula": "72904"}}), "formula_not_derived").line == 2


@pytest.mark.provokes("period_required")
def test_period_total_needs_its_period(tmp_path):
    problem = one(folder(tmp_path, observations={3: {"period_start": ""}}), "period_required")
    assert (problem.line, problem.column) == (6, "period_start")  # the row before spans two lines


@pytest.mark.provokes("period_not_allowed")
def test_stock_takes_no_period(tmp_path):
    assert one(folder(tmp_path, observations={0: {"period_start": 2020, "period_end": 2024}}), "period_not_allowed").line == 2


@pytest.mark.provokes("period_order")
def test_period_in_order(tmp_path):
    assert one(folder(tmp_path, observations={3: {"period_start": 2024, "period_end": 2021}}), "period_order").line == 6


@pytest.mark.provokes("after_publication")
def test_observation_after_its_publication(tmp_path):
    problem = one(folder(tmp_path, observations={0: {"year": 2026}}), "after_publication")
    assert (problem.line, problem.column) == (2, "year")
    assert "year 2026 is after tjipa-2025-02 was published (2025-02-27)" in problem.format()


@pytest.mark.provokes("retrieved_before_published")
def test_retrieved_before_published(tmp_path):
    problem = one(folder(tmp_path, sources={"date_retrieved": "2025-01-01"}), "retrieved_before_published")
    assert problem.column == "date_retrieved"


@pytest.mark.provokes("undated")
def test_undated_observation_needs_notes(tmp_path):
    assert one(folder(tmp_path, observations={2: {"year": ""}}), "undated").line == 4


@pytest.mark.provokes("duplicate_statement")
def test_duplicate_statement(tmp_path):
    data = folder(tmp_path, observations={2: {**OBSERVATIONS[0], "observation_id": "tjipa-2025-02-o03"}})
    assert one(data, "duplicate_statement").line == 4


@pytest.mark.provokes("unknown_reference")
@pytest.mark.parametrize(("column", "value"), [("source_id", "nowhere-2025"), ("indicator_id", "unknown_indicator"),
                                               ("region", "beijing")])
def test_unknown_source_indicator_or_region(tmp_path, column, value):
    problem = one(folder(tmp_path, observations={0: {column: value}}), "unknown_reference")
    assert (problem.line, problem.column) == (2, column)


@pytest.mark.provokes("enum")
def test_authority_outside_the_allowed_set(tmp_path):
    problem = one(folder(tmp_path, sources={"authority": "blog"}), "enum")
    assert problem.file.endswith("observation_sources.csv") and problem.column == "authority"


@pytest.mark.provokes("unit_base_missing")
def test_a_density_written_as_a_count_needs_its_base_in_the_quote(tmp_path):
    problem = one(folder(tmp_path, observations={2: {"quote": "拥有量53.5件"}}), "unit_base_missing")
    assert (problem.line, problem.column) == (4, "value_text")
    assert "counted in 件/万人 and the quote does not name the base" in problem.format()
    assert "以件/万人计，而引文未写明基数" in problem.format("zh")


# -- the register cites snapshots and affects observations
PROBLEM = {"problem_id": "p01", "kind": "source_error", "severity": "minor", "summary": "A typo.", "detail": "In full.",
           "doc_a": "tjipa-2025-02", "quote_a": QUOTE, "doc_b": "tjipa-2025-02", "quote_b": "每万人口发明专利拥有量53.5件",
           "affects": "tjipa-2025-02-o01;tjipa-2025-02-o03", "handling": "Kept."}


def register(tmp_path, **changes):
    data = folder(tmp_path)
    named = set(PROBLEM["affects"].split(";"))  # the rows the entry names cite it, as the register rule asks
    observations = [{**row, "problem_ids": "p01"} if row["observation_id"] in named else row for row in OBSERVATIONS]
    return build(data, {"regions": REGIONS, "indicators": INDICATORS, "observation_sources": [SOURCE],
                        "observations": observations, "source_problems": [{**PROBLEM, **changes}]})


def test_a_register_entry_citing_snapshots_and_observations_validates(tmp_path):
    assert [p.format() for p in problems(register(tmp_path))] == []


@pytest.mark.provokes("quote_not_found")
def test_a_register_quote_is_checked_against_its_snapshot(tmp_path):
    found = one(register(tmp_path, quote_b="每万人口发明专利拥有量35.5件"), "quote_not_found")
    assert (found.file.endswith("source_problems.csv"), found.column) == (True, "quote_b")


@pytest.mark.provokes("unknown_reference")
@pytest.mark.parametrize(("column", "value"), [("doc_a", "nowhere-2025"), ("affects", "tjipa-2025-02-o09")])
def test_a_register_entry_names_known_sources_and_rows(tmp_path, column, value):
    found = one(register(tmp_path, **{column: value}), "unknown_reference")
    assert found.column == column and value in found.format()


@pytest.mark.provokes("value_text_not_in_quote")
def test_derived_operand_must_be_in_the_quote(tmp_path):
    problem = one(folder(tmp_path, observations={1: {"value_text": "14.4%", "formula": "[tjipa-2025-02-o01] / (1 + 14.4/100)",
                                                     "value": 63727.27}}), "value_text_not_in_quote")
    assert (problem.line, problem.column) == (3, "value_text")
