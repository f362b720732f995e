"""The curation workbook and its import: what the workbook offers the curator, and an import that adds only valid
rows, never changes or duplicates existing ones, gives free ids, and leaves the data folder as it was on any failure."""

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

import ipanalysis
from ipanalysis import curation
from ipanalysis.cli import main
from ipanalysis.config import DATA_DIR
from ipanalysis.curation import import_workbook, write_workbook
from ipanalysis.dataset import load
from ipanalysis.extraction import extract, read_source
from ipanalysis.schema import read_datapackage

MADE_UP = Path(__file__).with_name("made_up_plan.txt")
SOURCE_NAME = "mou-shi_14th_ip_plan.txt"


def made_up_workbook(path: Path) -> Path:
    """The workbook the extractor writes for the made-up plan of a new region, xx."""
    extraction = extract(read_source(MADE_UP).text, "xx2021", load(), source_name=SOURCE_NAME)
    extraction.quantities[0].context = "=HYPERLINK(\"http://example.com\")"  # text that looks like a formula
    return write_workbook(extraction, path, DATA_DIR, region="xx")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return made_up_workbook(tmp_path_factory.mktemp("wb") / "xx2021-curation.xlsx")


@pytest.fixture(scope="module")
def filled(workbook) -> Path:
    return curate(workbook, workbook.with_name("filled.xlsx"))


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rows_of(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, cells, strict=False)) for cells in sheet.iter_rows(min_row=2)]


def curate(source: Path, target: Path, edit=None) -> Path:
    """What a curator does: describe the document and its region, keep a few candidates, drop the rest."""
    book = load_workbook(source)
    keep = {"targets": {"6件": "high_value_invention_patents_per_10k_pop"},
            "outcomes": {"8560件": "valid_invention_patents", "2.5倍": "valid_invention_patents",
                         "甲公司、乙公司和丙研究院": "national_ip_advantage_or_demo_enterprises"}}
    for name in ("regions", "documents", "agencies", "targets", "outcomes", "policy_units"):
        for row in rows_of(book[name]):
            if row["include"].value is not None:
                continue
            row["include"].value = "no"
            if name == "regions":
                for column, value in (("include", "yes"), ("name_zh", "某某市"), ("name_en", "Mou City"),
                                      ("level", "city"), ("parent_region", "china")):
                    row[column].value = value
            if name == "agencies":
                for column, value in (("include", "yes"), ("agency_id", "mou_science"), ("name_en", "Science Bureau"),
                                      ("kind", "municipal_department")):
                    row[column].value = value
            if name in keep and row["value_text"].value in keep[name]:
                row["include"].value = "yes"
                row["indicator_id"].value = keep[name][row["value_text"].value]
            if name == "policy_units":
                row["include"].value = "yes"
    for row in rows_of(book["documents"]):
        if row["include"].value == "yes":
            for column, value in (("title_en", "Made-up plan"), ("label_zh", "某某十四五"), ("label_en", "Mou 14th"),
                                  ("issuer_zh", "某某市人民政府办公室"), ("issuer_en", "General Office"), ("level", "city")):
                row[column].value = value
    for row in rows_of(book["policy_codes"]):
        if row["code_id"].value is None:
            row["code_id"].value = "comprehensive" if row["dimension"].value == "value_chain_stage" else "organisation"
            row["justification"].value = "coded by hand"
    if edit:
        edit(book)
    book.save(target)
    return target


