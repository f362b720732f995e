"""Policy-instrument analysis of the coded policy units: instrument x value-chain tables, the rule-based
pre-coder and its agreement with the hand coding (Cohen's kappa), keyword intensity per 10,000 characters, and
which agencies lead or join tasks."""

from __future__ import annotations

import itertools
import re

import pandas as pd

from .dataset import Dataset, cached

SUBTYPE, STAGE, TYPE = "instrument_subtype", "value_chain_stage", "instrument_type"
UNCODED = "uncoded"
ROLE_SUFFIXES = ("按职责分工负责", "按职责分别负责", "分别牵头", "分别负责", "牵头负责", "牵头", "负责", "配合")
AGENCY_CLAUSE = re.compile(r"[（(]((?:请)?[^（）()]*(?:牵头|负责|配合)[^（）()]*)[）)]\s*$")


# -- the hand coding
@cached
def primary_codes(dataset: Dataset) -> pd.DataFrame:
    """One row per unit: its primary instrument subtype, that subtype's instrument type, and its primary stage."""
    codes = dataset.policy_codes[dataset.policy_codes["primary"]]
    wide = codes.pivot(index="unit_id", columns="dimension", values="code_id")
    parent = dataset.codebook.set_index("code_id")["parent_code"]
    units = dataset.policy_units.set_index("unit_id")[["doc_id", "part"]]
    documents = dataset.documents.set_index("doc_id")[["plan_period", "level"]]
    table = units.join(wide).join(documents, on="doc_id")
    table[TYPE] = table[SUBTYPE].map(parent)
    return table.reset_index()[["unit_id", "doc_id", "plan_period", "level", "part", TYPE, SUBTYPE, STAGE]]


@cached
def instrument_stage_table(dataset: Dataset, by: str = "doc_id") -> pd.DataFrame:
    """Counts and shares of units by instrument type x value-chain stage within each group (doc_id, plan_period or
    level), in long form: group, instrument_type, value_chain_stage, units, share."""
    codes = primary_codes(dataset)
    types = dataset.codebook.loc[dataset.codebook["dimension"] == TYPE, "code_id"].tolist()
    stages = dataset.codebook.loc[dataset.codebook["dimension"] == STAGE, "code_id"].tolist()
    rows = []
    for group, members in codes.groupby(by, sort=False):
        counts = members.groupby([TYPE, STAGE]).size()
        for kind, stage in itertools.product(types, stages):
            units = int(counts.get((kind, stage), 0))
            rows.append({"grouping": by, "group": group, TYPE: kind, STAGE: stage, "units": units, "share": units / len(members)})
    return pd.DataFrame(rows)


def crosstab(table: pd.DataFrame, group: str, value: str = "units") -> pd.DataFrame:
    """One group of instrument_stage_table as an instrument type x stage matrix."""
    part = table[table["group"] == group]
    return part.pivot(index=TYPE, columns=STAGE, values=value).reindex(index=part[TYPE].unique(), columns=part[STAGE].unique())


def subtype_counts(dataset: Dataset) -> pd.DataFrame:
    """Units per primary instrument subtype and document."""
    codes = primary_codes(dataset)
    table = pd.crosstab(codes[SUBTYPE], codes["doc_id"])
    order = dataset.codebook.loc[dataset.codebook["dimension"] == SUBTYPE, "code_id"]
    return table.reindex([code for code in order if code in table.index]).reindex(columns=list(dict.fromkeys(codes["doc_id"])))


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


@cached
def precode_units(dataset: Dataset) -> pd.DataFrame:
    """The pre-coder's primary subtype, type and stage for every unit, beside the hand coding."""
    dictionary = keyword_dictionary(dataset)
    codebook = dataset.codebook
    subtypes = codebook.loc[codebook["dimension"] == SUBTYPE, "code_id"].tolist()
    stages = codebook.loc[codebook["dimension"] == STAGE, "code_id"].tolist()
    parent = codebook.set_index("code_id")["parent_code"]
    hand = primary_codes(dataset).set_index("unit_id")
    rows = []
    for unit in dataset.policy_units.itertuples():
        subtype = precode(unit.text, dictionary, subtypes)
        rows.append(
            {
                "unit_id": unit.unit_id,
                "hand_type": hand.loc[unit.unit_id, TYPE],
                "precoded_type": parent.get(subtype, UNCODED),
                "hand_subtype": hand.loc[unit.unit_id, SUBTYPE],
                "precoded_subtype": subtype,
                "hand_stage": hand.loc[unit.unit_id, STAGE],
                "precoded_stage": precode(unit.text, dictionary, stages),
            }
        )
    return pd.DataFrame(rows)


