"""Units: the unit the parser reads from value_text must count what the indicator counts (quantities.ACCEPTED_UNITS)."""

import shutil

import pytest
from test_validation import edit, only, problems_of

from ipanalysis.config import DATA_DIR
from ipanalysis.quantities import ACCEPTED_UNITS, UNITS, unit_accepted


@pytest.fixture
def data(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def test_every_unit_the_parser_reads_has_a_compatibility_entry():
    assert set(ACCEPTED_UNITS) == set(UNITS)
    assert all(unit in ACCEPTED_UNITS[unit] for unit in ACCEPTED_UNITS)


# (unit read from the text, the indicator's unit, the quote, accepted?), worked out from Chinese usage.
CASES = [
    ("件", "件/万人", "每万人口发明专利拥有量达到18件", True),
    ("件", "件/万人", "万人均发明专利拥有量达到6件", True),
    ("件", "件/万人", "每萬(wàn)人口高價值發明專利擁有量18.9件", True),
    ("件", "件/万人", "有效发明专利达到18件", False),
    ("件", "家", "有效专利达到19万件", False),
    ("家", "件", "培育1500家企业", False),
    ("个", "家", "培育10个示范企业", True),
    ("家", "个", "拥有版权示范单位52家", True),
    ("项", "件", "国家地理标志保护产品达13项", True),
    ("个", "件", "争创国家地理标志保护产品1个", True),
    ("件", "个", "获得授权植物新品种40件", True),
    ("人", "名", "培养人才50人", True),
    ("人次", "人", "培训5万人次", False),
    ("%", "件", "增长30%", False),
    ("元", "件", "质押融资1亿元", False),
    ("位", "件", "居全国第六位", False),
    (None, "件", "〔4565〕", True),
    ("件", "件", "18件", True),
]


@pytest.mark.parametrize(("text_unit", "indicator_unit", "quote", "accepted"), CASES)
def test_unit_compatibility(text_unit, indicator_unit, quote, accepted):
    assert unit_accepted(text_unit, indicator_unit, quote) is accepted


@pytest.mark.provokes("unit_mismatch")
def test_a_count_of_patents_assigned_to_an_indicator_counted_in_enterprises_fails(data):
    line = edit(data / "targets.csv", "tj2017-t03,tj2017,valid_patents,", "tj2017-t03,tj2017,enterprises_with_patents,")
    problem = next(p for p in only(problems_of(data), "unit_mismatch") if p.line == line)
    assert problem.column == "value_text"
    assert ("value_text '19万件' counts in 件, but enterprises_with_patents is counted in 家 (accepted: 家, 个, 所)"
            in problem.format())
    assert "value_text“19万件”的单位是件，但 enterprises_with_patents 以家计（可接受：家, 个, 所）" in problem.format("zh")


@pytest.mark.provokes("unit_mismatch")
def test_a_derived_operand_is_relative_or_in_the_indicators_unit(data):
    line = edit(data / "outcomes.csv", "tj2021-o03,tj2021,invention_patents_per_10k_pop,",
                "tj2021-o03,tj2021,enterprises_with_patents,")
    problem = next(p for p in only(problems_of(data), "unit_mismatch") if p.line == line)
    assert "value_text '8.6件' counts in 件, but enterprises_with_patents is counted in 家" in problem.format()


def test_a_relative_operand_passes_the_unit_check(data):
    edit(data / "outcomes.csv", "tj2021-o19,tj2021,plant_varieties_granted_cumulative,", "tj2021-o19,tj2021,valid_patents,")
    assert not [p for p in problems_of(data) if p.key.startswith("unit_")]


@pytest.mark.provokes("unit_unknown")
def test_an_indicator_unit_the_parser_cannot_read(data):
    line = edit(data / "indicators.csv", "demonstration schools,所,", "demonstration schools,座,")
    problem = only(problems_of(data), "unit_unknown")[0]
    assert (problem.line, problem.column) == (line, "unit")
    assert "unit '座' is not one the quantity parser reads" in problem.format()
