"""Command line: ``python -m ipanalysis validate [DATA_DIR] [--lang en|zh]``, ``dictionary``, and ``report``
(what ``make report`` runs)."""

from __future__ import annotations

import argparse
import os
import sys

from .config import DATA_DIR
from .dictionary import render_dictionary
from .messages import LANGUAGES
from .validation import validate

SUMMARY = {
    "en": "OK {folder}: {counts}. Every quote is verbatim in its source, every value reads back from its quote, "
    "{derived} derived values recompute from their formulas, {sources} source checksums match.",
    "zh": "通过 {folder}：{counts}。所有引文均逐字见于原文，所有数值均可由引文读出，"
    "{derived} 个推算值可由公式复算，{sources} 个原文件校验和一致。",
}
FAILED = {"en": "{count} problem(s) in {folder}", "zh": "{folder} 中有 {count} 个问题"}


def default_language() -> str:
    """zh when the user's locale (IPANALYSIS_LANG, then LANG) is Chinese, else en."""
    setting = os.environ.get("IPANALYSIS_LANG") or os.environ.get("LANG", "")
    return "zh" if setting.lower().startswith("zh") else "en"


def run_validate(folder: str, lang: str) -> int:
    result = validate(folder)
    for problem in result.problems:
        print(problem.format(lang))
    if result.problems:
        print(FAILED[lang].format(count=len(result.problems), folder=folder), file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(table.rows)} {name}" for name, table in result.tables.items())
    derived = sum(1 for name in ("outcomes", "observations") if name in result.tables
                  for row in result.tables[name].rows if row.values["is_derived"])
    sources = len(result.document_texts) + len(result.snapshot_texts)
    print(SUMMARY[lang].format(folder=folder, counts=counts, derived=derived, sources=sources))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ipanalysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a data folder; one line per problem, exit 1 if any")
    check.add_argument("data_dir", nargs="?", default=str(DATA_DIR), help="folder holding datapackage.json (default: data/)")
    check.add_argument("--lang", choices=LANGUAGES, default=default_language(), help="language of the messages")
    commands.add_parser("dictionary", help="print the data dictionary (Markdown) rendered from data/datapackage.json")
    report = commands.add_parser("report", help="build the report (what make report runs)")
    report.add_argument("--changed", nargs="*", help="inputs that changed (make's $?); only notebooks: run just those")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    if args.command == "dictionary":
        print(render_dictionary(), end="")
        return 0
    if args.command == "report":
        return run_report_step(args)
    return run_validate(args.data_dir, args.lang)


def run_report_step(args) -> int:
    from .report import ReportError, build_report

    try:
        build_report(args.changed)
    except ReportError as error:
        print(f"[report] FAILED in {error}", file=sys.stderr)
        return 1
    return 0
