"""Documents are data: no document or region is named in the code, a made-up district (tests/fixtures/shili, two plans
with their own source texts) added to a copy of data/ appears in every comparison table, figure, the workbook and
the report, a copy of data/ with a document removed still compares and draws, and an unknown or inconsistent
document is a located validation message."""

import csv
import html
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import openpyxl
import pytest
from folders import FIXTURES_DIR, add_documents, copy_data, read_table, remove_document, write_csv
from matplotlib.text import Text

import ipanalysis
from ipanalysis import plotting, style
from ipanalysis.config import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from ipanalysis.dataset import DataValidationError, load
from ipanalysis.report.catalogue import TABLES, computed_tables
from ipanalysis.report.outputs import write_workbook
from ipanalysis.report.state import Layout

FIXTURE = FIXTURES_DIR / "shili"
CODE_DIR = PROJECT_ROOT / "ipanalysis"


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- nothing hard-coded
def named_in_data() -> set[str]:
    """Every document id and every region id and name of data/ (a name also without its 市/区/省/县 suffix)."""
    names = {row["doc_id"] for row in csv_rows(DATA_DIR / "documents.csv")}
    for region in csv_rows(DATA_DIR / "regions.csv"):
        names |= {region["region_id"], region["name_en"], region["name_zh"], region["name_zh"].rstrip("市区省县")}
    return {name for name in names if len(name) > 1}


def code_lines() -> list[tuple[str, str]]:
    """(place, line) of every line of Python in ipanalysis/ and of every notebook code cell."""
    lines = []
    for path in sorted(CODE_DIR.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            lines.append((f"{path.relative_to(PROJECT_ROOT)}:{number}", line))
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if cell["cell_type"] == "code":
                for number, line in enumerate("".join(cell["source"]).splitlines(), 1):
                    lines.append((f"{path.relative_to(PROJECT_ROOT)}:cell {index}:{number}", line))
    return lines


def test_no_document_or_region_is_named_in_code():
    names = named_in_data()
    # an id or Latin name counts only as a whole word (tianjin_x and TIANJIN count, chinese does not)
    pattern = re.compile("|".join(
        rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])" if name.isascii() else re.escape(name)
        for name in sorted(names, key=len, reverse=True)), re.IGNORECASE)
    hits = [f"{place}: {match.group()}" for place, line in code_lines() for match in pattern.finditer(line)]
    assert not hits, "documents or regions named in code:\n" + "\n".join(hits)


def test_the_grep_finds_what_it_looks_for():
    """The search above sees Python lines and notebook code cells, and would catch an id or a name in them."""
    places = [place for place, _ in code_lines()]
    assert any(place.startswith("ipanalysis/dataset.py:") for place in places)
    assert any(":cell " in place for place in places)
    assert {"tianjin", "天津市", "天津", "Jinghai District", "jh2022"} <= named_in_data()


# -- a copy of data/ with the made-up district added
@pytest.fixture(scope="module")
def added(tmp_path_factory) -> Path:
    folder = copy_data(tmp_path_factory.mktemp("added") / "data")
    assert add_documents(folder, FIXTURE) == NEW_DOCUMENTS
    return folder


NEW_DOCUMENTS = [row["doc_id"] for row in csv_rows(FIXTURE / "documents.csv")]
NEW_REGION = csv_rows(FIXTURE / "regions.csv")[0]
# Figures and tables that show no document or region (and why); every other one must show the new documents.
SHOWS_NO_DOCUMENT = {
    "precoder_agreement": "kappa per estimate and dimension over all units",
    "instruments_by_group": "groups by plan period and level",
    "agencies": "the 15 busiest agencies; the made-up district's two agencies are not among them",
}


def shows_new(text: str) -> list[str]:
    """Which of the new documents, the new region's id or its names a text shows."""
    marks = [*NEW_DOCUMENTS, NEW_REGION["region_id"], NEW_REGION["name_en"], NEW_REGION["name_zh"]]
    return [mark for mark in marks if mark in text]


