"""Each rule of the validator, provoked on a copy of the real data (or a small folder where the contract itself is
what varies): turning a rule off makes its test fail."""

import csv
import shutil
from pathlib import Path

import pytest
from folders import build
from test_validation import edit, only, problems_of

from ipanalysis.config import DATA_DIR

T03 = "tj2017-t03,tj2017,valid_patents,tianjin,一、总体要求 > （二）发展目标,"


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def at(problems, key, line):
    """The problem of kind `key` on `line` (there must be one)."""
    found = [p for p in only(problems, key) if p.line == line]
    assert found, [p.format() for p in problems]
    return found[0]


# -- the contract: cells
@pytest.mark.provokes("duplicate_column")
def test_duplicate_column(data):
    edit(data / "targets.csv", ",bound,target_form,", ",bound,bound,")
    problem = only(problems_of(data), "duplicate_column")[0]
    assert (problem.line, problem.column) == (1, "bound")


@pytest.mark.provokes("required")
def test_required_value(data):
    line = edit(data / "targets.csv", T03, "tj2017-t03,tj2017,valid_patents,tianjin,,")
    assert at(problems_of(data), "required", line).column == "section"


@pytest.mark.provokes("pattern")
def test_id_pattern(data):
    line = edit(data / "targets.csv", "tj2017-t03,tj2017,", "tj2017-T03,tj2017,")
    problem = at(problems_of(data), "pattern", line)
    assert problem.column == "target_id" and "'tj2017-T03' does not have the expected form" in problem.format()


@pytest.mark.provokes("enum")
def test_value_outside_the_allowed_set(data):
    line = edit(data / "targets.csv", ",190000,19万件,reach,", ",190000,19万件,attain,")
    problem = at(problems_of(data), "enum", line)
    assert problem.column == "bound" and "'attain' is not one of: reach, at_least, more_than, keep_at" in problem.format()


