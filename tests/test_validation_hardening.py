"""Hostile or damaged input (issue 11): never a traceback, never a file read outside the data folder, never a live
spreadsheet formula; a located message naming the root cause first."""

import json
import shutil
from pathlib import Path

import pytest
from folders import build
from test_validation import edit, only, problems_of

import ipanalysis
from ipanalysis import tables, validation
from ipanalysis.config import DATA_DIR
from ipanalysis.messages import Text
from ipanalysis.schema import ContractError, read_datapackage


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def set_in_package(data: Path, change) -> str:
    """Apply change(package) to datapackage.json (written indented, as in the project); return the new text."""
    path = data / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def resource(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


def field(package: dict, table: str, name: str) -> dict:
    return next(f for f in resource(package, table)["schema"]["fields"] if f["name"] == name)


def line_of(text: str, fragment: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(fragment, start)].count("\n") + 1


# -- formula injection
NAME_EN = "well_known_trademarks,驰名商标,Well-known trademarks (China),"


@pytest.mark.provokes("formula_like")
@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+1+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "\nx", "-"])
def test_text_that_a_spreadsheet_would_run_is_refused(data, value):
    line = edit(data / "indicators.csv", NAME_EN, 'well_known_trademarks,驰名商标,"' + value.replace('"', '""') + '",')
    problem = next(p for p in only(problems_of(data), "formula_like") if p.line == line)
    assert problem.column == "name_en"
    shown = repr(value[0]).replace("\\r", "\\n")  # a carriage return is read as a line break
    assert f"starts with {shown}, which a spreadsheet runs as a formula" in problem.format()
    assert "电子表格会把它当作公式执行" in problem.format("zh")
    assert "\t" not in problem.format() and "\r" not in problem.format()


def test_a_negative_number_written_as_text_is_not_a_formula(data):
    edit(data / "indicators.csv", NAME_EN, "well_known_trademarks,驰名商标,-5 trademarks,")
    assert problems_of(data) == []


def test_load_refuses_a_formula_before_anything_is_written(data):
    edit(data / "indicators.csv", NAME_EN, 'well_known_trademarks,驰名商标,"=HYPERLINK(""http://x"")",')
    with pytest.raises(ipanalysis.DataValidationError, match="runs as a formula"):
        ipanalysis.load(data)


# -- nothing outside the data folder is read
@pytest.mark.provokes("resource_path_outside")
@pytest.mark.parametrize("path", ["../../../../etc/passwd", "/etc/passwd", "sub/../../x.csv", "C:\\\\x.csv"])
def test_a_resource_path_outside_the_folder_is_refused_unread(data, path):
    text = set_in_package(data, lambda package: resource(package, "agencies").update(path=path))
    problems = problems_of(data)
    problem = only(problems, "resource_path_outside")[0]
    assert problem.file.endswith("datapackage.json") and problem.column == "agencies.path"
    assert problem.line == line_of(text, '"path"', after='"name": "agencies"')
    assert not any("root:" in p.format() for p in problems)


@pytest.mark.provokes("resource_path_outside")
def test_a_table_linking_out_of_the_folder_is_not_read(data, tmp_path):
    outside = tmp_path / "outside.csv"
    shutil.copy(data / "agencies.csv", outside)
    (data / "agencies.csv").unlink()
    (data / "agencies.csv").symlink_to(outside)
    problem = only(problems_of(data), "resource_path_outside")[0]
    assert problem.file.endswith("agencies.csv")


@pytest.mark.provokes("unsafe_file_name")
@pytest.mark.parametrize("linked", ["sources/003_fc6d8c9726315a53.txt", "sources", "snapshots"])
def test_a_source_or_snapshot_linking_out_of_the_folder_is_not_read(data, tmp_path, linked):
    """A linked file or a linked sources/ or snapshots/ folder leading out of the data folder is refused, unread."""
    outside = tmp_path / "outside"
    shutil.move(data / linked, outside)
    (data / linked).symlink_to(outside)
    problems = only(problems_of(data), "unsafe_file_name")
    table = "observation_sources.csv" if linked == "snapshots" else "documents.csv"
    assert problems and all(p.file.endswith(table) and "no link leading out of the data folder" in p.format() for p in problems)


