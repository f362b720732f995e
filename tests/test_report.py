"""The build (make report): the session's clean build (report_build in conftest.py: a copy of data/ in a folder whose
name has a space, through the command line, with an unusable home folder) is checked against the committed figures
and for every safety property; failures, Ctrl-C and the no-op check are tried on its outputs."""

import dataclasses
import html
import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat
import openpyxl
import psutil
import pytest

import ipanalysis
from ipanalysis import csvfiles, plotting
from ipanalysis.config import DATA_DIR, FIGURES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from ipanalysis.display import BUILD_DIR_VARIABLE, MIME
from ipanalysis.report import build, figures, outputs, page, state
from ipanalysis.report.catalogue import computed_tables
from ipanalysis.report.notebooks import NotebookError, execute_notebooks

TEXT_SUFFIXES = {".html", ".csv", ".ipynb", ".json", ".sha256", ".svg", ".txt", ".md"}


def run_cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ipanalysis", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=PROJECT_ROOT,
        **kwargs,
    )


def output_files(layout: state.Layout) -> list[Path]:
    return [path for path in layout.out_dir.rglob("*") if path.is_file()]


# -- the clean build
def test_a_data_folder_builds_into_its_own_output_folder(report_build):
    layout = report_build.layout
    assert layout.out_dir == layout.data_dir.parent / "my data-report"
    for name in ("index.html", "ipanalysis.xlsx", "BUILD.json", "figures/MANIFEST.sha256", "tables/attainment.csv"):
        assert (layout.out_dir / name).is_file(), name
    executed = sorted(p.name for p in (layout.out_dir / "notebooks").iterdir())
    assert executed == [p.name for p in state.notebook_sources(NOTEBOOKS_DIR)]
    assert not build.staging_folder(layout).exists()


def test_an_output_folder_inside_the_data_folder_is_refused(report_build):
    result = run_cli("report", "--data", str(report_build.layout.data_dir), "--out", str(report_build.layout.data_dir / "out"))
    assert result.returncode == 1 and "inside the data folder" in result.stderr and "Traceback" not in result.stderr
    assert not (report_build.layout.data_dir / "out").exists()


def test_committed_figures_match_a_clean_rebuild(report_build):
    """The CI check of figures/: make verify's comparison, run on the clean build of make test."""
    assert figures.compare_figures(report_build.layout.figures_dir, FIGURES_DIR) == []


def test_figure_comparison_finds_changed_missing_and_extra_files(tmp_path):
    for side in ("a", "b"):
        for lang in plotting.LANGUAGES:
            (tmp_path / side / lang).mkdir(parents=True)
            (tmp_path / side / lang / "x.png").write_bytes(b"x")
        figures.write_manifest(tmp_path / side)
    assert figures.compare_figures(tmp_path / "a", tmp_path / "b") == []
    (tmp_path / "a" / "en" / "x.png").write_bytes(b"y")
    (tmp_path / "a" / "zh" / "new.svg").write_bytes(b"n")
    (tmp_path / "b" / "zh" / "x.png").unlink()
    figures.write_manifest(tmp_path / "a")
    assert figures.compare_figures(tmp_path / "a", tmp_path / "b") == [
        "en/x.png: bytes differ",
        "zh/new.svg: built but not committed",
        "zh/x.png: built but not committed",
        "MANIFEST.sha256: differs",
    ]
    assert figures.compare_figures(tmp_path / "b", tmp_path / "a")[2] == "zh/x.png: committed but no longer built"


def test_outputs_hold_no_machine_path_or_home_folder(report_build):
    layout = report_build.layout
    forbidden = {str(PROJECT_ROOT), str(layout.data_dir), str(layout.out_dir), str(Path.home()), os.environ.get("HOME", "~"),
                 tempfile.gettempdir() + "/", "site-packages", ".venv/"}
    forbidden.discard("/")
    for path in output_files(layout):
        if path.suffix in TEXT_SUFFIXES:
            texts = [path.read_text(encoding="utf-8")]
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                texts = [workbook.read(name).decode("utf-8") for name in workbook.namelist()]
        else:
            texts = [path.read_bytes().decode("latin-1")]
        for text in texts:
            for machine_path in forbidden:
                assert machine_path not in text, (path.name, machine_path)
    assert "Matplotlib" not in report_build.stderr and "Warning" not in report_build.stderr, report_build.stderr