def test_workbook_sheets_columns_and_lists(workbook):
    book = load_workbook(workbook)
    schemas = read_datapackage(DATA_DIR / "datapackage.json")
    assert book.sheetnames[0] == "instructions" and {"numbers", "source", *curation.SHEETS} <= set(book.sheetnames)
    instructions = "\n".join(cell.value or "" for cell in book["instructions"]["A"])
    assert "include = yes" in instructions and "整理者决定" in instructions
    header = [cell.value for cell in book["targets"][1]]
    fields = [h for h in header if h != "include" and not h.startswith("[")]
    assert header[0] == "include" and fields == schemas["targets"].field_names
    assert header[header.index("quote") + 1] == "[context]"
    validated = {}
    for validation in book["targets"].data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            validated[header[cell_range.min_col - 1]] = validation.formula1
    assert {"include", "bound", "target_form", "binding", "target_year_inferred", "doc_id", "indicator_id", "region",
            "baseline_outcome_id", "restates_target_id"} <= set(validated)
    assert validated["indicator_id"].startswith("'indicators'!") and validated["baseline_outcome_id"].startswith("'outcomes'!")
    lists = {cell.value for cell in book["lists"]["A"]} | {c.value for col in book["lists"].iter_cols() for c in col}
    assert {"reach", "at_least", "keep_at", "预期性"} <= lists
    target_rows = rows_of(book["targets"])
    assert any(r["value_text"].value == "6件" and r["target_year"].value == "2025" for r in target_rows)
    assert all(cell.data_type == "s" for row in target_rows for cell in row.values() if cell.value is not None)


