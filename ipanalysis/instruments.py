"""Policy-instrument analysis of the coded policy units: instrument x value-chain tables weighted by units or by
characters, the rule-based pre-coder and its agreement with the hand coding (Cohen's kappa in-sample and
leave-one-document-out, with bootstrap intervals), keyword intensity per 10,000 characters, and which agencies lead or
join tasks. Restatements (专栏 boxes that detail their parent clause) are coded but never counted."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from .dataset import Dataset, cached

SUBTYPE, STAGE, TYPE = "instrument_subtype", "value_chain_stage", "instrument_type"
UNCODED = "uncoded"
COMPREHENSIVE = "comprehensive"
WEIGHTS = ("units", "characters")
BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE = 2000, 20240501, 0.95
ROLE_SUFFIXES = ("按职责分工负责", "按职责分别负责", "分别牵头", "分别负责", "牵头负责", "牵头", "负责", "配合")
AGENCY_CLAUSE = re.compile(r"[（(]((?:请)?[^（）()]*(?:牵头|负责|配合)[^（）()]*)[）)]\s*$")
UNIT_NUMBER = re.compile(r"^\s*(专栏\s*\d+|[（(][一二三四五六七八九十]+[)）]|\d+[．.]|[一二三四五六七八九十]+、)\s*")


# -- units and their sentences
def _without_clause(text: str, agency_clause: str | None) -> str:
    """The unit's text without its closing responsibility clause."""
    if not isinstance(agency_clause, str):
        return text
    return text[: text.rfind(agency_clause)].rstrip("（(")


def content_sentences(text: str, heading: str, agency_clause: str | None = None) -> list[str]:
    """A unit's content sentences as the codebook's rule_unit cuts them (number 1 first): the text after its printed
    number and heading, without the responsibility clause and whitespace, cut after 。；; with each —— item one sentence;
    a unit with nothing beyond its heading is its heading."""
    body = UNIT_NUMBER.sub("", _without_clause(text, agency_clause), count=1)
    body = body.removeprefix(heading).lstrip("。. \t\u3000")
    first, *items = re.split(r"(?=——|--)", re.sub(r"\s+", "", body))
    parts = [*re.split(r"(?<=[。；;])", first), *items]
    return [part for part in parts if re.sub(r"[。；;—\-*]", "", part)] or [heading]


def unit_characters(text: str, agency_clause: str | None = None) -> int:
    """Characters of a unit's text, whitespace and the responsibility clause excluded: the unit's weight."""
    return len(re.sub(r"\s", "", _without_clause(text, agency_clause)))


# -- the hand coding
@cached
def primary_codes(dataset: Dataset) -> pd.DataFrame:
    """One row per unit, restatements included: its primary subtype, that subtype's type, its primary stage, its
    characters and the unit it restates (if any)."""
    codes = dataset.policy_codes[dataset.policy_codes["primary"]]
    wide = codes.pivot(index="unit_id", columns="dimension", values="code_id")
    parent = dataset.codebook.set_index("code_id")["parent_code"]
    units = dataset.policy_units.set_index("unit_id")
    documents = dataset.documents.set_index("doc_id")[["plan_period", "level"]]
    table = units[["doc_id", "part", "restates_unit_id"]].join(wide).join(documents, on="doc_id")
    table["characters"] = [unit_characters(u.text, u.agency_clause) for u in units.itertuples()]
    table[TYPE] = table[SUBTYPE].map(parent)
    columns = ["unit_id", "doc_id", "plan_period", "level", "part", "restates_unit_id", "characters", TYPE, SUBTYPE, STAGE]
    return table.reset_index()[columns]


def counted_codes(dataset: Dataset) -> pd.DataFrame:
    """primary_codes() without restatements: each measure once, the rows every count and share uses."""
    codes = primary_codes(dataset)
    return codes[codes["restates_unit_id"].isna()].reset_index(drop=True)


def codes_of(dataset: Dataset, dimension: str) -> list[str]:
    """Code ids of one codebook dimension, in codebook order."""
    codebook = dataset.codebook
    return codebook.loc[codebook["dimension"] == dimension, "code_id"].tolist()