def test_every_notebook_ran_and_shows_the_built_figures(report_build):
    layout = report_build.layout
    shown = []
    for path in sorted((layout.out_dir / "notebooks").iterdir()):
        notebook = nbformat.read(path, as_version=4)
        outputs_ = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
        assert outputs_ and not any(o.output_type in ("error", "stream") for o in outputs_), path.name
        assert "execution" not in json.dumps([cell.metadata for cell in notebook.cells])  # no timing metadata
        for output in outputs_:
            bundle = output.get("data", {}).get(MIME)
            if bundle and bundle["kind"] == "figure":
                shown.append(bundle["name"])
                assert output.data["text/html"] == page.figure_html(layout.out_dir, bundle["en"])
    assert sorted(shown) == sorted(plotting.FIGURES)


def test_page_is_complete_and_self_contained(report_build):
    text = (report_build.layout.out_dir / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert text.count("<img") == len(plotting.FIGURES) and "@font-face" in text
    assert re.findall(r"<strong>Figure (\d+)\.</strong>", text) == [str(n) for n in range(1, len(plotting.FIGURES) + 1)]
    caption = plotting.read_caption(FIGURES_DIR / "zh" / "attainment.caption.json")
    assert caption.title not in text  # the English page shows the English captions
    assert html.escape(plotting.read_caption(FIGURES_DIR / "en" / "attainment.caption.json").alt) in text
    for heading in ("00 Sources and data", "01 City IP goals", "02 District vs city", "03 Target attainment",
                    "04 Policy instruments", "05 Progress on the 14th-period targets", "Methods", "Appendix: data provenance"):
        assert heading in text
    assert text.count('<a href="#') >= 20
    assert "津政办发〔2016〕82号" in text  # Chinese kept as Chinese
    assert "&lt;NA&gt;" not in text and ">NaN<" not in text


def test_page_is_reproducible(report_build):
    layout = report_build.layout
    notebooks = [nbformat.read(p, as_version=4) for p in sorted((layout.out_dir / "notebooks").iterdir())]
    again = page.build_page(notebooks, ipanalysis.load(layout.data_dir), layout.out_dir, "en")
    assert again == (layout.out_dir / "index.html").read_text(encoding="utf-8")


def test_tables_and_workbook_are_reproducible_in_another_process(report_build, tmp_path):
    """Written again by a process with another string-hash seed (set order differs), byte for byte the same."""
    layout = report_build.layout
    code = (
        "import sys, pathlib, ipanalysis\n"
        "from ipanalysis.report import outputs, catalogue\n"
        "data, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
        "dataset = ipanalysis.load(data)\n"
        "tables = catalogue.computed_tables(dataset)\n"
        "outputs.write_tables(tables, out / 'tables')\n"
        "outputs.write_workbook(dataset, tables, data, out / 'ipanalysis.xlsx')\n"
    )
    subprocess.run([sys.executable, "-c", code, str(layout.data_dir), str(tmp_path)], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "5"})
    for path in sorted((tmp_path / "tables").iterdir()):
        assert path.read_bytes() == (layout.out_dir / "tables" / path.name).read_bytes(), path.name
    with zipfile.ZipFile(tmp_path / "ipanalysis.xlsx") as again, zipfile.ZipFile(layout.out_dir / "ipanalysis.xlsx") as first:
        assert [name for name in first.namelist() if again.read(name) != first.read(name)] == []
    assert (tmp_path / "ipanalysis.xlsx").read_bytes() == (layout.out_dir / "ipanalysis.xlsx").read_bytes()


# -- the no-op check: every input and every output counts
def test_an_unchanged_build_is_up_to_date(report_build):
    before = {path: path.stat().st_mtime_ns for path in output_files(report_build.layout)}
    result = run_cli("report", "--data", str(report_build.layout.data_dir))
    assert result.returncode == 0 and "up to date" in result.stdout, result.stdout + result.stderr
    assert {path: path.stat().st_mtime_ns for path in output_files(report_build.layout)} == before


