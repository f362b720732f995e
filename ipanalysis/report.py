"""Build the report: execute notebooks in fresh kernels, write the computed tables, the workbook and one
self-contained HTML page. Every output is byte-identical from one clean build to the next."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import io
import json
import re
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from pathlib import Path

import mistune
import nbformat
import pandas as pd
from fontTools import subset
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from openpyxl import Workbook
from openpyxl.styles import Font

from . import comparisons, instruments, progress
from .column_docs import COLUMNS
from .config import DATA_DIR, DATAPACKAGE_FILE, FIGURES_DIR, NOTEBOOKS_DIR, REPORTS_DIR
from .coverage import number_coverage
from .dataset import Dataset, load
from .style import FONT_FILE

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_XLSX_TIME = "2000-01-01T00:00:00Z"
MARKDOWN = mistune.create_markdown(plugins=["table"])


class ReportError(RuntimeError):
    """A notebook cell failed; the message names the notebook and the cell."""


def log(message: str, started: float) -> None:
    print(f"[report] {message} ({time.perf_counter() - started:.1f} s)", flush=True)


# -- notebooks
def notebook_sources(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


async def _execute(source: Path, target: Path, timeout: int) -> None:
    started = time.perf_counter()
    notebook = nbformat.read(source, as_version=4)
    notebook.metadata.setdefault("kernelspec", KERNEL)
    with tempfile.TemporaryDirectory() as runtime:
        manager = AsyncKernelManager(kernel_name=KERNEL["name"], transport="ipc", ip=str(Path(runtime) / "kernel"))
        client = NotebookClient(
            notebook, km=manager, timeout=timeout, record_timing=False, resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}
        )
        try:
            await client.async_execute()
        except CellExecutionError as error:
            failed = next(
                (
                    n
                    for n, cell in enumerate(notebook.cells)
                    if any(output.get("output_type") == "error" for output in cell.get("outputs", []))
                ),
                None,
            )
            raise ReportError(f"{source.name}, cell {failed}:\n{error}") from None
        finally:
            if manager.has_kernel:
                await manager.shutdown_kernel(now=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    log(f"executed {source.name}", started)


async def _execute_all(pairs: list[tuple[Path, Path]], timeout: int) -> None:
    results = await asyncio.gather(*(_execute(source, target, timeout) for source, target in pairs), return_exceptions=True)
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:
        raise ReportError("\n".join(str(failure) for failure in failures))


def execute_notebooks(sources: list[Path], out_dir: Path, timeout: int = 600) -> list[Path]:
    """Run each notebook top to bottom in its own fresh kernel, concurrently; save executed copies in out_dir.

    Raises ReportError naming every notebook and cell that failed.
    """
    pairs = [(source, out_dir / source.name) for source in sources]
    asyncio.run(_execute_all(pairs, timeout))
    return [target for _, target in pairs]


# -- tables and workbook
def computed_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every computed table, keyed by the file name it is written under."""
    attainment = comparisons.attainment_table(dataset)
    return {
        "attainment": attainment,
        "reporting_coverage": comparisons.reporting_coverage(attainment),
        "plan_changes": comparisons.plan_changes(dataset),
        "ambition": comparisons.ambition_table(dataset),
        "district_vs_city": comparisons.district_vs_city(dataset),
        "source_number_coverage": number_coverage(dataset),
        "instrument_stage": pd.concat(
            [instruments.instrument_stage_table(dataset, by) for by in ("doc_id", "plan_period", "level")]
        ),
        "precoder_units": instruments.precode_units(dataset),
        "precoder_agreement": instruments.agreement(dataset),
        "keyword_intensity": instruments.keyword_intensity(dataset),
        "agency_roles": instruments.agency_roles(dataset),
        "agency_links": instruments.co_responsibility(dataset),
        "progress": progress.progress_table(dataset),
        "indicator_history": progress.indicator_history(dataset),
    }


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", float_format="%.10g")


