"""Bad input: every class of problem is found, located (file, line, column) and worded in English or Chinese."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ipanalysis
from ipanalysis.config import DATA_DIR, PROJECT_ROOT


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the data folder to break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a file; return the 1-based line where the first replacement starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def problems_of(folder: Path) -> list:
    return ipanalysis.validate(folder).problems


def only(problems, key):
    found = [p for p in problems if p.key == key]
    assert found, [p.format() for p in problems]
    return found


@pytest.mark.provokes("file_missing")
def test_missing_file(data):
    (data / "indicators.csv").unlink()
    problem = only(problems_of(data), "file_missing")[0]
    assert problem.file.endswith("indicators.csv")
    assert problem.format().endswith("indicators.csv:-: -: file is missing")


@pytest.mark.provokes("file_empty")
def test_empty_file(data):
    (data / "milestones.csv").write_bytes(b"")
    problem = only(problems_of(data), "file_empty")[0]
    assert problem.file.endswith("milestones.csv") and problem.line == 1


@pytest.mark.provokes("no_rows")
def test_header_without_rows(data):
    header = (data / "milestones.csv").read_text(encoding="utf-8").splitlines()[0]
    (data / "milestones.csv").write_text(header + "\n", encoding="utf-8")
    assert only(problems_of(data), "no_rows")[0].line == 1


@pytest.mark.provokes("missing_column", "unknown_column")
def test_missing_column(data):
    edit(data / "targets.csv", ",bound,", ",bond,")
    problems = problems_of(data)
    missing = only(problems, "missing_column")[0]
    assert (missing.file.endswith("targets.csv"), missing.line, missing.column) == (True, 1, "bound")
    assert only(problems, "unknown_column")[0].column == "bond"


@pytest.mark.provokes("type")
def test_wrong_type(data):
    line = edit(data / "targets.csv", "tj2016-t01,tj2016,invention_patents_per_10k_pop,tianjin,",
                "tj2016-t01,tj2016,invention_patents_per_10k_pop,tianjin,")
    text = (data / "targets.csv").read_text(encoding="utf-8").splitlines()
    text[line - 1] = text[line - 1].replace(",2020,false,", ",二〇二〇,false,", 1)
    (data / "targets.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    problem = only(problems_of(data), "type")[0]
    assert (problem.line, problem.column) == (line, "target_year")
    assert "“二〇二〇”不是四位数年份" in problem.format("zh")
    assert "'二〇二〇' is not a four-digit year" in problem.format("en")


@pytest.mark.provokes("type")
def test_number_with_thousands_separator(data):
    line = edit(data / "targets.csv", ",150000,15万件,", ',"150,000",15万件,')
    problem = only(problems_of(data), "type")[0]
    assert (problem.line, problem.column) == (line, "target_value")


@pytest.mark.provokes("unknown_reference")
def test_unknown_document_and_indicator(data):
    line = edit(data / "targets.csv", "tj2016-t04,tj2016,well_known_trademarks", "tj2016-t04,tj2099,famous_marks")
    problems = only(problems_of(data), "unknown_reference")
    assert {(p.line, p.column) for p in problems} >= {(line, "doc_id"), (line, "indicator_id")}
    assert any("'tj2099' is not a doc_id in documents.csv" in p.format() for p in problems)


@pytest.mark.provokes("duplicate_key")
def test_duplicate_id(data):
    first = edit(data / "outcomes.csv", "tj2021-o10,", "tj2021-o10,")
    line = edit(data / "outcomes.csv", "tj2021-o11,", "tj2021-o10,")
    problem = only(problems_of(data), "duplicate_key")[0]
    assert (problem.line, problem.column) == (line, "outcome_id")
    assert f"first at line {first}" in problem.format()


@pytest.mark.provokes("quote_not_found")
def test_quote_not_in_source_names_the_divergence(data):
    line = edit(data / "targets.csv", "有效专利达到19万件", "有效专利达到十九万件")
    problem = next(p for p in only(problems_of(data), "quote_not_found") if p.line == line)
    assert problem.column == "quote"
    message = problem.format("zh")
    assert "000_441aaf94fef735c5.txt" in message and "'十'" in message and "'1'" in message


@pytest.mark.provokes("quote_not_found")
def test_half_width_punctuation_is_not_verbatim(data):
    line = edit(data / "targets.csv", "到2020年培育20个市级版权示范单位（园区）", "到2020年培育20个市级版权示范单位(园区)")
    problem = next(p for p in only(problems_of(data), "quote_not_found") if p.line == line)
    assert "'（'" in problem.format() and "'('" in problem.format()


@pytest.mark.provokes("value_mismatch")
def test_value_the_quote_does_not_support(data):
    line = edit(data / "targets.csv", ",190000,19万件,", ",180000,19万件,")
    problem = only(problems_of(data), "value_mismatch")[0]
    assert (problem.line, problem.column) == (line, "target_value")
    assert "value_text '19万件' reads as 190000, but target_value is 180000" in problem.format()


@pytest.mark.provokes("value_text_not_in_quote")
def test_value_text_outside_the_quote(data):
    line = edit(data / "outcomes.csv", ",156,exact,156件,", ",156,exact,157件,")
    assert only(problems_of(data), "value_text_not_in_quote")[0].line == line


@pytest.mark.provokes("bound_mismatch")
def test_bound_contradicting_the_quote(data):
    line = edit(data / "targets.csv", ",300,超过300家,more_than,", ",300,超过300家,reach,")
    problem = only(problems_of(data), "bound_mismatch")[0]
    assert (problem.line, problem.column) == (line, "bound")


@pytest.mark.provokes("value_unreadable")
def test_unreadable_value_text(data):
    edit(data / "targets.csv", "培育30家具有影响力的", "培育一批具有影响力的")
    line = edit(data / "targets.csv", ",30,30家,", ",30,一批,")
    assert any(p.line == line and p.column == "value_text" for p in only(problems_of(data), "value_unreadable"))


@pytest.mark.provokes("year_outside")
def test_year_outside_the_plan(data):
    row = "tj2021-t02,tj2021,valid_invention_patents,tianjin,二、指导思想与发展目标 > （三）发展目标,,,,{},"
    line = edit(data / "targets.csv", row.format(2025), row.format(2030))
    problem = only(problems_of(data), "year_outside")[0]
    assert (problem.line, problem.column) == (line, "target_year")
    assert "2021-2025" in problem.format()


@pytest.mark.provokes("year_outside")
def test_outcome_year_after_issue(data):
    row = "tj2021-o09,tj2021,well_known_trademarks,tianjin,{},"
    line = edit(data / "outcomes.csv", row.format(2020), row.format(2022))
    problem = only(problems_of(data), "year_outside")[0]
    assert (problem.line, problem.column) == (line, "year")


@pytest.mark.provokes("formula_mismatch")
def test_derived_value_that_does_not_recompute(data):
    line = edit(data / "outcomes.csv", ",103776,", ",103777,")
    problem = only(problems_of(data), "formula_mismatch")[0]
    assert (problem.line, problem.column) == (line, "value")


@pytest.mark.provokes("formula_mismatch")
def test_a_derived_value_may_differ_from_its_formula_by_rounding_only(data):
    """Derived values are stored to two decimals: tj2021-o02 is 24.4 / 2 = 12.2, so 12.204 is a rounding (0.004) and
    12.25 is a wrong value (0.05)."""
    row = "tj2021-o02,tj2021,invention_patents_per_10k_pop,tianjin,2015,,,{},"
    line = edit(data / "outcomes.csv", row.format("12.2"), row.format("12.204"))
    assert "formula_mismatch" not in {p.key for p in problems_of(data)}
    edit(data / "outcomes.csv", row.format("12.204"), row.format("12.25"))
    problem = only(problems_of(data), "formula_mismatch")[0]
    assert (problem.line, problem.column) == (line, "value")


@pytest.mark.provokes("formula_operand")
def test_formula_must_use_the_quoted_operand(data):
    line = edit(data / "outcomes.csv", "[tj2021-o09] / (1 + 7.59/100)", "[tj2021-o09] / 1.0759")
    assert only(problems_of(data), "formula_operand")[0].line == line


@pytest.mark.provokes("formula_reference")
def test_formula_referencing_an_unknown_outcome(data):
    line = edit(data / "outcomes.csv", "[tj2021-o18] / 3.93", "[tj2021-o99] / 3.93")
    problem = only(problems_of(data), "formula_reference")[0]
    assert problem.line == line and "[tj2021-o99], which is not a row of this table with a value" in problem.format()


@pytest.mark.provokes("baseline_mismatch")
def test_baseline_must_match_its_outcome(data):
    line = edit(data / "targets.csv", ",2020,12654,jh2022-o23,", ",2020,12000,jh2022-o23,")
    problem = only(problems_of(data), "baseline_mismatch")[0]
    assert (problem.line, problem.column) == (line, "baseline_value")


@pytest.mark.provokes("restates_value")
def test_restatement_with_a_different_value_needs_a_registered_problem(data):
    line = edit(data / "targets.csv", ",15000,15000件,reach,level,,jh2022-t01,", ",16000,16000件,reach,level,,jh2022-t01,")
    edit(data / "targets.csv", "全区有效商标注册量达到15000件", "全区有效商标注册量达到16000件")
    assert only(problems_of(data), "restates_value")[0].line == line


@pytest.mark.provokes("checksum", "quote_not_found")
def test_edited_source_fails_its_checksum(data):
    path = data / "sources" / "003_fc6d8c9726315a53.txt"
    path.write_bytes(path.read_bytes().replace("1500家".encode(), "1600家".encode()))
    problems = problems_of(data)
    assert only(problems, "checksum")[0].column == "sha256"
    assert only(problems, "quote_not_found")  # the quotes citing 1500家 no longer match


@pytest.mark.provokes("not_utf8")
def test_gbk_file_from_excel_is_named(data):
    path = data / "milestones.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    problem = only(problems_of(data), "not_utf8")[0]
    assert problem.line == 2  # the first row with Chinese; the header is ASCII
    assert problem.column == "goal_en" or problem.column == "section"
    assert "GBK/GB18030" in problem.format() and "CSV UTF-8" in problem.format()
    assert "另存为“CSV UTF-8（逗号分隔）”" in problem.format("zh")


def test_utf8_with_bom_from_excel_is_accepted(data):
    path = data / "targets.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert problems_of(data) == []


@pytest.mark.provokes("csv_syntax")
def test_malformed_csv_quoting(data):
    path = data / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'broken_row,"closed"then text\n', encoding="utf-8")
    problem = only(problems_of(data), "csv_syntax")[0]
    assert problem.file.endswith("indicators.csv") and problem.line == len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.provokes("field_count")
def test_short_row(data):
    path = data / "indicator_lineage.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("a,narrowed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert only(problems_of(data), "field_count")[0].line == len(lines)


@pytest.mark.provokes("file_missing", "value_mismatch", "formula_mismatch")
def test_all_problems_are_reported_at_once(data):
    (data / "indicator_lineage.csv").unlink()
    edit(data / "targets.csv", ",190000,19万件,", ",180000,19万件,")
    edit(data / "outcomes.csv", ",103776,", ",103777,")
    keys = {p.key for p in problems_of(data)}
    assert {"file_missing", "value_mismatch", "formula_mismatch"} <= keys


def test_validation_never_writes(data):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in data.rglob("*") if p.is_file()}
    edit(data / "targets.csv", ",190000,19万件,", ",180000,19万件,")
    before[data / "targets.csv"] = hashlib.sha256((data / "targets.csv").read_bytes()).hexdigest()
    problems_of(data)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in data.rglob("*") if p.is_file()} == before


def test_load_raises_with_every_problem(data):
    edit(data / "targets.csv", ",190000,19万件,", ",180000,19万件,")
    with pytest.raises(ipanalysis.DataValidationError) as error:
        ipanalysis.load(data)
    assert "targets.csv" in str(error.value) and "180000" in str(error.value)


def run_cli(*args, lang=None):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("IPANALYSIS_LANG", None)
    if lang:
        env["LANG"] = lang
    return subprocess.run([sys.executable, "-m", "ipanalysis", "validate", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=PROJECT_ROOT, env=env, check=False)


def test_cli_exits_zero_on_the_dataset():
    result = run_cli("data")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK data:")


def test_cli_prints_one_located_line_per_problem_in_chinese(data):
    line = edit(data / "targets.csv", ",190000,19万件,", ",180000,19万件,")
    result = run_cli(str(data), "--lang", "zh")
    assert result.returncode == 1
    expected = f"{data}/targets.csv:{line}: target_value: value_text“19万件”读作 190000，但 target_value 为 180000"
    assert result.stdout.splitlines() == [expected]
    assert "\\u" not in result.stdout


def test_cli_follows_a_chinese_locale(data):
    edit(data / "targets.csv", ",190000,19万件,", ",180000,19万件,")
    assert "读作" in run_cli(str(data), lang="zh_CN.UTF-8").stdout


def test_cli_reports_a_missing_folder(tmp_path):
    result = run_cli(str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "datapackage.json:-: -: file is missing" in result.stdout


@pytest.mark.provokes("lineage_mismatch")
def test_indicator_lineage_column_must_match_the_lineage_table(data):
    line = edit(data / "indicators.csv", "narrowed:invention_patents_per_10k_pop;replaced:invention_patents_per_10k_pop",
                "narrowed:invention_patents_per_10k_pop")
    problem = only(problems_of(data), "lineage_mismatch")[0]
    assert (problem.line, problem.column) == (line, "lineage")


@pytest.mark.provokes("unknown_reference")
def test_region_must_be_in_regions_csv(data):
    line = edit(data / "documents.csv", ",district,wuqing,13th,", ",district,wuqin,13th,")
    problem = only(problems_of(data), "unknown_reference")[0]
    assert (problem.file.endswith("documents.csv"), problem.line, problem.column) == (True, line, "region")


@pytest.mark.provokes("level_mismatch")
def test_document_level_must_match_its_region(data):
    line = edit(data / "documents.csv", ",district,wuqing,13th,", ",city,wuqing,13th,")
    problem = only(problems_of(data), "level_mismatch")[0]
    assert (problem.line, problem.column) == (line, "level")
    assert "'district'" in problem.format()


@pytest.mark.provokes("no_parent_plan")
def test_district_plan_needs_a_city_plan_of_its_period(data):
    line = edit(data / "documents.csv", ",district,jinghai,14th,", ",district,jinghai,15th,")
    problem = only(problems_of(data), "no_parent_plan")[0]
    assert (problem.file.endswith("documents.csv"), problem.line, problem.column) == (True, line, "plan_period")
    assert "tianjin" in problem.format() and "15th" in problem.format("zh")


@pytest.mark.provokes("parent_level")
def test_region_must_belong_to_a_higher_level(data):
    line = edit(data / "regions.csv", "tianjin,天津市,Tianjin,city,china", "tianjin,天津市,Tianjin,city,wuqing")
    problem = only(problems_of(data), "parent_level")[0]
    assert (problem.file.endswith("regions.csv"), problem.line, problem.column) == (True, line, "parent_region")


@pytest.mark.provokes("region_mismatch")
def test_only_a_derived_figure_may_describe_a_region_above_its_document(data):
    assert not [p for p in problems_of(data) if p.key == "region_mismatch"]  # the derived national average is allowed
    line = edit(data / "outcomes.csv", "tj2021-o01,tj2021,invention_patents_per_10k_pop,tianjin,",
                "tj2021-o01,tj2021,invention_patents_per_10k_pop,china,")
    problem = only(problems_of(data), "region_mismatch")[0]
    assert (problem.line, problem.column) == (line, "region")


@pytest.mark.provokes("commitment_split")
def test_identical_targets_of_one_government_share_a_commitment(data):
    statement = "reach,level,,,{},,驰名商标达到150件,\ntj2017-t07"
    line = edit(data / "targets.csv", statement.format("c004"), statement.format("c999"))
    problem = only(problems_of(data), "commitment_split")[0]
    assert (problem.line, problem.column) == (line, "commitment_id")
    assert "c004" in problem.format()


@pytest.mark.provokes("commitment_mismatch")
def test_different_targets_do_not_share_a_commitment(data):
    edit(data / "targets.csv", "5万件,reach,level,,,c006,", "5万件,reach,level,,,c007,")
    line = edit(data / "targets.csv", "19万件,reach,level,,,c007,", "19万件,reach,level,,,c007,")
    problem = only(problems_of(data), "commitment_mismatch")[0]
    assert (problem.line, problem.column) == (line, "indicator_id")


@pytest.mark.provokes("commitment_restatement")
def test_a_restatement_shares_its_targets_commitment(data):
    line = edit(data / "targets.csv", "15000件,reach,level,,jh2022-t01,c049,", "15000件,reach,level,,jh2022-t01,c050,")
    problem = only(problems_of(data), "commitment_restatement")[0]
    assert (problem.line, problem.column) == (line, "commitment_id")


@pytest.mark.provokes("alternative_unregistered")
def test_an_alternative_reading_needs_a_registered_problem(data):
    line = edit(data / "outcomes.csv", "false,,p09,trademark_registrations_total,", "false,,,trademark_registrations_total,")
    problem = only(problems_of(data), "alternative_unregistered")[0]
    assert (problem.line, problem.column) == (line, "alternative_indicator_ids")


@pytest.mark.provokes("evidence_not_later")
def test_evidence_must_come_from_a_later_document(data):
    line = edit(data / "milestones.csv", "tj2016-m05,tj2016,", "tj2016-m05,tj2016,")
    edit(data / "milestones.csv", "加快建设华北知识产权运营中心,tj2021,", "加快建设华北知识产权运营中心,tj2016,")
    problem = only(problems_of(data), "evidence_not_later")[0]
    assert (problem.line, problem.column) == (line, "evidence_doc_id")


@pytest.mark.provokes("later_document_exists")
def test_no_later_document_must_be_true(data):
    line = edit(data / "milestones.csv", "tj2021-m01,", "tj2021-m01,")
    text = (data / "milestones.csv").read_text(encoding="utf-8").splitlines()[line - 1]
    edit(data / "milestones.csv", text, text.replace(",not_reported,", ",no_later_document,"))
    problem = only(problems_of(data), "later_document_exists")[0]
    assert (problem.line, problem.column) == (line, "evidence_status") and "jh2022" in problem.format()


@pytest.mark.provokes("formula_syntax")
def test_round_takes_one_argument(data):
    line = edit(data / "outcomes.csv", "round([tj2021-o09] / (1 + 7.59/100))", '"round([tj2021-o09] / (1 + 7.59/100), 1)"')
    assert only(problems_of(data), "formula_syntax")[0].line == line