@pytest.mark.parametrize(
    "output",
    ["tables/ambition.csv", "ipanalysis.xlsx", "figures/zh/growth.pdf", "figures/MANIFEST.sha256",
     "notebooks/02_district_vs_city.ipynb", "index.html"],
)
def test_a_deleted_or_altered_output_is_noticed(report_build, output):
    layout = report_build.layout
    path = layout.out_dir / output
    inputs = state.input_hashes(layout)
    assert state.staleness(layout, inputs).up_to_date
    original = path.read_bytes()
    try:
        path.unlink()
        assert state.staleness(layout, inputs).changed_outputs == [output]
        path.write_bytes(original + b" ")
        assert state.staleness(layout, inputs).changed_outputs == [output]
    finally:
        path.write_bytes(original)
    assert state.staleness(layout, inputs).up_to_date


def test_a_deleted_or_edited_input_is_noticed(report_build, tmp_path):
    layout = dataclasses.replace(report_build.layout, notebooks_dir=tmp_path / "notebooks")
    shutil.copytree(NOTEBOOKS_DIR, layout.notebooks_dir)
    assert state.staleness(layout, state.input_hashes(layout)).up_to_date
    source_file = next((layout.data_dir / "sources").iterdir())
    saved = source_file.read_bytes()
    try:
        source_file.unlink()
        (layout.notebooks_dir / "03_attainment.ipynb").unlink()
        with (layout.data_dir / "targets.csv").open("a", encoding="utf-8") as table:
            table.write("\n")
        staleness = state.staleness(layout, state.input_hashes(layout))
        expected = [f"data/sources/{source_file.name}", "data/targets.csv", "notebooks/03_attainment.ipynb"]
        assert staleness.changed_inputs == expected
        assert not staleness.notebooks_only
    finally:
        source_file.write_bytes(saved)
        shutil.copy2(DATA_DIR / "targets.csv", layout.data_dir / "targets.csv")
    assert state.staleness(layout, state.input_hashes(layout)).notebooks_only


def test_library_and_lock_file_are_inputs(report_build):
    names = state.input_hashes(report_build.layout)
    assert {"ipanalysis/report/build.py", "ipanalysis/report/text/methods.en.md", "requirements.lock"} <= set(names)


# -- failures and Ctrl-C leave the previous outputs in place
def test_a_failing_notebook_replaces_nothing_and_names_notebook_and_cell(report_build, tmp_path):
    layout = dataclasses.replace(report_build.layout, notebooks_dir=tmp_path / "notebooks")
    shutil.copytree(NOTEBOOKS_DIR, layout.notebooks_dir)
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")])
    nbformat.write(broken, layout.notebooks_dir / "99_broken.ipynb")
    before = state.output_hashes(layout)
    with pytest.raises(build.BuildError, match=r"99_broken.ipynb, cell 1:[\s\S]*ZeroDivisionError") as failure:
        build.build_report(layout, log=lambda message: None)
    assert "\x1b[" not in str(failure.value)  # no terminal colour codes
    assert state.output_hashes(layout) == before
    assert (layout.out_dir / "BUILD.json").is_file() and not build.staging_folder(layout).exists()


def test_an_edited_notebook_reruns_alone(report_build, tmp_path):
    layout = dataclasses.replace(report_build.layout, notebooks_dir=tmp_path / "notebooks")
    shutil.copytree(NOTEBOOKS_DIR, layout.notebooks_dir)
    source = layout.notebooks_dir / "02_district_vs_city.ipynb"
    notebook = nbformat.read(source, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("A sentence added by the test."))
    nbformat.write(notebook, source)
    figures_before = {k: v for k, v in state.output_hashes(layout).items() if k.startswith(("figures/", "tables/"))}
    messages: list[str] = []
    assert build.build_report(layout, log=messages.append)
    assert any("running 1 of 6" in message for message in messages), messages
    assert "A sentence added by the test." in (layout.out_dir / "index.html").read_text(encoding="utf-8")
    assert {k: v for k, v in state.output_hashes(layout).items() if k.startswith(("figures/", "tables/"))} == figures_before
    assert state.staleness(layout, state.input_hashes(layout)).up_to_date


