"""The report: every notebook runs top to bottom in a fresh kernel, failures name notebook and cell, and the
tables, workbook and HTML are complete and byte-identical from build to build."""

import hashlib
import json
import re

import nbformat
import openpyxl
import pytest

import ipanalysis
from ipanalysis import plotting, report
from ipanalysis.column_docs import COLUMNS


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every notebook executed once, figures written to a temporary folder rather than figures/."""
    folder = tmp_path_factory.mktemp("executed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPANALYSIS_FIGURES_DIR", str(folder / "figures"))
        paths = report.execute_notebooks(report.notebook_sources(), folder / "notebooks")
    return folder, paths


def test_notebook_sources_are_clean():
    sources = report.notebook_sources()
    assert [p.name[:2] for p in sources] == ["00", "01", "02", "03", "04", "05"]
    for path in sources:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_every_notebook_runs_in_a_fresh_kernel(executed):
    folder, paths = executed
    assert [p.name for p in paths] == [p.name for p in report.notebook_sources()]
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
        assert outputs and not any(o.output_type == "error" for o in outputs), path.name
        assert "execution" not in json.dumps([cell.metadata for cell in notebook.cells])  # no timing metadata
    assert len(list((folder / "figures" / "zh").glob("*.png"))) == len(plotting.FIGURES)


def test_a_failing_cell_is_named(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")])
    source = tmp_path / "99_broken.ipynb"
    nbformat.write(notebook, source)
    with pytest.raises(report.ReportError, match=r"99_broken.ipynb, cell 1:[\s\S]*ZeroDivisionError"):
        report.execute_notebooks([source], tmp_path / "out")
    assert not (tmp_path / "out" / "99_broken.ipynb").exists()


def test_html_is_complete_self_contained_and_reproducible(executed, dataset, tmp_path):
    _, paths = executed
    report.build_html(paths, dataset, tmp_path / "a.html")
    report.build_html(paths, dataset, tmp_path / "b.html")
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert page == (tmp_path / "b.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert page.count("<img") == len(plotting.FIGURES) and "@font-face" in page
    for heading in ("00 Sources and data", "01 The city", "02 District vs city", "03 Target attainment", "04 Policy instruments",
                    "05 Progress on the 14th-period targets", "Methods", "Appendix: data provenance"):
        assert heading in page
    assert page.count('<a href="#') >= 20
    assert "津政办发〔2016〕82号" in page  # Chinese kept as Chinese


def test_tables_have_the_contract_columns(dataset, tmp_path):
    tables = report.computed_tables(dataset)
    report.write_tables(tables, tmp_path)
    header = (tmp_path / "attainment.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    for column in ("target_id", "doc_id", "indicator_id", "target_value", "outcome_value", "attainment_ratio", "status"):
        assert column in header
    assert {"ambition.csv", "district_vs_city.csv", "attainment.csv"} <= {p.name for p in tmp_path.iterdir()}


def test_workbook_sheets_columns_and_bytes(dataset, tmp_path):
    tables = report.computed_tables(dataset)
    report.write_workbook(dataset, tables, tmp_path / "a.xlsx")
    report.write_workbook(dataset, tables, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    workbook = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert workbook.sheetnames[0] == "columns"
    assert {"targets", "outcomes", "attainment", "ambition", "district_vs_city"} <= set(workbook.sheetnames)
    explained = {(row[0], row[1]) for row in workbook["columns"].iter_rows(min_row=2, values_only=True)}
    for sheet in workbook.sheetnames[1:]:
        header = next(workbook[sheet].iter_rows(max_row=1, values_only=True))
        assert all((sheet, column) in explained for column in header), sheet
    assert workbook["targets"].max_row == len(dataset.targets) + 1
    assert set(COLUMNS) <= set(workbook.sheetnames)


def test_manifest_lists_every_figure_file_in_sha256sum_format(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.png").write_bytes(b"x")
    (tmp_path / "en" / "a.csv").write_bytes(b"y")
    (tmp_path / "en" / "notes.txt").write_bytes(b"not a figure")
    manifest = report.write_manifest(tmp_path).read_text(encoding="utf-8")
    assert manifest.splitlines() == [
        f"{hashlib.sha256(b'y').hexdigest()}  en/a.csv",
        f"{hashlib.sha256(b'x').hexdigest()}  en/a.png",
    ]
