"""Figures: every one renders in English and Chinese without a missing glyph, in every format, byte-identically."""

import hashlib
import warnings

import pytest
from matplotlib.figure import Figure

import ipanalysis
from ipanalysis import plotting
from ipanalysis.config import FIGURES_DIR


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


def render_strictly(function, *args):
    """Call a drawing or saving function with every warning turned into an error (missing glyphs warn)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args)


@pytest.mark.parametrize("lang", plotting.LANGUAGES)
@pytest.mark.parametrize("name", list(plotting.FIGURES))
def test_figure_renders_without_missing_glyphs(dataset, tmp_path, name, lang):
    figure, data = render_strictly(plotting.FIGURES[name], dataset, lang)
    written = render_strictly(plotting.save_figure, figure, data, name, lang, tmp_path)
    assert sorted(p.suffix for p in written) == [".csv", ".pdf", ".png", ".svg"]
    assert all(p.stat().st_size > 0 for p in written)
    assert not data.empty
    assert figure.get_size_inches()[0] in (plotting.COLUMN_WIDTH, plotting.PAGE_WIDTH)


def test_missing_glyphs_would_be_caught(tmp_path):
    figure = Figure()
    figure.add_subplot().set_title("\U0001f600")  # an emoji: not in Noto Sans SC
    with pytest.raises(UserWarning, match="missing from font"):
        render_strictly(figure.savefig, tmp_path / "x.png")


def test_chinese_labels_use_chinese(dataset):
    figure, _ = plotting.reporting_coverage(dataset, "zh")
    texts = [t.get_text() for t in figure.axes[0].get_yticklabels()] + [figure.axes[0].get_xlabel()]
    assert "目标数" in texts and any("武清" in t for t in texts)


def test_pdf_embeds_the_cjk_font_as_type3(dataset, tmp_path):
    figure, data = plotting.district_vs_city(dataset, "zh")
    plotting.save_figure(figure, data, "district_vs_city", "zh", tmp_path)
    pdf = (tmp_path / "zh" / "district_vs_city.pdf").read_bytes()
    assert b"/Subtype /Type3" in pdf and b"NotoSansSC" in pdf


def test_saving_twice_gives_identical_bytes(dataset, tmp_path):
    for run in ("a", "b"):
        for lang in plotting.LANGUAGES:
            figure, data = plotting.attainment(dataset, lang)
            plotting.save_figure(figure, data, "attainment", lang, tmp_path / run)
    for lang in plotting.LANGUAGES:
        for suffix in ("png", "pdf", "svg", "csv"):
            first = (tmp_path / "a" / lang / f"attainment.{suffix}").read_bytes()
            assert first == (tmp_path / "b" / lang / f"attainment.{suffix}").read_bytes(), (lang, suffix)
    assert b"Date" not in (tmp_path / "a" / "en" / "attainment.svg").read_bytes()


def test_committed_figures_match_their_manifest():
    lines = (FIGURES_DIR / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(plotting.FIGURES) * len(plotting.LANGUAGES) * 4
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((FIGURES_DIR / name).read_bytes()).hexdigest() == digest, name
