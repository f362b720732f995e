"""Policy units and instruments: verbatim units, codes that follow the codebook's rules, restatements counted once, the
agency parser, the pre-coder, kappa (in-sample and leave-one-document-out) and the share tables on hand-worked cases."""

import dataclasses
import re
import shutil

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import instruments
from ipanalysis.config import DATA_DIR


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


# -- a small case, worked by hand. Documents A (13th, city), B (14th, district), C (14th, city); b3 is a box restating b2.
#    unit  chars  subtype        (type)         stage          text
#    a1    10     talent         supply         management     开展培训 + 6 filler characters
#    a2    30     enforcement    environmental  protection     加强执法 + 26, then a responsibility clause (not counted)
#    b1    20     demonstration  demand         comprehensive  示范 + 18
#    b2    20     talent         supply         creation       人才培训 + 16
#    b3    40     talent         supply         creation       restates b2: never counted
#    c1    50     finance        environmental  utilisation    质押融资 + 46
SMALL_UNITS = [
    ("a1", "A", "tasks", None, "开展培训" + "字" * 6, None, "talent", "management"),
    ("a2", "A", "tasks", None, "加强执法" + "字" * 26 + "（市知识产权局牵头）", "市知识产权局牵头", "enforcement", "protection"),
    ("b1", "B", "tasks", None, "示范" + "字" * 18, None, "demonstration", "comprehensive"),
    ("b2", "B", "tasks", None, "人才培训" + "字" * 16, None, "talent", "creation"),
    ("b3", "B", "box", "b2", "培训" * 20, None, "talent", "creation"),
    ("c1", "C", "tasks", None, "质押融资" + "字" * 46, None, "finance", "utilisation"),
]
SMALL_KEYWORDS = [("talent", "培训"), ("enforcement", "执法"), ("finance", "质押"), ("demonstration", "示范"),
                  ("protection", "执法"), ("management", "培训")]


@pytest.fixture(scope="module")
def small(dataset):
    documents = pd.DataFrame({"doc_id": ["A", "B", "C"], "plan_period": ["13th", "14th", "14th"],
                              "level": ["city", "district", "city"], "date_issued": ["2016-01", "2017-01", "2018-01"]})
    units = pd.DataFrame(
        [(u, d, p, r, t, c, None, None, "标题") for u, d, p, r, t, c, *_ in SMALL_UNITS],
        columns=["unit_id", "doc_id", "part", "restates_unit_id", "text", "agency_clause", "lead_agencies",
                 "cooperating_agencies", "heading"],
    )
    codes = pd.DataFrame(
        [(u, dimension, code, True) for u, *_, subtype, stage in SMALL_UNITS
         for dimension, code in (("instrument_subtype", subtype), ("value_chain_stage", stage))],
        columns=["unit_id", "dimension", "code_id", "primary"],
    )
    keywords = pd.DataFrame(SMALL_KEYWORDS, columns=["code_id", "keyword"])
    return dataclasses.replace(dataset, documents=documents, policy_units=units, policy_codes=codes, precoder_keywords=keywords)


# -- the data
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


def test_codes_cite_existing_sentences_and_name_the_rule_that_decided(dataset):
    """What load() does not check: sentence numbers exist in the unit (rule_unit), a tie names rule_tie, a restatement
    names rule_restatement. (The validator checks one code per sentence, the primary's lead and restatements' codes.)"""
    units = {unit.unit_id: unit for unit in dataset.policy_units.itertuples()}
    sentences = {u.unit_id: len(instruments.content_sentences(u.text, u.heading, u.agency_clause)) for u in units.values()}
    for (unit_id, _), group in dataset.policy_codes.groupby(["unit_id", "dimension"]):
        numbers = {code.code_id: [int(n) for n in code.sentences.split(";")] if isinstance(code.sentences, str) else []
                   for code in group.itertuples()}
        assert {n for ns in numbers.values() for n in ns} <= set(range(1, sentences[unit_id] + 1)), unit_id
        chosen = next(code for code in group.itertuples() if code.primary)
        if isinstance(units[unit_id].restates_unit_id, str):
            assert "rule_restatement" in chosen.justification, unit_id
        elif sum(len(ns) == len(numbers[chosen.code_id]) for ns in numbers.values()) > 1:
            assert "rule_tie" in chosen.justification, unit_id


def test_every_box_restates_its_clause_and_only_boxes_do(dataset):
    units = dataset.policy_units
    restating = units[units["restates_unit_id"].notna()]
    assert set(restating["unit_id"]) == set(units.loc[units["part"] == "box", "unit_id"]) and len(restating) == 5


