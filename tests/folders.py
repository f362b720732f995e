"""Build small data folders for validation tests: a few resources of the real contract and a few rows each."""

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

from ipanalysis.config import DATA_DIR, DATAPACKAGE_FILE, SOURCES_SUBDIR


def contract(*names: str) -> dict:
    """The real data/datapackage.json reduced to the named resources (and the references among them)."""
    package = json.loads((DATA_DIR / DATAPACKAGE_FILE).read_text(encoding="utf-8"))
    package["resources"] = [resource for resource in package["resources"] if resource["name"] in names]
    for resource in package["resources"]:
        schema = resource["schema"]
        schema["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in names]
        for field in schema["fields"]:
            if field.get("x-foreignKey", {}).get("resource") not in (None, *names):
                del field["x-foreignKey"], field["x-separator"]
    return package


def columns(package: dict, name: str) -> list[str]:
    resource = next(r for r in package["resources"] if r["name"] == name)
    return [field["name"] for field in resource["schema"]["fields"]]


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    """Write rows (dicts; missing columns empty) under header, as the project writes its CSVs."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "" if value is None else value for key, value in row.items()})


def build(folder: Path, tables: dict[str, list[dict]], files: dict[str, str] | None = None,
          package: dict | None = None) -> Path:
    """A data folder holding `tables` (resource name -> rows) under the real contract, plus text `files`
    (relative path -> UTF-8 content)."""
    folder.mkdir(parents=True, exist_ok=True)
    package = package or contract(*tables)
    (folder / DATAPACKAGE_FILE).write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    for name, rows in tables.items():
        if rows is not None:
            write_csv(folder / f"{name}.csv", columns(package, name), rows)
    for relative, text in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8", newline="")
    return folder


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- whole data folders: the real data with a document added or removed
FIXTURES_DIR = Path(__file__).parent / "fixtures"


def read_table(folder: Path, name: str) -> tuple[list[str], list[dict]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def copy_data(folder: Path) -> Path:
    """A copy of data/ at `folder` (which must not exist yet)."""
    shutil.copytree(DATA_DIR, folder)
    return folder


def add_documents(folder: Path, fixture: Path) -> list[str]:
    """Append the rows of every CSV of `fixture` to the same table of the data folder (a fixture column the table
    lacks is an error; a table column the fixture lacks is left empty) and copy its source texts; the added doc_ids."""
    for path in sorted(fixture.glob("*.csv")):
        header, rows = read_table(folder, path.stem)
        extra_header, extra = read_table(fixture, path.stem)
        unknown = set(extra_header) - set(header)
        assert not unknown, f"{path}: columns not in data/{path.name}: {sorted(unknown)}"
        write_csv(folder / path.name, header, rows + extra)
    for source in (fixture / SOURCES_SUBDIR).iterdir():
        shutil.copyfile(source, folder / SOURCES_SUBDIR / source.name)
    return [row["doc_id"] for row in read_table(fixture, "documents")[1]]


def remove_document(folder: Path, doc_id: str) -> None:
    """Remove a document from a data folder as a curator would: its source text and every row it owns (targets,
    outcomes, milestones, policy units and their codes, the source problems that quote it) and every row that
    depends on a removed row; references from other rows to what is gone are dropped (a milestone it gave evidence
    for becomes unreported, a baseline loses its outcome id) and codebook examples it gave are taken from another
    document's unit with the same code."""
    tables = {path.stem: read_table(folder, path.stem) for path in folder.glob("*.csv")}

    def rows(name):
        return tables[name][1]

    def keep(name, predicate):
        tables[name] = (tables[name][0], [row for row in rows(name) if predicate(row)])

    def ids(name, key):
        return {row[key] for row in rows(name)}

    source = next(row["source_file"] for row in rows("documents") if row["doc_id"] == doc_id)
    (folder / SOURCES_SUBDIR / source).unlink()
    keep("documents", lambda row: row["doc_id"] != doc_id)
    for name in ("targets", "outcomes", "milestones", "policy_units"):
        keep(name, lambda row: row["doc_id"] != doc_id)
    keep("source_problems", lambda row: doc_id not in (row["doc_a"], row["doc_b"]))
    def depends_on_nothing_removed(outcomes: set, targets: set) -> bool:
        keep("outcomes", lambda row: all(ref in outcomes for ref in re.findall(r"\[([^\]]+)\]", row["formula"])))
        keep("targets", lambda row: row["restates_target_id"] in ("", *targets))
        return len(outcomes) == len(rows("outcomes")) and len(targets) == len(rows("targets"))

    # derived outcomes and restatements of removed rows go too, until nothing more depends on them
    while not depends_on_nothing_removed(ids("outcomes", "outcome_id"), ids("targets", "target_id")):
        pass
    units, outcomes = ids("policy_units", "unit_id"), ids("outcomes", "outcome_id")
    keep("policy_codes", lambda row: row["unit_id"] in units)
    for row in rows("targets"):
        if row["baseline_outcome_id"] and row["baseline_outcome_id"] not in outcomes:
            row["baseline_outcome_id"] = ""
    rows_left = ids("targets", "target_id") | outcomes | ids("observations", "observation_id")
    for row in rows("source_problems"):
        row["affects"] = ";".join(ref for ref in row["affects"].split(";") if ref in rows_left)
    keep("source_problems", lambda row: row["affects"])
    problems = ids("source_problems", "problem_id")
    for name in ("targets", "outcomes", "observations"):
        for row in rows(name):
            row["problem_ids"] = ";".join(ref for ref in row["problem_ids"].split(";") if ref in problems)
    for row in rows("outcomes"):  # an alternative reading stands only on a registered problem
        if not row["problem_ids"]:
            row["alternative_indicator_ids"] = ""
    for row in rows("milestones"):
        if row["evidence_doc_id"] == doc_id:
            row.update(evidence_doc_id="", evidence_quote="", evidence_status="not_reported",
                       evidence_note="The document that reported on this goal was removed.")
    units_by_id = {row["unit_id"]: row for row in rows("policy_units")}
    for row in rows("codebook"):
        if row["example_doc_id"] == doc_id:
            coded = [units_by_id[code["unit_id"]] for code in rows("policy_codes") if code["code_id"] == row["code_id"]]
            example = (coded or list(units_by_id.values()))[0]
            row.update(example_doc_id=example["doc_id"], example_quote=example["text"])
    for name, (header, table_rows) in tables.items():
        write_csv(folder / f"{name}.csv", header, table_rows)