def test_a_link_inside_the_data_folder_is_followed(data):
    (data / "texts").mkdir()
    shutil.move(data / "sources" / "003_fc6d8c9726315a53.txt", data / "texts" / "003.txt")
    (data / "sources" / "003_fc6d8c9726315a53.txt").symlink_to(data / "texts" / "003.txt")
    assert problems_of(data) == []


def test_read_datapackage_raises_a_value_error_for_its_other_callers(data):
    set_in_package(data, lambda package: resource(package, "agencies").update(path="../x.csv"))
    with pytest.raises(ContractError) as error:
        read_datapackage(data / "datapackage.json")
    assert isinstance(error.value, ValueError) and "agencies.path" in str(error.value)


# -- the contract itself is validated, with located messages
@pytest.mark.provokes("contract_unknown_type")
def test_unknown_field_type(data):
    text = set_in_package(data, lambda package: field(package, "targets", "bound").update(type="text"))
    problem = only(problems_of(data), "contract_unknown_type")[0]
    assert (problem.line, problem.column) == (line_of(text, '"type": "text"'), "targets.bound.type")
    assert "field type 'text' is not one of: string, integer, number, boolean, year" in problem.format()


@pytest.mark.provokes("contract_bad_pattern")
def test_invalid_regular_expression(data):
    text = set_in_package(data, lambda package: field(package, "targets", "target_id")["constraints"].update(pattern="^[a-z"))
    problem = only(problems_of(data), "contract_bad_pattern")[0]
    assert problem.line == line_of(text, '"pattern": "^[a-z"') and problem.column == "targets.target_id.constraints.pattern"
    assert "not a valid regular expression" in problem.format() and "不是有效的正则表达式" in problem.format("zh")


@pytest.mark.provokes("contract_wrong_type")
@pytest.mark.parametrize(("change", "column", "expected"), [
    (lambda p: field(p, "targets", "target_value")["constraints"].update(minimum="0"),
     "targets.target_value.constraints.minimum", "'minimum' must be a number, not a string: \"0\""),
    (lambda p: field(p, "targets", "quote")["constraints"].update(required="yes"),
     "targets.quote.constraints.required", "'required' must be true or false, not a string"),
    (lambda p: resource(p, "agencies")["schema"].update(fields=["agency_id", "name_zh"]),
     "agencies.fields[0]", "must be an object {…}, not a string: \"agency_id\""),
    (lambda p: resource(p, "agencies").update(schema=[]), "agencies.schema", "'schema' must be an object {…}, not a list"),
])
def test_a_value_of_the_wrong_kind(data, change, column, expected):
    set_in_package(data, change)
    problems = only(problems_of(data), "contract_wrong_type")
    assert any(p.column == column and expected in p.format() and p.line for p in problems), [p.format() for p in problems]


@pytest.mark.provokes("contract_missing_key")
@pytest.mark.parametrize(("key", "column"), [("path", "agencies"), ("schema", "agencies"), ("name", "resources[{}]")])
def test_a_resource_without_a_required_key(data, key, column):
    def drop(package):
        nonlocal column
        column = column.format(package["resources"].index(resource(package, "agencies")))
        resource(package, "agencies").pop(key)

    set_in_package(data, drop)
    problem = only(problems_of(data), "contract_missing_key")[0]
    assert problem.column == column and f"'{key}' is missing" in problem.format() and problem.line


@pytest.mark.provokes("contract_constraint")
def test_a_constraint_that_does_not_fit_the_type(data):
    set_in_package(data, lambda package: field(package, "targets", "quote")["constraints"].update(minimum=0))
    problem = only(problems_of(data), "contract_constraint")[0]
    assert "constraint 'minimum' does not apply to a string field" in problem.format()


@pytest.mark.provokes("contract_reference")
def test_a_foreign_key_to_an_undeclared_resource(data):
    set_in_package(data, lambda package: resource(package, "targets")["schema"]["foreignKeys"][0]["reference"].update(
        resource="documentz"))
    problem = only(problems_of(data), "contract_reference")[0]
    assert "refers to documentz.doc_id, which the descriptor does not declare" in problem.format()


