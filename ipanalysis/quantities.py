"""Read Chinese quantity expressions, as the policy documents write them, into base units.

``parse_quantity("21.34万件")`` gives 213400 件; ``"113.93亿元"`` gives 11393000000 元, and the traditional 萬 and 億
of reposts read alike (``"5.78萬件"`` gives 57800 件); ``"80%"`` gives 80 (percent points stay percent); ``"〔4565〕"``
gives 4565 marked cumulative; ``"保持万件"`` gives 10000 with the bound ``keep_at``; ``"零突破"`` (a first-ever one)
gives 1 with the bound ``at_least``; ``"翻一番"`` gives the factor 2; ``"第六位"`` gives rank 6. Anything else raises
:class:`QuantityParseError`, so a curated value is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Simplified and traditional (reposts in traditional characters write 萬, 億).
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "萬": 10_000, "億": 100_000_000}
# Counting units met in the documents; 人次 before 人 so the longer one wins.
UNITS = ("件/万人", "人次", "件", "家", "个", "项", "名", "人", "元", "册", "期", "起", "所", "位", "倍", "%")
# The units a quote may write for an indicator counted in a unit (the key). Chinese counts with measure words (量词)
# that depend on what is counted, and 个 is the general one, so a few stand for each other; the rest only for
# themselves. A quantity without a unit (a table cell, 〔4565〕, 零突破) takes the unit of its context: not checked.
ACCEPTED_UNITS: dict[str, tuple[str, ...]] = {
    "件": ("件", "项", "个"),  # items: patents, registrations, products (获得专利100项, 地理标志保护产品1个)
    "项": ("项", "件", "个"),  # items, matters, projects
    "个": ("个", "件", "项", "家", "所"),  # the general measure word: zones, platforms, varieties, units
    "家": ("家", "个", "所"),  # organisations: enterprises, demonstration units
    "所": ("所", "家", "个"),  # institutions: schools
    "名": ("名", "人"),  # persons
    "人": ("人", "名"),
    "件/万人": ("件/万人", "件"),  # 每万人口发明专利拥有量18件: the population base precedes the number
    **{unit: (unit,) for unit in ("人次", "元", "册", "期", "起", "位", "倍", "%")},
}
# A per-population unit written as a plain count needs its base in the quote.
PER_POPULATION = {"件/万人": ("万人", "萬人", "每万", "每萬")}
RELATIVE_UNITS = ("%", "倍")
MAX_DIGITS = 20  # longer digit strings are not quantities a document states (and would overflow a float)
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SCALES = {"十": 10, "百": 100, "千": 1000}

# Words before or after the number that bound it; see the module docstring.
PREFIX_BOUNDS = (("保持", "keep_at"), ("超过", "more_than"), ("突破", "more_than"), ("高于", "more_than"),
                 ("达到", None), ("达", None), ("近", "nearly"), ("约", "approximately"))
SUFFIX_BOUNDS = (("以上", "at_least"), ("余", "more_than"), ("多", "more_than"), ("左右", "approximately"))

_NUMBER = re.compile(r"(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)?(?P<mult>[万亿萬億])?")


class QuantityParseError(ValueError):
    """A text that is not one of the quantity forms the documents use."""


@dataclass(frozen=True)
class Quantity:
    """A number read from a document, in base units.

    kind is "amount" (a count, money or percent), "factor" (倍, 翻番) or "rank" (第N位).
    bound is how the text qualifies the number (at_least, more_than, keep_at, nearly, approximately) or None.
    """

    value: float
    unit: str | None
    kind: str = "amount"
    bound: str | None = None
    cumulative: bool = False


def chinese_numeral(text: str) -> int:
    """Convert a Chinese numeral below 10,000 (六, 十二, 三百零五, 两千) to an int."""
    if not text or any(ch not in CN_DIGITS and ch not in CN_SCALES for ch in text):
        raise QuantityParseError(f"不是中文数字 / not a Chinese numeral: {text!r}")
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and CN_DIGITS[ch] != 0:
                raise QuantityParseError(f"中文数字格式不对 / malformed Chinese numeral: {text!r}")
            digit = CN_DIGITS[ch] or None
        else:
            total += (1 if digit is None else digit) * CN_SCALES[ch]
            digit = None
    return total + (digit or 0)


def _strip_affixes(text: str) -> tuple[str, str | None]:
    bound = None
    for word, meaning in PREFIX_BOUNDS:
        if text.startswith(word):
            text, bound = text[len(word):], meaning
            break
    for word, meaning in SUFFIX_BOUNDS:
        if text.endswith(word):
            if bound is not None:
                raise QuantityParseError("限定词重复 / two bounds on one number")
            text, bound = text[: -len(word)], meaning
            break
    return text, bound


def parse_quantity(text: str) -> Quantity:
    """Parse one quantity expression (see the module docstring for the forms)."""
    if not isinstance(text, str) or not text.strip():
        raise QuantityParseError("空文本 / empty text")
    if re.search(rf"\d{{{MAX_DIGITS + 1}}}", text):
        raise QuantityParseError(f"数字超过 {MAX_DIGITS} 位 / a number of more than {MAX_DIGITS} digits: {text[:40]!r}")
    # The 14th plan writes "达到 16 件"; spaces between two digits would join numbers, so they stay and fail.
    compact = re.sub(r"(?<!\d)\s+|\s+(?!\d)", "", text)
    if compact == "零突破":
        return Quantity(1, None, bound="at_least")
    if match := re.fullmatch(r"翻([一两二三四五六七八九])番", compact):
        return Quantity(2 ** chinese_numeral(match.group(1)), "倍", kind="factor")
    if match := re.fullmatch(r"第([零〇一二两三四五六七八九十百千]+|\d+)位?", compact):
        rank = match.group(1)
        return Quantity(int(rank) if rank.isdigit() else chinese_numeral(rank), "位", kind="rank")
    cumulative = compact.startswith("〔") and compact.endswith("〕")
    if cumulative:
        compact = compact[1:-1]
    # A bound word may sit between the number and its unit: 5000余册, 100多期, 30%以上.
    body, bound = _strip_affixes(compact)
    unit = next((u for u in UNITS if body.endswith(u)), None)
    if unit:
        body = body[: -len(unit)]
    body, inner_bound = _strip_affixes(body)
    if inner_bound and bound:
        raise QuantityParseError(f"限定词重复 / two bounds on one number: {text!r}")
    bound = bound or inner_bound
    match = _NUMBER.fullmatch(body)
    if not body or not match or not (match.group("num") or match.group("mult")):
        raise QuantityParseError(f"无法识别的数量 / not a quantity: {text!r}")
    num, mult = match.group("num"), match.group("mult")
    if num is None:
        value: float = 1  # 保持万件: a bare 万 means one 万
    elif num[0].isdigit():
        value = float(num)
    else:
        value = chinese_numeral(num)
    if mult:
        value = round(value * MULTIPLIERS[mult], 6)
    kind = "factor" if unit == "倍" else "amount"
    if value == int(value):
        value = int(value)
    return Quantity(value, unit, kind=kind, bound=bound, cumulative=cumulative)


def unit_accepted(text_unit: str | None, indicator_unit: str, quote: str = "") -> bool:
    """Whether a quantity read with `text_unit` from `quote` can count an indicator measured in `indicator_unit`."""
    if text_unit is None or text_unit == indicator_unit:
        return True
    if text_unit not in ACCEPTED_UNITS.get(indicator_unit, ()):
        return False
    return indicator_unit not in PER_POPULATION or any(base in quote for base in PER_POPULATION[indicator_unit])