def test_the_new_documents_validate_with_their_own_file_names(added):
    result = ipanalysis.validate(added)
    assert result.ok, [problem.format() for problem in result.problems]
    files = {row["doc_id"]: row["source_file"] for row in read_table(added, "documents")[1]}
    assert all(not re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", files[doc_id]) for doc_id in NEW_DOCUMENTS)


def test_the_new_documents_are_ordered_labelled_and_paired_from_the_data(added):
    dataset = load(added)
    order = dataset.document_order
    assert set(NEW_DOCUMENTS) <= set(order)
    for doc_id in NEW_DOCUMENTS:  # a district plan: after the city plans of its period, compared with them
        document = dataset.documents.set_index("doc_id").loc[doc_id]
        parents = dataset.parent_documents(doc_id)
        assert parents and all(order.index(parent) < order.index(doc_id) for parent in parents)
        assert set(dataset.documents.set_index("doc_id").loc[parents, "plan_period"]) == {document["plan_period"]}
        assert dataset.document_label(doc_id, "zh") == document["label_zh"]


# The whole build (`python -m ipanalysis report`) of the copy with the made-up district costs about 100 s of CPU
# (185 s on the shared machine), a third of the suite: it runs when this variable is set; otherwise the same tables,
# figures and workbook are made in this process (about 20 s) and the pages are not checked.
FULL_BUILD_VARIABLE = "IPANALYSIS_TEST_ADDED_BUILD"


@dataclass
class Outputs:
    tables: dict[str, str]  # name -> CSV text
    figures: dict[tuple[str, str], tuple[str, str]]  # (name, lang) -> (plotted data as CSV, drawn text)
    workbook: Path
    pages: dict[str, str]  # lang -> HTML (empty without the full build)


@pytest.fixture(scope="module")
def added_outputs(added, tmp_path_factory) -> Outputs:
    if os.environ.get(FULL_BUILD_VARIABLE):
        return built_outputs(added)
    dataset = load(added)
    tables = computed_tables(dataset)
    figures = {}
    with style.context():
        for name, draw in plotting.FIGURES.items():
            for lang in plotting.LANGUAGES:
                figure, data = draw(dataset, lang, plotting.WIDTHS[name])
                drawn = "".join(text.get_text() for text in figure.findobj(Text))
                figures[name, lang] = data.to_csv(index=False), re.sub(r"\s", "", drawn)
                plt.close(figure)
    workbook = tmp_path_factory.mktemp("workbook") / "ipanalysis.xlsx"
    write_workbook(dataset, tables, added, workbook)
    return Outputs({name: table.to_csv(index=False) for name, table in tables.items()}, figures, workbook, {})


def built_outputs(added: Path) -> Outputs:
    """`python -m ipanalysis report --data <copy of data/ with the made-up district>`, into its own folder."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "ipanalysis", "report", "--data", str(added)], capture_output=True,
                            text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"report of data/ with the made-up district: {time.perf_counter() - started:.0f} s")
    out = Layout.for_data(added).out_dir
    assert out == added.parent / "data-report" and not (added / "figures").exists()
    return Outputs(
        {name: (out / "tables" / f"{name}.csv").read_text(encoding="utf-8") for name in TABLES},
        {(name, lang): ((out / "figures" / lang / f"{name}.csv").read_text(encoding="utf-8"),
                        drawn_text(out / "figures" / lang / f"{name}.svg"))
         for name in plotting.FIGURES for lang in plotting.LANGUAGES},
        out / "ipanalysis.xlsx",
        {"en": (out / "index.html").read_text(encoding="utf-8"), "zh": (out / "index.zh.html").read_text(encoding="utf-8")},
    )


def drawn_text(svg: Path) -> str:
    """Every text a figure draws, in drawing order, without white space (a label wrapped over lines reads whole):
    matplotlib writes each text element's content as an XML comment before its glyphs."""
    comments = re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8"), re.DOTALL)
    return re.sub(r"\s", "", html.unescape("".join(comments)))


@pytest.mark.parametrize("name", TABLES)
def test_every_comparison_table_shows_the_new_documents(added_outputs, name):
    if name in SHOWS_NO_DOCUMENT:
        pytest.skip(SHOWS_NO_DOCUMENT[name])
    assert shows_new(added_outputs.tables[name]), f"table {name} shows none of {NEW_DOCUMENTS}"


@pytest.mark.parametrize("lang", plotting.LANGUAGES)
@pytest.mark.parametrize("name", plotting.FIGURES)
def test_every_figure_plots_and_names_the_new_documents(added_outputs, name, lang):
    """The figure's plotted data has the new documents' rows, and its drawing names them (labels or titles)."""
    if name in SHOWS_NO_DOCUMENT:
        pytest.skip(SHOWS_NO_DOCUMENT[name])
    data, drawn = added_outputs.figures[name, lang]
    assert set(shows_new(data)) & {*NEW_DOCUMENTS, NEW_REGION["region_id"]}, f"{lang}/{name}: no new document plotted"
    labels = [row["label_zh" if lang == "zh" else "label_en"] for row in csv_rows(FIXTURE / "documents.csv")]
    names = [re.sub(r"\s", "", name) for name in (*labels, NEW_REGION["name_zh" if lang == "zh" else "name_en"])]
    assert any(name in drawn for name in names), f"{lang}/{name} names no new document"


def test_the_workbook_holds_the_new_documents(added_outputs):
    workbook = openpyxl.load_workbook(added_outputs.workbook, read_only=True)
    found = {}
    for sheet in workbook.worksheets:
        found[sheet.title] = any(shows_new(" ".join(str(value) for value in row if value is not None))
                                 for row in sheet.iter_rows(values_only=True))
    for name in ("documents", "regions", "targets", "outcomes", "policy_units", "panel"):
        assert found[name], name
    for name in TABLES:
        assert found[name] or name in SHOWS_NO_DOCUMENT, name


def test_the_report_shows_the_new_documents_in_both_languages(added_outputs):
    if not added_outputs.pages:
        pytest.skip(f"the pages are built only with {FULL_BUILD_VARIABLE}=1")
    for lang, text in added_outputs.pages.items():
        for row in csv_rows(FIXTURE / "documents.csv"):
            assert row["label_zh" if lang == "zh" else "label_en"] in text, (lang, row["doc_id"])


# -- a copy of data/ with one document removed
@pytest.mark.parametrize("position", [0, -1])
def test_without_a_document_every_table_and_figure_is_computed(tmp_path, position):
    """The first and last document in document order (for data/: a 13th-period city plan and a 14th-period district
    plan) removed with all their rows: the folder validates, every table and figure is made and none shows it."""
    order = load().document_order
    doc_id = order[position]
    folder = copy_data(tmp_path / "data")
    remove_document(folder, doc_id)
    dataset = load(folder)
    assert dataset.document_order == [other for other in order if other != doc_id]
    for name, table in computed_tables(dataset).items():
        assert doc_id not in table.to_csv(index=False), name
    with style.context():
        for name, draw in plotting.FIGURES.items():
            figure, data = draw(dataset, "en", plotting.WIDTHS[name])
            plt.close(figure)
            assert doc_id not in data.to_csv(index=False), name


# -- unknown or inconsistent documents are located messages
def located(problems, key) -> list[tuple[str, int, str]]:
    found = [(Path(p.file).name, p.line, p.column) for p in problems if p.key == key]
    assert found, [p.format() for p in problems]
    return found


def line_of(folder: Path, name: str, doc_id: str) -> int:
    """Line of the file (1-based; a quoted line break counts) where the first row of a table with doc_id starts."""
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        column = next(reader).index("doc_id")
        start = reader.line_num + 1
        for row in reader:
            if row[column] == doc_id:
                return start
            start = reader.line_num + 1
    raise AssertionError(f"no row of {doc_id} in {name}.csv")


@pytest.mark.provokes("no_parent_plan")
def test_a_district_whose_city_has_no_plan_of_its_period_is_located(tmp_path):
    folder = copy_data(tmp_path / "data")
    add_documents(folder, FIXTURE)
    text = (folder / "documents.csv").read_text(encoding="utf-8")
    (folder / "documents.csv").write_text(text.replace(",district,shili,14th,", ",district,shili,15th,"), encoding="utf-8")
    problems = ipanalysis.validate(folder).problems
    assert located(problems, "no_parent_plan") == [("documents.csv", line_of(folder, "documents", NEW_DOCUMENTS[1]),
                                                    "plan_period")]
    assert "15th" in next(p for p in problems if p.key == "no_parent_plan").format("zh")
    with pytest.raises(DataValidationError) as raised:  # what the build and the notebooks meet: no KeyError
        load(folder)
    assert f"documents.csv:{line_of(folder, 'documents', NEW_DOCUMENTS[1])}: plan_period:" in str(raised.value)


@pytest.mark.provokes("unknown_reference")
def test_a_document_of_an_unknown_region_is_located(tmp_path):
    folder = copy_data(tmp_path / "data")
    add_documents(folder, FIXTURE)
    header, rows = read_table(folder, "regions")
    write_csv(folder / "regions.csv", header, [row for row in rows if row["region_id"] != NEW_REGION["region_id"]])
    problems = ipanalysis.validate(folder).problems
    places = located(problems, "unknown_reference")
    for doc_id in NEW_DOCUMENTS:
        assert ("documents.csv", line_of(folder, "documents", doc_id), "region") in places
        assert ("targets.csv", line_of(folder, "targets", doc_id), "region") in places


@pytest.mark.provokes("unknown_reference")
def test_rows_of_an_unknown_document_are_located(tmp_path):
    folder = copy_data(tmp_path / "data")
    add_documents(folder, FIXTURE)
    header, rows = read_table(folder, "documents")
    write_csv(folder / "documents.csv", header, [row for row in rows if row["doc_id"] != NEW_DOCUMENTS[0]])
    places = located(ipanalysis.validate(folder).problems, "unknown_reference")
    for name in ("targets", "outcomes", "milestones", "policy_units"):
        assert (f"{name}.csv", line_of(folder, name, NEW_DOCUMENTS[0]), "doc_id") in places, name
