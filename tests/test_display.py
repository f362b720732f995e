"""Notebook display helpers: run by the build they show what the build produced; interactively they draw or compute
in memory; either way they write nothing and carry both languages."""

import base64

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import display, plotting
from ipanalysis.report.catalogue import TABLES


@pytest.fixture
def shown(monkeypatch):
    bundles: list[dict] = []
    monkeypatch.setattr(display, "_show", bundles.append)
    return bundles


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


def test_in_a_build_a_figure_is_a_reference_and_nothing_is_drawn(shown, monkeypatch, tmp_path):
    monkeypatch.setenv(display.BUILD_DIR_VARIABLE, str(tmp_path))
    monkeypatch.setattr(plotting, "FIGURES", {})  # drawing would fail
    display.figure("attainment", None)
    assert shown == [{
        "text/plain": "figure attainment",
        display.MIME: {"kind": "figure", "name": "attainment",
                       "en": {"src": "figures/en/attainment.svg", "caption": "figures/en/attainment.caption.json"},
                       "zh": {"src": "figures/zh/attainment.svg", "caption": "figures/zh/attainment.caption.json"}},
    }]
    assert list(tmp_path.iterdir()) == []


def test_interactively_a_figure_is_drawn_in_memory(shown, monkeypatch, dataset, tmp_path):
    monkeypatch.delenv(display.BUILD_DIR_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    display.figure("reporting_coverage", dataset)
    assert base64.b64decode(shown[0]["image/png"]).startswith(b"\x89PNG")
    assert list(tmp_path.iterdir()) == []


def test_in_a_build_a_table_is_the_builds_copy(shown, monkeypatch, tmp_path):
    monkeypatch.setenv(display.BUILD_DIR_VARIABLE, str(tmp_path))
    display.stash_tables({"attainment": pd.DataFrame({"status": ["from the build"], "other": [1]})}, tmp_path)
    display.table("attainment", None, ["status"])
    bundle = shown[0][display.MIME]
    assert bundle["kind"] == "table" and bundle["name"] == "attainment"
    assert "from the build" in bundle["en"]["html"] and "other" not in bundle["en"]["html"]
    assert set(bundle) == {"kind", "name", "en", "zh"} and shown[0]["text/html"] == bundle["en"]["html"]


def test_interactively_a_table_is_computed(shown, monkeypatch, dataset):
    monkeypatch.delenv(display.BUILD_DIR_VARIABLE, raising=False)
    expected = TABLES["attainment"](dataset)
    assert display.table_data("attainment", dataset).equals(expected)
    display.table("attainment", dataset, ["target_id"])
    assert expected["target_id"].iloc[0] in shown[0]["text/html"]


def test_tables_show_missing_values_as_a_dash_and_row_labels_only_when_they_mean_something():
    frame = pd.DataFrame({"text": pd.array(["x", None], dtype="string"), "count": pd.array([1, None], dtype="Int64"),
                          "share": [0.5, None]})
    html = display.table_html(frame)
    assert "&lt;NA&gt;" not in html and "NaN" not in html and html.count(">–</td>") == 3
    assert ">0</td>" not in display.table_html(frame.iloc[[1]])  # a filtered row number is not a label
    assert "<td>x</td>" in display.table_html(frame.set_index("text"))
    assert "<td>low</td>" in display.table_html(frame.rename(index={0: "low", 1: "high"}))


def test_a_series_is_shown_with_its_labels(shown):
    display.frame(pd.Series({"quoted": 3, "date": 1}, name="numbers").rename_axis("status"))
    assert "<th>Status</th>" in shown[0]["text/html"] and "in a curated quote" in shown[0]["text/html"]
    assert "<th>状态</th>" in shown[0][display.MIME]["zh"]["html"]


def test_findings_carry_both_languages(shown):
    display.findings([{"en": "Two of three targets were met.", "zh": "三项目标中两项已实现。"}], "progress")
    bundle = shown[0][display.MIME]
    assert bundle["kind"] == "text" and "Two of three" in bundle["en"]["html"] and "三项目标" in bundle["zh"]["html"]
    assert "三项目标" not in bundle["en"]["html"] and "Two of three" not in bundle["zh"]["html"]
    assert "Two of three" in shown[0]["text/markdown"] and "三项目标" in shown[0]["text/markdown"]


def test_every_computed_table_is_described_and_its_columns_documented(dataset):
    """The workbook's index and columns sheets describe every table the build writes, column by column."""
    from ipanalysis.column_docs import COLUMNS
    from ipanalysis.report.catalogue import DESCRIPTIONS, computed_tables

    for name, table in computed_tables(dataset).items():
        assert DESCRIPTIONS.get(name), name
        assert list(table.columns) == list(COLUMNS.get(name, {})), name


def test_the_built_stage_and_precoder_tables_are_the_notebooks(dataset):
    """stage_shares splits 综合 over the five stages per grouping; the leave-one-out units pair with the in-sample ones."""
    from ipanalysis import instruments

    stages = TABLES["stage_shares"](dataset)
    five = ["creation", "utilisation", "protection", "management", "services"]
    assert set(stages["grouping"]) == {"doc_id", "plan_period", "level"}
    assert (stages[five].sum(axis=1) - 1).abs().max() < 1e-9
    periods = stages[stages["grouping"] == "plan_period"].set_index("group")[five]
    expected = instruments.stage_shares(dataset, "plan_period", comprehensive="split")[five]
    pd.testing.assert_frame_equal(periods, expected, check_names=False)
    loo, in_sample = TABLES["precoder_units_loo"](dataset), TABLES["precoder_units"](dataset)
    assert sorted(loo["unit_id"]) == sorted(in_sample["unit_id"])
    assert TABLES["dictionary_folds"](dataset)["units"].sum() == len(in_sample)


def test_the_readme_names_every_table_the_build_writes():
    from ipanalysis.config import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in TABLES if f"`{name}.csv`" not in readme] == []