def curated_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every table of data/, in the order of the Dataset's fields."""
    return {f.name: getattr(dataset, f.name) for f in fields(dataset) if isinstance(getattr(dataset, f.name), pd.DataFrame)}


def column_descriptions(data_dir: Path = DATA_DIR) -> list[tuple[str, str, str]]:
    """(sheet, column, meaning) for every curated and computed column."""
    package = json.loads((data_dir / DATAPACKAGE_FILE).read_text(encoding="utf-8"))
    rows = [(r["name"], f["name"], f["description"]) for r in package["resources"] for f in r["schema"]["fields"]]
    rows += [(table, column, meaning) for table, columns in COLUMNS.items() for column, meaning in columns.items()]
    return rows


def _deterministic_zip(raw: bytes) -> bytes:
    """Rewrite an xlsx with fixed entry times and document dates, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_XLSX_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def write_workbook(dataset: Dataset, tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per curated and computed table, and a 'columns' sheet saying what each column means."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "columns"
    sheet.append(["sheet", "column", "meaning"])
    for row in column_descriptions():
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name, table in {**curated_tables(dataset), **tables}.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in table.astype(object).where(table.notna(), None).itertuples(index=False):
            sheet.append(list(values))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))


def write_manifest(folder: Path = FIGURES_DIR) -> Path:
    """SHA-256 of every figure file, in `sha256sum -c` format."""
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder).as_posix()}"
        for path in sorted(folder.glob("*/*"))
        if path.suffix in {".png", ".pdf", ".svg", ".csv", ".json"}
    ]
    manifest = folder / "MANIFEST.sha256"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


# -- HTML
STYLE = """
body{font-family:"Report Sans","Noto Sans SC",Helvetica,Arial,sans-serif;
max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
h1,h2,h3{line-height:1.25}nav{background:#f6f6f6;padding:.5rem 1rem;border-radius:4px}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.15rem .4rem;vertical-align:top}
th{background:#f0f0f0}img{max-width:100%}details{margin:.3rem 0;font-size:.8rem}pre{background:#f8f8f8;padding:.5rem;
overflow-x:auto;font-size:.75rem}.output{overflow-x:auto;margin-bottom:1rem}
section.notebook{border-top:2px solid #0072B2;margin-top:2rem}
"""

METHODS = """
## Methods

**Data.** Every target and reported outcome in the five documents was copied by hand into `data/targets.csv` and
`data/outcomes.csv` with the exact fragment it came from (`quote`) and the words that give the number (`value_text`).
Values are in base units (件, 家, 元, percent points). Figures stated relative to others (比2015年增长137.05%, 翻一番,
是2015年的3.93倍) are separate rows marked derived, with their formula. Jinghai's 〔〕 marks cumulative data.

**Provenance check.** `make test` checks that every quote occurs verbatim in its source (whose SHA-256 is recorded),
that a Chinese-quantity parser reads each value back from its `value_text`, and that derived values recompute.

**Matching targets to outcomes.** A target is compared with an outcome of the same indicator, region and date
(the same period for cumulative targets) from a later document. Where only a linked indicator is reported (a
redefined, narrowed or proxy measure, see `indicator_lineage.csv`) the status is *not comparable*; where nothing is
reported, *not reported*.

**Formulas** (`ipanalysis/metrics.py`). Growth is the compound annual rate (end/start)^(1/years) − 1; required growth
runs from the baseline to the target, realised growth over the years reported. A zero baseline (零突破 targets) has
no compound rate and is reported as undefined. Ambition ratio = required growth / growth realised in the previous five
years. Attainment ratio = outcome / target for level targets (increase / increment for 新增 targets; target / outcome
for ranks); a target is achieved when the outcome reaches it (exceeds it, for 超过 targets). Distance covered =
(outcome − baseline) / (target − baseline), using the plan's own baseline or the value for the year before the plan
period (often derived). Outcomes dated before the target year get the Eurostat SDG / Statistics Canada progress band
(observed over required growth: ≥ 95 % on track, 60–95 % acceleration needed, 0–60 % limited progress, < 0 moving
away). Escalation = district required growth − city required growth for the same indicator in the same plan period
(Li, Liu, Weng and Zhou 2019); where growth cannot be computed, the ratio of levels is shown and flagged.

**Policy instruments** (`ipanalysis/instruments.py`). Every numbered unit of the documents' policy parts (goals, tasks,
key projects, 专栏 boxes, guarantees; 168 units, `data/policy_units.csv`, each verbatim) was coded by hand with one
primary instrument subtype (its parent is the supply, environmental or demand-side type of Rothwell and Zegveld) and
one primary value-chain stage, plus secondary codes, each with a justification (`data/policy_codes.csv`; definitions
and verbatim examples in `data/codebook.csv`). Tables count units by primary codes. The rule-based pre-coder assigns
the code whose dictionary keywords (`data/precoder_keywords.csv`) occur most often; its agreement with the hand coding
is Cohen's kappa = (observed − chance agreement) / (1 − chance agreement). Keyword intensity counts non-overlapping
theme keywords (`data/theme_keywords.csv`) per 10,000 non-space characters. Responsible agencies come from the
units' closing clauses (牵头/负责: leads; 配合: joins), normalised through `data/agencies.csv`.
"""


def embedded_font_css(text: str) -> str:
    """@font-face with Noto Sans SC cut down to the characters of `text`, so Chinese shows on machines without a
    CJK font and the page stays self-contained (OFL-1.1 permits subsetting)."""
    options = subset.Options()
    options.flavor = "woff"
    font = subset.load_font(str(FONT_FILE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'@font-face{{font-family:"Report Sans";src:url(data:font/woff;base64,{data}) format("woff")}}'


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", text.lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _output_html(output) -> str:
    data = output.get("data", {})
    if output.get("output_type") == "stream":
        return f"<pre>{html.escape(output['text'])}</pre>"
    if "image/png" in data:
        return f'<img alt="figure" src="data:image/png;base64,{"".join(data["image/png"]).strip()}">'
    if "text/html" in data:
        return "".join(data["text/html"])
    if "text/markdown" in data:
        return MARKDOWN("".join(data["text/markdown"]))
    if "text/plain" in data:
        return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
    return ""


def _markdown_with_anchors(source: str, headings: list[tuple[int, str, str]], used: set[str]) -> str:
    rendered = MARKDOWN(source)

    def anchor(match: re.Match) -> str:
        level, inner = int(match.group(1)), match.group(2)
        text = re.sub(r"<[^>]+>", "", inner)
        slug = _slug(html.unescape(text), used)
        headings.append((level, html.unescape(text), slug))
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return re.sub(r"<h([1-3])>(.*?)</h\1>", anchor, rendered)


def provenance_appendix(dataset: Dataset) -> str:
    documents = dataset.documents[["doc_id", "source_file", "title_zh", "date_issued", "doc_number", "sha256"]]
    counts = pd.DataFrame(
        {
            "table": [
                "targets (statements)",
                "targets (distinct)",
                "outcomes",
                "outcomes derived",
                "milestones",
                "source problems",
            ],
            "rows": [
                len(dataset.targets),
                len(dataset.canonical_targets),
                len(dataset.outcomes),
                int(dataset.outcomes["is_derived"].sum()),
                len(dataset.milestones),
                len(dataset.source_problems),
            ],
        }
    )
    coverage = number_coverage(dataset)["status"].value_counts().rename_axis("status").reset_index(name="numbers")
    problems = dataset.source_problems[["problem_id", "severity", "summary", "handling"]]
    return "".join(
        [
            '<h2 id="appendix-data-provenance">Appendix: data provenance</h2>',
            "<p>The sources, byte-identical to the originals, with the SHA-256 the validator checks:</p>",
            documents.to_html(index=False, na_rep=""),
            "<p>Curated rows; every quote is verbatim in its source and every value reads back from its quote "
            "(<code>python -m ipanalysis validate</code>):</p>",
            counts.to_html(index=False),
            "<p>Every number in the five sources: inside a curated quote, or of a kind that is not a quantity:</p>",
            coverage.to_html(index=False),
            "<p>Register of problems in the sources (<code>data/source_problems.csv</code>):</p>",
            problems.to_html(index=False, na_rep=""),
        ]
    )


def build_html(executed: list[Path], dataset: Dataset, path: Path) -> None:
    """One self-contained page: contents, every notebook's narrative, tables and figures, methods, provenance."""
    headings: list[tuple[int, str, str]] = []
    used: set[str] = set()
    sections = []
    for notebook_path in executed:
        notebook = nbformat.read(notebook_path, as_version=4)
        parts = []
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                parts.append(_markdown_with_anchors(cell.source, headings, used))
            elif cell.cell_type == "code":
                parts.append(f"<details><summary>code</summary><pre>{html.escape(cell.source)}</pre></details>")
                parts.append('<div class="output">' + "".join(_output_html(o) for o in cell.get("outputs", [])) + "</div>")
        sections.append(f'<section class="notebook">{"".join(parts)}</section>')
    methods = _markdown_with_anchors(METHODS, headings, used)
    headings.append((2, "Appendix: data provenance", "appendix-data-provenance"))
    contents = "".join(
        f'<li style="margin-left:{(level - 1) * 1.2}rem"><a href="#{slug}">{html.escape(text)}</a></li>'
        for level, text, slug in headings
        if level <= 2
    )
    body = (
        "<h1>Tianjin IP policy targets: 13th vs 14th Five-Year Plans, districts vs city, attainment</h1>"
        f"<nav><strong>Contents</strong><ul>{contents}</ul></nav>"
        + "".join(sections)
        + f'<section class="notebook">{methods}</section>'
        + f'<section class="notebook">{provenance_appendix(dataset)}</section>'
    )
    visible = html.unescape(re.sub(r"<[^>]+>|data:[^\"]+", "", body))
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Tianjin IP policy targets: comparative report</title><style>{embedded_font_css(visible)}{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")


# -- the whole build
def _load_and_write_tables(reports_dir: Path, started: float, write: bool) -> Dataset:
    dataset = load()
    if write:
        _write_tables_and_workbook(dataset, reports_dir, started)
    return dataset


def _write_tables_and_workbook(dataset: Dataset, reports_dir: Path, started: float) -> None:
    tables = computed_tables(dataset)
    write_tables(tables, reports_dir / "tables")
    write_workbook(dataset, tables, reports_dir / "ipanalysis.xlsx")
    log(f"wrote {len(tables)} tables to {reports_dir / 'tables'} and {reports_dir / 'ipanalysis.xlsx'}", started)


def build_report(changed: list[str] | None = None, reports_dir: Path = REPORTS_DIR) -> None:
    """Rebuild what `changed` files make stale (all of it when None or when a library or data file changed):
    executed notebooks and their figures, the figure manifest, tables, workbook and HTML."""
    started = time.perf_counter()
    sources = notebook_sources()
    executed_dir = reports_dir / "notebooks"
    changed_paths = {Path(path).resolve() for path in changed or []}
    only_notebooks = changed is not None and all(path.suffix == ".ipynb" for path in changed_paths)
    stale = [
        source
        for source in sources
        if not only_notebooks or source.resolve() in changed_paths or not (executed_dir / source.name).exists()
    ]
    log(f"{len(stale)} of {len(sources)} notebooks to run", started)
    tables_needed = not only_notebooks or not (reports_dir / "ipanalysis.xlsx").exists()
    with ThreadPoolExecutor(max_workers=1) as background:  # load, tables and workbook while the kernels run
        loaded = background.submit(_load_and_write_tables, reports_dir, started, tables_needed)
        execute_notebooks(stale, executed_dir)
        dataset = loaded.result()
    write_manifest()
    for stray in sorted(set(executed_dir.glob("*.ipynb")) - {executed_dir / source.name for source in sources}):
        stray.unlink()
    build_html([executed_dir / source.name for source in sources], dataset, reports_dir / "index.html")
    log(f"wrote {reports_dir / 'index.html'}; report complete", started)
