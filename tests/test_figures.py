"""Figures: true sizes, readable and non-overlapping text, embedded TrueType fonts with searchable text, captions in
both languages, byte-identical files, and no change to matplotlib's global settings.

Every figure is drawn once per test session in both languages (the `built` fixture) and its files are those of the
session's clean build (conftest.py); the checks read what was recorded then.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
import sys
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import ipanalysis
from ipanalysis import plotting, style
from ipanalysis.config import FIGURES_DIR

CASES = [(name, lang) for name in plotting.FIGURES for lang in plotting.LANGUAGES]


@dataclass
class DrawnText:
    text: str
    size: float
    rotation: float
    box: Bbox


@dataclass
class Built:
    figure: Figure
    data: pd.DataFrame
    texts: list[DrawnText]
    paths: dict[str, Path]


def drawn_texts(figure: Figure) -> list[DrawnText]:
    """Every text artist matplotlib actually draws (ticks outside the view are not), with its size and extent."""
    recorded: list[DrawnText] = []
    original = Text.draw

    def recording(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            recorded.append(
                DrawnText(self.get_text(), self.get_fontsize(), self.get_rotation(), self.get_window_extent(renderer))
            )

    Text.draw = recording
    try:
        with style.context():
            FigureCanvasAgg(figure).draw()
    finally:
        Text.draw = original
    return recorded


def overlaps(texts: list[DrawnText], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes intersect by more than `tolerance` pixels both ways."""
    found = []
    for n, first in enumerate(texts):
        for second in texts[n + 1 :]:
            width = min(first.box.x1, second.box.x1) - max(first.box.x0, second.box.x0)
            height = min(first.box.y1, second.box.y1) - max(first.box.y0, second.box.y0)
            if width > tolerance and height > tolerance:
                found.append((first.text, second.text))
    return found


def outside(texts: list[DrawnText], figure: Figure, tolerance: float = 0.5) -> list[str]:
    """Texts that stick out of the figure (cut off in the saved file)."""
    frame = figure.bbox
    return [
        t.text
        for t in texts
        if t.box.x0 < frame.x0 - tolerance
        or t.box.y0 < frame.y0 - tolerance
        or t.box.x1 > frame.x1 + tolerance
        or t.box.y1 > frame.y1 + tolerance
    ]


@pytest.fixture(scope="session")
def dataset():
    return ipanalysis.load()


@pytest.fixture(scope="session")
def built(dataset, report_build) -> dict[tuple[str, str], Built]:
    """Every figure in both languages, drawn once with every warning an error (missing glyphs warn); its files are
    the ones the session's clean build wrote (report_build in conftest.py), so each file is drawn once per session."""
    out_dir = report_build.layout.figures_dir
    result = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, lang in CASES:
            figure, data = plotting.draw(name, dataset, lang)
            texts = drawn_texts(figure)
            written = [out_dir / lang / f"{name}{suffix}" for suffix in (".png", ".pdf", ".svg", ".csv", ".caption.json")]
            result[name, lang] = Built(figure, data, texts, {p.name.removeprefix(name): p for p in written})
    return result


def png_width_inches(path: Path) -> float:
    """Pixel width over the resolution recorded in the PNG's pHYs chunk."""
    data = path.read_bytes()
    width = struct.unpack(">I", data[16:20])[0]
    start = data.index(b"pHYs") + 4
    per_metre, _, unit = struct.unpack(">IIB", data[start : start + 9])
    assert unit == 1, "pHYs in metres"
    return width / (per_metre * 0.0254)


def pdf_objects(path: Path) -> dict[int, tuple[bytes, bytes]]:
    """Object number -> (dictionary, decompressed stream or b"") for the uncompressed-xref PDFs matplotlib writes."""
    data = path.read_bytes()
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream\r?\n(.*?)\r?\nendstream\s*)?endobj", data, re.S):
        dictionary, stream = match.group(2), match.group(3) or b""
        if stream and b"/FlateDecode" in dictionary:
            stream = zlib.decompress(stream)
        objects[int(match.group(1))] = (dictionary, stream)
    return objects


