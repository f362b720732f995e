"""The curated dataset: checksums, provenance over every row (checked here independently of the validator, reading
the CSVs with the csv module), and facts checked by hand against the sources."""

import csv
import hashlib
import re
from dataclasses import replace

import pandas as pd
import pytest

import ipanalysis
from ipanalysis.config import DATA_DIR
from ipanalysis.coverage import number_coverage

SOURCES = DATA_DIR / "sources"
SNAPSHOTS = DATA_DIR / "snapshots"


def rows(name):
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def source_text(doc_id):
    """The text a quote cites: a document's source file, or an observation snapshot (register entries cite both)."""
    files = {row["doc_id"]: SOURCES / row["source_file"] for row in rows("documents.csv")}
    files |= {row["source_id"]: DATA_DIR / "snapshots" / row["file"] for row in rows("observation_sources.csv")}
    return files[doc_id].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


def test_the_data_folder_validates_without_a_problem():
    result = ipanalysis.validate(DATA_DIR)
    assert [p.format() for p in result.problems] == []


def test_checksums_match_the_source_bytes():
    documents = rows("documents.csv")
    assert len(documents) == 5
    for row in documents:
        assert hashlib.sha256((SOURCES / row["source_file"]).read_bytes()).hexdigest() == row["sha256"], row["doc_id"]


def test_sources_folder_holds_exactly_the_listed_documents():
    assert sorted(p.name for p in SOURCES.iterdir()) == sorted(row["source_file"] for row in rows("documents.csv"))


@pytest.mark.parametrize(("table", "pairs"), [
    ("targets.csv", [("doc_id", "quote")]),
    ("outcomes.csv", [("doc_id", "quote")]),
    ("milestones.csv", [("doc_id", "quote"), ("evidence_doc_id", "evidence_quote")]),
    ("source_problems.csv", [("doc_a", "quote_a"), ("doc_b", "quote_b")]),
])
def test_every_quote_is_verbatim(table, pairs):
    checked = 0
    for row in rows(table):
        for doc_column, quote_column in pairs:
            if row[doc_column]:
                assert row[quote_column] in source_text(row[doc_column]), (table, row[quote_column])
                checked += 1
    assert checked > 0


