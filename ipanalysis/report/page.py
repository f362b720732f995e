"""The report page: one self-contained HTML file per language (contents, every executed notebook's narrative,
tables and figures, methods, provenance appendix), from the executed notebooks and the built figure files.

The page's fixed text and Methods prose live in text/page.<lang>.toml and text/methods.<lang>.md; outputs shown
through ipanalysis.display carry every language, so one run can write index.html and index.zh.html.
"""

from __future__ import annotations

import base64
import html
import io
import re
import tomllib
from pathlib import Path

import mistune
import nbformat
import pandas as pd
from fontTools import subset

from ..coverage import number_coverage
from ..dataset import Dataset
from ..display import MIME, table_html
from ..numbers import count, join
from ..plotting import read_caption
from ..progress import _chinese_period
from ..style import FONT_FILE
from .translation import translation

TEXT_DIR = Path(__file__).with_name("text")
MARKDOWN = mistune.create_markdown(plugins=["table"])
STYLE = """
body{font-family:"Report Sans","Noto Sans SC",Helvetica,Arial,sans-serif;
max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
h1,h2,h3{line-height:1.25}nav{background:#f6f6f6;padding:.5rem 1rem;border-radius:4px}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.15rem .4rem;vertical-align:top}
th{background:#f0f0f0}img{max-width:100%}figure{margin:1rem 0}details{margin:.3rem 0;font-size:.8rem}
pre{background:#f8f8f8;padding:.5rem;overflow-x:auto;font-size:.75rem}.output{overflow-x:auto;margin-bottom:1rem}
section.notebook{border-top:2px solid #0072B2;margin-top:2rem}
td.num,th.num{text-align:right;white-space:nowrap}p.language{text-align:right;margin:0}
"""


def page_name(lang: str) -> str:
    """index.html for English, index.<lang>.html for another language."""
    return "index.html" if lang == "en" else f"index.{lang}.html"


def page_text(lang: str, dataset: Dataset | None = None) -> dict:
    """The fixed text of the page in one language; with a dataset, its placeholders filled from the data
    (page_values), so the page names the regions and counts of the folder it was built from."""
    text = tomllib.loads((TEXT_DIR / f"page.{lang}.toml").read_text(encoding="utf-8"))
    if dataset is None:
        return text
    values = page_values(dataset, lang)
    return {key: value.format_map(values) if isinstance(value, str) else value for key, value in text.items()}


def page_values(dataset: Dataset, lang: str) -> dict[str, str]:
    """What the page's fixed text names: the regions the documents are about (a document's region unless its parent
    region has documents too, so districts stand under their city), the plan periods, the number of documents."""
    documents = dataset.documents
    parents = dataset.regions.set_index("region_id")["parent_region"]
    regions = [region for region in documents.set_index("doc_id").loc[dataset.document_order, "region"].drop_duplicates()
               if parents.get(region) not in set(documents["region"])]
    if lang == "zh":
        periods = "与".join(f"“{_chinese_period(period)}”" for period in dataset.plan_periods)
    else:
        periods = " vs ".join(dataset.plan_periods)
    return {"regions": join([dataset.region_name(region, lang) for region in regions], lang), "periods": periods,
            "documents": count(len(documents), lang)}


def methods_markdown(lang: str) -> str:
    """The Methods section in `lang` (a translation starts with a comment naming the hash of the English it
    translates; tests check it is current)."""
    text = (TEXT_DIR / f"methods.{lang}.md").read_text(encoding="utf-8")
    return re.sub(r"\A<!--.*?-->\n", "", text)


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


def figure_html(root: Path, part: dict, number: int | None = None, label: str = "Figure") -> str:
    """A built figure (one language part of its display bundle): the SVG as a data URI, its alt text, and its
    caption, numbered when `number` is given."""
    caption = read_caption(root / part["caption"])
    data = base64.b64encode((root / part["src"]).read_bytes()).decode("ascii")
    prefix = f"<strong>{html.escape(label)} {number}.</strong> " if number is not None else ""
    return (
        f'<figure><img alt="{html.escape(caption.alt)}" src="data:image/svg+xml;base64,{data}">'
        f"<figcaption>{prefix}<strong>{html.escape(caption.title)}</strong> {html.escape(caption.text)}</figcaption></figure>"
    )


