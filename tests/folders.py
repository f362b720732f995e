"""Build small data folders for validation tests: a few resources of the real contract and a few rows each."""

import csv
import hashlib
import json
from pathlib import Path

from ipanalysis.config import DATA_DIR, DATAPACKAGE_FILE


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
