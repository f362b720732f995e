"""Numbers that the report's Methods (both languages) and the README state are read back and compared with the values
computed from the data (issue 7 §2: a data edit that changes a stated number must fail a test, never leave the text
stale). Numbers that are not computed (a quoted example, a citation, a formula's constant, the outside review) are
listed with their reason, and any other number in the Methods fails: a new one has to be computed or listed."""

import dataclasses
import re

import pandas as pd
import pytest

import ipanalysis
from ipanalysis import extraction, instruments, metrics
from ipanalysis.config import PROJECT_ROOT
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


# -- the README
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
WORDS = {"three": 3, "four": 4, "five": 5, "six": 6}


def _readme(pattern: str) -> tuple[str, ...]:
    """The groups of `pattern` in the README (line breaks read as spaces)."""
    found = re.search(pattern, " ".join(README.split()))
    assert found, f"README.md no longer states {pattern!r}: state it, or change the test with the text"
    return found.groups()


def _number(text: str) -> int:
    return WORDS[text] if text in WORDS else int(text.replace(",", ""))


def test_the_readme_data_table_states_every_table_s_rows(dataset):
    rows = re.findall(r"^\| `(\w+)\.csv`(?:, `(\w+)\.csv`)? \| ([\d, ]+) \|", README, re.MULTILINE)
    stated = {}
    for first, second, counts in rows:
        for name, count in zip([n for n in (first, second) if n], counts.split(","), strict=True):
            stated[name] = int(count)
    tables = {f.name: len(getattr(dataset, f.name)) for f in dataclasses.fields(dataset)
              if isinstance(getattr(dataset, f.name), pd.DataFrame)}
    assert stated == tables


def test_the_readme_counts_of_statements_commitments_and_codes_are_the_data_s(dataset):
    targets, codebook = dataset.targets, dataset.codebook
    canonical = targets[targets["restates_target_id"].isna()]
    assert [_number(n) for n in _readme(r"(\d+) canonical statements and (\d+) restatements, making (\d+) commitments")] == [
        len(canonical), len(targets) - len(canonical), len(dataset.commitments)]
    assert [_number(n) for n in _readme(r"documents' (\d+) canonical statements are (\d+) commitments")] == [
        len(canonical), len(dataset.commitments)]
    documents = dataset.documents
    first = documents[(documents["level"] == "city")].sort_values("date_issued")
    first = first[first["plan_period"] == first["plan_period"].iloc[0]]["doc_id"]
    shared = canonical[canonical["doc_id"].isin(first)]
    assert [_number(n) for n in _readme(r"so their (\d+) statements are (\d+) commitments")] == [
        len(shared), shared["commitment_id"].nunique()]
    assert _number(_readme(r"and 专栏; (\d+) derived")[0]) == int(dataset.outcomes["is_derived"].sum())
    assert _readme(r"misprints \(p01-(p\d+)\)")[0] == max(dataset.source_problems["problem_id"])
    dimensions = codebook["dimension"].value_counts()
    assert [_number(n) for n in _readme(r"codes \((\d+) types, (\d+) subtypes\) and (\d+) value-chain stages")] == [
        dimensions["instrument_type"], dimensions["instrument_subtype"], dimensions["value_chain_stage"]]
    assert _number(_readme(r"and the (\d+) coding rules")[0]) == dimensions["coding_rule"]
    restating = int(dataset.policy_units["restates_unit_id"].notna().sum())
    assert _number(_readme(r"; (\d+) 专栏 boxes restate their clause")[0]) == restating
    assert _number(_readme(r"the (\w+) Jinghai 专栏 boxes that restate their clause")[0]) == restating


def test_the_readme_document_table_states_targets_and_outcomes_per_document(dataset):
    rows = dict(((doc_id, (targets, outcomes)) for doc_id, targets, outcomes in
                 re.findall(r"^\| [^|]+ \| `(\w+)` \| (\d+) \| (\d+|–) \|$", README, re.MULTILINE)))
    canonical = dataset.targets[dataset.targets["restates_target_id"].isna()]
    expected = {}
    for doc_id in dataset.documents["doc_id"]:
        outcomes = int((dataset.outcomes["doc_id"] == doc_id).sum())
        expected[doc_id] = (str(canonical.loc[canonical["doc_id"] == doc_id, "commitment_id"].nunique()),
                            str(outcomes) if outcomes else "–")
    assert rows == expected


