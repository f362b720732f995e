"""Command line: ``python -m ipanalysis validate [DATA_DIR] [--lang en|zh]``, ``dictionary``, ``report [--data DIR]
[--out DIR] [--notebooks DIR] [--force]`` (what ``make report`` runs), ``verify`` (what ``make verify`` runs), and
the curation of a new document: ``extract SOURCE.txt --doc-id ID [--out WORKBOOK.xlsx]``, ``import WORKBOOK.xlsx
[DATA_DIR]`` and ``extract-eval [DATA_DIR]``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .config import CACHE_DIR, DATA_DIR, DATAPACKAGE_FILE, NOTEBOOKS_DIR
from .dictionary import render_dictionary
from .messages import LANGUAGES, Problem
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
    report.add_argument("--data", default=str(DATA_DIR), help="data folder to build from (default: data/)")
    report.add_argument("--out", help="output folder (default: reports/ and figures/ for data/, else <data folder>-report)")
    report.add_argument("--notebooks", default=str(NOTEBOOKS_DIR), help="folder of the numbered notebooks")
    report.add_argument("--force", action="store_true", help="rebuild even when every input and output is as recorded")
    commands.add_parser("verify", help="rebuild into a temporary folder; fail if any figure differs from the committed ones")
    _add_curation_commands(commands)
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    if args.command == "dictionary":
        print(render_dictionary(), end="")
        return 0
    if args.command in ("report", "verify"):
        return run_build(args)
    if args.command in CURATION_COMMANDS:
        return CURATION_COMMANDS[args.command](args)
    return run_validate(args.data_dir, args.lang)


def run_build(args: argparse.Namespace) -> int:
    """Run `report` or `verify`; say what failed and that the previous outputs are unchanged, without a traceback."""
    from .report.environment import misplaced_environment

    problem = misplaced_environment()
    if problem:
        print(f"[report] {problem}", file=sys.stderr)
        return 1
    os.environ["MPLCONFIGDIR"] = str(CACHE_DIR / "matplotlib")  # before matplotlib is imported: never the home folder
    from .report.build import BuildError, build_report, verify_figures
    from .report.state import Layout

    layout = None
    if args.command == "report":
        try:
            layout = Layout.for_data(Path(args.data), Path(args.out) if args.out else None, Path(args.notebooks))
        except ValueError as problem:
            print(f"[report] {problem}", file=sys.stderr)
            return 1
    try:
        if layout is None:
            return verify_figures()
        build_report(layout, force=args.force)
    except BuildError as failure:
        print(f"[report] FAILED: {failure}", file=sys.stderr)
        print("[report] nothing was replaced: the previous report and figures are unchanged", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n[report] interrupted: nothing was replaced, the previous report and figures are unchanged", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)  # the kernels and workers are stopped and the staging folder removed; skip the slow interpreter teardown
    return 0


def _add_curation_commands(commands) -> None:
    extract = commands.add_parser("extract", help="propose candidate rows for a new plan text in a curation workbook")
    extract.add_argument("source", help="the plan as a text file (UTF-8, or GBK/GB18030)")
    extract.add_argument("--doc-id", required=True, help="id of the new document (region code + year of issue)")
    extract.add_argument("--out", help="workbook to write (default: DOC_ID-curation.xlsx)")
    extract.add_argument("--region", help="region id to pre-fill in the document's rows")
    extract.add_argument("--data", default=str(DATA_DIR), help="data folder whose indicators and codebook to match")
    extract.add_argument("--lang", choices=LANGUAGES, default=default_language(), help="language of the messages")
    merge = commands.add_parser("import", help="validate a completed curation workbook and add its rows to a data folder")
    merge.add_argument("workbook")
    merge.add_argument("data_dir", nargs="?", default=str(DATA_DIR), help="data folder to add to (default: data/)")
    merge.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    merge.add_argument("--lang", choices=LANGUAGES, default=default_language(), help="language of the messages")
    evaluate = commands.add_parser("extract-eval", help="recall and precision of the extractor on the curated documents")
    evaluate.add_argument("data_dir", nargs="?", default=str(DATA_DIR))


EXTRACTED = {
    "en": "{doc_id}: {targets} candidate targets, {outcomes} candidate outcomes ({derived} derived), {numbers} other "
    "numbers, {units} policy units -> {out}",
    "zh": "{doc_id}：候选目标 {targets} 个，候选成效 {outcomes} 个（其中推算 {derived} 个），其他数字 {numbers} 个，"
    "政策单元 {units} 个 -> {out}",
}


def run_extract(args) -> int:
    from .curation import write_workbook
    from .dataset import DataValidationError, load
    from .extraction import OUTCOME, TARGET, SourceError, extract, read_source
    from .schema import CastError, read_datapackage

    try:
        source = read_source(args.source)
        reference = load(args.data)
        read_datapackage(Path(args.data) / DATAPACKAGE_FILE)["documents"].field("doc_id").cast(args.doc_id)
    except CastError as error:
        print(Problem("--doc-id", None, "doc_id", error.key, error.params).message(args.lang), file=sys.stderr)
        return 1
    except (OSError, SourceError, DataValidationError) as error:
        print(error, file=sys.stderr)
        return 1
    extraction = extract(source.text, args.doc_id, reference, source_name=os.path.basename(args.source),
                         encoding_note=source.note)
    out = write_workbook(extraction, args.out or f"{args.doc_id}-curation.xlsx", args.data, args.region)
    if source.note:
        print(source.note)
    kinds = [c.kind for c in extraction.candidates]
    print(EXTRACTED[args.lang].format(
        doc_id=args.doc_id, targets=kinds.count(TARGET), outcomes=kinds.count(OUTCOME),
        derived=sum(1 for c in extraction.quantities if c.derived), numbers=len(kinds) - len(extraction.quantities),
        units=len(extraction.units), out=out))
    return 0


def run_import(args) -> int:
    from .curation import import_workbook

    report = import_workbook(args.workbook, args.data_dir, dry_run=args.dry_run)
    for problem in report.problems:
        print(problem.format(args.lang))
    if report.problems:
        print(FAILED[args.lang].format(count=len(report.problems), folder=args.workbook), file=sys.stderr)
        return 1
    for line in report.summary(args.lang):
        print(line)
    return 0


def run_extract_eval(args) -> int:
    from .dataset import load
    from .extraction import evaluation_markdown

    print(evaluation_markdown(load(args.data_dir)))
    return 0


CURATION_COMMANDS = {"extract": run_extract, "import": run_import, "extract-eval": run_extract_eval}