U04 = "tj2016-u04,instrument_subtype,"  # tj2016-u04: organisation takes sentences 1 and 2, laws_regulation 3


@pytest.mark.parametrize(
    ("file", "edits", "kind", "column"),
    [
        pytest.param("policy_units.csv", [(",jh2022-u06,专栏2", ",jh2022-u05,专栏2")], "restates_chain", "restates_unit_id",
                     marks=pytest.mark.provokes("restates_chain")),
        pytest.param("policy_units.csv", [(",jh2022-u08,专栏3", ",tj2021-u06,专栏3")], "restates_mismatch", "restates_unit_id",
                     marks=pytest.mark.provokes("restates_mismatch")),
        pytest.param("policy_codes.csv", [(U04 + "laws_regulation,false,3", U04 + "laws_regulation,false,2")], "sentence_twice",
                     "sentences", marks=pytest.mark.provokes("sentence_twice")),
        pytest.param("policy_codes.csv", [(U04 + "organisation,true,", U04 + "organisation,false,"),
                                          (U04 + "laws_regulation,false,", U04 + "laws_regulation,true,")], "primary_not_most",
                     "primary", marks=pytest.mark.provokes("primary_not_most")),
    ],
)
def test_the_validator_enforces_the_coding_rules(tmp_path, file, edits, kind, column):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / file).read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (data / file).write_text(text, encoding="utf-8")
    found = [problem for problem in ipanalysis.validate(data).problems if problem.key == kind]
    assert found and found[0].column == column and found[0].file.endswith(file)


def test_codebook_is_bilingual_with_verbatim_examples_and_every_cited_rule_exists(dataset):
    codebook = dataset.codebook
    for code in codebook.itertuples():
        assert code.label_zh and code.label_en and code.definition_zh and code.definition_en
        assert code.example_quote in dataset.document_texts[code.example_doc_id], code.code_id
    rules = set(codebook.loc[codebook["dimension"] == "coding_rule", "code_id"])
    cited = re.findall(r"rule_[a-z]+", " ".join([*codebook["definition_en"], *dataset.policy_codes["justification"]]))
    assert {"rule_unit", "rule_primary", "rule_tie", "rule_restatement"} <= rules
    assert set(cited) <= rules
    assert codebook.loc[codebook["dimension"] == "coding_rule", "parent_code"].isna().all()


# -- sentences and weights
@pytest.mark.parametrize(
    ("text", "heading", "clause", "sentences"),
    [
        ("（一）指导思想。全面贯彻。坚持改革；加强保护。（市知识产权局牵头）", "指导思想", "市知识产权局牵头",
         ["全面贯彻。", "坚持改革；", "加强保护。"]),
        ("专栏1 强企工程\t到2025年，培育1家。——示范企业。引导企业创新。——贯标企业。", "强企工程", None,
         ["到2025年，培育1家。", "——示范企业。引导企业创新。", "——贯标企业。"]),
        ("（八）打造特色小镇。", "打造特色小镇", None, ["打造特色小镇"]),
        ("一是加强执法，提升能力。", "加强执法", None, ["一是加强执法，提升能力。"]),
        ("2. 提升水平。支持高\n  校研究制度。", "提升水平", None, ["支持高校研究制度。"]),
    ],
)
def test_content_sentences_on_hand_made_units(text, heading, clause, sentences):
    assert instruments.content_sentences(text, heading, clause) == sentences


def test_unit_characters_leave_out_whitespace_and_the_responsibility_clause():
    assert instruments.unit_characters("加强 执法\n打击侵权。（市公安局牵头）", "市公安局牵头") == 9
    assert instruments.unit_characters("加强执法。", None) == 5


# -- share tables on the small case
def test_weighted_shares_by_units_and_by_characters(small):
    codes = instruments.counted_codes(small)
    assert "b3" not in set(codes["unit_id"])
    types = ["supply", "environmental", "demand"]
    by_units = instruments.weighted_shares(codes, "plan_period", "instrument_type", types, "units")
    assert by_units.loc["14th", types].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    by_characters = instruments.weighted_shares(codes, "plan_period", "instrument_type", types, "characters")
    assert by_characters.loc["13th", types].tolist() == pytest.approx([10 / 40, 30 / 40, 0])
    assert by_characters.loc["14th", types].tolist() == pytest.approx([20 / 90, 50 / 90, 20 / 90])
    assert by_characters.loc["14th", ["units", "characters"]].tolist() == [3, 90]
    with pytest.raises(ValueError):
        instruments.weighted_shares(codes, "plan_period", "instrument_type", ["supply"], "words")