def weighted_shares(codes: pd.DataFrame, by: str | None, column: str, categories: list[str], weight: str) -> pd.DataFrame:
    """Share of each category of `column` within each group of `by` (None: all units, as group "all"), each unit
    weighing 1 (weight="units") or its characters (weight="characters"); one row per group with the shares and the
    group's units and characters."""
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {WEIGHTS}, not {weight!r}")
    if by is None:
        codes, by = codes.assign(all="all"), "all"
    weights = codes["characters"] if weight == "characters" else pd.Series(1, index=codes.index)
    totals = weights.groupby([codes[by], codes[column]], sort=False).sum().unstack(column, fill_value=0)
    table = totals.reindex(columns=categories, fill_value=0).div(weights.groupby(codes[by], sort=False).sum(), axis=0)
    table["units"] = codes.groupby(by, sort=False).size()
    table["characters"] = codes.groupby(by, sort=False)["characters"].sum()
    table.columns.name = None
    return table.rename_axis("group")


@cached
def instrument_stage_table(dataset: Dataset, by: str = "doc_id") -> pd.DataFrame:
    """Instrument type x value-chain stage within each group (doc_id, plan_period or level), restatements left out, in
    long form: group, instrument_type, value_chain_stage, units, unit_share, characters, character_share."""
    codes = counted_codes(dataset)
    rows = []
    for group, members in codes.groupby(by, sort=False):
        cells = members.groupby([TYPE, STAGE])["characters"].agg(["size", "sum"])
        for kind, stage in itertools.product(codes_of(dataset, TYPE), codes_of(dataset, STAGE)):
            units, characters = cells.loc[(kind, stage)] if (kind, stage) in cells.index else (0, 0)
            rows.append({"grouping": by, "group": group, TYPE: kind, STAGE: stage, "units": int(units),
                         "unit_share": units / len(members), "characters": int(characters),
                         "character_share": characters / members["characters"].sum()})
    return pd.DataFrame(rows)


def crosstab(table: pd.DataFrame, group: str, value: str = "units") -> pd.DataFrame:
    """One group of instrument_stage_table as an instrument type x stage matrix."""
    part = table[table["group"] == group]
    return part.pivot(index=TYPE, columns=STAGE, values=value).reindex(index=part[TYPE].unique(), columns=part[STAGE].unique())


def type_shares(dataset: Dataset, weight: str = "characters") -> pd.DataFrame:
    """Share of each instrument type in all counted units, per plan period and per level, weighted by characters
    (default) or units; restatements left out. Index: (grouping, group), the first row ("all", "all")."""
    codes, types = counted_codes(dataset), codes_of(dataset, TYPE)
    frames = {by or "all": weighted_shares(codes, by, TYPE, types, weight) for by in (None, "plan_period", "level")}
    return pd.concat(frames, names=["grouping"])


def subtype_shares(dataset: Dataset, by: str | None = "doc_id", weight: str = "characters") -> pd.DataFrame:
    """Share of each primary subtype within each group (columns; by=None: one column "all"), restatements left out."""
    shares = weighted_shares(counted_codes(dataset), by, SUBTYPE, codes_of(dataset, SUBTYPE), weight)
    return shares.drop(columns=["units", "characters"]).T.rename_axis(SUBTYPE)


def stage_shares(
    dataset: Dataset, by: str = "plan_period", weight: str = "characters", comprehensive: str = "separate"
) -> pd.DataFrame:
    """Share of each value-chain stage per group, restatements left out. comprehensive="separate" keeps 综合 as a sixth
    column; "split" gives the literature's five stages, each comprehensive unit's weight split equally among them."""
    codes = counted_codes(dataset)
    shares = weighted_shares(codes, by, STAGE, codes_of(dataset, STAGE), weight)
    if comprehensive == "separate":
        return shares
    if comprehensive != "split":
        raise ValueError(f"comprehensive must be 'separate' or 'split', not {comprehensive!r}")
    five = [stage for stage in codes_of(dataset, STAGE) if stage != COMPREHENSIVE]
    shares[five] = shares[five].add(shares.pop(COMPREHENSIVE) / len(five), axis=0)
    return shares[[*five, "units", "characters"]]


