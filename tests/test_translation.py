"""The Chinese report's text: every Markdown cell of every notebook and the Methods have a current translation (one
made from the English as it is now), and the page's fixed text exists in both languages."""

from __future__ import annotations

import re
import tomllib

import nbformat

from ipanalysis.config import NOTEBOOKS_DIR
from ipanalysis.report import page, state
from ipanalysis.report.translation import set_translation, source_hash, translation, untranslated


def test_every_markdown_cell_has_a_current_chinese_translation():
    for path in state.notebook_sources(NOTEBOOKS_DIR):
        assert untranslated(path, "zh") == [], f"{path.name}: Markdown cells without a current Chinese text"
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                text = translation(cell, "zh")
                assert re.search(r"[\u4e00-\u9fff]{4}", text) and text.count("`") == cell.source.count("`"), text
                assert text.startswith("#") == cell.source.startswith("#"), text


def test_editing_the_english_makes_the_translation_stale():
    cell = nbformat.v4.new_markdown_cell("## Findings")
    set_translation(cell, "zh", "## 结论")
    assert translation(cell, "zh") == "## 结论" and translation(cell, "en") == "## Findings"
    cell.source = "## Findings, revised"
    assert translation(cell, "zh") is None


def test_methods_are_translated_from_the_current_english():
    english = (page.TEXT_DIR / "methods.en.md").read_text(encoding="utf-8")
    chinese = (page.TEXT_DIR / "methods.zh.md").read_text(encoding="utf-8")
    header = re.match(r"<!-- translates methods\.en\.md sha256 ([0-9a-f]{64}) -->\n", chinese)
    assert header and header.group(1) == source_hash(english), "methods.zh.md does not translate the current methods.en.md"
    assert page.methods_markdown("zh").startswith("## 方法")
    english_paragraphs = [p for p in english.split("\n\n") if p.strip()]
    assert len(page.methods_markdown("zh").strip().split("\n\n")) == len(english_paragraphs)


def test_page_text_has_the_same_keys_in_both_languages():
    texts = {lang: tomllib.loads((page.TEXT_DIR / f"page.{lang}.toml").read_text(encoding="utf-8")) for lang in ("en", "zh")}

    def keys(table: dict, prefix: str = "") -> set[str]:
        return {f"{prefix}{k}" for k, v in table.items() if not isinstance(v, dict)} | {
            key for k, v in table.items() if isinstance(v, dict) for key in keys(v, f"{k}.")}

    assert keys(texts["en"]) == keys(texts["zh"])
    assert texts["en"]["other_page"] == page.page_name("zh") and texts["zh"]["other_page"] == page.page_name("en")