@pytest.mark.provokes("contract_duplicate")
@pytest.mark.parametrize(("duplicate", "column", "what"), [
    (lambda p: resource(p, "targets")["schema"]["fields"].append(dict(field(p, "targets", "bound"))), "targets.bound", "field"),
    (lambda p: p["resources"].append(dict(resource(p, "agencies"))), "agencies", "resource"),
])
def test_a_name_declared_twice(data, duplicate, column, what):
    text = set_in_package(data, duplicate)
    problem = only(problems_of(data), "contract_duplicate")[0]
    name = column.split(".")[-1]
    first = line_of(text, f'"name": "{name}"', after='"name": "targets"' if what == "field" else "")
    assert problem.column == column and f"{what} '{name}' is declared twice (first on line {first})" in problem.format()


@pytest.mark.provokes("contract_wrong_type")
@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_numbers_of_the_contract(data, constant):
    text = set_in_package(data, lambda package: field(package, "targets", "target_value")["constraints"].update(minimum=0))
    (data / "datapackage.json").write_text(text.replace('"minimum": 0', f'"minimum": {constant}', 1), encoding="utf-8")
    problem = only(problems_of(data), "contract_wrong_type")[0]
    assert problem.column == "targets.target_value.constraints.minimum"
    assert "must be a number, not NaN or Infinity, which JSON does not allow" in problem.format()


@pytest.mark.provokes("datapackage_invalid")
@pytest.mark.parametrize("text", ["[" * 100_000, '{"a": ' * 5000 + "1" + "}" * 5000])
def test_json_nested_too_deeply_is_a_message(data, text):
    (data / "datapackage.json").write_text(text, encoding="utf-8")
    problem = only(problems_of(data), "datapackage_invalid")[0]
    assert "nested too deeply" in problem.format()


@pytest.mark.provokes("contract_wrong_type")
@pytest.mark.parametrize("package", ["null", "5", '"resources"', "[]"])
def test_a_descriptor_that_is_not_an_object(data, package):
    (data / "datapackage.json").write_text(package, encoding="utf-8")
    assert "must be an object" in only(problems_of(data), "contract_wrong_type")[0].format()


@pytest.mark.provokes("datapackage_invalid")
def test_json_syntax_error_is_located(data):
    path = data / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"name": "targets",', '"name": "targets"', 1), encoding="utf-8")
    problem = only(problems_of(data), "datapackage_invalid")[0]
    assert problem.line == line_of(text, '"name": "targets",') + 1 and "delimiter" in problem.format()


# -- a bad cell leaves None, and no rule may trip over it
def test_an_invalid_cell_in_any_column_is_a_message_not_a_traceback(monkeypatch):
    """A cell that breaks its type is reported and read as None; every rule must bear that (a full-width date in
    documents.date_issued crashed the milestone rule). Each column of each table in turn is made invalid in every row
    (the tables are read once; each run gets them with that column emptied and one problem per row)."""
    read_table = validation.read_table
    read: dict[str, tables.Table] = {}
    broken = ("", "")

    def read_with_broken_column(data_dir, schema, log):
        if schema.name not in read:
            read[schema.name] = read_table(data_dir, schema, log)
        table = read[schema.name]
        if schema.name != broken[0]:
            return table
        type_name = Text(f"type_{schema.field(broken[1]).type}")
        for row in table.rows:
            log.add(table.file, row.line, broken[1], "type", value="x", type_name=type_name)
        return tables.Table(table.schema, table.file, [tables.Row(r.line, {**r.values, broken[1]: None}) for r in table.rows])

    monkeypatch.setattr(validation, "read_table", read_with_broken_column)
    crashed = []
    for name, schema in read_datapackage(DATA_DIR / "datapackage.json").items():
        for column in schema.field_names:
            broken = (name, column)
            try:
                problems_of(DATA_DIR)
            except Exception as error:  # every crash is collected, then shown together
                crashed.append(f"{name}.{column}: {error!r}")
    assert crashed == []


# -- files that cannot be read
@pytest.mark.provokes("file_unreadable")
def test_an_unreadable_source_document(data, monkeypatch):
    source = data / "sources" / "003_fc6d8c9726315a53.txt"
    read_bytes = Path.read_bytes

    def refuse(path):
        if path == source:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root ignores chmod, so the refusal is simulated
    problem = only(problems_of(data), "file_unreadable")[0]
    assert problem.file.endswith("documents.csv") and problem.column == "source_file"
    assert "003_fc6d8c9726315a53.txt: Permission denied" in problem.format()


