"""Validate a data folder against the contract in its datapackage.json and the provenance rules.

``validate(data_dir)`` reads every table, reports every problem it finds (never just the first), and returns the
typed tables with the problems. It never writes to the folder. The steps, in order:

1. read the contract (``schema``) and every table against it (``tables``);
2. read the texts the quotes cite, documents and snapshots (``sources``), so that no rule depends on the order of
   the others;
3. check references between tables (``references``);
4. run the rules of each table: one module per table (``documents``, ``targets`` ...), all reporting through
   ``Context.add``.
"""

from __future__ import annotations

from pathlib import Path

from ..config import DATA_DIR, DATAPACKAGE_FILE
from ..messages import Problem, ProblemLog
from ..schema import ContractError, read_datapackage
from ..tables import read_table
from . import (
    documents,
    indicators,
    milestones,
    observations,
    outcomes,
    policy,
    references,
    regions,
    source_problems,
    sources,
    targets,
)
from .context import Context, ValidationResult

# The rules of each table; each module checks the tables it names and skips those that failed to load.
TABLE_RULES = (regions.check, documents.check, indicators.check, targets.check, outcomes.check, milestones.check,
               source_problems.check, policy.check, observations.check)

__all__ = ["STAGES", "TABLE_RULES", "ValidationResult", "validate"]


# Problems that others follow from come first: the descriptor, then files that cannot be read, then cells; the rules
# between rows and tables last, since a table or row left out makes unknown ids elsewhere (a root cause, then its
# knock-on errors). Within a stage, by file and line.
STAGES = (
    {"datapackage_invalid", "contract_missing_key", "contract_wrong_type", "contract_unknown_type", "contract_bad_pattern",
     "contract_constraint", "contract_reference", "resource_path_outside"},
    {"file_missing", "file_unreadable", "file_empty", "no_rows", "not_utf8", "csv_syntax", "unclosed_quote",
     "missing_column", "unknown_column", "duplicate_column", "field_count"},
    {"required", "type", "non_ascii_digit", "formula_like", "enum", "pattern", "minimum", "maximum", "duplicate_key"},
)


def stage(problem: Problem) -> int:
    """0 for the descriptor, 1 for reading files, 2 for cells, 3 for the rules between rows and tables."""
    return next((index for index, kinds in enumerate(STAGES) if problem.key in kinds), len(STAGES))


def validate(data_dir: Path | str = DATA_DIR) -> ValidationResult:
    """Check every table of a data folder; collect all problems, root causes first (see STAGES)."""
    result = ValidationResult(Path(data_dir))
    log = ProblemLog()
    descriptor = result.data_dir / DATAPACKAGE_FILE
    if not descriptor.is_file():
        log.add(str(descriptor), None, None, "file_missing")
    else:
        try:
            schemas = read_datapackage(descriptor)
        except ContractError as error:
            for problem in error.problems:
                log.add(problem.file, problem.line, problem.column, problem.key, **problem.params)
        else:
            for name, schema in schemas.items():
                table = read_table(result.data_dir, schema, log)
                if table is not None:
                    result.tables[name] = table
            context = Context(result, log)
            context.unread = set(schemas) - set(result.tables)
            sources.read_sources(context)
            references.check(context)
            for rule in TABLE_RULES:
                rule(context)
    result.problems = sorted(log.problems, key=lambda p: (stage(p), p.file, p.line or 0))
    return result
