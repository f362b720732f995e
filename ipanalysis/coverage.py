"""Completeness of the curation: every number in the sources is either inside a curated quote or of a kind that
is not a quantity (a date, a document number, a heading, a hotline...). What is neither was missed."""

from __future__ import annotations

import re

import pandas as pd

from .dataset import Dataset, cached

NUMBER = re.compile(r"\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+(?=[件家个项名倍番])")

# (reason, pattern): a number inside a match of the pattern is not a quantity.
NOT_QUANTITIES = (
    ("date", r"\d{4}\s*年(?:\d{1,2}月)?(?:[\d０-９]{1,2}日)?|\d{4}\.\d{1,2}\.\d{1,2}|\d{4}[-—]\d{4}年"),
    ("document number or standard", r"[〔\[]\d{4}[〕\]]\d+号|GB/T\s?\d+[-—]\d{4}"),
    ("heading or list number", r"(?m)^[\s　]*\d+[．.]|专栏\d|\.{5}\t\d+|\t\d+$"),
    ("meeting number or title", r"第\d+次常务会议|等\d+个专项规划"),
    ("hotline", r"12330|88908890"),
    ("named day", r"“?\d+\.\d+”?\s*世界知识产权日|“12·4”|“3\.15"),
    # a quoted slogan that counts goals (“五个现代化…”, “六个…”) names no place of its own: any region's works
    ("slogan or plan name",
     r"[一二三四五六七八九十]+个(?:全面|着力|直辖市|五年)|“[一二三四五六七八九十]+个[^”\s]{1,8}”|“1\+3\+4”|“1\+N”"),
)


def excluded_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), reason) for reason, pattern in NOT_QUANTITIES for m in re.finditer(pattern, text)]


def quoted_spans(dataset: Dataset) -> dict[str, list[tuple[int, int]]]:
    """Character spans of every curated quote (all occurrences), per document."""
    pairs = [
        (dataset.targets, "doc_id", "quote"),
        (dataset.outcomes, "doc_id", "quote"),
        (dataset.milestones, "doc_id", "quote"),
        (dataset.milestones, "evidence_doc_id", "evidence_quote"),
        (dataset.source_problems, "doc_a", "quote_a"),
        (dataset.source_problems, "doc_b", "quote_b"),
    ]
    spans: dict[str, list[tuple[int, int]]] = {doc_id: [] for doc_id in dataset.document_texts}
    for frame, doc_column, quote_column in pairs:
        for doc_id, quote in frame[[doc_column, quote_column]].dropna().itertuples(index=False):
            if doc_id not in dataset.document_texts:
                continue  # a register quote from an observation snapshot covers no number of the documents
            text, start = dataset.document_texts[doc_id], 0
            while (found := text.find(quote, start)) >= 0:
                spans[doc_id].append((found, found + len(quote)))
                start = found + 1
    return spans


@cached
def number_coverage(dataset: Dataset) -> pd.DataFrame:
    """One row per number in the sources: doc_id, line, number, context and status (quoted, or the reason it is
    not a quantity, or 'uncovered')."""
    quoted = quoted_spans(dataset)
    rows = []
    for doc_id, text in dataset.document_texts.items():
        excluded = excluded_spans(text)
        for match in NUMBER.finditer(text):
            position = match.start()
            if any(start <= position < end for start, end in quoted[doc_id]):
                status = "quoted"
            else:
                status = next((reason for start, end, reason in excluded if start <= position < end), "uncovered")
            context = text[max(0, position - 15) : match.end() + 10].replace("\n", "⏎")
            rows.append((doc_id, text.count("\n", 0, position) + 1, match.group(), context, status))
    return pd.DataFrame(rows, columns=["doc_id", "line", "number", "context", "status"])


def curation_summary(dataset: Dataset) -> pd.DataFrame:
    """Per document, in document order: target statements, commitments (distinct targets it states: a per-document
    count), outcomes (and how many derived), milestones; a last row 'all' counts every commitment once."""
    targets, outcomes, milestones = dataset.targets, dataset.outcomes, dataset.milestones
    commitments = dataset.commitments  # an empty commitment_id is a commitment of its own (the contract's rule)
    stating = commitments["doc_ids"].str.split(";").explode()
    rows = []
    for doc_id in dataset.document_order:
        mine = outcomes[outcomes["doc_id"] == doc_id]
        rows.append(
            {
                "doc_id": doc_id,
                "label_en": dataset.document_label(doc_id, "en"),
                "target_statements": int((targets["doc_id"] == doc_id).sum()),
                "commitments": int((stating == doc_id).sum()),
                "outcomes": len(mine),
                "derived_outcomes": int(mine["is_derived"].sum()),
                "milestones": int((milestones["doc_id"] == doc_id).sum()),
            }
        )
    rows.append(
        {
            "doc_id": "all",
            "label_en": "all documents (each commitment once)",
            "target_statements": len(targets),
            "commitments": len(commitments),
            "outcomes": len(outcomes),
            "derived_outcomes": int(outcomes["is_derived"].sum()),
            "milestones": len(milestones),
        }
    )
    return pd.DataFrame(rows)