def test_type_shares_on_the_small_case(small):
    shares = instruments.type_shares(small)
    assert shares.loc[("level", "city"), ["supply", "environmental", "demand"]].tolist() == pytest.approx([10 / 90, 80 / 90, 0])
    assert shares.loc[("level", "district"), ["supply", "environmental", "demand"]].tolist() == pytest.approx([0.5, 0, 0.5])
    by_units = instruments.type_shares(small, weight="units")
    assert by_units.loc[("level", "city"), ["supply", "environmental", "demand"]].tolist() == pytest.approx([1 / 3, 2 / 3, 0])
    assert by_units.loc[("plan_period", "13th"), "units"] == 2
    assert shares.loc[("all", "all"), ["supply", "environmental", "demand", "units", "characters"]].tolist() == (
        pytest.approx([30 / 130, 80 / 130, 20 / 130, 5, 130]))
    subtypes = instruments.subtype_shares(small, by=None, weight="units")["all"]
    assert subtypes[["talent", "enforcement", "finance", "guidance"]].tolist() == pytest.approx([0.4, 0.2, 0.2, 0])


def test_instrument_stage_table_on_the_small_case(small):
    table = instruments.instrument_stage_table(small, "doc_id")
    table = table.set_index(["group", "instrument_type", "value_chain_stage"]).sort_index()
    assert table.loc[("A", "supply", "management"), ["units", "unit_share", "characters", "character_share"]].tolist() == (
        pytest.approx([1, 0.5, 10, 0.25]))
    assert table.loc[("A", "environmental", "protection"), "character_share"] == pytest.approx(0.75)
    assert table.loc["B", "units"].sum() == 2  # the box b3 restates b2 and is not counted
    assert table.groupby(level=0)["character_share"].sum().tolist() == pytest.approx([1, 1, 1])


def test_stage_shares_keep_or_split_comprehensive(small):
    separate = instruments.stage_shares(small, "plan_period")
    expected = [20 / 90, 50 / 90, 20 / 90]
    assert separate.loc["14th", ["creation", "utilisation", "comprehensive"]].tolist() == pytest.approx(expected)
    split = instruments.stage_shares(small, "plan_period", comprehensive="split")
    assert "comprehensive" not in split.columns
    five = ["creation", "utilisation", "protection", "management", "services"]
    assert split.loc["14th", five].tolist() == pytest.approx([24 / 90, 54 / 90, 4 / 90, 4 / 90, 4 / 90])
    assert split.loc["13th", five].tolist() == pytest.approx([0, 0, 0.75, 0.25, 0])


def test_stage_follows_subtype_on_the_small_case(small):
    table = instruments.stage_follows_subtype(small)
    assert table.loc["talent", ["units", "at_modal_stage"]].tolist() == [2, 1]  # a1 management, b2 creation
    assert table.loc["enforcement", "modal_stage"] == "protection"
    assert instruments.stage_follows_subtype_share(small) == pytest.approx(4 / 5)


def test_unit_summary_counts_restatements_once(small):
    summary = instruments.unit_summary(small)
    assert summary.loc["B", ["units", "restatements", "counted", "characters"]].tolist() == [3, 1, 2, 40]
    assert summary.loc["A", "median_characters"] == 20


def test_intensity_by_pools_occurrences_over_characters():
    intensity = pd.DataFrame(
        [("X", "13th", "q", 2, 1000), ("X", "13th", "p", 1, 1000), ("Y", "13th", "q", 6, 3000), ("Y", "13th", "p", 0, 3000),
         ("Z", "14th", "q", 1, 500), ("Z", "14th", "p", 4, 500)],
        columns=["doc_id", "plan_period", "theme_id", "occurrences", "characters"],
    )
    pooled = instruments.intensity_by(intensity, "plan_period")
    assert pooled.loc["q"].tolist() == pytest.approx([20, 20])  # 8 / 4000 and 1 / 500, per 10,000
    assert pooled.loc["p"].tolist() == pytest.approx([2.5, 80])


# -- the pre-coder and its agreement
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


def test_keywords_motivated_by_one_document_leave_its_fold(small):
    units = instruments.counted_codes(small).join(small.policy_units.set_index("unit_id")["text"], on="unit_id")
    evidence = instruments.keyword_evidence(units, small.precoder_keywords, small.codebook).set_index(["code_id", "keyword"])
    assert evidence.loc[("talent", "培训"), "evidence_documents"] == "A;B"
    assert evidence.loc[("management", "培训"), "evidence_documents"] == "A"  # b2 has 培训 but is coded creation
    fold = instruments.fold_dictionary(evidence.reset_index(), "A")
    assert fold == {"talent": ["培训"], "finance": ["质押"], "demonstration": ["示范"]}
    folds = instruments.dictionary_folds(small).set_index("held_out")["dropped"]
    assert folds.to_dict() == {"A": 3, "B": 1, "C": 1}