def test_text_that_looks_like_a_formula_stays_text(workbook):
    book = load_workbook(workbook)
    cells = [cell for sheet in ("targets", "outcomes") for row in book[sheet].iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_workbook_bytes_are_reproducible(workbook, tmp_path):
    assert made_up_workbook(tmp_path / "again.xlsx").read_bytes() == workbook.read_bytes()


def test_import_adds_rows_and_never_duplicates(filled, data):
    before = snapshot(data)
    report = import_workbook(filled, data)
    assert not report.problems, [p.format() for p in report.problems]
    kept = {row["outcome_id"].value for row in rows_of(load_workbook(filled)["outcomes"]) if row["include"].value == "yes"}
    assert report.added["targets.csv"] == ["xx2021-t01"] and set(report.added["outcomes.csv"]) == kept  # free ids kept
    after = snapshot(data)
    for name, content in before.items():
        assert after[name].startswith(content), f"{name}: existing bytes changed"
    assert after[f"sources/{SOURCE_NAME}"] == MADE_UP.read_bytes()
    dataset = load(data)
    assert "xx2021" in set(dataset.documents["doc_id"]) and dataset.region_name("xx", "en") == "Mou City"
    commitments = dataset.targets.set_index("target_id")["commitment_id"]
    assert commitments["xx2021-t01"] not in set(commitments.drop("xx2021-t01"))  # a new commitment of its own
    derived = dataset.outcomes.set_index("outcome_id").loc["xx2021-o04"]
    assert derived["formula"] == "[xx2021-o03] / 2.5" and derived["value"] == 3424
    again = import_workbook(filled, data)
    assert not again.problems and not again.added and snapshot(data) == after
    assert ("filled.xlsx[targets]", 2, "xx2021-t01", []) in again.present
    assert any("already present" in line for line in again.summary("en"))
    assert any("已存在" in line for line in again.summary("zh"))


def test_import_reports_located_problems_and_writes_nothing(workbook, data, tmp_path):
    def break_rows(book):
        targets = rows_of(book["targets"])
        kept = next(r for r in targets if r["include"].value == "yes")
        kept["target_value"].value = "7"
        kept["notes"].value = "=1+1"
        targets[-1]["include"].value = None

    filled = curate(workbook, tmp_path / "broken.xlsx", break_rows)
    before = snapshot(data)
    report = import_workbook(filled, data)
    located = {(p.file, p.column, p.key) for p in report.problems}
    assert ("broken.xlsx[targets]", "target_value", "value_mismatch") in located
    assert ("broken.xlsx[targets]", "notes", "cell_formula") in located
    assert ("broken.xlsx[targets]", "include", "include_undecided") in located
    mismatch = next(p for p in report.problems if p.key == "value_mismatch")
    assert mismatch.line == 2 and mismatch.format("en").startswith("broken.xlsx[targets]:2: target_value: value_text '6件'")
    assert "读作" in mismatch.format("zh")
    assert not report.written and snapshot(data) == before


def test_import_is_all_or_nothing(filled, data, monkeypatch):
    before = snapshot(data)
    real_replace, calls = curation.os.replace, []

    def failing_replace(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(curation.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        import_workbook(filled, data)
    assert len(calls) == 3 and snapshot(data) == before


def test_taken_ids_are_renumbered_and_references_follow(workbook, data, tmp_path):
    def take_ids(book):
        outcomes = rows_of(book["outcomes"])
        base = next(r for r in outcomes if r["value_text"].value == "8560件")
        derived = next(r for r in outcomes if r["value_text"].value == "2.5倍")
        base["outcome_id"].value = "tj2021-o01"  # an existing outcome's id
        derived["formula"].value = "[tj2021-o01] / 2.5"

    report = import_workbook(curate(workbook, tmp_path / "taken.xlsx", take_ids), data)
    assert not report.problems, [p.format() for p in report.problems]
    renamed = {(old, new) for _, _, old, new in report.renamed}
    assert ("tj2021-o01", "xx2021-o01") in renamed
    outcomes = load(data).outcomes.set_index("outcome_id")
    assert outcomes.loc["xx2021-o04", "formula"] == "[xx2021-o01] / 2.5"
    assert outcomes.loc["tj2021-o01", "doc_id"] == "tj2021"


def test_existing_row_with_other_values_is_refused(workbook, data, tmp_path):
    def change_region(book):
        row = next(r for r in rows_of(book["regions"]) if r["region_id"].value == "tianjin")
        row["include"].value = "yes"
        row["name_en"].value = "Tientsin"

    report = import_workbook(curate(workbook, tmp_path / "changed.xlsx", change_region), data)
    problem = next(p for p in report.problems if p.key == "id_changed")
    assert problem.file == "changed.xlsx[regions]" and "name_en" in problem.format("en")


def test_data_csvs_follow_the_convention_imports_append_in():
    """Appended rows are written with csv.writer(lineterminator='\\n'); every data file must read back identically."""
    for path in sorted(DATA_DIR.glob("*.csv")):
        text = path.read_bytes().decode("utf-8")
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(csv.reader(io.StringIO(text, newline="")))
        assert buffer.getvalue() == text, path.name


def test_unreadable_workbook_is_a_problem(tmp_path, data):
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a workbook", encoding="utf-8")
    report = import_workbook(bogus, data)
    assert [p.key for p in report.problems] == ["workbook_unreadable"]
    assert ipanalysis.validate(data).ok


def test_command_line(tmp_path, data, capsys):
    out = tmp_path / "cli.xlsx"
    assert main(["extract", str(MADE_UP), "--doc-id", "xx2021", "--out", str(out), "--data", str(data)]) == 0
    assert out.exists() and capsys.readouterr().out.strip().endswith(f"-> {out}")
    assert main(["import", str(out), str(data), "--lang", "zh"]) == 1  # nothing decided yet
    assert "cli.xlsx[targets]:2: include: include 为空" in capsys.readouterr().out
    assert main(["extract", str(MADE_UP), "--doc-id", "XX", "--out", str(tmp_path / "no.xlsx")]) == 1
    assert "does not have the expected form" in capsys.readouterr().err and not (tmp_path / "no.xlsx").exists()


def test_commitments_follow_the_contract_rule():
    """Empty commitment ids: an identical target of the same government and year shares its commitment, a restatement
    shares its canonical target's, anything else gets a new one; a typed id stays."""
    schema = read_datapackage(DATA_DIR / "datapackage.json")["targets"]
    existing = curation._raw_rows(DATA_DIR / "targets.csv")
    same = dict(existing[0], target_id="xx2021-t01", doc_id="xx2021", commitment_id="")
    other = dict(same, target_id="xx2021-t02", target_value="19")
    restating = dict(other, target_id="xx2021-t03", restates_target_id="xx2021-t02")
    typed = dict(other, target_id="xx2021-t04", target_value="20", commitment_id="c900")
    rows = [curation.WorkbookRow("targets", n, values) for n, values in enumerate((restating, same, other, typed), 2)]
    curation._assign_commitments(rows, existing, schema)
    got = {row.values["target_id"]: row.values["commitment_id"] for row in rows}
    assert got["xx2021-t01"] == existing[0]["commitment_id"]
    assert got["xx2021-t02"] == got["xx2021-t03"] == "c901" and got["xx2021-t04"] == "c900"
