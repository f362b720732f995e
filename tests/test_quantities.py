"""The Chinese quantity parser: every form met in the five documents, and malformed input."""

import pytest

from ipanalysis.quantities import QuantityParseError, chinese_numeral, parse_quantity

# (text, value, unit, bound, cumulative, kind): expectations worked out by hand from the documents.
FORMS = [
    ("18件", 18, "件", None, False, "amount"),
    ("5万件", 50_000, "件", None, False, "amount"),
    ("15万件", 150_000, "件", None, False, "amount"),
    ("21.34万件", 213_400, "件", None, False, "amount"),
    ("24.6万件", 246_000, "件", None, False, "amount"),
    ("28.89万件", 288_900, "件", None, False, "amount"),
    ("1.2万件", 12_000, "件", None, False, "amount"),
    ("0.35万件", 3_500, "件", None, False, "amount"),
    ("113.93亿元", 11_393_000_000, "元", None, False, "amount"),
    ("1亿元", 100_000_000, "元", None, False, "amount"),
    ("88.39万元", 883_900, "元", None, False, "amount"),
    ("163.61万元", 1_636_100, "元", None, False, "amount"),
    ("99.74万元", 997_400, "元", None, False, "amount"),
    ("保持万件", 10_000, "件", "keep_at", False, "amount"),
    ("1万家", 10_000, "家", None, False, "amount"),
    ("80%", 80, "%", None, False, "amount"),
    ("100%", 100, "%", None, False, "amount"),
    ("137.05%", 137.05, "%", None, False, "amount"),
    ("154.40%", 154.4, "%", None, False, "amount"),
    ("30%以上", 30, "%", "at_least", False, "amount"),
    ("20项以上", 20, "项", "at_least", False, "amount"),
    ("1个以上", 1, "个", "at_least", False, "amount"),
    ("超过300家", 300, "家", "more_than", False, "amount"),
    ("突破 300 家", 300, "家", "more_than", False, "amount"),
    ("5000 余册", 5_000, "册", "more_than", False, "amount"),
    ("100 多期", 100, "期", "more_than", False, "amount"),
    ("近6亿元", 600_000_000, "元", "nearly", False, "amount"),
    ("近2000家", 2_000, "家", "nearly", False, "amount"),
    ("5 万人次", 50_000, "人次", None, False, "amount"),
    ("827人", 827, "人", None, False, "amount"),
    ("16 件", 16, "件", None, False, "amount"),
    ("2500 家", 2_500, "家", None, False, "amount"),
    ("3000名", 3_000, "名", None, False, "amount"),
    ("1000项", 1_000, "项", None, False, "amount"),
    ("3起", 3, "起", None, False, "amount"),
    ("〔4565〕", 4_565, None, None, True, "amount"),
    ("〔12654〕", 12_654, None, None, True, "amount"),
    ("〔1〕", 1, None, None, True, "amount"),
    ("4.37", 4.37, None, None, False, "amount"),
    ("0", 0, None, None, False, "amount"),
    ("零突破", 1, None, "at_least", False, "amount"),
    ("翻一番", 2, "倍", None, False, "factor"),
    ("翻两番", 4, "倍", None, False, "factor"),
    ("3.93倍", 3.93, "倍", None, False, "factor"),
    ("近一倍", 1, "倍", "nearly", False, "factor"),
    ("第六位", 6, "位", None, False, "rank"),
    ("第四", 4, "位", None, False, "rank"),
    ("第12位", 12, "位", None, False, "rank"),
    # traditional characters, as a repost of the 2019 white paper writes them (observation snapshots)
    ("5.78萬件", 57_800, "件", None, False, "amount"),
    ("19.89萬件", 198_900, "件", None, False, "amount"),
    ("3.47萬件", 34_700, "件", None, False, "amount"),
    ("24.6萬件", 246_000, "件", None, False, "amount"),
    ("2.5億元", 250_000_000, "元", None, False, "amount"),
]


@pytest.mark.parametrize(("text", "value", "unit", "bound", "cumulative", "kind"), FORMS)
def test_document_forms(text, value, unit, bound, cumulative, kind):
    quantity = parse_quantity(text)
    assert quantity.value == pytest.approx(value, rel=1e-12)
    assert (quantity.unit, quantity.bound, quantity.cumulative, quantity.kind) == (unit, bound, cumulative, kind)


def test_large_amounts_are_exact_integers():
    assert parse_quantity("113.93亿元").value == 11_393_000_000
    assert isinstance(parse_quantity("21.34万件").value, int)


@pytest.mark.parametrize(("text", "value"), [("六", 6), ("十", 10), ("十二", 12), ("二十", 20), ("三百零五", 305),
                                             ("两千", 2000)])
def test_chinese_numerals(text, value):
    assert chinese_numeral(text) == value


MALFORMED = ["", "   ", "一批", "若干", "18件件", "1.2.3万", "万万件", "abc", "约18件以上", "〔〕", "第位", "翻番", "12 34",
             "萬萬件", "42.8萬(wàn)件"]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_input_is_rejected(text):
    with pytest.raises(QuantityParseError):
        parse_quantity(text)


def test_error_message_names_the_text_in_chinese():
    with pytest.raises(QuantityParseError, match="一批"):
        parse_quantity("一批")


@pytest.mark.parametrize("text", ["二二", "x"])
def test_malformed_chinese_numerals(text):
    with pytest.raises(QuantityParseError):
        chinese_numeral(text)
