"""Figure style: the CJK font in TrueType outlines, sizes, palette, the matplotlib rc context and word labels.

Chinese and Latin text are drawn with Noto Sans SC (OFL-1.1, shipped by the pinned package pylopdf-fonts-zh-cn).
Its outlines are CFF, which matplotlib can only embed in a PDF as Type 3 (rejected by some publishers' checkers);
``truetype_fonts`` converts them once to TrueType (quadratic) outlines with fontTools, so PDFs embed Type 42
(CIDFontType2) fonts with their Unicode maps: text stays selectable and searchable in both languages. The converted
font is split in two families: a core (Latin, symbols and the GB2312 repertoire) that every figure embeds, and the
rest as a fallback family that a PDF embeds only when a label needs it, because matplotlib loads the whole font file
each time it embeds a subset (a 31,000-glyph file costs about 0.6 s per PDF, the core 0.2 s).

Nothing here changes matplotlib's global rcParams: figures are drawn and saved inside ``context()``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.util
import os
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import matplotlib.style
import seaborn
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from matplotlib import font_manager

from .config import FONT_CACHE_DIR
from .dataset import Dataset, period_number
from .metrics import ACHIEVED, NOT_ACHIEVED, NOT_COMPARABLE, NOT_REPORTED

COLUMN_WIDTH, PAGE_WIDTH = 3.5, 7.2  # inches: one journal column, a full page width
MIN_FONT_SIZE = 6.0  # points at the printed size
FONT_SIZE, SMALL_FONT_SIZE = 7.0, 6.5
DPI = 300

# Noto Sans SC (OFL-1.1) as packaged; the report's web page embeds a subset of this file as it is.
FONT_FILE = Path(importlib.util.find_spec("pylopdf_fonts_zh_cn").origin).with_name("NotoSansSC-Regular.otf")
FAMILY, FALLBACK_FAMILY = "Noto Sans SC TT", "Noto Sans SC TT Extra"
_POSTSCRIPT_NAMES = {FAMILY: "NotoSansSC-Regular", FALLBACK_FAMILY: "NotoSansSCExtra-Regular"}
_CONVERSION_VERSION = "1"  # bump when the conversion below changes, so cached fonts are rebuilt
_TOLERANCE = 1.0  # font units (of 1000 per em): largest distance of a quadratic from the cubic it replaces
_DROPPED_TABLES = ("CFF ", "VORG", "DSIG", "GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx")

# Okabe-Ito, safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "black": "#000000",
}

STATUS_COLOURS = {
    ACHIEVED: OKABE_ITO["blue"],
    NOT_ACHIEVED: OKABE_ITO["vermillion"],
    NOT_COMPARABLE: OKABE_ITO["orange"],
    NOT_REPORTED: OKABE_ITO["grey"],
}

RC = {
    **seaborn.axes_style("ticks"),
    "font.family": [FAMILY, FALLBACK_FAMILY],
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "legend.fontsize": SMALL_FONT_SIZE,
    "legend.title_fontsize": SMALL_FONT_SIZE,
    "legend.frameon": False,
    "xtick.labelsize": SMALL_FONT_SIZE,
    "ytick.labelsize": SMALL_FONT_SIZE,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,  # matplotlib's PDF backend sizes its font subsets by this one too: 3 would split the font
    "svg.fonttype": "path",
    "svg.hashsalt": "ipanalysis",
    "savefig.bbox": "standard",  # never a tight box: the files keep the declared width
}

# Words the figures use, in English and Chinese. Documents, regions, indicators, codes and agencies are labelled
# from the data.
TEXT = {
    ACHIEVED: ("achieved", "已实现"),
    NOT_ACHIEVED: ("not achieved", "未实现"),
    NOT_COMPARABLE: ("not comparable", "不可比"),
    NOT_REPORTED: ("not reported", "未报告"),
    "narrowed": ("narrowed", "收窄"),
    "broadened": ("broadened", "放宽"),
    "redefined": ("redefined", "重新定义"),
    "replaced": ("replaced", "替代"),
    "aggregation": ("aggregation", "汇总口径"),
    "component": ("component", "组成部分"),
    "nearest_proxy": ("nearest proxy", "近似替代"),
}


def _in_core(codepoint: int) -> bool:
    """Latin, Greek, Cyrillic, punctuation, arrows and maths, and every character of GB2312."""
    if codepoint < 0x2300:
        return True
    try:
        chr(codepoint).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines of `font` with TrueType ones (the fontTools otf2ttf recipe), in place."""
    order = font.getGlyphOrder()
    outlines = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        outlines[name].draw(Cu2QuPen(pen, _TOLERANCE, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for tag in _DROPPED_TABLES:
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements"):
        setattr(maxp, field, 0)
    maxp.maxZones, maxp.maxSizeOfInstructions, maxp.maxComponentElements = 1, 0, 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["cmap"].tables = [table for table in font["cmap"].tables if (table.platformID, table.platEncID) in ((3, 1), (3, 10))]
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont, family: str) -> None:
    """Give the converted font its own family name, so it never competes with an installed Noto Sans SC."""
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            names.removeNames(nameID=record.nameID)
    for name_id, value in ((1, family), (2, "Regular"), (3, f"{_POSTSCRIPT_NAMES[family]};ipanalysis"), (4, family)):
        names.setName(value, name_id, 3, 1, 0x409)
    names.setName(_POSTSCRIPT_NAMES[family], 6, 3, 1, 0x409)


def _convert(source: Path, folder: Path) -> None:
    """Write the core and fallback TrueType fonts into folder (slow: about half a minute for a CJK font)."""
    codepoints = TTFont(source, lazy=True)["cmap"].getBestCmap()
    parts = {FAMILY: [c for c in codepoints if _in_core(c)], FALLBACK_FAMILY: [c for c in codepoints if not _in_core(c)]}
    for family, unicodes in parts.items():
        options = subset.Options(
            glyph_names=True, notdef_outline=True, name_IDs=["*"], name_languages=["*"], recalc_timestamp=False
        )
        options.drop_tables += [tag for tag in _DROPPED_TABLES if tag != "CFF "]
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        _to_truetype(font)
        _rename(font, family)
        font.recalcBBoxes = True  # glyf needs each glyph's bounds
        temporary = Path(tempfile.mkstemp(dir=folder, suffix=".tmp")[1])
        try:
            font.save(temporary)
            temporary.chmod(0o644)
            os.replace(temporary, folder / f"{_POSTSCRIPT_NAMES[family]}.ttf")
        finally:
            temporary.unlink(missing_ok=True)


def truetype_fonts(source: Path = FONT_FILE, cache: Path = FONT_CACHE_DIR) -> tuple[Path, Path]:
    """The core and fallback TrueType fonts converted from `source`, converting once per source file.

    Cached in a project folder keyed by the source's SHA-256 and the conversion version; a file lock makes
    concurrent processes (the build's workers) wait for one conversion instead of repeating it.
    """
    key = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    folder = cache / f"{source.stem}-{key}-v{_CONVERSION_VERSION}"
    paths = tuple(folder / f"{_POSTSCRIPT_NAMES[family]}.ttf" for family in (FAMILY, FALLBACK_FAMILY))
    if all(path.exists() for path in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not all(path.exists() for path in paths):
            _convert(source, folder)
    return paths


def label(key: str, lang: str) -> str:
    """A word of the figures in `lang` ("en" or "zh")."""
    english, chinese = TEXT[key]
    return chinese if lang == "zh" else english


def period_label(plan_period: str, lang: str) -> str:
    """A plan period (13th, 14th ...) as "13th FYP period" or “十三五”时期."""
    tens, units = divmod(period_number(plan_period), 10)
    digits = "零一二三四五六七八九"
    chinese = (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[units] if units else "")
    return f"“{chinese}五”时期" if lang == "zh" else f"{plan_period} FYP period"


def indicator_label(dataset: Dataset, indicator_id: str, lang: str) -> str:
    """The indicator's full name in `lang` (never shortened: two shortened names can look the same)."""
    row = dataset.indicators.set_index("indicator_id").loc[indicator_id]
    return row["name_zh"] if lang == "zh" else row["name_en"]


def wrap(text: str, width: int, lang: str) -> str:
    """Break text into lines of at most `width` Latin characters (half as many Chinese ones)."""
    if lang == "zh":
        return "\n".join(textwrap.wrap(text, max(width // 2, 1), break_long_words=True)) or text
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


@functools.cache
def register_font() -> None:
    """Register the TrueType Noto Sans SC families with matplotlib's font manager, once per process."""
    for path in truetype_fonts():
        font_manager.fontManager.addfont(str(path))


@contextlib.contextmanager
def context() -> Iterator[None]:
    """The figure style, for drawing and saving; matplotlib's global settings are restored on exit."""
    register_font()
    with matplotlib.style.context(RC, after_reset=True):  # from matplotlib's defaults, whatever a matplotlibrc says
        yield


if __name__ == "__main__":
    for font_path in truetype_fonts():
        print(font_path)