def test_invalid_data_fails_with_a_message_and_replaces_nothing(report_build, tmp_path):
    data = tmp_path / "bad data"
    shutil.copytree(DATA_DIR, data)
    (data / "targets.csv").write_text("target_id\nx\n", encoding="utf-8")
    out = report_build.layout.out_dir
    before = state.output_hashes(report_build.layout)
    result = run_cli("report", "--data", str(data), "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "targets.csv" in result.stderr and "nothing was replaced" in result.stderr
    assert state.output_hashes(report_build.layout) == before


def test_make_quotes_a_data_folder_with_spaces(report_build):
    result = subprocess.run(["make", "--no-print-directory", "validate", f"DATA={report_build.layout.data_dir}"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and f"OK {report_build.layout.data_dir}:" in result.stdout, result.stdout + result.stderr


def kernels_of(staging: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "ipykernel_launcher" in " ".join(process.info["cmdline"] or []) and \
                    process.environ().get(BUILD_DIR_VARIABLE) == str(staging):
                found.append(process)
        except psutil.Error:
            continue
    return found


def test_ctrl_c_stops_promptly_and_cleanly(report_build, tmp_path):
    """Ctrl-C while a kernel runs (an added notebook that sleeps: only it runs): every kernel stops at once, no
    traceback, and the previous outputs stay."""
    layout = report_build.layout
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(120)")]),
                   notebooks / "99_slow.ipynb")
    before = state.output_hashes(layout)
    command = [sys.executable, "-m", "ipanalysis", "report", "--data", str(layout.data_dir), "--notebooks", str(notebooks)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    staging = build.staging_folder(layout)
    deadline = time.monotonic() + 120
    while not kernels_of(staging) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert kernels_of(staging), "the build never started its kernel"
    time.sleep(2)
    interrupted = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground process group
    stdout, stderr = process.communicate(timeout=60)
    assert time.monotonic() - interrupted < 5
    assert process.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr and "interrupted: nothing was replaced" in stderr
    assert not kernels_of(staging) and not staging.exists()
    assert state.output_hashes(layout) == before


def test_interrupting_the_figure_workers_stops_them_at_once(tmp_path, capfd):
    with pytest.raises(KeyboardInterrupt), figures.drawing(ipanalysis.load(), DATA_DIR, tmp_path) as pending:
        workers = [psutil.Process(pid) for pid in _pool_pids()]
        assert len(workers) == figures.WORKERS and not pending.ready()
        raise KeyboardInterrupt
    assert not any(worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE for worker in workers)
    assert "Traceback" not in capfd.readouterr().err


def _pool_pids() -> list[int]:
    return [child.pid for child in psutil.Process().children() if "python" in child.name().lower()]


# -- outputs are safe to open
INJECTED = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def injected_dataset():
    """The real data with one indicator name turned into a formula, as a hostile file would."""
    dataset = ipanalysis.load()
    indicators = dataset.indicators.copy()
    indicators.loc[indicators["indicator_id"] == dataset.targets["indicator_id"].iloc[0], "name_en"] = INJECTED
    return dataclasses.replace(dataset, indicators=indicators)


def test_workbook_stores_every_text_as_text(injected_dataset, tmp_path):
    tables = computed_tables(injected_dataset)
    path = tmp_path / "book.xlsx"
    outputs.write_workbook(injected_dataset, tables, DATA_DIR, path)
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value == INJECTED]
    assert len({cell.parent.title for cell in cells}) >= 2  # the curated sheet and a computed one
    assert all(cell.data_type == "s" for cell in cells)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)


def test_workbook_opens_on_an_index_with_results_before_curated_tables(report_build):
    workbook = openpyxl.load_workbook(report_build.layout.out_dir / "ipanalysis.xlsx")
    index = [row for row in workbook["index"].iter_rows(min_row=2, values_only=True)]
    assert workbook.sheetnames[0] == "index" and [row[0] for row in index] == workbook.sheetnames
    parts = [row[1] for row in index]
    assert parts.index("curated data") > max(n for n, part in enumerate(parts) if part == "computed result")
    assert all(row[3] for row in index), "every sheet says what it holds"
    for row in index[1:]:
        assert row[2] == workbook[row[0]].max_row - 1, row[0]


def test_workbook_sheets_have_filters_frozen_headers_widths_and_number_formats(report_build):
    workbook = openpyxl.load_workbook(report_build.layout.out_dir / "ipanalysis.xlsx")
    for sheet in workbook:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert sheet["A1"].font.bold and sheet["A1"].alignment.wrap_text
    ambition = workbook["ambition"]
    header = {cell.value: cell.column_letter for cell in ambition[1]}
    assert ambition[f"{header['required_growth']}2"].number_format == "0.0%"
    assert ambition[f"{header['ambition_ratio']}2"].number_format == "0.00"
    assert ambition[f"{header['target_year']}2"].number_format == "0"
    assert ambition[f"{header['target_value']}2"].number_format.startswith("#,##0")
    quotes = workbook["targets"]
    quote = {cell.value: cell.column_letter for cell in quotes[1]}["quote"]
    assert 20 < quotes.column_dimensions[quote].width <= 62 and quotes[f"{quote}2"].alignment.wrap_text
    assert "panel" in workbook.sheetnames


def test_the_build_writes_latex_tables_and_the_panel_in_both_languages(report_build):
    out = report_build.layout.out_dir
    for name in ("attainment", "ambition", "district_vs_city", "plan_changes", "progress", "instrument_stage"):
        for lang in ("en", "zh"):
            assert r"\toprule" in (out / "tables" / f"{name}.{lang}.tex").read_text(encoding="utf-8")
    assert (out / "panel.csv").stat().st_size > 0 and (out / "panel.dta").stat().st_size > 0


def test_the_chinese_page_is_in_chinese_and_the_pages_link_to_each_other(report_build):
    out = report_build.layout.out_dir
    english = (out / "index.html").read_text(encoding="utf-8")
    chinese = (out / "index.zh.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in chinese and 'href="index.html"' in chinese and 'href="index.zh.html"' in english
    for heading in ("00 来源与数据", "03 目标完成情况", "## 方法".removeprefix("## "), "附录：数据来源", "结论"):
        assert heading in chinese, heading
    assert "Computed from the tables above" not in chinese and "由上方表格计算得出" not in english
    assert "<td>标题或序号</td>" in chinese
    assert re.findall(r"<strong>图 (\d+)\.</strong>", chinese) == [str(n) for n in range(1, len(plotting.FIGURES) + 1)]
    caption = plotting.read_caption(FIGURES_DIR / "zh" / "attainment.caption.json")
    assert html.escape(caption.title) in chinese
    assert "<th>状态</th>" in chinese and "<th>Status</th>" in english
    assert "&lt;NA&gt;" not in chinese and ">NaN<" not in chinese and ">nan<" not in chinese


def test_write_tables_writes_one_csv_per_table(tmp_path):
    import pandas as pd

    tables = {name: pd.DataFrame({"n": [1]}) for name in ("first", "middle", "last")}
    written = outputs.write_tables(tables, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in tmp_path.iterdir()) == [
        "first.csv", "last.csv", "middle.csv"]


def test_the_workbook_holds_every_table_of_the_data_folder():
    """curated_tables (the workbook's curated sheets) has one entry per resource of data/datapackage.json."""
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert list(outputs.curated_tables(ipanalysis.load())) == [r["name"] for r in package["resources"]]


def test_the_appendix_counts_statements_and_commitments_apart():
    """By hand: 77 rows in targets.csv; 62 canonical statements, of which the 2016 and 2017 city opinions share four
    identical 2020 targets, so 58 commitments."""
    appendix = page.provenance_appendix(ipanalysis.load(), page.page_text("en"))
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td class=num>(\d+)</td></tr>", appendix))
    assert (rows["targets (statements)"], rows["targets (commitments)"]) == ("77", "58")


def test_csv_outputs_defuse_formulas_but_keep_numbers(tmp_path):
    import pandas as pd

    texts = ["=1+2", "+1", "-x", "@SUM(A1)", "\tx", "plain", None]
    table = pd.DataFrame({"text": texts, "number": [-1.5, 2, 3, 4, 5, 6, 7]})
    outputs.write_tables({"t": table}, tmp_path)
    written = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    assert list(written["text"]) == ["'=1+2", "'+1", "'-x", "'@SUM(A1)", "'\tx", "plain", ""]
    assert written["number"].iloc[0] == -1.5
    assert csvfiles.defused("\rx") == "'\rx" and csvfiles.defused("\nx") == "'\nx" and csvfiles.defused(-2) == -2


def test_computed_csv_tables_are_defused(injected_dataset, tmp_path):
    outputs.write_tables(computed_tables(injected_dataset), tmp_path)
    text = (tmp_path / "attainment.csv").read_text(encoding="utf-8")
    assert "'" + INJECTED in text and "," + INJECTED not in text


def test_panel_and_figure_data_csv_are_defused(injected_dataset, tmp_path):
    """Every CSV the build writes goes through csvfiles: the panel and each figure's plotted data too."""
    from matplotlib.figure import Figure

    from ipanalysis.panel import write_panel

    write_panel(injected_dataset, tmp_path)
    text = (tmp_path / "panel.csv").read_text(encoding="utf-8")
    assert "'" + INJECTED in text and "," + INJECTED not in text
    data = injected_dataset.indicators[["indicator_id", "name_en"]]
    plotting.save_figure(Figure(), data, "hostile", "en", tmp_path)
    text = (tmp_path / "en" / "hostile.csv").read_text(encoding="utf-8")
    assert "'" + INJECTED in text and "," + INJECTED not in text


# -- structure and environment
def test_notebooks_never_write_files_and_sources_are_clean():
    sources = state.notebook_sources(NOTEBOOKS_DIR)
    assert [p.name[:2] for p in sources] == ["00", "01", "02", "03", "04", "05"]
    for path in sources:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name
                code = "".join(cell["source"])
                assert not re.search(r"publish\(|savefig|to_csv|to_excel|open\(|write_", code), (path.name, code)


def test_a_notebook_error_is_reported_without_colour_codes(tmp_path):
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise ValueError('bad')")])
    nbformat.write(broken, tmp_path / "99_broken.ipynb")
    with pytest.raises(NotebookError, match=r"99_broken.ipynb, cell 0:[\s\S]*ValueError: bad") as failure:
        execute_notebooks([tmp_path / "99_broken.ipynb"], tmp_path)
    assert "\x1b" not in str(failure.value)


def test_a_project_copied_with_its_venv_is_detected(tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "pyproject.toml").write_text("[project]\nname = 'ipanalysis'\n")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(copy / ".venv")], check=True)
    site = next((copy / ".venv" / "lib").glob("python*/site-packages"))
    # What cp -r gives: the packages themselves, and the editable install pointing at the original folder.
    (site / "original.pth").write_text(f"{sysconfig.get_path('purelib')}\n{PROJECT_ROOT}\n")
    result = subprocess.run([str(copy / ".venv" / "bin" / "python"), "-m", "ipanalysis.report.environment"],
                            capture_output=True, text=True, cwd=copy)
    assert result.returncode == 1
    assert str(PROJECT_ROOT) in result.stderr and "rm -rf .venv && make setup" in result.stderr
    assert subprocess.run([sys.executable, "-m", "ipanalysis.report.environment"], cwd=PROJECT_ROOT).returncode == 0


def python_floor_of_the_lock() -> tuple[int, ...]:
    """The lowest Python every pinned package supports, from the installed packages' Requires-Python."""
    from importlib.metadata import metadata

    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    specifiers = SpecifierSet()
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            specifiers &= SpecifierSet(metadata(Requirement(line).name).get("Requires-Python") or "")
    return next((3, 11, patch) for patch in range(30) if f"3.11.{patch}" in specifiers)


def test_the_makefile_checks_the_real_python_floor():
    floor = python_floor_of_the_lock()
    assert floor == (3, 11, 5)  # soupsieve 4.1.1 needs 3.11.5
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"PYTHON_FLOOR := {'.'.join(map(str, floor))}" in makefile
    result = subprocess.run(["make", "--no-print-directory", "setup", "PYTHON_FLOOR=99.0.0", "VENV=.no-such-venv"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "needs Python 99.0.0 or newer" in result.stdout + result.stderr
    assert not (PROJECT_ROOT / ".no-such-venv").exists()


def test_import_ipanalysis_gives_the_public_modules():
    code = "import ipanalysis; ipanalysis.plotting.FIGURES; ipanalysis.comparisons.attainment_table; ipanalysis.display.figure"
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT).returncode == 0


def test_figures_are_written_only_where_the_caller_says():
    for function in (plotting.write_figure, plotting.save_figure):
        assert inspect.signature(function).parameters["out_dir"].default is inspect.Parameter.empty
    assert not hasattr(plotting, "publish")  # it wrote into the committed figures/ by default, also from notebooks


def test_the_descriptor_is_read_in_one_place():
    readers = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in sorted((PROJECT_ROOT / "ipanalysis").rglob("*.py"))
        if re.search(r"json\.load|JSONDecoder", text := path.read_text(encoding="utf-8"))
        and re.search("datapackage|DATAPACKAGE", text)
    ]
    assert readers == ["ipanalysis/schema.py"]