def cohen_kappa(first: list, second: list) -> float:
    """Cohen's kappa for two codings of the same items: (observed - chance agreement) / (1 - chance agreement)."""
    if len(first) != len(second) or not first:
        raise ValueError("kappa needs two codings of the same, non-empty list of items")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    chance = sum((list(first).count(label) / n) * (list(second).count(label) / n) for label in labels)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def confusion(hand: list, precoded: list, labels: list[str]) -> pd.DataFrame:
    """Hand coding (rows) x pre-coder (columns), every label shown, uncoded last."""
    columns = [*labels, UNCODED] if UNCODED in set(precoded) else labels
    table = pd.crosstab(pd.Series(hand, name="hand"), pd.Series(precoded, name="precoder"))
    return table.reindex(index=labels, columns=columns, fill_value=0)


def agreement(dataset: Dataset) -> pd.DataFrame:
    """Per dimension: units, observed agreement and Cohen's kappa of the pre-coder against the hand coding."""
    return agreement_of(precode_units(dataset))


def agreement_of(coded: pd.DataFrame) -> pd.DataFrame:
    """agreement() for an existing precode_units() table."""
    rows = []
    for dimension, hand, machine in (
        (TYPE, "hand_type", "precoded_type"),
        (SUBTYPE, "hand_subtype", "precoded_subtype"),
        (STAGE, "hand_stage", "precoded_stage"),
    ):
        first, second = coded[hand].tolist(), coded[machine].tolist()
        rows.append(
            {
                "dimension": dimension,
                "units": len(coded),
                "observed_agreement": sum(a == b for a, b in zip(first, second, strict=True)) / len(coded),
                "kappa": cohen_kappa(first, second),
                "uncoded": second.count(UNCODED),
            }
        )
    return pd.DataFrame(rows)


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
    """Units per document and part, and how many name responsible agencies."""
    units = dataset.policy_units
    table = pd.crosstab(units["doc_id"], units["part"]).reindex(
        columns=["goals", "tasks", "box", "projects", "guarantees"], fill_value=0
    )
    table["units"] = table.sum(axis=1)
    table["naming_agencies"] = units.assign(named=units["lead_agencies"].notna()).groupby("doc_id")["named"].sum()
    return table.reindex(dataset.documents.sort_values("date_issued")["doc_id"])


def type_shares(dataset: Dataset) -> pd.DataFrame:
    """Share of units by instrument type in the 13th and 14th periods and in city and district documents."""
    codes = primary_codes(dataset)
    frames = [pd.crosstab(codes[by], codes[TYPE], normalize="index") for by in ("plan_period", "level")]
    table = pd.concat(frames)
    table["units"] = [
        int((codes[by] == group).sum())
        for by, frame in zip(("plan_period", "level"), frames, strict=True)
        for group in frame.index
    ]
    return table[["supply", "environmental", "demand", "units"]]


def precode_text(dataset: Dataset, text: str) -> dict[str, str]:
    """Pre-code a new passage with the documented dictionary: its instrument type, subtype and stage."""
    dictionary = keyword_dictionary(dataset)
    codebook = dataset.codebook
    subtype = precode(text, dictionary, codebook.loc[codebook["dimension"] == SUBTYPE, "code_id"].tolist())
    stage = precode(text, dictionary, codebook.loc[codebook["dimension"] == STAGE, "code_id"].tolist())
    return {TYPE: codebook.set_index("code_id")["parent_code"].get(subtype, UNCODED), SUBTYPE: subtype, STAGE: stage}