def test_the_readme_unit_sizes_and_kappas_are_computed(dataset):
    summary = instruments.unit_summary(dataset)
    medians = summary["median_characters"].sort_values()
    stated = _readme(r"median (\d+) characters per unit against (\d+)-(\d+) elsewhere")
    assert [int(n) for n in stated] == [medians.iloc[0], medians.iloc[1], medians.iloc[-1]]
    agreement = instruments.agreement(dataset).set_index(["dimension", "estimate"])
    for dimension, label in (("instrument_type", "instrument type"), ("instrument_subtype", "instrument subtype"),
                             ("value_chain_stage", "value-chain stage")):
        row = _readme(rf"\| {label} \| ([\d.]+) \(([\d.]+)-([\d.]+)\) \| ([\d.]+) \(([\d.]+)-([\d.]+)\) \|")
        expected = [f"{agreement.loc[(dimension, estimate), column]:.2f}"
                    for estimate in ("in_sample", "leave_one_document_out") for column in ("kappa", "kappa_low", "kappa_high")]
        assert list(row) == expected, label


def test_the_readme_extraction_table_and_worked_example_are_the_evaluation(dataset):
    assert extraction.evaluation_markdown(dataset) in README, (
        "README.md's extractor table is stale: paste the output of `make extract-eval`")
    row = extraction.evaluate(dataset).set_index("doc_id").loc["wq2017"]
    proposed, curated, units, curated_units = (int(n) for n in _readme(
        r"proposed (\d+) targets \(the (\d+) curated ones and two 零突破 of task clauses\) "
        r"and (\d+) policy units \(the (\d+) curated"))
    assert (proposed, curated, units, curated_units) == (
        row["candidates"], row["targets_curated"], row["policy_units"], row["policy_units_curated"])


def test_the_readme_counts_the_mutations():
    from mutations import MUTATIONS

    assert int(_readme(r"fault in `tests/mutations.py` \((\d+) small faults")[0]) == len(MUTATIONS)


def test_the_readme_counts_the_documents_it_is_built_on(dataset):
    number, region = _readme(r"built on (\w+) (\w+) policy documents")
    assert _number(number) == len(dataset.documents)
    assert region in set(dataset.regions.set_index("region_id").loc[dataset.documents["region"], "name_en"])


def test_the_readme_states_the_attainment_result(dataset):
    from ipanalysis import comparisons

    table = comparisons.attainment_table(dataset)
    statuses = table["status"].value_counts()
    stated = _readme(r"of the (\d+) commitments a later review covers, (\d+) are achieved, (\d+) not achieved, (\d+) "
                     r"not comparable and (\d+) not reported")
    assert tuple(map(int, stated)) == (
        len(table), *(int(statuses.get(s, 0)) for s in ("achieved", "not_achieved", "not_comparable", "not_reported")))
    unreported = table[table["status"] == "not_reported"]
    reached = unreported[unreported["progress_status"] == "achieved"]
    observed = _readme(r"official statistics \(notebook 05\) show (\d+) of these (\d+) reached before (\d+)")
    assert tuple(map(int, observed)) == (len(reached), len(unreported), int(reached["target_year"].max()))


def test_the_readme_names_the_milestone_statuses_of_the_data():
    from ipanalysis.config import DATA_DIR
    from ipanalysis.schema import read_descriptor

    fields = next(r for r in read_descriptor(DATA_DIR)["resources"] if r["name"] == "milestones")["schema"]["fields"]
    statuses = next(f for f in fields if f["name"] == "evidence_status")["constraints"]["enum"]
    assert _readme(r"\(`evidence_status`: ([a-z_, ]+)\)")[0].split(", ") == statuses


def test_the_readme_layout_lists_every_notebook():
    from ipanalysis.config import NOTEBOOKS_DIR
    from ipanalysis.report import state

    listed = _readme(r"notebooks/ +(.*?) figures/")[0]
    assert [path.name[:2] for path in state.notebook_sources(NOTEBOOKS_DIR) if f"{path.name[:2]} " not in listed] == []