@pytest.mark.provokes("not_utf8")
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_is_named_without_printing_nul(data, encoding):
    path = data / "milestones.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    problem = only(problems_of(data), "not_utf8")[0]
    assert problem.file.endswith("milestones.csv") and problem.line == 1
    assert "UTF-16" in problem.format() and "UTF-16" in problem.format("zh")
    assert "\x00" not in problem.format() and "\x00" not in problem.format("zh")


@pytest.mark.provokes("not_utf8")
def test_utf16_source_document(data):
    path = data / "sources" / "003_fc6d8c9726315a53.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    problem = next(p for p in only(problems_of(data), "not_utf8") if p.file.endswith("documents.csv"))
    assert "UTF-16" in problem.format() and "\x00" not in problem.format()


def test_control_characters_in_values_are_printed_escaped(data):
    edit(data / "targets.csv", ",190000,19万件,", ",190000,19万\x00件,")
    assert all("\x00" not in p.format() for p in problems_of(data))


# -- formulas that would exhaust the stack or overflow
O18 = "[tj2021-o18] / 3.93"


@pytest.mark.parametrize(("formula", "kind"), [
    pytest.param("1" * 400 + " / 3.93", "formula_number_too_long", marks=pytest.mark.provokes("formula_number_too_long")),
    pytest.param(O18 + " + 1" * 3000, "formula_too_long", marks=pytest.mark.provokes("formula_too_long")),
    pytest.param("1 * " + "-" * 5000 + O18, "formula_too_long", marks=pytest.mark.provokes("formula_too_long")),
    pytest.param("(" * 150 + O18 + ")" * 150, "formula_too_long", marks=pytest.mark.provokes("formula_too_long")),
    pytest.param("[tj2021-o18] / (3.93 - 3.93)", "formula_division_by_zero",
                 marks=pytest.mark.provokes("formula_division_by_zero")),
    pytest.param("round([tj2021-o18] * 1e308 * 1e308)", "formula_overflow", marks=pytest.mark.provokes("formula_overflow")),
    pytest.param("[tj2021-o18] * 1e308 - 1e308 * 1e308", "formula_overflow", marks=pytest.mark.provokes("formula_overflow")),
    pytest.param("__import__('os').system('true') or 3.93", "formula_syntax", marks=pytest.mark.provokes("formula_syntax")),
    pytest.param("[tj2021-o18] ** 3.93", "formula_syntax", marks=pytest.mark.provokes("formula_syntax")),
    pytest.param(O18 + " +", "formula_syntax", marks=pytest.mark.provokes("formula_syntax")),
])
def test_pathological_formulas_get_a_located_message(data, formula, kind):
    line = edit(data / "outcomes.csv", O18, formula)
    problem = only(problems_of(data), kind)[0]
    assert (problem.line, problem.column) == (line, "formula")
    assert problem.message("zh") != problem.message("en")


def test_a_deep_formula_within_the_limit_is_computed(data):
    edit(data / "outcomes.csv", O18, "1 * " + "-" * 100 + O18)
    assert [p.key for p in problems_of(data)] == []


@pytest.mark.provokes("value_unreadable")
def test_a_400_digit_value_text_is_unreadable_not_an_overflow(data):
    line = edit(data / "targets.csv", ",190000,19万件,", ",190000," + "1" * 400 + "件,")
    problems = problems_of(data)
    assert any(p.line == line and p.key == "value_text_not_in_quote" for p in problems)
    edit(data / "targets.csv", "有效专利达到19万件", "有效专利达到" + "1" * 400 + "件")
    assert any(p.line == line and p.key == "value_unreadable" for p in problems_of(data))


@pytest.mark.provokes("type")
@pytest.mark.parametrize("number", ["1e999", "-1e400", "9" * 400])
def test_a_number_too_large_for_a_float_is_not_a_number(data, number):
    line = edit(data / "targets.csv", ",190000,19万件,", f",{number},19万件,")
    assert any(p.line == line and p.column == "target_value" for p in only(problems_of(data), "type"))