def stage_follows_subtype(dataset: Dataset) -> pd.DataFrame:
    """Per primary subtype: its units (restatements left out), its most frequent stage, and how many of its units have
    that stage. Summed over subtypes, the last column says how often the stage is predictable from the subtype."""
    codes = counted_codes(dataset)
    counts = pd.crosstab(codes[SUBTYPE], codes[STAGE])
    table = pd.DataFrame(
        {"units": counts.sum(axis=1), "modal_stage": counts.idxmax(axis=1), "at_modal_stage": counts.max(axis=1)}
    )
    return table.reindex([code for code in codes_of(dataset, SUBTYPE) if code in table.index]).rename_axis(SUBTYPE)


def stage_follows_subtype_share(dataset: Dataset) -> float:
    """Share of counted units whose stage is the most frequent stage of their subtype."""
    table = stage_follows_subtype(dataset)
    return table["at_modal_stage"].sum() / table["units"].sum()


# -- the pre-coder
def keyword_dictionary(dataset: Dataset) -> dict[str, list[str]]:
    """code_id -> keywords, in codebook order."""
    keywords = dataset.precoder_keywords.groupby("code_id", sort=False)["keyword"].apply(list)
    return {code: keywords[code] for code in dataset.codebook["code_id"] if code in keywords}


def keyword_hits(text: str, keywords: list[str]) -> int:
    """Occurrences of any keyword in text (substring counts, keywords counted separately)."""
    return sum(text.count(keyword) for keyword in keywords)


def precode(text: str, dictionary: dict[str, list[str]], codes: list[str]) -> str:
    """The code (among `codes`) whose keywords occur most often in text; ties go to the earlier code; no hit: uncoded."""
    scores = [(keyword_hits(text, dictionary.get(code, [])), -position, code) for position, code in enumerate(codes)]
    best = max(scores)
    return best[2] if best[0] > 0 else UNCODED


def precode_table(units: pd.DataFrame, dictionary: dict[str, list[str]], codebook: pd.DataFrame) -> pd.DataFrame:
    """Pre-code units (unit_id, text and hand-coded instrument_type, instrument_subtype, value_chain_stage) with a
    dictionary: hand and pre-coded type, subtype and stage per unit."""
    subtypes = codebook.loc[codebook["dimension"] == SUBTYPE, "code_id"].tolist()
    stages = codebook.loc[codebook["dimension"] == STAGE, "code_id"].tolist()
    parent = codebook.set_index("code_id")["parent_code"]
    rows = []
    for unit in units.itertuples():
        subtype = precode(unit.text, dictionary, subtypes)
        rows.append({
            "unit_id": unit.unit_id,
            "hand_type": getattr(unit, TYPE), "precoded_type": parent.get(subtype, UNCODED),
            "hand_subtype": getattr(unit, SUBTYPE), "precoded_subtype": subtype,
            "hand_stage": getattr(unit, STAGE), "precoded_stage": precode(unit.text, dictionary, stages),
        })
    return pd.DataFrame(rows)


def _coded_units(dataset: Dataset) -> pd.DataFrame:
    """Counted units with their text and hand-coded primary codes."""
    texts = dataset.policy_units.set_index("unit_id")["text"]
    return counted_codes(dataset).join(texts, on="unit_id")


@cached
def precode_units(dataset: Dataset) -> pd.DataFrame:
    """The pre-coder's type, subtype and stage for every counted unit, with the whole dictionary (in-sample)."""
    return precode_table(_coded_units(dataset), keyword_dictionary(dataset), dataset.codebook)