def test_agreement_in_sample_and_leave_one_document_out_on_the_small_case(small):
    # In-sample every subtype is right (kappa 1); stages: a1, a2 right, b1 and c1 uncoded, b2 management for creation:
    # p_o = 2/5, p_e = .2 x .4 (management) + .2 x .2 (protection) = .12, kappa = .28 / .88 = 7/22.
    # Leave-one-document-out: fold A loses 执法 and management:培训, B loses 示范, C loses 质押, so only a1 and b2 keep
    # their subtype: p_o = 2/5, p_e = .4 x .4 (talent) = .16, kappa = .24 / .84 = 2/7.
    table = instruments.agreement(small).set_index(["estimate", "dimension"])
    assert table.loc[("in_sample", "instrument_subtype"), ["kappa", "kappa_low", "kappa_high"]].tolist() == [1, 1, 1]
    assert table.loc[("in_sample", "value_chain_stage"), "kappa"] == pytest.approx(7 / 22)
    assert table.loc[("leave_one_document_out", "instrument_subtype"), "kappa"] == pytest.approx(2 / 7)
    assert table.loc[("leave_one_document_out", "instrument_type"), "kappa"] == pytest.approx(2 / 7)
    assert table.loc[("leave_one_document_out", "instrument_subtype"), ["observed_agreement", "uncoded", "units"]].tolist() == (
        pytest.approx([0.4, 3, 5]))
    assert (table["kappa_low"] <= table["kappa"]).all() and (table["kappa"] <= table["kappa_high"]).all()


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


def test_kappa_interval_is_reproducible_and_brackets_the_estimate():
    first = ["yes"] * 20 + ["no"] * 15 + ["yes"] * 5 + ["no"] * 10
    second = ["yes"] * 20 + ["no"] * 15 + ["no"] * 5 + ["yes"] * 10
    low, high = instruments.kappa_interval(first, second, resamples=500)
    assert (low, high) == instruments.kappa_interval(first, second, resamples=500)
    assert 0.1 < low < 0.4 < high < 0.7


def test_confusion_table_counts_every_pair():
    table = instruments.confusion(["a", "a", "b"], ["a", "b", instruments.UNCODED], ["a", "b"])
    assert table.loc["a", "a"] == 1 and table.loc["a", "b"] == 1 and table.loc["b", instruments.UNCODED] == 1
    assert table.to_numpy().sum() == 3


def test_agreement_on_the_data_leaves_restatements_out(dataset):
    table = instruments.agreement(dataset)
    assert table["estimate"].unique().tolist() == ["in_sample", "leave_one_document_out"]
    assert (table["units"] == 168 - 5).all()
    assert ((table["kappa_low"] <= table["kappa"]) & (table["kappa"] <= table["kappa_high"])).all()


# -- keywords and agencies
def test_theme_counts_match_longer_keywords_first_without_overlap():
    assert instruments.theme_counts("高质量发展，提高质量", ["质量", "高质量"]) == 2
    assert instruments.theme_counts("保护保护服务", ["保护"]) == 2
    # longest first takes 知识产权 and leaves 保护; shortest first would count 知识 and 产权保护
    assert instruments.theme_counts("知识产权保护", ["知识", "知识产权", "产权保护"]) == 1


def test_keyword_intensity_is_per_10000_non_space_characters(dataset):
    intensity = instruments.keyword_intensity(dataset)
    doc_id = dataset.documents["doc_id"].iloc[0]
    row = intensity[(intensity["doc_id"] == doc_id) & (intensity["theme_id"] == "services")].iloc[0]
    text = dataset.document_texts[doc_id]
    characters = len("".join(text.split()))
    assert row["characters"] == characters
    assert row["per_10k"] == pytest.approx(text.count("服务") / characters * 10_000)


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


def test_agency_roles_and_links(dataset):
    roles = instruments.agency_roles(dataset).set_index("agency_zh")
    assert roles.loc["市知识产权局", ["leads", "joins"]].tolist() == [50, 1]
    links = instruments.co_responsibility(dataset)
    pair = links[(links["agency_a"] == "市市场监管委") & (links["agency_b"] == "市知识产权局")]
    assert pair["shared_tasks"].item() == 29
    assert (links["agency_a"] < links["agency_b"]).all()
