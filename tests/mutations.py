"""Fault injection: does the test suite notice small, realistic faults in ipanalysis/?

Each mutation below is one deliberate fault, described by what it breaks (so it can be re-expressed after a
refactor) and implemented as one exact text edit (file, original snippet, replacement). For every mutation the
runner copies the project into a temporary folder, applies the edit there, and runs
``python -m pytest -x -q -p no:cacheprovider`` with a .venv of the copy's own (linked to the
project's installed packages) and PYTHONPATH set to the copy, so
the copy's ipanalysis (and its data, notebooks and figures) is what the tests import. The working tree is never
touched. A mutation is *caught* when the suite fails; the first failing test is recorded.

Before the mutations, the runner checks that every original snippet occurs exactly once (it stops and lists the
stale ones otherwise: update the snippet for the same semantic fault), runs the unmutated copy (the suite must
pass, or every mutation would look caught), and runs a canary that raises on import (it must be caught, or the
tests were not importing the copy).

    make mutate                                  # every mutation, nice -n 19, table + reports/mutations.md
    .venv/bin/python tests/mutations.py --check  # only check that every snippet still applies (a second)
    .venv/bin/python tests/mutations.py --only metrics-achieved-strict quantities-wan

Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTEST = ("-m", "pytest", "-x", "-q", "-p", "no:cacheprovider")
# Test files that build the report or draw every figure run last: the verdict of `pytest -x` does not depend on the
# order, and a fault the fast files catch is then caught in seconds.
SLOW_LAST = ("test_validation_scale.py", "test_environment.py", "test_display.py", "test_figures.py", "test_report.py")


def test_files(copy: Path) -> list[str]:
    names = sorted(p.name for p in (copy / "tests").glob("test_*.py"))
    return [f"tests/{name}" for name in sorted(names, key=lambda name: SLOW_LAST.index(name) + 1 if name in SLOW_LAST else 0)]
NOT_COPIED = {".git", ".venv", ".lock-venv", ".verify", ".bench", "reports", "__pycache__", ".pytest_cache", ".ruff_cache"}


@dataclass(frozen=True)
class Mutation:
    id: str
    concern: str
    target: str  # module.function (or constant) the fault sits in
    fault: str  # what goes wrong, precisely enough to re-create it after a refactor
    file: str
    original: str
    replacement: str


MUTATIONS = [
    # -- validator
    Mutation("validator-enum", "validator", "schema.Field.cast",
             "enum constraint never enforced: a value outside the allowed set (e.g. level 'county') is accepted",
             "ipanalysis/schema.py",
             "if self.enum is not None and value not in self.enum:",
             "if self.enum is not None and value not in self.enum and False:"),
    Mutation("validator-pattern", "validator", "schema.Field.cast",
             "pattern constraint never enforced: an id like 'TJ2016-T01' or a date '2016/10' is accepted",
             "ipanalysis/schema.py",
             "if self.pattern is not None and not re.fullmatch(self.pattern, text, re.ASCII):",
             "if self.pattern is not None and not re.fullmatch(self.pattern, text, re.ASCII) and False:"),
    Mutation("validator-region", "validator", "validation.context.check_region",
             "region check disabled: a target/outcome/milestone whose region differs from its document's passes",
             "ipanalysis/validation/context.py",
             'region = row.values["region"]',
             "region = None"),
    Mutation("validator-restatement", "validator", "validation.targets.check_restatement",
             "restatement check disabled: a restatement whose doc/indicator/year/value disagrees with its canonical "
             "target (or restates a restatement) passes",
             "ipanalysis/validation/targets.py",
             'canonical_row = ctx.index("targets", "target_id").get(values["restates_target_id"])',
             "canonical_row = None"),
    Mutation("validator-duplicate-statement", "validator", "validation.context.check_duplicate_statements",
             "duplicate-statement key includes the row id, so two rows with the same doc, indicator, quote and "
             "value_text are never reported (rows without the id column are skipped)",
             "ipanalysis/validation/context.py",
             "for column in (source_column, *STATEMENT_COLUMNS))",
             'for column in (source_column, *STATEMENT_COLUMNS, "target_id"))'),
    Mutation("validator-quote-prefix", "validator", "provenance.quote_mismatch",
             "quote verbatim check compares only the first 12 characters: a quote that diverges from its source "
             "after that passes",
             "ipanalysis/provenance.py",
             "if quote in document:",
             "if quote[:12] in document:"),
    Mutation("validator-value-readback", "validator", "provenance.read_value",
             "value read-back compares the parsed quantity with itself instead of with the row's value: a value "
             "that value_text does not support passes",
             "ipanalysis/provenance.py",
             "if value is not None and not same_number(quantity.value, value):",
             "if value is not None and not same_number(quantity.value, quantity.value):"),
    Mutation("validator-derived-tolerance", "validator", "provenance.DERIVED_TOLERANCE",
             "derived-formula tolerance 10x too loose (0.06 instead of 0.006): a derived value off by 0.05 passes",
             "ipanalysis/provenance.py",
             "DERIVED_TOLERANCE = 0.006",
             "DERIVED_TOLERANCE = 0.06"),
    Mutation("validator-year-range", "validator", "validation.context.check_year",
             "year range check off by one at the top: a year one past the plan period / issue year passes",
             "ipanalysis/validation/context.py",
             "and not low <= year <= high:",
             "and not low <= year <= high + 1:"),
    # -- quantity parser
    Mutation("quantities-wan", "quantities", "quantities.MULTIPLIERS",
             "万 read as 1,000 instead of 10,000",
             "ipanalysis/quantities.py",
             'MULTIPLIERS = {"万": 10_000,',
             'MULTIPLIERS = {"万": 1_000,'),
    Mutation("quantities-yishang", "quantities", "quantities.SUFFIX_BOUNDS",
             "bound word 以上 read as more_than instead of at_least",
             "ipanalysis/quantities.py",
             '(("以上", "at_least"),',
             '(("以上", "more_than"),'),
    Mutation("quantities-bracket", "quantities", "quantities.parse_quantity",
             "〔〕 stripped but the cumulative mark not passed on: 〔4565〕 parses as a plain 4565",
             "ipanalysis/quantities.py",
             "return Quantity(value, unit, kind=kind, bound=bound, cumulative=cumulative)",
             "return Quantity(value, unit, kind=kind, bound=bound)"),
    # -- metrics
    Mutation("metrics-growth-years", "metrics", "metrics.required_growth",
             "required growth counts years inclusively (target_year - baseline_year + 1): one year too many",
             "ipanalysis/metrics.py",
             "else target_year - baseline_year)",
             "else target_year - baseline_year + 1)"),
    Mutation("metrics-achieved-strict", "metrics", "metrics.is_achieved",
             "reach/at_least/keep_at targets need outcome > target (not >=): exactly reaching a target is 'not achieved'",
             "ipanalysis/metrics.py",
             "else outcome >= target",
             "else outcome > target"),
    Mutation("metrics-band-threshold", "metrics", "metrics.PROGRESS_BANDS",
             "acceleration-needed band starts at 50 % of required growth instead of 60 %",
             "ipanalysis/metrics.py",
             "(0.60, ACCELERATION_NEEDED)",
             "(0.50, ACCELERATION_NEEDED)"),
    Mutation("metrics-distance-sign", "metrics", "metrics.distance_covered",
             "distance covered with the sign flipped: (baseline - outcome) / (target - baseline)",
             "ipanalysis/metrics.py",
             "return Rate((outcome - baseline) / (target - baseline))",
             "return Rate((baseline - outcome) / (target - baseline))"),
    Mutation("metrics-rank-ratio", "metrics", "metrics.attainment_ratio",
             "attainment ratio of a rank target computed as outcome / target (ranks are better when lower)",
             "ipanalysis/metrics.py",
             "return Rate(target / outcome) if outcome",
             "return Rate(outcome / target) if outcome"),
    # -- comparisons
    Mutation("comparisons-midterm-status", "comparisons", "comparisons.attainment_table",
             "a mid-term outcome (dated before the target year) below the target is judged not_achieved instead "
             "of not_reported",
             "ipanalysis/comparisons.py",
             "status=ACHIEVED if met else NOT_REPORTED,",
             "status=ACHIEVED if met else NOT_ACHIEVED,"),
    Mutation("comparisons-prefer-derived", "comparisons", "comparisons._evidence",
             "when a reported and a derived outcome match a target, the derived one (and the last outcome_id) is "
             "used instead of the reported one",
             "ipanalysis/comparisons.py",
             '.sort_values(["_other", "is_derived", "outcome_id"])',
             '.sort_values(["_other", "is_derived", "outcome_id"], ascending=[True, False, False])'),
    Mutation("comparisons-midterm-earliest", "comparisons", "comparisons._midterm",
             "the mid-term reading is the earliest outcome after the baseline instead of the latest",
             "ipanalysis/comparisons.py",
             "ascending=[False, True]",
             "ascending=[True, True]"),
    Mutation("comparisons-dvc-restatements", "comparisons", "comparisons.district_vs_city",
             "district vs city iterates over every target statement instead of every commitment: a district's "
             "restatements are compared (counted) again beside their canonical target (statements carry their own "
             "document as doc_ids)",
             "ipanalysis/comparisons.py",
             "for target in _stated_in(commitments, [district_doc]).itertuples():",
             'for target in _stated_in(dataset.targets.assign(doc_ids=dataset.targets["doc_id"]), [district_doc])'
             ".itertuples():"),
    Mutation("comparisons-profile-statements", "comparisons", "comparisons.target_profile",
             "target_profile's per-document rows count target statements (restatements included) instead of "
             "commitments",
             "ipanalysis/comparisons.py",
             'stated = commitments.assign(**{by: attribute, "doc_id": commitments["doc_ids"].str.split(";")}).explode("doc_id")',
             'stated = dataset.targets.assign(**{by: dataset.targets["indicator_id"].map(dataset.indicators.set_index('
             '"indicator_id")[by])})'),
    Mutation("comparisons-plan-added", "comparisons", "comparisons.plan_changes",
             "a 14th-plan indicator matched as kept/redefined is not marked as matched, so it is also listed as added",
             "ipanalysis/comparisons.py",
             "        matched_later.add(later_id)\n",
             ""),
    Mutation("comparisons-coverage-share", "comparisons", "comparisons.reporting_coverage",
             "share_reported counts not_comparable targets as reported",
             "ipanalysis/comparisons.py",
             "reported = int(counts.get(ACHIEVED, 0) + counts.get(NOT_ACHIEVED, 0))",
             "reported = int(counts.get(ACHIEVED, 0) + counts.get(NOT_ACHIEVED, 0) + counts.get(NOT_COMPARABLE, 0))"),
    # -- source number coverage
    Mutation("coverage-first-occurrence", "coverage", "coverage.quoted_spans",
             "only the first occurrence of each quote in its source counts as quoted",
             "ipanalysis/coverage.py",
             "start = found + 1",
             "start = len(text)"),
    Mutation("coverage-quote-start", "coverage", "coverage.number_coverage",
             "a number at the very first character of a quote is not counted as quoted (start < position, not <=)",
             "ipanalysis/coverage.py",
             "if any(start <= position < end for start, end in quoted[doc_id]):",
             "if any(start < position < end for start, end in quoted[doc_id]):"),
    # -- instruments and the dataset cache
    Mutation("instruments-kappa-chance", "instruments", "instruments.cohen_kappa",
             "chance agreement uses the first coder's marginals for both coders (p_a(label) squared)",
             "ipanalysis/instruments.py",
             "* (list(second).count(label) / n)",
             "* (list(first).count(label) / n)"),
    Mutation("instruments-precoder-tie", "instruments", "instruments.precode",
             "pre-coder ties go to the later code in codebook order instead of the earlier",
             "ipanalysis/instruments.py",
             "dictionary.get(code, [])), -position, code)",
             "dictionary.get(code, [])), position, code)"),
    Mutation("instruments-intensity-whitespace", "instruments", "instruments.keyword_intensity",
             "keyword intensity divides by all characters, whitespace included",
             "ipanalysis/instruments.py",
             'characters = len(re.sub(r"\\s", "", text))',
             "characters = len(text)"),
    Mutation("instruments-theme-order", "instruments", "instruments.theme_counts",
             "theme keywords matched shortest first, so 质量 inside 高质量 is counted instead of 高质量",
             "ipanalysis/instruments.py",
             "sorted(keywords, key=len, reverse=True)",
             "sorted(keywords, key=len)"),
    Mutation("instruments-type-shares", "instruments", "instruments.weighted_shares (type_shares)",
             "type shares normalised over each instrument type (column totals) instead of within each group (row "
             "totals)",
             "ipanalysis/instruments.py",
             ".div(weights.groupby(codes[by], sort=False).sum(), axis=0)",
             ".div(totals.sum(), axis=1)"),
    Mutation("dataset-cache-key", "dataset", "dataset.cached",
             "the memo key ignores the arguments: instrument_stage_table(d, 'level') returns the table cached for "
             "the first grouping asked",
             "ipanalysis/dataset.py",
             "key = (id(dataset), *args)",
             "key = (id(dataset),)"),
    # -- plotting
    Mutation("plotting-dvc-city-bar", "plotting", "plotting.district_vs_city",
             "the city marker of the district-vs-city growth panel plots the district's required growth (wrong column)",
             "ipanalysis/plotting.py",
             "district, city = row.district_required_growth * 100, row.city_required_growth * 100",
             "district, city = row.district_required_growth * 100, row.district_required_growth * 100"),
    Mutation("plotting-plan-changes-base", "plotting", "plotting.plan_changes",
             "the plan-changes figure scales a measure's panel from the wrong base: from its first point (the "
             "earlier plan's target) instead of its largest, so a later target or outcome above 1.3 x that is drawn "
             "off the panel (the figure no longer scales values relative to the 13th-period target, which the fault "
             "targeted before; each measure now has its own scale, set here)",
             "ipanalysis/plotting.py",
             'panel.set_ylim(0, points["value"].max() * 1.3)',
             'panel.set_ylim(0, points["value"].iloc[0] * 1.3)'),
    Mutation("plotting-label-language", "plotting", "plotting.TEXT",
             "the 'city' legend label (district-vs-city growth panel) has its languages swapped: English figures "
             "say 市级, Chinese figures say city",
             "ipanalysis/plotting.py",
             '"city_growth": ("city", "市级"),',
             '"city_growth": ("市级", "city"),'),
    # -- report
    Mutation("report-table-not-written", "report", "report.outputs.write_tables",
             "write_tables skips the last table of computed_tables() (its CSV is never written)",
             "ipanalysis/report/outputs.py",
             "for name, table in tables.items():\n        path = folder",
             "for name, table in list(tables.items())[:-1]:\n        path = folder"),
    Mutation("report-workbook-sheet", "report", "report.outputs.curated_tables",
             "the workbook misses the sheet of the Dataset's last curated table: fields sliced [:-2] (only "
             "document_texts, the last field, is not a table)",
             "ipanalysis/report/outputs.py",
             "for f in fields(dataset) if isinstance(",
             "for f in fields(dataset)[:-2] if isinstance("),
    Mutation("report-appendix-distinct", "report", "report.page.provenance_appendix",
             "the provenance appendix reports target statements as 'targets (commitments)'",
             "ipanalysis/report/page.py",
             '"canonical_targets": len(dataset.commitments),',
             '"canonical_targets": len(dataset.targets),'),
]

# Not counted: must be caught, or the suite is not importing the copy's ipanalysis.
CANARY = Mutation("canary-import", "runner", "ipanalysis/__init__",
                  "raises on import: proves the tests import the mutated copy, not the working tree",
                  "ipanalysis/__init__.py",
                  "from .validation import validate\n",
                  'from .validation import validate\n\nraise RuntimeError("mutation canary: the copy is imported")\n')


@dataclass
class Outcome:
    mutation: Mutation
    status: str  # caught, missed, timeout (not counted: rerun it with a longer --timeout), error
    detail: str  # first failing test, or why
    seconds: float


def stale(mutations: list[Mutation], root: Path) -> list[str]:
    """Mutations whose original snippet does not occur exactly once in its file."""
    problems = []
    for m in mutations:
        path = root / m.file
        count = path.read_text(encoding="utf-8").count(m.original) if path.is_file() else 0
        if count != 1:
            where = "file missing" if not path.is_file() else f"snippet found {count} times"
            problems.append(f"{m.id}: {m.file}: {where}: {m.original!r}")
    return problems


def project_files(root: Path) -> list[Path]:
    """Tracked and untracked-but-not-ignored files (the project as committed, plus new work), else a plain walk."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                                capture_output=True, check=True).stdout.decode("utf-8").split("\0")
        return [Path(name) for name in listed if name and (root / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        return [p.relative_to(root) for p in root.rglob("*")
                if p.is_file() and not NOT_COPIED & set(p.relative_to(root).parts)]


def make_copy(root: Path, files: list[Path], folder: Path) -> Path:
    copy = folder / "project"
    for name in files:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, copy / name)
    link_environment(root / ".venv", copy / ".venv")
    if (root / ".cache").is_dir():  # fonts and matplotlib's font list: without it a build warns that it rebuilds it
        (copy / ".cache").symlink_to(root / ".cache")
    return copy


def link_environment(source: Path, target: Path) -> None:
    """A .venv of the copy's own that uses the project's installed packages. The build refuses an environment that
    belongs to another folder (report.environment.misplaced_environment), so the copy gets its own pyvenv.cfg and
    bin/ (links to the project's entries; python links to the base interpreter as in any venv), a .ready stamp of its
    own (a link would let `make` in the copy see it as older than the copied files and reinstall into the project's
    packages) and links to the rest (lib/, share/ ...). PYTHONPATH still puts the copy's ipanalysis first."""
    target.mkdir()
    for entry in source.iterdir():
        if entry.name == "bin":
            (target / "bin").mkdir()
            for item in entry.iterdir():
                (target / "bin" / item.name).symlink_to(item.readlink() if item.is_symlink() else item)
        elif entry.name == "pyvenv.cfg":
            shutil.copy2(entry, target / entry.name)
        elif entry.name == ".ready":  # newer than the copied pyproject.toml, so make never reinstalls into the link
            (target / entry.name).touch()
        else:
            (target / entry.name).symlink_to(entry.readlink() if entry.is_symlink() else entry)


def apply(mutation: Mutation, copy: Path) -> None:
    path = copy / mutation.file
    text = path.read_text(encoding="utf-8")
    if text.count(mutation.original) != 1:
        raise SystemExit(f"mutation {mutation.id}: snippet not found exactly once in {mutation.file}")
    path.write_text(text.replace(mutation.original, mutation.replacement), encoding="utf-8")


def environment(copy: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPANALYSIS_") and k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg",
               IPANALYSIS_FIGURES_DIR=str(copy / "figures"), IPANALYSIS_REPORTS_DIR=str(copy / "reports"))
    return env


def imported_from(copy: Path) -> Path:
    """Where `import ipanalysis` resolves with the runner's environment."""
    python = str(copy / ".venv" / "bin" / "python")
    result = subprocess.run([python, "-c", "import ipanalysis; print(ipanalysis.__file__)"], cwd=copy, env=environment(copy),
                            capture_output=True, text=True, check=True)
    return Path(result.stdout.strip()).resolve()


FAILED = re.compile(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", re.MULTILINE)


def run_suite(copy: Path, timeout: float) -> tuple[str, str, float]:
    """Run the suite in the copy with the copy's python; its own process group, so a timeout also ends the notebook
    kernels it started."""
    started = time.perf_counter()
    python = str(copy / ".venv" / "bin" / "python")
    process = subprocess.Popen([python, *PYTEST, *test_files(copy)], cwd=copy, env=environment(copy), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return "timeout", f"no result after {timeout:.0f} s", time.perf_counter() - started
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    seconds = time.perf_counter() - started
    if process.returncode == 0:
        return "missed", "MISSED", seconds
    if process.returncode in (1, 2):
        failures = FAILED.findall(output)
        return "caught", failures[0] if failures else (output.strip().splitlines() or ["?"])[-1], seconds
    return "error", f"pytest exit code {process.returncode}: {(output.strip().splitlines() or ['?'])[-1]}", seconds


def run_one(mutation: Mutation | None, root: Path, files: list[Path], timeout: float) -> tuple[str, str, float]:
    with tempfile.TemporaryDirectory(prefix="ipanalysis-mutation-") as folder:
        copy = make_copy(root, files, Path(folder))
        if mutation is not None:
            apply(mutation, copy)
        return run_suite(copy, timeout)


def commit_of(root: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                               text=True, check=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def markdown(outcomes: list[Outcome], commit: str) -> str:
    caught = sum(o.status == "caught" for o in outcomes)
    lines = [
        f"Mutation testing (`make mutate`, tests/mutations.py) on {commit}: "
        f"**{caught} of {len(outcomes)} faults caught** by `pytest -x`.",
        "",
        "| id | target | fault | result |",
        "|---|---|---|---|",
    ]
    for o in outcomes:
        result = "**MISSED**" if o.status == "missed" else f"{o.status}: `{o.detail}`"
        lines.append(f"| {o.mutation.id} | `{o.mutation.target}` | {o.mutation.fault.replace('|', '/')} | {result} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutations")
    parser.add_argument("--check", action="store_true", help="only check that every snippet applies; run nothing")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run and the canary")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per run (default: 4 x the baseline, >= 1200)")
    parser.add_argument("--markdown", type=Path, default=PROJECT_ROOT / "reports" / "mutations.md",
                        help="where to write the Markdown table (default: reports/mutations.md)")
    args = parser.parse_args(argv)

    ids = [m.id for m in MUTATIONS]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate mutation ids")
    chosen = MUTATIONS if not args.only else [m for id in args.only for m in MUTATIONS if m.id == id]  # in the order given
    if args.only and (unknown := set(args.only) - set(ids)):
        raise SystemExit(f"unknown mutation ids: {', '.join(sorted(unknown))}")
    if problems := stale([*chosen, CANARY], PROJECT_ROOT):
        print("STALE MUTATIONS: the code changed; re-express each fault for the new code:", *problems, sep="\n  ",
              file=sys.stderr)
        return 2
    print(f"{len(chosen)} mutations apply cleanly to {PROJECT_ROOT}")
    if args.check:
        return 0

    files = project_files(PROJECT_ROOT)
    timeout = args.timeout or 3600
    if not args.no_baseline:
        with tempfile.TemporaryDirectory(prefix="ipanalysis-mutation-") as folder:
            copy = make_copy(PROJECT_ROOT, files, Path(folder))
            found = imported_from(copy)
            if not found.is_relative_to(copy.resolve()):
                raise SystemExit(f"ipanalysis resolves to {found}, not to the copy in {copy}")
        status, detail, seconds = run_one(None, PROJECT_ROOT, files, timeout)
        print(f"baseline (no mutation): {'the suite passes' if status == 'missed' else status} in {seconds:.0f} s", flush=True)
        if status != "missed":
            raise SystemExit(f"the unmutated suite does not pass ({detail}); fix that before measuring")
        timeout = args.timeout or max(1200.0, 4 * seconds)
        status, detail, seconds = run_one(CANARY, PROJECT_ROOT, files, timeout)
        print(f"canary (raises on import): {status}: {detail} ({seconds:.0f} s)", flush=True)
        if status != "caught":
            raise SystemExit("the canary was not caught: the tests do not import the copy's ipanalysis")

    outcomes = []
    for n, mutation in enumerate(chosen, 1):
        status, detail, seconds = run_one(mutation, PROJECT_ROOT, files, timeout)
        outcomes.append(Outcome(mutation, status, detail, seconds))
        print(f"[{n:2}/{len(chosen)}] {mutation.id:34} {status:7} {seconds:5.0f} s  {detail}", flush=True)

    caught = sum(o.status == "caught" for o in outcomes)
    print(f"\n{caught} of {len(outcomes)} mutations caught")
    for o in outcomes:
        if o.status == "missed":
            print(f"  MISSED {o.mutation.id} ({o.mutation.target}): {o.mutation.fault}")
        elif o.status in ("error", "timeout"):
            print(f"  {o.status.upper():6} {o.mutation.id}: {o.detail} (not counted as caught)")
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(markdown(outcomes, commit_of(PROJECT_ROOT)), encoding="utf-8")
    print(f"Markdown table: {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