def _reference(dictionary: bytes, key: bytes) -> int:
    return int(re.search(rb"/" + key + rb" (\d+) 0 R", dictionary).group(1))


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, _, targets in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]", block):
            for offset, target in enumerate(re.findall(rb"<([0-9a-fA-F]+)>", targets)):
                mapping[int(start, 16) + offset] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    return mapping


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes, escapes resolved."""
    return re.sub(
        rb"\\([0-7]{1,3}|.)",
        lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit() else _ESCAPES.get(m.group(1), m.group(1)),
        raw,
        flags=re.S,
    )


def pdf_text(path: Path) -> list[str]:
    """The text of each BT ... ET block, decoded through the fonts' ToUnicode maps (what a reader copies or finds)."""
    objects = pdf_objects(path)
    fonts = {}
    for dictionary, _ in objects.values():
        if b"/Type /Font" in dictionary and b"/Subtype /Type0" in dictionary:
            fonts[re.search(rb"/BaseFont /(\S+)", dictionary).group(1)] = _to_unicode(
                objects[_reference(dictionary, b"ToUnicode")][1]
            )
    resources = next(d for d, _ in objects.values() if re.search(rb"^<< /F\d+ \d+ 0 R", d))
    by_resource = {
        name: fonts[re.search(rb"/BaseFont /(\S+)", objects[int(number)][0]).group(1)]
        for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", resources)
    }
    page = next(d for d, _ in objects.values() if b"/Type /Page " in d or b"/Type /Page\n" in d)
    content = objects[_reference(page, b"Contents")][1]
    blocks = []
    for block in re.findall(rb"BT(.*?)ET", content, re.S):
        text, font = [], {}
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)", block, re.S):
            if token.group(1):  # a font change: later strings are codes of that font
                font = by_resource[token.group(1)]
                continue
            raw = _literal(token.group(2))
            text += [font.get(code, "\ufffd") for code in struct.unpack(f">{len(raw) // 2}H", raw)]
        blocks.append("".join(text))
    return blocks


# -- sizes and text
def test_every_figure_has_a_declared_width():
    assert set(plotting.WIDTHS) == set(plotting.FIGURES)
    assert set(plotting.WIDTHS.values()) <= {style.COLUMN_WIDTH, style.PAGE_WIDTH}


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_saved_files_have_the_declared_width(built, name, lang):
    paths, width = built[name, lang].paths, plotting.WIDTHS[name]
    assert png_width_inches(paths[".png"]) == pytest.approx(width, abs=1 / style.DPI)
    box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", paths[".pdf"].read_bytes())
    assert float(box.group(1)) == pytest.approx(72 * width, abs=0.01)
    assert re.search(rb'<svg[^>]* width="([\d.]+)pt"', paths[".svg"].read_bytes()).group(1) == f"{72 * width:g}".encode()


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_no_text_smaller_than_the_minimum(built, name, lang):
    small = [(t.text, t.size) for t in built[name, lang].texts if t.size < style.MIN_FONT_SIZE]
    assert not small, small


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_text_is_horizontal_or_vertical(built, name, lang):
    """Slanted text is not used: its bounding box is not its outline, so the overlap check could not vouch for it."""
    slanted = [(t.text, t.rotation) for t in built[name, lang].texts if t.rotation % 90]
    assert not slanted, slanted


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_no_text_overlaps_other_text(built, name, lang):
    found = overlaps(built[name, lang].texts)
    assert not found, found


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_no_text_is_cut_off(built, name, lang):
    found = outside(built[name, lang].texts, built[name, lang].figure)
    assert not found, found