@pytest.mark.provokes("minimum", "maximum")
def test_minimum_and_maximum(tmp_path):
    package = {"name": "bounds", "resources": [{"name": "shares", "path": "shares.csv", "schema": {"fields": [
        {"name": "share_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "percent", "type": "number", "constraints": {"minimum": 0, "maximum": 100}}]}}]}
    data = build(tmp_path / "data", {"shares": [{"share_id": "a", "percent": -1}, {"share_id": "b", "percent": 50},
                                                {"share_id": "c", "percent": 100.5}]}, package=package)
    problems = problems_of(data)
    assert [(p.key, p.line, p.column) for p in problems] == [("minimum", 2, "percent"), ("maximum", 4, "percent")]
    assert "100.5 is above the maximum 100" in problems[1].format() and "大于最大值" in problems[1].format("zh")


# -- files and the descriptor
@pytest.mark.provokes("datapackage_invalid")
def test_malformed_descriptor(data):
    (data / "datapackage.json").write_text("{", encoding="utf-8")
    problem = only(problems_of(data), "datapackage_invalid")[0]
    assert problem.file.endswith("datapackage.json")


@pytest.mark.provokes("file_unreadable")
def test_unreadable_table(data, monkeypatch):
    target = data / "milestones.csv"
    read_bytes = Path.read_bytes

    def refuse(path):
        if path == target:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root ignores chmod, so the refusal is simulated
    problem = only(problems_of(data), "file_unreadable")[0]
    assert problem.file == str(target) and "Permission denied" in problem.format()


# -- quotes and values
@pytest.mark.provokes("quote_not_found_at_all")
def test_quote_without_a_single_matching_character(data):
    line = edit(data / "milestones.csv", ",在全国率先建成知识产权强市,", ",ZZZ,")
    problem = at(problems_of(data), "quote_not_found_at_all", line)
    assert problem.column == "quote" and "not even its first character" in problem.format()


@pytest.mark.provokes("count_name_not_in_quote")
def test_counted_name_must_be_in_the_quote(data):
    line = edit(data / "outcomes.csv", "count(大邱庄镇)", "count(团泊镇)")
    problem = at(problems_of(data), "count_name_not_in_quote", line)
    assert problem.column == "formula" and "'团泊镇'" in problem.format()


@pytest.mark.provokes("duplicate_statement")
def test_the_same_target_statement_twice(data):
    path = data / "targets.csv"
    row = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("tj2017-t03,"))
    first = edit(path, row, row)
    path.write_text(path.read_text(encoding="utf-8") + row.replace("tj2017-t03,", "tj2017-t99,", 1) + "\n", encoding="utf-8")
    problem = only(problems_of(data), "duplicate_statement")[0]
    assert problem.column == "quote" and f"same statement as line {first}" in problem.format()


@pytest.mark.provokes("duplicate_statement")
def test_the_same_outcome_statement_twice(data):
    path = data / "outcomes.csv"
    row = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("tj2021-o34,"))
    path.write_text(path.read_text(encoding="utf-8") + row.replace("tj2021-o34,", "tj2021-o98,", 1) + "\n", encoding="utf-8")
    assert only(problems_of(data), "duplicate_statement")[0].file.endswith("outcomes.csv")


# -- documents, years, regions
@pytest.mark.provokes("doc_years")
def test_document_target_year_inside_its_period(data):
    line = edit(data / "documents.csv", ",2025,false,2021,2025,2011,", ",2026,false,2021,2025,2011,")
    assert at(problems_of(data), "doc_years", line).column == "target_year"


@pytest.mark.provokes("no_review")
def test_outcomes_need_a_document_with_a_review(data):
    line = edit(data / "documents.csv", ",2025,false,2021,2025,2011,", ",2025,false,2021,2025,,")
    problems = only(problems_of(data), "no_review")
    assert all(p.file.endswith("outcomes.csv") and p.column == "doc_id" for p in problems)
    assert line == 4 and "tj2021 has no review of outcomes" in problems[0].format()


@pytest.mark.provokes("region_mismatch")
def test_target_region_is_its_documents(data):
    line = edit(data / "targets.csv", T03, T03.replace(",tianjin,", ",wuqing,"))
    problem = at(problems_of(data), "region_mismatch", line)
    assert "region 'wuqing' differs from the region of tj2017 ('tianjin')" in problem.format()


@pytest.mark.provokes("region_mismatch")
def test_a_derived_outcome_may_measure_a_containing_region_only(data):
    line = edit(data / "outcomes.csv", "tj2021-o03,tj2021,invention_patents_per_10k_pop,china,",
                "tj2021-o03,tj2021,invention_patents_per_10k_pop,wuqing,")
    assert at(problems_of(data), "region_mismatch", line).column == "region"


@pytest.mark.provokes("region_mismatch")
def test_milestone_region_is_its_documents(data):
    line = edit(data / "milestones.csv", "tj2016-m01,tj2016,tianjin,", "tj2016-m01,tj2016,jinghai,")
    assert at(problems_of(data), "region_mismatch", line).file.endswith("milestones.csv")


# -- baselines and restatements
@pytest.mark.provokes("baseline_incomplete")
def test_baseline_trio_goes_together(data):
    line = edit(data / "targets.csv", ",2020,12654,jh2022-o23,", ",,12654,jh2022-o23,")
    problem = at(problems_of(data), "baseline_incomplete", line)
    assert problem.column == "baseline_year"


@pytest.mark.provokes("restates_chain")
def test_a_restatement_points_to_the_canonical_target(data):
    line = edit(data / "targets.csv", ",15000,15000件,reach,level,,jh2022-t01,", ",15000,15000件,reach,level,,jh2022-t12,")
    problem = at(problems_of(data), "restates_chain", line)
    assert problem.column == "restates_target_id" and "jh2022-t12 is itself a restatement" in problem.format()


@pytest.mark.provokes("restates_mismatch")
def test_a_restatement_counts_what_its_target_counts(data):
    line = edit(data / "targets.csv", ",15000,15000件,reach,level,,jh2022-t01,", ",15000,15000件,reach,level,,jh2022-t03,")
    problem = at(problems_of(data), "restates_mismatch", line)
    assert problem.column == "indicator_id" and "restates jh2022-t03 but indicator_id differs" in problem.format()


# -- policy tables
@pytest.mark.provokes("not_in_text")
def test_agency_clause_is_part_of_the_unit_text(data):
    line = edit(data / "policy_units.csv", "市知识产权局牵头,市市场监管委、市版权局分别负责", "市科技局牵头")
    assert at(problems_of(data), "not_in_text", line).column == "agency_clause"


@pytest.mark.provokes("code_dimension")
def test_code_used_on_another_dimension(data):
    line = edit(data / "policy_codes.csv", "tj2016-u01,value_chain_stage,comprehensive,",
                "tj2016-u01,value_chain_stage,goals_planning,")
    problem = at(problems_of(data), "code_dimension", line)
    assert "code 'goals_planning' belongs to dimension instrument_subtype, not value_chain_stage" in problem.format()


@pytest.mark.provokes("primary_count")
def test_one_primary_code_per_dimension(data):
    edit(data / "policy_codes.csv", "tj2016-u01,instrument_subtype,goals_planning,true,",
         "tj2016-u01,instrument_subtype,goals_planning,false,")
    problem = only(problems_of(data), "primary_count")[0]
    assert "tj2016-u01 has 0 primary instrument_subtype codes" in problem.format()


@pytest.mark.provokes("parent_rule")
@pytest.mark.parametrize(("old", "new", "rule"), [("talent,instrument_subtype,supply,", "talent,instrument_subtype,,",
                                                   "needs an instrument_type as parent_code"),
                                                  ("supply,instrument_type,,", "supply,instrument_type,demand,",
                                                   "takes no parent_code")])
def test_codebook_parents(data, old, new, rule):
    line = edit(data / "codebook.csv", old, new)
    problem = at(problems_of(data), "parent_rule", line)
    assert problem.column == "parent_code" and rule in problem.format()



# -- rules that several tables share, provoked in each table that applies them
def set_cell(path: Path, row_id: str, column: str, value: str) -> int:
    """Set one cell of the row whose first column is row_id (rewriting the file with the csv module); return the
    line the row starts on."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows:
        if row[0] == row_id:
            row[header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    text = path.read_text(encoding="utf-8")
    return text[: text.index(f"\n{row_id},") + 1].count("\n") + 1


@pytest.mark.provokes("required")
def test_milestone_evidence_needs_its_quote(data):
    line = set_cell(data / "milestones.csv", "tj2016-m01", "evidence_quote", "")
    assert at(problems_of(data), "required", line).column == "evidence_quote"


@pytest.mark.provokes("required")
def test_problem_register_second_document_needs_its_quote(data):
    line = set_cell(data / "source_problems.csv", "p01", "quote_b", "")
    assert at(problems_of(data), "required", line).column == "quote_b"


@pytest.mark.provokes("unknown_reference")
def test_problem_register_affects_known_rows(data):
    line = set_cell(data / "source_problems.csv", "p01", "affects", "jh2022-o12;jh2022-o99;jh2022-t08")
    problem = next(p for p in only(problems_of(data), "unknown_reference") if p.column == "affects")
    assert "'jh2022-o99' is not a target_id/outcome_id" in problem.format() and problem.line == line


@pytest.mark.provokes("affected_not_citing")
def test_a_row_the_register_names_cites_the_entry(data):
    set_cell(data / "targets.csv", "tj2016-t05", "problem_ids", "p02")  # p21 left out
    line = set_cell(data / "source_problems.csv", "p21", "summary", "series break")  # the register line of p21
    problem = at(problems_of(data), "affected_not_citing", line)
    assert problem.column == "affects" and "p21 affects tj2016-t05" in problem.format() and "targets.csv" in problem.format()


@pytest.mark.provokes("cited_not_affected")
def test_a_cited_entry_names_the_row(data):
    line = set_cell(data / "outcomes.csv", "tj2021-o09", "problem_ids", "p18")
    problem = at(problems_of(data), "cited_not_affected", line)
    assert problem.column == "problem_ids" and "tj2021-o09 cites p18" in problem.format()


@pytest.mark.provokes("value_text_not_in_quote")
def test_derived_outcome_operand_must_be_in_the_quote(data):
    line = edit(data / "outcomes.csv", ",45,exact,3.93倍,true,", ",45,exact,3.94倍,true,")
    assert at(problems_of(data), "value_text_not_in_quote", line).column == "value_text"


@pytest.mark.provokes("value_unreadable")
def test_derived_outcome_operand_must_be_readable(data):
    line = edit(data / "outcomes.csv", ",45,exact,3.93倍,true,", ",45,exact,是2015年的,true,")
    assert at(problems_of(data), "value_unreadable", line).column == "value_text"


@pytest.mark.provokes("formula_not_derived")
def test_direct_outcome_takes_no_formula(data):
    line = edit(data / "outcomes.csv", ",19,exact,19家,false,,,", ",19,exact,19家,false,19,,")
    assert at(problems_of(data), "formula_not_derived", line).column == "formula"


@pytest.mark.provokes("undated")
def test_undated_outcome_needs_notes(data):
    line = edit(data / "outcomes.csv", "tj2021-o43,tj2021,municipal_copyright_demo_units,tianjin,2020,",
                "tj2021-o43,tj2021,municipal_copyright_demo_units,tianjin,,")
    assert at(problems_of(data), "undated", line).column == "notes"


@pytest.mark.provokes("restates_mismatch")
def test_restating_unit_keeps_its_parents_primary_code(data):
    path = data / "policy_codes.csv"
    edit(path, "jh2022-u05,instrument_subtype,guidance,true,", "jh2022-u05,instrument_subtype,guidance,false,")
    line = edit(path, "jh2022-u05,instrument_subtype,demonstration,false,", "jh2022-u05,instrument_subtype,demonstration,true,")
    problem = at(problems_of(data), "restates_mismatch", line)
    assert problem.column == "code_id" and "restates jh2022-u04" in problem.format()


@pytest.mark.provokes("not_utf8")
def test_source_document_not_in_utf8(data):
    path = data / "sources" / "003_fc6d8c9726315a53.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    problem = next(p for p in only(problems_of(data), "not_utf8") if p.file.endswith("documents.csv"))
    assert problem.column == "source_file"