# -- digits that are not 0-9
@pytest.mark.provokes("non_ascii_digit")
@pytest.mark.parametrize(("old", "new", "column", "char", "name"), [
    (",2020,false,,,190000,", ",２０２０,false,,,190000,", "target_year", "２", "FULLWIDTH DIGIT TWO"),
    (",2020,false,,,190000,", ",٢٠٢٠,false,,,190000,", "target_year", "٢", "ARABIC-INDIC DIGIT TWO"),
    (",190000,19万件,", ",１90000,19万件,", "target_value", "１", "FULLWIDTH DIGIT ONE"),
    ("tj2017-t03,tj2017,", "tj２017-t03,tj2017,", "target_id", "２", "FULLWIDTH DIGIT TWO"),
])
def test_digits_that_are_not_ascii_are_named(data, old, new, column, char, name):
    line = edit(data / "targets.csv", old, new)
    problem = next(p for p in only(problems_of(data), "non_ascii_digit") if p.line == line)
    assert problem.column == column
    assert f"contains '{char}' ({name}), which is not an ASCII digit" in problem.format()
    assert f"含有“{char}”" in problem.format("zh")


# -- line endings
@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_are_accepted(data, ending):
    for path in data.glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\n", ending.encode()))
    assert [p.format() for p in problems_of(data)] == []


# -- an unclosed quote costs one row, reported where it opens
@pytest.mark.provokes("unclosed_quote")
def test_an_unclosed_quote_is_reported_where_it_opens(data):
    path = data / "targets.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("tj2017-t14,"))
    assert lines[number - 1].endswith('"')
    lines[number - 1] = lines[number - 1][:-1]
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = problems_of(data)
    assert (problems[0].key, problems[0].line, problems[0].column) == ("unclosed_quote", number, "notes")
    assert f"field {lines[0].split(',').index('notes') + 1}" in problems[0].format()
    assert len(problems) <= 3, [p.format() for p in problems]


@pytest.mark.provokes("unclosed_quote")
@pytest.mark.parametrize("table", ["targets", "regions", "policy_units"])
def test_an_unclosed_quote_in_the_header_makes_the_table_unread_not_every_column_unknown(data, table):
    path = data / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",", ',"', 1), encoding="utf-8")
    problems = problems_of(data)
    assert (problems[0].key, problems[0].line, problems[0].file) == ("unclosed_quote", 1, str(path))
    assert not [p for p in problems if p.key in ("unknown_column", "missing_column", "unknown_reference")], \
        [p.format() for p in problems]


# -- root causes before their knock-on errors
@pytest.mark.provokes("pattern", "unknown_reference")
def test_the_root_cause_comes_before_its_knock_on_errors(data):
    edit(data / "targets.csv", "tj2016-t05,tj2016,", "tj2016-T05,tj2016,")
    keys = [p.key for p in problems_of(data)]
    assert keys[0] == "pattern" and "unknown_reference" in keys[1:]


@pytest.mark.provokes("not_utf8")
def test_a_table_that_cannot_be_read_does_not_make_every_id_unknown(data):
    path = data / "outcomes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    problems = problems_of(data)
    assert problems[0].key == "not_utf8" and problems[0].file.endswith("outcomes.csv")
    assert not [p for p in problems if p.column == "affects"]


# -- any safe source file name (issue 8)
def test_a_document_may_keep_its_own_file_name(data):
    name = "天津市知识产权“十四五”规划 (2021).txt"
    (data / "sources" / "001_14c97296e75cca1d.txt").rename(data / "sources" / name)
    edit(data / "documents.csv", "001_14c97296e75cca1d.txt", name)
    assert problems_of(data) == []


@pytest.mark.provokes("unsafe_file_name")
@pytest.mark.parametrize("name", ["../datapackage.json", "..", "sub/001.txt", "sub\\001.txt", "C:001.txt"])
def test_a_source_file_name_that_leaves_the_folder_is_refused(data, name):
    line = edit(data / "documents.csv", "001_14c97296e75cca1d.txt", name)
    problem = only(problems_of(data), "unsafe_file_name")[0]
    assert (problem.line, problem.column) == (line, "source_file")


def test_small_contract_folders_still_validate(tmp_path):
    """The folder builder of these tests keeps the contract valid when it drops resources."""
    data = build(tmp_path / "data", {"agencies": [{"agency_id": "ipo", "name_zh": "市知识产权局", "name_en": "IP office",
                                                   "kind": "municipal_department"}]})
    assert problems_of(data) == []