def test_the_text_checks_catch_small_overlapping_and_cut_off_text():
    figure = Figure(figsize=(2, 1))
    with style.context():
        figure.text(0.1, 0.5, "first label", fontsize=5)
        figure.text(0.12, 0.5, "second label")
        figure.text(0.9, 0.5, "sticks out")
    texts = drawn_texts(figure)
    assert [t.text for t in texts if t.size < style.MIN_FONT_SIZE] == ["first label"]
    assert overlaps(texts) == [("first label", "second label")]
    assert outside(texts, figure) == ["sticks out"]


@pytest.mark.parametrize("lang", plotting.LANGUAGES)
def test_no_label_is_shortened(built, lang):
    """Shortened labels ("Invention patents in force per…") can look the same; figures wrap instead."""
    found = [(name, t.text) for (name, language), b in built.items() if language == lang for t in b.texts if "…" in t.text]
    assert not found, found


# -- fonts
@pytest.mark.parametrize(("name", "lang"), CASES)
def test_pdf_embeds_truetype_fonts_not_type3(built, name, lang):
    pdf = built[name, lang].paths[".pdf"].read_bytes()
    assert b"/Subtype /Type3" not in pdf
    assert b"/Subtype /CIDFontType2" in pdf and b"/FontFile2" in pdf and b"/ToUnicode" in pdf
    assert b"/FontFile3" not in pdf  # no CFF outlines either


@pytest.mark.parametrize("lang", plotting.LANGUAGES)
def test_pdf_text_is_searchable(built, dataset, lang):
    """The axis labels and indicator names come back out of the PDF as the same Unicode text."""
    name = "indicator_coverage"
    texts = pdf_text(built[name, lang].paths[".pdf"])
    wanted = style.indicator_label(dataset, dataset.canonical_targets["indicator_id"].iloc[0], lang)
    assert wanted in texts
    assert any(style.label("narrowed", lang) in t for t in texts)


def test_fonts_are_converted_to_truetype_outlines():
    from fontTools.ttLib import TTFont

    covered = []
    for path in style.truetype_fonts():
        with TTFont(path, lazy=True) as font:
            assert "glyf" in font and "CFF " not in font
            covered.append(set(font.getBestCmap()))
    core, fallback = covered
    assert 0x4E2D in core and 0x5803 in fallback  # 中 in the core, 堃 (outside GB2312) in the fallback
    assert not core & fallback


def test_rare_characters_fall_back_to_the_second_truetype_family(tmp_path):
    """堃 is outside GB2312, so outside the core font: it comes from the fallback family, still TrueType."""
    figure = Figure(figsize=(2, 1))
    with style.context(), warnings.catch_warnings():
        warnings.simplefilter("error")
        figure.text(0.1, 0.5, "王堃 Wang Kun")
        figure.savefig(tmp_path / "x.pdf", metadata={"Producer": None})
    pdf = (tmp_path / "x.pdf").read_bytes()
    assert b"NotoSansSCExtra-Regular" in pdf and b"NotoSansSC-Regular" in pdf
    assert pdf.count(b"/FontFile2") == 2 and b"/Type3" not in pdf
    assert "王堃 Wang Kun" in "".join(pdf_text(tmp_path / "x.pdf"))


def test_missing_glyphs_would_be_caught(tmp_path):
    figure = Figure()
    with style.context():
        figure.add_subplot().set_title("\U0001f600")  # an emoji: not in Noto Sans SC
        with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
            warnings.simplefilter("error")
            figure.savefig(tmp_path / "x.png")


# -- captions
@pytest.mark.parametrize(("name", "lang"), CASES)
def test_caption_is_written_beside_the_figure(built, name, lang):
    record = json.loads(built[name, lang].paths[".caption.json"].read_text(encoding="utf-8"))
    assert record["name"] == name and record["lang"] == lang
    caption = plotting.read_caption(built[name, lang].paths[".caption.json"])
    assert caption.title and caption.text and caption.alt and caption.title != caption.alt
    chinese = re.compile(r"[\u4e00-\u9fff]")
    if lang == "zh":
        assert chinese.search(caption.title) and chinese.search(caption.text) and chinese.search(caption.alt)
    else:  # English, quoting the sources' Chinese terms at most
        assert not chinese.search(caption.title + caption.alt) and len(chinese.findall(caption.text)) < len(caption.text) / 20