# A reading of value_text by hand, independent of the project's parser: Arabic digits times 万/萬 or 亿/億, or one of the
# few word forms the sources use.
WORD_FORMS = {"保持万件": 10_000, "零突破": 1, "第六位": 6, "第四": 4}
MULTIPLIERS = {"": 1, "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def read_by_hand(text: str) -> float:
    if text in WORD_FORMS:
        return WORD_FORMS[text]
    number, multiplier = re.search(r"(\d+(?:\.\d+)?)\s*([万萬亿億]?)", text).groups()
    return float(number) * MULTIPLIERS[multiplier]


@pytest.mark.parametrize(("table", "value_column"), [("targets.csv", "target_value"), ("outcomes.csv", "value"),
                                                     ("observations.csv", "value")])
def test_every_direct_value_reads_back_from_its_quote(table, value_column):
    checked = 0
    for row in rows(table):
        if row.get("is_derived") == "true":
            continue
        assert row["value_text"] in row["quote"], row
        assert read_by_hand(row["value_text"]) == pytest.approx(float(row[value_column]), rel=1e-9), row
        checked += 1
    assert checked >= 30


def test_every_observation_quote_is_verbatim_in_its_snapshot():
    files = {row["source_id"]: row["file"] for row in rows("observation_sources.csv")}
    for row in rows("observations.csv"):
        assert row["quote"] in (SNAPSHOTS / files[row["source_id"]]).read_text(encoding="utf-8"), row["observation_id"]


def test_snapshot_checksums_and_folder():
    sources = rows("observation_sources.csv")
    for row in sources:
        assert hashlib.sha256((SNAPSHOTS / row["file"]).read_bytes()).hexdigest() == row["sha256"], row["source_id"]
    assert sorted(p.name for p in SNAPSHOTS.iterdir()) == sorted(row["file"] for row in sources)


def test_table_dtypes_follow_the_schema(dataset):
    assert dataset.targets["target_value"].dtype == "float64"
    assert dataset.targets["target_year"].dtype == "Int64"
    assert dataset.targets["target_year_inferred"].dtype == "boolean"
    assert dataset.outcomes["quote"].dtype == "string"
    assert pd.isna(dataset.outcomes.set_index("outcome_id").loc["jh2022-o07", "year"])


# Facts checked by hand against the documents (not produced by the code under test).
@pytest.mark.parametrize(("doc_id", "count"), [("tj2016", 5), ("tj2017", 20), ("tj2021", 11), ("wq2017", 16), ("jh2022", 10)])
def test_distinct_targets_per_document(dataset, doc_id, count):
    assert (dataset.canonical_targets["doc_id"] == doc_id).sum() == count


@pytest.mark.parametrize(("outcome_id", "value"), [
    ("tj2021-o01", 24.4), ("tj2021-o05", 246_000), ("tj2021-o07", 288_900), ("tj2021-o13", 213_400),
    ("tj2021-o32", 11_393_000_000), ("jh2022-o06", 11_021), ("jh2022-o23", 12_654), ("jh2022-o25", 4.37),
])
def test_reported_values(dataset, outcome_id, value):
    assert dataset.outcomes.set_index("outcome_id").loc[outcome_id, "value"] == pytest.approx(value)


@pytest.mark.parametrize(("outcome_id", "expected"), [
    ("tj2021-o06", 103_776),            # 有效专利24.6万件，比2015年增长137.05%: 103,775.58 patents, a whole count
    ("tj2021-o08", 113_561),            # 28.89万件，比2015年增长154.40%: 113,561.32 registrations
    ("tj2021-o10", 145),                # 驰名商标156件，比2015年增长7.59%: 144.99 trademarks
    ("tj2021-o12", 267),                # 353件，比2015年增长32.21%: 267.00
    ("jh2022-o07", 5_511),              # 11021件，较机构改革前增长近一倍: 5,510.5 patents, halves up
    ("tj2021-o02", 24.4 / 2),           # 比2015年翻一番
    ("tj2021-o03", 24.4 - 8.6),         # 比全国平均水平高出8.6件
    ("tj2021-o19", 45),                 # 177个，是2015年的3.93倍: 45.04 varieties
    ("tj2021-o33", 11_393_000_000 / 1.9656),  # 比“十二五”时期增长96.56%
])
def test_derived_values(dataset, outcome_id, expected):
    outcome = dataset.outcomes.set_index("outcome_id").loc[outcome_id]
    assert outcome["is_derived"]
    assert outcome["value"] == pytest.approx(expected, abs=0.006)


def test_wuqing_target_year_is_inferred_and_explained(dataset):
    wuqing = dataset.targets[dataset.targets["doc_id"] == "wq2017"]
    assert (wuqing["target_year"] == 2019).all()
    assert wuqing["target_year_inferred"].all()
    assert wuqing["notes"].str.contains("三年培育期").all()


def test_jinghai_cumulative_notation_is_kept_and_explained(dataset):
    table_rows = dataset.targets[dataset.targets["section"].str.contains("主要指标")]
    assert len(table_rows) == 8
    bracketed = table_rows[table_rows["value_text"].str.startswith("〔")]
    assert bracketed["notes"].str.contains("〔〕为累计数据").all()


def test_known_source_problems_are_registered(dataset):
    problems = dataset.source_problems.set_index("problem_id")
    assert "25家企业完成知识产权贯标认证" in problems.loc["p01", "quote_a"]
    assert "〔4〕" in problems.loc["p01", "quote_b"]
    assert "800件" in problems.loc["p02", "quote_a"] and "21.34万件" in problems.loc["p02", "quote_b"]


def test_every_number_in_the_sources_is_curated_or_explained(dataset):
    coverage = number_coverage(dataset)
    uncovered = coverage[coverage["status"] == "uncovered"]
    assert uncovered.empty, uncovered.to_string()
    assert (coverage["status"] == "quoted").sum() > 150


def test_removing_a_target_leaves_its_number_uncovered(dataset):
    without = dataset.targets[dataset.targets["target_id"] != "tj2021-t11"]
    pruned = ipanalysis.Dataset(**{**dataset.__dict__, "targets": without})
    coverage = number_coverage(pruned)
    uncovered = coverage[coverage["status"] == "uncovered"]
    assert uncovered["number"].tolist() == ["2500"]
    assert "重点产业保护备案企业 2500 家" in uncovered["context"].iloc[0]


def test_a_quote_covers_every_place_it_occurs(dataset):
    """A sentence a document states twice is quoted at both places: its number is curated twice, the other not."""
    text = "专利达到5件。商标达到7件。专利达到5件。"
    quoting = dataset.targets.iloc[:1].assign(doc_id="x1", quote="专利达到5件")
    made_up = replace(dataset, document_texts={"x1": text}, targets=quoting)
    coverage = number_coverage(made_up)
    assert coverage[["number", "status"]].values.tolist() == [["5", "quoted"], ["7", "uncovered"], ["5", "quoted"]]


def test_cached_tables_are_kept_per_dataset_and_arguments(dataset):
    """The memo computes a table once per (dataset, arguments) and returns copies: a second grouping is computed, not
    served the first one's table; a changed copy does not change the memo."""
    from ipanalysis.dataset import cached

    calls = []

    @cached
    def table(data, by):
        calls.append(by)
        return pd.DataFrame({"by": [by]})

    assert table(dataset, "level")["by"].tolist() == ["level"]
    assert table(dataset, "plan_period")["by"].tolist() == ["plan_period"]
    first = table(dataset, "level")
    first.loc[0, "by"] = "changed"
    assert table(dataset, "level")["by"].tolist() == ["level"]
    other = replace(dataset)
    assert table(other, "level")["by"].tolist() == ["level"]
    assert calls == ["level", "plan_period", "level"]


def test_data_dictionary_is_current():
    from ipanalysis.dictionary import render_dictionary

    committed = (DATA_DIR / "DICTIONARY.md").read_text(encoding="utf-8")
    assert committed == render_dictionary(), "run `make dictionary`"


def test_levels_follow_the_contract():
    import json

    from ipanalysis.dataset import LEVELS

    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    regions = next(r for r in package["resources"] if r["name"] == "regions")
    level = next(f for f in regions["schema"]["fields"] if f["name"] == "level")
    assert tuple(level["constraints"]["enum"]) == LEVELS


def test_commitments_count_identical_targets_once(dataset):
    # By hand: 62 canonical statements; the 2016 and 2017 city opinions share four identical 2020 targets.
    commitments = dataset.commitments.set_index("commitment_id")
    assert len(commitments) == 62 - 4
    shared = commitments[commitments["doc_ids"].str.contains(";")]
    assert sorted(shared["target_ids"]) == ["tj2016-t01;tj2017-t01", "tj2016-t03;tj2017-t04", "tj2016-t04;tj2017-t06",
                                            "tj2016-t05;tj2017-t07"]
    jinghai_units = commitments.loc[dataset.targets.set_index("target_id").loc["jh2022-t07", "commitment_id"]]
    assert jinghai_units["statements"] == 4  # the table row, the goals text, 专栏1 and its bullet
    assert jinghai_units["problem_ids"] == "p05;p06;p23"  # p23: the goals text counts projects, the table units


def test_every_curated_target_names_its_commitment():
    assert all(row["commitment_id"] for row in rows("targets.csv"))


def test_one_indicator_is_one_measure(dataset):
    """Checked by hand against the sources (issue 7): the same thing under one id, different things under two."""
    outcomes = dataset.outcomes.set_index("outcome_id")
    targets = dataset.targets.set_index("target_id")
    # Jinghai's named advantage enterprise and its table's 0 count the same enterprises, so the conflict (p04) shows.
    assert outcomes.loc["jh2022-o14", "indicator_id"] == outcomes.loc["jh2022-o28", "indicator_id"] == targets.loc[
        "jh2022-t06", "indicator_id"]
    # 累计达2000件 with no start (a running total) is not Jinghai's 2021-2025 flow; 5 projects are not 5 units.
    assert targets.loc["tj2016-t02", "indicator_id"] != targets.loc["jh2022-t05", "indicator_id"]
    assert targets.loc["jh2022-t13", "indicator_id"] != targets.loc["jh2022-t07", "indicator_id"]
    assert pd.isna(targets.loc["jh2022-t13", "restates_target_id"])
    # 培育…2家 adds 2 units: increments, on the text's three named firms (3 + 2 = 5, the table's 〔5〕).
    assert (targets.loc[["jh2022-t17", "jh2022-t20", "jh2022-t23"], "target_form"] == "increment").all()
    assert outcomes.loc["jh2022-o13", "value"] + 2 == targets.loc["jh2022-t07", "target_value"]


def test_milestone_statuses_follow_the_evidence_wording(dataset):
    milestones = dataset.milestones.set_index("milestone_id")
    # 保持全国先进行列 (stays in the advanced ranks) is less than 进入全国前列 (enters the front ranks).
    assert milestones.loc["tj2017-m02", "evidence_status"] == "weaker_claim"
    # The 14th plan sets 率先建成…知识产权强市 again for 2025: not done.
    assert milestones.loc[["tj2016-m01", "tj2017-m01"], "evidence_status"].tolist() == ["set_again", "set_again"]
    # The city plan of 2021-04 cannot be evidence for Jinghai's goal of 2022-03.
    assert pd.isna(milestones.loc["jh2022-m03", "evidence_doc_id"])
    dates = dataset.documents.set_index("doc_id")["date_issued"]
    evidenced = milestones.dropna(subset=["evidence_doc_id"])
    assert (evidenced["evidence_doc_id"].map(dates) > evidenced["doc_id"].map(dates)).all()


@pytest.mark.parametrize(("outcome_id", "qualifier"), [
    ("tj2021-o03", "approximately"),  # 24.4 - 8.6, both rounded to 0.1
    ("tj2021-o06", "approximately"),  # from 24.6万, rounded to the thousand
    ("tj2021-o33", "approximately"),  # from 113.93亿元, rounded to a million yuan
    ("tj2021-o10", "exact"),          # 145 is the only whole number 156 / (1.07585 to 1.07595) allows
    ("tj2021-o19", "exact"),          # 45 is the only whole number 177 / (3.925 to 3.935) allows
])
def test_derived_values_carry_the_rounding_of_their_inputs(dataset, outcome_id, qualifier):
    assert dataset.outcomes.set_index("outcome_id").loc[outcome_id, "qualifier"] == qualifier


@pytest.mark.parametrize(("outcome_id", "indicator_id", "value"), [
    ("jh2022-o31", "municipal_enterprise_key_laboratories", 5),  # 等5个市级企业重点实验室
    ("jh2022-o32", "municipal_engineering_technology_centres", 5),  # 等5个市级工程技术中心
    ("jh2022-o33", "trademark_filing_windows", 1),  # 在区政务服务中心设立商标受理窗口
    ("tj2021-o57", "joint_rights_assistance_workstations", 2),  # 武清联合工作站、家具行业联合工作站
])
def test_counts_the_plans_state_or_name_are_curated(dataset, outcome_id, indicator_id, value):
    outcome = dataset.outcomes.set_index("outcome_id").loc[outcome_id]
    assert (outcome["indicator_id"], outcome["value"]) == (indicator_id, value)
