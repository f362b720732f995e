"""The report's fixed prose (notebook Markdown in both languages, the page text, the Methods) holds for any data
folder: it names no document or region and counts no documents by hand; names and counts come from the data, through
the findings or the page's placeholders."""

from __future__ import annotations

import dataclasses
import re

import nbformat
import pytest

import ipanalysis
from ipanalysis.config import NOTEBOOKS_DIR
from ipanalysis.report import page, state
from ipanalysis.report.translation import translation

COUNTED_BY_HAND = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+)?(?:documents|sources|plans|opinions|indicators|"
    r"districts|cities|boxes)\b|[两二三四五六七八九十]份|[两二三四五六七八九十]个(?:指标|专栏)", re.IGNORECASE)


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


def _prose() -> dict[str, str]:
    texts = {}
    for path in state.notebook_sources(NOTEBOOKS_DIR):
        for n, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "markdown":
                texts[f"{path.name} cell {n}"] = cell.source
                texts[f"{path.name} cell {n} (zh)"] = translation(cell, "zh") or ""
    for lang in ("en", "zh"):
        texts[f"page.{lang}.toml"] = (page.TEXT_DIR / f"page.{lang}.toml").read_text(encoding="utf-8")
        texts[f"methods.{lang}.md"] = page.methods_markdown(lang)
    return texts


def _names(dataset) -> set[str]:
    """Document ids and labels, and region names with and without their 区/市/District suffix."""
    regions = dataset.regions[dataset.regions["level"] != "national"]
    names = {*dataset.documents["doc_id"], *dataset.documents["label_en"], *dataset.documents["label_zh"]}
    for name in [*regions["name_en"], *regions["name_zh"]]:
        names |= {name, name.removesuffix(" District").removesuffix(" City"), name.rstrip("区市")}
    return names


def test_prose_names_no_document_or_region_and_counts_no_documents(dataset):
    names = _names(dataset)
    for where, text in _prose().items():
        named = sorted(name for name in names if re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![a-z])", text))
        assert not named, f"{where} names {named}: take names from the data (findings, page placeholders)"
        counted = COUNTED_BY_HAND.findall(text)
        assert not counted, f"{where} counts by hand: {counted}"


def test_the_page_text_names_the_regions_and_counts_of_the_data(dataset):
    documents = dataset.documents
    cities = set(documents["region"]) & set(dataset.regions["parent_region"].dropna())
    city = sorted(cities)[0]
    for data in (dataset, dataclasses.replace(dataset, documents=documents.iloc[1:]),
                 dataclasses.replace(dataset, documents=documents[documents["region"] != city])):
        regions = [region for region in data.documents["region"].unique()
                   if dataset.regions.set_index("region_id").loc[region, "parent_region"] not in set(data.documents["region"])]
        for lang in ("en", "zh"):
            text = page.page_text(lang, data)
            assert not any("{" in value for value in text.values() if isinstance(value, str))
            assert all(data.region_name(region, lang) in text["title"] for region in regions), text["title"]
            assert str(len(data.documents)) in text["numbers"]
    assert dataset.region_name(city) not in page.page_text("en", dataclasses.replace(
        dataset, documents=documents[documents["region"] != city]))["title"]
