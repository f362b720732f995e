"""Policy units and instruments: verbatim units, complete coding, the agency parser, the pre-coder, kappa and
keyword counts on hand-made cases."""

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import instruments


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


def test_every_unit_is_verbatim_in_its_source(dataset):
    for unit in dataset.policy_units.itertuples():
        assert unit.text in dataset.document_texts[unit.doc_id], unit.unit_id
    assert len(dataset.policy_units) == 168


def test_every_unit_has_one_primary_code_per_dimension_and_codes_exist(dataset):
    codes = dataset.policy_codes
    primary = codes[codes["primary"]].groupby(["unit_id", "dimension"]).size()
    assert (primary == 1).all()
    assert len(primary) == 2 * len(dataset.policy_units)
    assert set(codes["code_id"]) <= set(dataset.codebook["code_id"])
    assert codes["justification"].str.len().min() > 10


def test_codebook_is_bilingual_with_verbatim_examples(dataset):
    for code in dataset.codebook.itertuples():
        assert code.label_zh and code.label_en and code.definition_zh and code.definition_en
        assert code.example_quote in dataset.document_texts[code.example_doc_id], code.code_id


def test_agency_parser_reproduces_the_curated_agencies(dataset):
    aliases = {
        alias: row.name_zh
        for row in dataset.agencies.itertuples()
        if isinstance(row.aliases, str)
        for alias in row.aliases.split(";")
    }
    for unit in dataset.policy_units.itertuples():
        clause, lead, cooperating = instruments.parse_agency_clause(unit.text, aliases)
        assert (clause or None) == (unit.agency_clause if isinstance(unit.agency_clause, str) else None), unit.unit_id
        assert ";".join(lead) == (unit.lead_agencies if isinstance(unit.lead_agencies, str) else ""), unit.unit_id
        assert ";".join(cooperating) == (unit.cooperating_agencies if isinstance(unit.cooperating_agencies, str) else "")


@pytest.mark.parametrize(
    ("text", "lead", "cooperating"),
    [
        ("……(市知识产权局牵头,市教委、市科委配合)", ["市知识产权局"], ["市教委", "市科委"]),
        ("……（请市高法院、市检察院、市公安局按职责分工负责）", ["市高级人民法院", "市人民检察院", "市公安局"], []),
        ("……(市科委、市知识产权局分别牵头,市财政局、天津保监局配合)", ["市科委", "市知识产权局"], ["市财政局", "天津保监局"]),
        ("……（天津海关牵头负责）", ["天津海关"], []),
        ("没有责任单位的句子。", [], []),
    ],
)
def test_agency_parser_on_hand_made_clauses(text, lead, cooperating):
    aliases = {"市高法院": "市高级人民法院", "市检察院": "市人民检察院"}
    _, found_lead, found_cooperating = instruments.parse_agency_clause(text, aliases)
    assert (found_lead, found_cooperating) == (lead, cooperating)


@pytest.mark.parametrize(
    ("first", "second", "kappa"),
    [
        (["a", "a", "b", "b"], ["a", "a", "b", "b"], 1.0),
        (["a", "a", "b", "b"], ["a", "b", "b", "b"], 0.5),  # p_o = .75, p_e = .5*.25 + .5*.75 = .5
        (["a", "b", "a", "b"], ["a", "a", "b", "b"], 0.0),  # agreement at chance
        (["x"] * 20 + ["y"] * 5, ["x"] * 15 + ["y"] * 5 + ["x"] * 5, -0.25),  # p_o = .6 < p_e = .8*.8 + .2*.2 = .68
    ],
)
def test_cohen_kappa_on_hand_computed_cases(first, second, kappa):
    assert instruments.cohen_kappa(first, second) == pytest.approx(kappa, abs=1e-12)


def test_cohen_kappa_textbook_example():
    # 50 items: both say yes 20, both no 15, rater A yes/B no 5, A no/B yes 10 -> p_o = .7, p_e = .5*.6 + .5*.4 = .5
    first = ["yes"] * 20 + ["no"] * 15 + ["yes"] * 5 + ["no"] * 10
    second = ["yes"] * 20 + ["no"] * 15 + ["no"] * 5 + ["yes"] * 10
    assert instruments.cohen_kappa(first, second) == pytest.approx(0.4)


def test_cohen_kappa_rejects_mismatched_codings():
    with pytest.raises(ValueError):
        instruments.cohen_kappa(["a"], ["a", "b"])


def test_precoder_on_hand_made_units():
    dictionary = {
        "enforcement": ["执法", "打击"],
        "finance": ["质押", "融资"],
        "protection": ["保护", "侵权"],
        "utilisation": ["运用"],
    }
    subtypes, stages = ["enforcement", "finance"], ["protection", "utilisation"]
    assert instruments.precode("加强执法，严厉打击侵权行为", dictionary, subtypes) == "enforcement"
    assert instruments.precode("加强执法，严厉打击侵权行为", dictionary, stages) == "protection"
    assert instruments.precode("推动专利质押融资，促进运用", dictionary, subtypes) == "finance"
    assert instruments.precode("与知识产权无关的句子", dictionary, subtypes) == instruments.UNCODED
    assert instruments.precode("执法与质押", dictionary, subtypes) == "enforcement"  # a tie goes to the earlier code


def test_confusion_table_counts_every_pair():
    table = instruments.confusion(["a", "a", "b"], ["a", "b", instruments.UNCODED], ["a", "b"])
    assert table.loc["a", "a"] == 1 and table.loc["a", "b"] == 1 and table.loc["b", instruments.UNCODED] == 1
    assert table.to_numpy().sum() == 3


def test_theme_counts_match_longer_keywords_first_without_overlap():
    assert instruments.theme_counts("高质量发展，提高质量", ["质量", "高质量"]) == 2
    assert instruments.theme_counts("保护保护服务", ["保护"]) == 2


def test_keyword_intensity_is_per_10000_non_space_characters(dataset):
    intensity = instruments.keyword_intensity(dataset)
    row = intensity[(intensity["doc_id"] == "wq2017") & (intensity["theme_id"] == "services")].iloc[0]
    text = dataset.document_texts["wq2017"]
    characters = len("".join(text.split()))
    assert row["characters"] == characters
    assert row["per_10k"] == pytest.approx(text.count("服务") / characters * 10_000)


def test_instrument_tables_add_up(dataset):
    table = instruments.instrument_stage_table(dataset, "plan_period")
    assert table.groupby("group")["units"].sum().to_dict() == {"13th": 95, "14th": 73}
    assert table.groupby("group")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert instruments.unit_summary(dataset)["units"].sum() == 168


def test_agency_roles_and_links(dataset):
    roles = instruments.agency_roles(dataset).set_index("agency_zh")
    assert roles.loc["市知识产权局", ["leads", "joins"]].tolist() == [50, 1]
    links = instruments.co_responsibility(dataset)
    pair = links[(links["agency_a"] == "市市场监管委") & (links["agency_b"] == "市知识产权局")]
    assert pair["shared_tasks"].item() == 29
    assert (links["agency_a"] < links["agency_b"]).all()


def test_agreement_is_reported_per_dimension(dataset):
    table = instruments.agreement(dataset).set_index("dimension")
    assert list(table.index) == ["instrument_type", "instrument_subtype", "value_chain_stage"]
    assert ((table["kappa"] > 0) & (table["kappa"] <= 1)).all()
    assert isinstance(table, pd.DataFrame)
