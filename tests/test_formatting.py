"""Formatted tables: labels instead of ids, numbers as numbers.py writes them, no NaN or index, headers in Chinese, and
LaTeX with its special characters escaped."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import formatting


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


@pytest.fixture(scope="module")
def keys(dataset):
    return {(name, lang): make(dataset, lang) for name, make in formatting.KEY_TABLES.items() for lang in ("en", "zh")}


def test_a_table_gets_labels_numbers_and_dashes(dataset):
    doc_id = dataset.document_order[0]
    indicator = dataset.indicators.iloc[0]
    frame = pd.DataFrame({
        "doc_id": [doc_id, doc_id], "indicator_id": [indicator["indicator_id"]] * 2, "target_value": [150000.0, None],
        "required_growth": [0.080893, float("nan")], "status": ["not_reported", pd.NA], "units": [3, 4],
    }, index=[7, 9])
    en = formatting.formatted(frame, "en", dataset)
    zh = formatting.formatted(frame, "zh", dataset)
    assert list(en.columns) == ["Document", "Indicator", "Target", "Required growth a year", "Status", "Units"]
    assert list(en.iloc[0]) == [dataset.document_label(doc_id), indicator["name_en"], "150,000", "8.1 %", "not reported", "3"]
    assert list(en.iloc[1])[2:5] == ["–", "–", "–"]
    assert list(zh.columns) == ["文件", "指标", "目标值", "所需年均增速", "状态", "单元数"]
    assert list(zh.iloc[0]) == [dataset.document_label(doc_id, "zh"), indicator["name_zh"], "150,000", "8.1%", "未报告", "3"]
    assert list(en.index) == [0, 1]


def test_a_named_index_becomes_columns_and_wide_headers_get_labels(dataset):
    doc_ids = dataset.document_order[:2]
    frame = pd.DataFrame({doc_ids[0]: [0.5], doc_ids[1]: [0.25]}, index=pd.Index(["finance"], name="instrument_subtype"))
    table = formatting.formatted(frame, "zh", dataset, name="subtype_shares")
    codes = dataset.codebook.set_index("code_id")
    assert list(table.columns) == ["工具子类", *(dataset.document_label(d, "zh") for d in doc_ids)]
    assert list(table.iloc[0]) == [codes.loc["finance", "label_zh"], "50.0%", "25.0%"]


def test_only_the_readers_language_of_a_column_pair_is_kept(dataset):
    frame = pd.DataFrame({"indicator_en": ["x"], "indicator_zh": ["甲"]})
    assert list(formatting.formatted(frame, "en", dataset).iloc[0]) == ["x"]
    assert list(formatting.formatted(frame, "zh", dataset).iloc[0]) == ["甲"]


def test_english_names_are_translated_for_chinese_readers(dataset):
    row = dataset.indicators.iloc[3]
    table = formatting.formatted(pd.DataFrame({"indicator_en": [row["name_en"]]}), "zh", dataset)
    assert table.iloc[0, 0] == row["name_zh"]


def test_key_tables_have_no_raw_values(keys):
    for (name, lang), key in keys.items():
        cells = key.table.to_numpy().ravel().tolist() + list(key.table.columns)
        assert key.table.shape[0] > 0, name
        for cell in cells:
            assert not re.search(r"\bnan\b|<NA>|None|^\[\]$|\d\.\d{4,}", str(cell)), (name, lang, cell)
        if lang == "zh":
            assert all(re.search(r"[\u4e00-\u9fff]", str(c)) for c in key.table.columns), (name, list(key.table.columns))
            assert re.search(r"[\u4e00-\u9fff]", key.caption)


def test_growth_is_written_as_a_percentage(keys):
    ambition = keys[("ambition", "en")].table
    assert all(value == "–" or value.endswith(" %") for value in ambition["Required growth a year"])


def test_latex_escapes_specials_and_is_booktabs():
    table = pd.DataFrame({"名称 & name": ["a_b 50%", "x#y"], "Value": ["−2.2", "–"]})
    text = formatting.latex(table, "Caption with $ and {braces}", "tab:x", "zh", "note ~")
    assert r"\toprule" in text and r"\midrule" in text and r"\bottomrule" in text
    assert r"名称 \& name & Value \\" in text
    assert r"a\_b 50\% & $-$2.2 \\" in text and r"x\#y & -- \\" in text
    assert r"\caption{Caption with \$ and \{braces\}}" in text and r"note \textasciitilde{}" in text
    assert r"\begin{tabular}{lr}" in text
    body = text.split(r"\midrule")[1]
    assert not re.search(r"(?<!\\)[%&_#$](?![-])", body.replace(" & ", " ").replace("$-$", "")), body


def test_latex_files_are_written_in_both_languages(dataset, tmp_path):
    written = formatting.write_latex(dataset, tmp_path)
    assert {path.name for path in written} == {f"{n}.{lang}.tex" for n in formatting.KEY_TABLES for lang in ("en", "zh")}
    chinese = (tmp_path / "attainment.zh.tex").read_text(encoding="utf-8")
    assert "状态" in chinese and "xeCJK" in chinese
    assert (tmp_path / "attainment.en.tex").read_text(encoding="utf-8").count(r"\\") >= 3


def test_table_html_right_aligns_numbers_and_escapes_text():
    html = formatting.table_html(pd.DataFrame({"Name": ["<b>"], "Value": ["1,500"]}))
    assert "<th>Name</th><th class=num>Value</th>" in html and "<td>&lt;b&gt;</td><td class=num>1,500</td>" in html


def test_the_chinese_page_shows_the_chinese_text_the_data_holds():
    """A goal's Chinese quote replaces its English gloss on the Chinese page, the evidence quote stands beside the
    English evidence note (marked English), a code's Chinese definition replaces the English; the English page shows
    the English only."""
    dataset = ipanalysis.load()
    milestones = dataset.milestones[["milestone_id", "goal_en", "quote", "evidence_quote", "evidence_note"]]
    english, chinese = formatting.formatted(milestones, "en", dataset), formatting.formatted(milestones, "zh", dataset)
    assert {"Goal", "Evidence note"} <= set(english.columns) and not {"Quote", "Evidence quote"} & set(english.columns)
    assert "目标（英文）" not in chinese.columns and "原文" in chinese.columns and "证据原文" in chinese.columns
    assert chinese["原文"].tolist() == dataset.milestones["quote"].tolist()
    codes = formatting.formatted(dataset.codebook[["code_id", "definition_en", "definition_zh"]], "zh", dataset)
    assert "定义（英文）" not in codes.columns and "定义" in codes.columns