def test_captions_state_numbers_from_the_data(dataset, built):
    caption = plotting.read_caption(built["agencies", "en"].paths[".caption.json"])
    roles = ipanalysis.instruments.agency_roles(dataset)
    assert f"the other {len(roles) - 15} agencies are named {int(roles['tasks'].iloc[15:].sum())} times" in caption.text


# -- files
def test_saving_twice_gives_identical_bytes(dataset, built, tmp_path):
    for name in ("indicator_coverage", "agencies"):
        for lang in plotting.LANGUAGES:
            for path in plotting.write_figure(name, dataset, lang, tmp_path):
                assert path.read_bytes() == built[name, lang].paths[path.name.removeprefix(name)].read_bytes(), path.name
    assert b"Date" not in (tmp_path / "en" / "agencies.svg").read_bytes()


def test_importing_plotting_leaves_matplotlib_settings_alone():
    script = (
        "import matplotlib, json; before = dict(matplotlib.rcParams); "
        "import ipanalysis.plotting as p, ipanalysis; p.draw('reporting_coverage', ipanalysis.load(), 'zh'); "
        "changed = sorted(k for k, v in matplotlib.rcParams.items() if before.get(k) != v); print(json.dumps(changed))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_committed_figures_match_their_manifest():
    lines = (FIGURES_DIR / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(plotting.FIGURES) * len(plotting.LANGUAGES) * 5
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((FIGURES_DIR / name).read_bytes()).hexdigest() == digest, name


# -- what the redrawn figures may and may not show
def test_plan_changes_gives_every_measure_its_own_panel(built, dataset):
    figure, data = built["plan_changes", "en"].figure, built["plan_changes", "en"].data
    titles = [axes.get_title(loc="left").replace("\n", " ") for axes in figure.axes if axes.get_visible()]
    for indicator_id in data["indicator_id"].unique():
        name = style.indicator_label(dataset, indicator_id, "en")
        assert sum(title.startswith(f"{name} (") for title in titles) == 1, name
    assert len(titles) == data["indicator_id"].nunique()
    changes = ipanalysis.comparisons.plan_changes(dataset)
    redefined = changes[changes["change"] == "redefined"]
    assert set(redefined["indicator_id"]) | set(redefined["later_indicator_id"]) <= set(data["indicator_id"])


def test_plan_changes_draws_every_point_inside_its_panel(built):
    """Each measure's panel is scaled to hold all its targets and outcomes: no point is drawn off its panel."""
    figure = built["plan_changes", "en"].figure
    panels = [axes for axes in figure.axes if axes.get_visible()]
    assert panels
    for axes in panels:
        low, high = axes.get_ylim()
        heights = [y for collection in axes.collections for _, y in collection.get_offsets()]
        assert heights and all(low <= y <= high for y in heights), (axes.get_title(loc="left"), heights, (low, high))


def test_district_vs_city_growth_panel_plots_each_side_s_required_growth(built):
    """The growth panel draws, per compared pair with an escalation, the district's then the city's required growth
    (in %) as two markers on the pair's row."""
    figure, data = built["district_vs_city", "en"].figure, built["district_vs_city", "en"].data
    grown = data.dropna(subset=["escalation"])
    assert len(grown) > 0 and (grown["district_required_growth"] != grown["city_required_growth"]).all()
    drawn = [tuple(collection.get_offsets()[0]) for collection in figure.axes[2].collections]
    expected = [x * 100 for row in grown.itertuples() for x in (row.district_required_growth, row.city_required_growth)]
    assert [x for x, _ in drawn] == pytest.approx(expected)
    rows = [y for _, y in drawn]
    assert rows[0::2] == rows[1::2]  # both markers of a pair on one row


def test_labels_are_in_their_own_language():
    """Every figure label: the English one has no Chinese character; the Chinese one has one, unless it has no words."""
    chinese = re.compile(r"[\u3400-\u9fff]")
    for key, (en, zh) in [*plotting.TEXT.items(), *style.TEXT.items()]:
        assert not chinese.search(en), (key, en)
        assert chinese.search(zh) or not re.search("[A-Za-z]", zh), (key, zh)


def test_district_vs_city_draws_no_ratio_across_definitions(built):
    figure, data = built["district_vs_city", "en"].figure, built["district_vs_city", "en"].data
    different = set(data.index[data["relation"] != "same"])
    assert different, "the data has pairs with differing definitions; the test needs one"
    drawn = {round(bar.get_y() + bar.get_height() / 2) for axes in figure.axes[:2] for bar in axes.patches if bar.get_width()}
    assert drawn and not drawn & different


@pytest.mark.parametrize("name", ["growth", "attainment", "district_vs_city"])
def test_values_resting_on_registered_problems_are_marked(built, name):
    data = built[name, "en"].data
    labels = [t.text for t in built[name, "en"].texts]
    marked = [text for text in labels if text.endswith("†")]
    shown = data if name != "attainment" else data[data["attainment_ratio"].notna()]
    assert len(marked) == (shown["problem_ids"] != "").sum() > 0


def test_attainment_counts_each_commitment_once(built, dataset):
    data = built["attainment", "en"].data
    assert data["commitment_id"].is_unique
    assert len(data) == len(set(data["commitment_id"]) & set(dataset.commitments["commitment_id"]))
    counts = built["attainment", "en"].figure.axes[1]
    assert sum(bar.get_width() for bar in counts.patches) == len(data)


def test_growth_shows_each_reading_of_a_disputed_baseline(built, dataset):
    """A baseline the plan's own figures dispute gets no required-growth bar but a dot at the growth required from
    each reading (computed here from the outcome table), and a reading of zero gets no dot."""
    figure, data = built["growth", "en"].figure, built["growth", "en"].data
    axes = figure.axes[0]
    disputed = data[data["baseline_disputed_by"].notna()]
    assert len(disputed), "the data has disputed baselines; the test needs one"
    values = dataset.outcomes.set_index("outcome_id")["value"]
    dots = [tuple(xy) for collection in axes.collections for xy in collection.get_offsets()]
    required_bars = axes.patches[: len(data)]
    for index, row in disputed.iterrows():
        assert not required_bars[index].get_visible()
        years = row["target_year"] - row["baseline_year"]
        bases = [row["baseline_value"], *(values[i] for i in row["baseline_disputed_by"].split(";"))]
        expected = sorted(((row["target_value"] / base) ** (1 / years) - 1) * 100 for base in bases if base > 0)
        centre = required_bars[index].get_y() + required_bars[index].get_height() / 2
        drawn = sorted(x for x, y in dots if abs(y - centre) < 1e-9)
        assert drawn == pytest.approx(expected), row["commitment_id"]


def test_growth_hatches_each_bar_whose_own_values_rest_on_a_registered_problem(built, dataset):
    """Required growth rests on the target and the baseline (and any disputing figure), realised growth on the baseline
    and the outcome it starts or ends at (ambition_table's before_source, during_source): each bar is hatched by its
    own values, so a row can have a plain bar beside a hatched one."""
    figure, data = built["growth", "en"].figure, built["growth", "en"].data
    ambition = ipanalysis.comparisons.ambition_table(dataset)
    targets = dataset.commitments.set_index("commitment_id")["target_ids"]
    bars = figure.axes[0].patches
    widened = []  # drawn bars whose problems include one only the outcome a realised rate starts or ends at brings
    for n, column in enumerate(["required_growth", "realised_growth_during", "realised_growth_before"]):
        for row, bar in zip(ambition.itertuples(), bars[n * len(data) : (n + 1) * len(data)], strict=True):
            ids = {
                "required_growth": [*targets[row.commitment_id].split(";"), *str(row.baseline_disputed_by).split(";")],
                "realised_growth_during": [row.during_source],
                "realised_growth_before": [row.before_source],
            }[column] + [row.baseline_source]
            problems = ipanalysis.captions.problems_of(dataset, ids)
            assert bool(bar.get_hatch()) == bool(problems), (row.commitment_id, column)
            realised = column != "required_growth"
            if realised and bar.get_visible() and problems != ipanalysis.captions.problems_of(dataset, [row.baseline_source]):
                widened.append((row.commitment_id, column))
    assert widened, "no drawn bar owes a problem to its realised outcome; the test needs one"


def test_precoder_agreement_gives_both_kappas_with_their_intervals(built, dataset):
    """Each confusion matrix is titled with the in-sample and the leave-one-document-out kappa and their intervals."""
    figure = built["precoder_agreement", "en"].figure
    titles = [axes.get_title() for axes in figure.axes if axes.get_title()]
    scores = ipanalysis.instruments.agreement(dataset)
    for dimension, title in zip((ipanalysis.instruments.TYPE, ipanalysis.instruments.STAGE), titles, strict=True):
        for estimate in ("in_sample", "leave_one_document_out"):
            row = scores[(scores["estimate"] == estimate) & (scores["dimension"] == dimension)].iloc[0]
            stated = f"{estimate.replace('_', '-')} {row['kappa']:.2f} (95% CI {row['kappa_low']:.2f}–{row['kappa_high']:.2f})"
            assert stated in title, (dimension, estimate, title)


def test_instruments_by_document_draws_shares_of_text_not_of_units(built, dataset):
    """Each document's heatmap holds the share of its counted units' characters in each type x stage cell, which
    here differs from the share of units (the test would not tell them apart otherwise)."""
    figure = built["instruments_by_document", "en"].figure
    codes = ipanalysis.instruments.counted_codes(dataset)
    types = ipanalysis.instruments.codes_of(dataset, ipanalysis.instruments.TYPE)
    stages = ipanalysis.instruments.codes_of(dataset, ipanalysis.instruments.STAGE)
    differs = False
    for doc_id, axes in zip(dataset.document_order, figure.axes, strict=True):
        units = codes[codes["doc_id"] == doc_id]
        cells = units.groupby([ipanalysis.instruments.TYPE, ipanalysis.instruments.STAGE])
        text = (cells["characters"].sum() / units["characters"].sum() * 100).unstack(fill_value=0)
        count = (cells.size() / len(units) * 100).unstack(fill_value=0)
        text = text.reindex(index=types, columns=stages, fill_value=0)
        drawn = [float(value) for row in axes.collections[0].get_array().tolist() for value in row]
        assert drawn == pytest.approx(text.to_numpy().ravel().tolist()), doc_id
        differs |= count.reindex_like(text).fillna(0).to_numpy() != pytest.approx(text.to_numpy())
    assert differs


def test_plan_changes_draws_each_commitment_once(built, dataset):
    """A target two documents state (the same commitment) is one point, sourced to both statements."""
    data = built["plan_changes", "en"].data
    targets = data[data["kind"] == "target"]
    first_statement = dataset.commitments.set_index("target_id")  # a commitment's first statement leads its target_ids
    drawn = first_statement.loc[[ids.split(";")[0] for ids in targets["sources"]]]
    assert drawn["commitment_id"].is_unique
    assert drawn["target_ids"].tolist() == targets["sources"].tolist()
    assert drawn["target_ids"].str.contains(";").any(), "no drawn commitment is stated twice; the test needs one"
