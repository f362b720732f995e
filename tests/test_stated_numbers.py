"""Numbers that the report's Methods (both languages) and the README state are read back and compared with the values
computed from the data (issue 7 §2: a data edit that changes a stated number must fail a test, never leave the text
stale). Numbers that are not computed (a quoted example, a citation, a formula's constant, the outside review) are
listed with their reason, and any other number in the Methods fails: a new one has to be computed or listed."""

import re

import pytest

import ipanalysis
from ipanalysis import instruments, metrics
from ipanalysis.report import page

# The independent second coder's result (issue 7 §4): 50 sampled units of the earlier coding, kappa for type, subtype
# and stage. It comes from outside data/ and cannot be recomputed; both languages must state the same figures.
SECOND_CODER = {"units": "50", "kappa": ("0.88", "0.87", "0.90")}


@pytest.fixture(scope="module")
def dataset():
    return ipanalysis.load()


def _unit_counts(dataset) -> dict[str, int]:
    units = dataset.policy_units
    return {"units": len(units), "restatements": int(units["restates_unit_id"].notna().sum()),
            "counted": len(instruments.counted_codes(dataset))}


def _bands() -> list[int]:
    """The progress bands' thresholds in percent, as the Methods write them: ≥ on track, low–high, low–high, < 0."""
    on_track, acceleration, limited = (round(threshold * 100) for threshold, _ in metrics.PROGRESS_BANDS)
    return [on_track, acceleration, on_track, limited, acceleration, limited]


def _computed(dataset, lang: str) -> list[tuple[str, list[int]]]:
    """(pattern, the values its groups must read) for every computed number of the Methods in `lang`."""
    counts = _unit_counts(dataset)
    confidence, resamples = round(instruments.CONFIDENCE * 100), instruments.BOOTSTRAP_RESAMPLES
    if lang == "en":
        return [
            (r"policy_units\.csv`, each verbatim\), (\d+) units,", [counts["units"]]),
            (r"The (\d+) 专栏 boxes that restate their clause are coded but not counted, so (\d+) units are counted",
             [counts["restatements"], counts["counted"]]),
            (r"with (\d+) % percentile bootstrap intervals over units \(([\d,]+) resamples\)", [confidence, resamples]),
            (r"≥ (\d+) % on track, (\d+)–(\d+) % acceleration needed, (\d+)–(\d+) % limited progress, < (\d+) moving away",
             _bands()),
        ]
    return [
        (r"每个编号单元（共(\d+)个）", [counts["units"]]),
        (r"复述其所在条款的(\d+)个专栏予以编码但不计入，计入的单元为(\d+)个", [counts["restatements"], counts["counted"]]),
        (r"(\d+)%百分位自助法区间（重抽样([\d,]+)次）", [confidence, resamples]),
        (r"≥ (\d+)%按计划推进，(\d+)%–(\d+)%需加速，(\d+)–(\d+)%进展有限，< (\d+)背离目标", _bands()),
    ]


# Numbers the Methods state that are not computed, with the reason (the same in both languages).
LISTED = {
    r"比2015年增长137\.05%": "a relative statement quoted from the data as an example (checked below)",
    r"是2015年的3\.93倍": "a relative statement quoted from the data as an example (checked below)",
    r"SHA-256": "the name of the checksum",
    r"\^\(1/(?:years|年数)\) − 1": "the compound growth formula",
    r"\(1 − (?:chance agreement|机会一致率)\)": "Cohen's kappa formula",
    r"Zhou 2019": "a citation",
    r"per 10,000 non-space characters": "the unit of keyword intensity (per_10k)",
}


def _second_coder(text: str, lang: str) -> tuple[str, tuple[str, ...]]:
    pattern = (r"coded (\d+) sampled units.*?kappa ([\d.]+) \(type\), ([\d.]+) \(subtype\) and ([\d.]+) \(stage\)"
               if lang == "en" else r"对(\d+)个抽样单元.*?kappa为([\d.]+)（类型）、([\d.]+)（子类）和([\d.]+)（环节）")
    found = re.search(pattern, text)
    assert found, f"methods.{lang}.md no longer states the second coder's kappas in the form {pattern!r}"
    return found.group(1), found.groups()[1:]


def _methods(lang: str) -> str:
    return " ".join(page.methods_markdown(lang).split())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_number_in_the_methods_is_computed_or_listed(dataset, lang):
    text = _methods(lang)
    for pattern, expected in _computed(dataset, lang):
        found = re.search(pattern, text)
        assert found, f"methods.{lang}.md no longer states {pattern!r}: state it, or change the test with the text"
        stated = [int(group.replace(",", "")) for group in found.groups()]
        assert stated == expected, f"methods.{lang}.md states {stated} where the data give {expected} ({pattern!r})"
        text = text.replace(found.group(0), " ")
    units, kappas = _second_coder(text, lang)
    assert (units, kappas) == (SECOND_CODER["units"], SECOND_CODER["kappa"]), f"methods.{lang}.md: second coder"
    for number in (units, *kappas):
        text = text.replace(number, " ", 1)
    for pattern in LISTED:
        text = re.sub(pattern, " ", text)
    leftover = re.findall(r"[^\s]{0,12}\d[^\s]{0,12}", text)
    assert leftover == [], f"methods.{lang}.md states numbers neither computed nor listed in this test: {leftover}"


def test_the_methods_examples_are_quoted_from_the_data(dataset):
    quoted = " ".join([*dataset.outcomes["value_text"].dropna(), *dataset.outcomes["quote"].dropna()])
    for example in ("比2015年增长137.05%", "是2015年的3.93倍"):
        assert example in quoted and example in _methods("en") and example in _methods("zh"), example