def fill_figures(notebook: nbformat.NotebookNode, root: Path) -> None:
    """Give every figure reference a notebook showed (display.figure run by the build) the English figure the
    build drew, as text/html, so the executed notebook shows it in JupyterLab."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            bundle = output.get("data", {}).get(MIME)
            if bundle and bundle["kind"] == "figure":
                output["data"]["text/html"] = figure_html(root, bundle["en"])


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", text.lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _output_html(output, lang: str, root: Path, text: dict, figures: list[str]) -> str:
    """One cell output in `lang`: the display bundle's part for that language where there is one. Figures are
    numbered in order of appearance (figures collects their names)."""
    data = output.get("data", {})
    bundle = data.get(MIME)
    if bundle:
        part = bundle[lang]
        if bundle["kind"] != "figure":
            return part["html"]
        figures.append(bundle["name"])
        return figure_html(root, part, len(figures), text["figure"])
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


def provenance_appendix(dataset: Dataset, text: dict, lang: str = "en") -> str:
    documents = dataset.documents[["doc_id", "source_file", "title_zh", "date_issued", "doc_number", "url", "sha256"]]
    rows = {
        "targets": len(dataset.targets),
        "canonical_targets": len(dataset.commitments),
        "outcomes": len(dataset.outcomes),
        "derived": int(dataset.outcomes["is_derived"].sum()),
        "milestones": len(dataset.milestones),
        "source_problems": len(dataset.source_problems),
    }
    counts = pd.DataFrame({text["table_column"]: [text["counts"][key] for key in rows], text["rows_column"]: list(rows.values())})
    coverage = number_coverage(dataset)["status"].value_counts().rename_axis("status").reset_index(name="numbers")
    problems = dataset.source_problems[["problem_id", "severity", "summary", "handling"]]
    return "".join(
        [
            f'<h2 id="appendix">{html.escape(text["appendix"])}</h2>',
            f"<p>{text['sources']}</p>",
            table_html(documents, lang, dataset),
            f"<p>{text['curated']}</p>",
            table_html(counts, lang, dataset),
            f"<p>{text['numbers']}</p>",
            table_html(coverage, lang, dataset),
            f"<p>{text['register']}</p>",
            table_html(problems, lang, dataset),
        ]
    )


def build_page(notebooks: list[nbformat.NotebookNode], dataset: Dataset, root: Path, lang: str = "en") -> str:
    """The report page in `lang`; root is the build's output root (figure references are relative to it)."""
    text = page_text(lang, dataset)
    headings: list[tuple[int, str, str]] = []
    figures: list[str] = []
    used: set[str] = {"appendix"}
    sections = []
    for notebook in notebooks:
        parts = []
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                parts.append(_markdown_with_anchors(translation(cell, lang) or cell.source, headings, used))
            elif cell.cell_type == "code":
                parts.append(f"<details><summary>{text['code']}</summary><pre>{html.escape(cell.source)}</pre></details>")
                outputs = "".join(_output_html(output, lang, root, text, figures) for output in cell.get("outputs", []))
                parts.append(f'<div class="output">{outputs}</div>')
        sections.append(f'<section class="notebook">{"".join(parts)}</section>')
    methods = _markdown_with_anchors(methods_markdown(lang), headings, used)
    headings.append((2, text["appendix"], "appendix"))
    contents = "".join(
        f'<li style="margin-left:{(level - 1) * 1.2}rem"><a href="#{slug}">{html.escape(heading)}</a></li>'
        for level, heading, slug in headings
        if level <= 2
    )
    body = (
        f"<h1>{html.escape(text['title'])}</h1>"
        f'<p class="language"><a href="{text["other_page"]}">{html.escape(text["other_language"])}</a></p>'
        f"<nav><strong>{html.escape(text['contents'])}</strong><ul>{contents}</ul></nav>"
        + "".join(sections)
        + f'<section class="notebook">{methods}</section>'
        + f'<section class="notebook">{provenance_appendix(dataset, text, lang)}</section>'
    )
    visible = html.unescape(re.sub(r"<[^>]+>|data:[^\"]+", "", body))
    return (
        f'<!DOCTYPE html>\n<html lang="{text["lang"]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(text['short_title'])}</title><style>{embedded_font_css(visible)}{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
