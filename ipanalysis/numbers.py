"""Numbers as readers see them, in English and Chinese: counts, values, percentages, growth rates, ratios and lists.

One place decides how a number is written, so findings, tables and the workbook agree. English writes thousands
separators (288,900) and a space before the percent sign (45 %); Chinese prose writes large round values in 万 and
亿 (28.89万) and 45%; tables use separators in both languages.
"""

from __future__ import annotations

import math

MISSING = "–"  # an empty cell: a value that does not exist or cannot be computed
MINUS = "−"  # U+2212, the typographic minus


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, and pd.NA raises below
    except TypeError:
        return True


def _plain(value: float, decimals: int | None) -> str:
    """Thousands separators; `decimals` fixed, or (None) at most two, trailing zeros dropped."""
    if decimals is None:
        rounded = round(value, 2)
        text = f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace("-", MINUS)


def number(value: float, lang: str = "en", decimals: int | None = None, prose: bool = False) -> str:
    """A value: 288,900; 24.4; 4.37. In Chinese prose a value of 10,000 or more that is a whole number of 万 to two
    decimals is written in 万 (28.89万, 38万) or 亿."""
    if is_missing(value):
        return MISSING
    value = float(value)
    if lang == "zh" and prose and decimals is None and abs(value) >= 10_000:
        for size, word in ((100_000_000, "亿"), (10_000, "万")):
            scaled = value / size
            if abs(scaled) >= 1 and math.isclose(scaled, round(scaled, 2), abs_tol=1e-9):
                return _plain(scaled, None).replace(",", "") + word
    return _plain(value, decimals)


def count(value: int, lang: str = "en") -> str:
    """A count of things: 1,500 (no decimals)."""
    return MISSING if is_missing(value) else _plain(float(value), 0)


def percent(share: float, lang: str = "en", decimals: int = 0) -> str:
    """A share as a percentage: 0.45 -> '45 %' (English) or '45%' (Chinese)."""
    if is_missing(share):
        return MISSING
    return _plain(float(share) * 100, decimals) + ("%" if lang == "zh" else " %")


def growth(rate: float, lang: str = "en", decimals: int = 1) -> str:
    """A growth rate as a percentage with one decimal: 0.080893 -> '8.1 %'."""
    return percent(rate, lang, decimals)


def points(difference: float, lang: str = "en", decimals: int = 1) -> str:
    """A difference of two rates in percentage points: -0.0217 -> '−2.2 points' / '−2.2个百分点'."""
    if is_missing(difference):
        return MISSING
    value = _plain(float(difference) * 100, decimals)
    return f"{value}个百分点" if lang == "zh" else f"{value} points"


def ratio(value: float, lang: str = "en", decimals: int = 2) -> str:
    """A ratio with two decimals: 0.274437 -> '0.27'."""
    return MISSING if is_missing(value) else _plain(float(value), decimals)


def times(value: float, lang: str = "en", decimals: int = 2) -> str:
    """A multiple: 1.93 -> '1.93 times' / '1.93倍'."""
    if is_missing(value):
        return MISSING
    text = _plain(float(value), decimals).rstrip("0").rstrip(".") if decimals else _plain(float(value), 0)
    return f"{text}倍" if lang == "zh" else f"{text} times"


def share_of(part: int, whole: int, lang: str = "en") -> str:
    """'3 of 5 (60 %)' / '5项中的3项（60%）'."""
    if lang == "zh":
        return f"{count(whole, lang)}项中的{count(part, lang)}项（{percent(part / whole, lang)}）"
    return f"{count(part)} of {count(whole)} ({percent(part / whole)})"


def join(items: list[str], lang: str = "en") -> str:
    """A list in prose: 'a, b and c' / 'a、b和c'."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items[:-1]) + "和" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def year_span(start: int, end: int, lang: str = "en") -> str:
    """'2015-2020' / '2015—2020年'."""
    return f"{start}—{end}年" if lang == "zh" else f"{start}-{end}"


def quantity(value: float, unit: str, lang: str = "en") -> str:
    """A value with its unit as prose writes it: '80 %' / '80%'; '100,000,000 yuan' / '1亿元'; counts bare in
    English ('288,900') and with their measure word in Chinese ('28.89万件')."""
    if is_missing(value):
        return MISSING
    if unit == "%":
        return number(value, lang) + ("%" if lang == "zh" else " %")
    if lang == "zh":
        return number(value, lang, prose=True) + unit.split("/")[0]  # 件/万人: 24.4件
    return number(value, lang) + (" yuan" if unit == "元" else "")