def keyword_evidence(units: pd.DataFrame, keywords: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Per dictionary entry (code_id, keyword): the documents whose units both contain the keyword and are hand-coded
    with its code as primary on the code's dimension, ';'-joined. These units are what could have motivated the entry."""
    dimension = codebook.set_index("code_id")["dimension"]
    rows = []
    for entry in keywords.itertuples():
        coded = units[units[dimension[entry.code_id]] == entry.code_id]
        docs = sorted(set(coded.loc[coded["text"].str.contains(entry.keyword, regex=False), "doc_id"]))
        rows.append({"code_id": entry.code_id, "keyword": entry.keyword, "evidence_documents": ";".join(docs)})
    return pd.DataFrame(rows)


def fold_dictionary(evidence: pd.DataFrame, held_out: str) -> dict[str, list[str]]:
    """The dictionary for one leave-one-document-out fold: every entry except those motivated only by the held-out
    document (all their evidence lies in it). Entries with no evidence at all stay: no document motivated them."""
    keep = evidence[evidence["evidence_documents"] != held_out]
    return {code: group["keyword"].tolist() for code, group in keep.groupby("code_id", sort=False)}


@cached
def loo_precode_units(dataset: Dataset) -> pd.DataFrame:
    """precode_units() leave-one-document-out: each document's units pre-coded with the dictionary rebuilt without the
    entries that only that document motivates (keyword_evidence); one row per counted unit, with its fold."""
    units = _coded_units(dataset)
    evidence = keyword_evidence(units, dataset.precoder_keywords, dataset.codebook)
    frames = []
    for doc_id, members in units.groupby("doc_id", sort=False):
        table = precode_table(members, fold_dictionary(evidence, doc_id), dataset.codebook)
        frames.append(table.assign(held_out=doc_id))
    return pd.concat(frames, ignore_index=True)


def dictionary_folds(dataset: Dataset) -> pd.DataFrame:
    """Per held-out document: its counted units, and the dictionary entries dropped in its fold (only it motivates them)."""
    units = _coded_units(dataset)
    evidence = keyword_evidence(units, dataset.precoder_keywords, dataset.codebook)
    rows = []
    for doc_id, members in units.groupby("doc_id", sort=False):
        dropped = evidence[evidence["evidence_documents"] == doc_id]
        rows.append({"held_out": doc_id, "units": len(members), "entries": len(evidence), "dropped": len(dropped),
                     "dropped_entries": "; ".join(f"{e.code_id}:{e.keyword}" for e in dropped.itertuples())})
    return pd.DataFrame(rows)


def cohen_kappa(first: list, second: list) -> float:
    """Cohen's kappa for two codings of the same items: (observed - chance agreement) / (1 - chance agreement)."""
    if len(first) != len(second) or not len(first):
        raise ValueError("kappa needs two codings of the same, non-empty list of items")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = sorted(set(first) | set(second))  # a fixed order: the float sum must not depend on string hashing
    chance = sum((list(first).count(label) / n) * (list(second).count(label) / n) for label in labels)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def _kappa_of_indices(first: np.ndarray, second: np.ndarray, labels: int, axis: int = -1) -> np.ndarray:
    """cohen_kappa for codings given as label indices, vectorised over resamples (the last axis holds the items)."""
    first, second = np.moveaxis(first, axis, -1), np.moveaxis(second, axis, -1)
    observed = np.mean(first == second, axis=-1)
    shares = [np.mean(coding[..., None] == np.arange(labels), axis=-2) for coding in (first, second)]
    chance = np.sum(shares[0] * shares[1], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isclose(chance, 1), 1.0, (observed - chance) / (1 - chance))


def kappa_interval(
    first: list, second: list, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float]:
    """95 % percentile bootstrap interval of Cohen's kappa, resampling items (pairs of codes) with a fixed seed."""
    from scipy import stats  # imported here: scipy.stats costs about 1 s at import, and the kernels of a build never need it

    labels = {label: n for n, label in enumerate(sorted(set(first) | set(second)))}
    pairs = (np.array([labels[a] for a in first]), np.array([labels[b] for b in second]))
    result = stats.bootstrap(pairs, lambda a, b, axis: _kappa_of_indices(a, b, len(labels), axis), paired=True, vectorized=True,
                             n_resamples=resamples, confidence_level=CONFIDENCE, method="percentile",
                             rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def confusion(hand: list, precoded: list, labels: list[str]) -> pd.DataFrame:
    """Hand coding (rows) x pre-coder (columns), every label shown, uncoded last."""
    columns = [*labels, UNCODED] if UNCODED in set(precoded) else labels
    table = pd.crosstab(pd.Series(hand, name="hand"), pd.Series(precoded, name="precoder"))
    return table.reindex(index=labels, columns=columns, fill_value=0)


def agreement_of(coded: pd.DataFrame, resamples: int = BOOTSTRAP_RESAMPLES) -> pd.DataFrame:
    """Per dimension: units, observed agreement, Cohen's kappa with its bootstrap interval, and units left uncoded, for
    a precode_table()."""
    rows = []
    for dimension, hand, machine in ((TYPE, "hand_type", "precoded_type"), (SUBTYPE, "hand_subtype", "precoded_subtype"),
                                     (STAGE, "hand_stage", "precoded_stage")):
        first, second = coded[hand].tolist(), coded[machine].tolist()
        low, high = kappa_interval(first, second, resamples)
        rows.append({"dimension": dimension, "units": len(coded),
                     "observed_agreement": sum(a == b for a, b in zip(first, second, strict=True)) / len(coded),
                     "kappa": cohen_kappa(first, second), "kappa_low": low, "kappa_high": high, "uncoded": second.count(UNCODED)})
    return pd.DataFrame(rows)


@cached
def agreement(dataset: Dataset) -> pd.DataFrame:
    """The pre-coder against the hand coding per dimension, in-sample (whole dictionary) and leave-one-document-out
    (dictionary rebuilt per fold), with 95 % bootstrap intervals over units."""
    frames = {
        "in_sample": agreement_of(precode_units(dataset)),
        "leave_one_document_out": agreement_of(loo_precode_units(dataset)),
    }
    return pd.concat(frames, names=["estimate"]).reset_index(level=0).reset_index(drop=True)


# -- keyword intensity
def theme_counts(text: str, keywords: list[str]) -> int:
    """Non-overlapping occurrences of a theme's keywords, longer keywords first (高质量 is not also 质量)."""
    pattern = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
    return len(re.findall(pattern, text))


@cached
def keyword_intensity(dataset: Dataset) -> pd.DataFrame:
    """Theme keyword occurrences per 10,000 characters (whitespace excluded) of each whole document."""
    themes = dataset.theme_keywords.groupby("theme_id", sort=False)
    labels = dataset.theme_keywords.drop_duplicates("theme_id").set_index("theme_id")
    rows = []
    for doc in dataset.documents.sort_values("date_issued").itertuples():
        text = dataset.document_texts[doc.doc_id]
        characters = len(re.sub(r"\s", "", text))
        for theme_id, group in themes:
            count = theme_counts(text, group["keyword"].tolist())
            rows.append(
                {
                    "doc_id": doc.doc_id,
                    "plan_period": doc.plan_period,
                    "level": doc.level,
                    "theme_id": theme_id,
                    "label_en": labels.loc[theme_id, "label_en"],
                    "label_zh": labels.loc[theme_id, "label_zh"],
                    "occurrences": count,
                    "characters": characters,
                    "per_10k": count / characters * 10_000,
                }
            )
    return pd.DataFrame(rows)


def intensity_by(intensity: pd.DataFrame, by: str) -> pd.DataFrame:
    """Pooled intensity per group (plan_period or level): total occurrences per 10,000 characters of the group's texts."""
    characters = intensity.drop_duplicates("doc_id").groupby(by)["characters"].sum()
    occurrences = intensity.groupby([by, "theme_id"], sort=False)["occurrences"].sum().unstack(by)
    return (occurrences / characters * 10_000).reindex(intensity["theme_id"].unique())


# -- agencies
def parse_agency_clause(text: str, aliases: dict[str, str] | None = None) -> tuple[str | None, list[str], list[str]]:
    """Split a unit's closing responsibility clause, e.g. (市知识产权局牵头，市科委、滨海新区人民政府配合), into the
    clause, lead agencies (牵头/负责) and cooperating agencies (配合); aliases map other spellings to canonical names."""
    match = AGENCY_CLAUSE.search(text)
    if not match:
        return None, [], []
    lead, cooperating = [], []
    for clause in re.split(r"[，,]", match.group(1)):
        clause = clause.strip().removeprefix("请")
        target = cooperating if clause.endswith("配合") else lead
        clause = next((clause[: -len(suffix)] for suffix in ROLE_SUFFIXES if clause.endswith(suffix)), clause)
        clause = clause.removesuffix("等").removesuffix("按职责分工").removesuffix("按职责")
        target.extend((aliases or {}).get(name.strip(), name.strip()) for name in clause.split("、") if name.strip())
    return match.group(1), list(dict.fromkeys(lead)), list(dict.fromkeys(cooperating))


def _names(value) -> list[str]:
    """A ';'-separated list cell as a list (empty for a missing value)."""
    return [] if pd.isna(value) else [name for name in value.split(";") if name]


def _agency_lists(dataset: Dataset) -> pd.DataFrame:
    units = dataset.policy_units
    has = units["lead_agencies"].notna() | units["cooperating_agencies"].notna()
    return units.loc[has, ["unit_id", "doc_id", "lead_agencies", "cooperating_agencies"]]


@cached
def agency_roles(dataset: Dataset) -> pd.DataFrame:
    """Per agency: tasks it leads, tasks it joins (cooperates on), and in total."""
    counts: dict[str, list[int]] = {}
    for unit in _agency_lists(dataset).itertuples():
        for column, position in (("lead_agencies", 0), ("cooperating_agencies", 1)):
            for name in _names(getattr(unit, column)):
                counts.setdefault(name, [0, 0])[position] += 1
    agencies = dataset.agencies.set_index("name_zh")
    table = pd.DataFrame(
        [(name, agencies.loc[name, "name_en"], lead, join, lead + join) for name, (lead, join) in counts.items()],
        columns=["agency_zh", "agency_en", "leads", "joins", "tasks"],
    )
    return table.sort_values(["tasks", "leads", "agency_zh"], ascending=[False, False, True]).reset_index(drop=True)


@cached
def co_responsibility(dataset: Dataset) -> pd.DataFrame:
    """Agency pairs that share at least one task (as lead or cooperating), with how many tasks they share."""
    pairs: dict[tuple[str, str], int] = {}
    for unit in _agency_lists(dataset).itertuples():
        names = sorted({n for column in ("lead_agencies", "cooperating_agencies") for n in _names(getattr(unit, column))})
        for pair in itertools.combinations(names, 2):
            pairs[pair] = pairs.get(pair, 0) + 1
    table = pd.DataFrame([(a, b, n) for (a, b), n in pairs.items()], columns=["agency_a", "agency_b", "shared_tasks"])
    return table.sort_values(["shared_tasks", "agency_a", "agency_b"], ascending=[False, True, True]).reset_index(drop=True)


def unit_summary(dataset: Dataset) -> pd.DataFrame:
    """Per document: units by part, restatements, counted units, their characters and median characters per counted
    unit (granularity differs: compare documents by shares or characters, not unit counts), units naming agencies."""
    units = dataset.policy_units
    codes = primary_codes(dataset).set_index("doc_id")
    table = pd.crosstab(units["doc_id"], units["part"]).reindex(
        columns=["goals", "tasks", "box", "projects", "guarantees"], fill_value=0
    )
    table["units"] = table.sum(axis=1)
    table["restatements"] = codes["restates_unit_id"].notna().groupby(level=0).sum()
    counted = codes[codes["restates_unit_id"].isna()].groupby(level=0)["characters"]
    table["counted"] = counted.size()
    table["characters"] = counted.sum()
    table["median_characters"] = counted.median()
    table["naming_agencies"] = units.assign(named=units["lead_agencies"].notna()).groupby("doc_id")["named"].sum()
    return table.reindex(dataset.documents.sort_values("date_issued")["doc_id"])


def precode_text(dataset: Dataset, text: str) -> dict[str, str]:
    """Pre-code a new passage with the documented dictionary: its instrument type, subtype and stage."""
    dictionary = keyword_dictionary(dataset)
    codebook = dataset.codebook
    subtype = precode(text, dictionary, codes_of(dataset, SUBTYPE))
    stage = precode(text, dictionary, codes_of(dataset, STAGE))
    return {TYPE: codebook.set_index("code_id")["parent_code"].get(subtype, UNCODED), SUBTYPE: subtype, STAGE: stage}
