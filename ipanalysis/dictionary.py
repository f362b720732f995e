"""Render the data dictionary (data/DICTIONARY.md) from the contract in data/datapackage.json."""

from __future__ import annotations

from pathlib import Path

from .config import DATA_DIR, DATAPACKAGE_FILE
from .schema import read_descriptor


def _constraints(field: dict) -> str:
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append("required")
    if constraints.get("unique"):
        parts.append("unique")
    if "enum" in constraints:
        parts.append("one of: " + ", ".join(f"`{value}`" for value in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"pattern `{constraints['pattern']}`")
    if "x-foreignKey" in field:
        ref = field["x-foreignKey"]
        parts.append(f"`{field.get('x-separator', ';')}`-separated {ref['resource']}.{ref['field']}")
    return "; ".join(parts)


def render_dictionary(data_dir: Path = DATA_DIR) -> str:
    """Markdown: one section per table, one row per column, from datapackage.json."""
    package = read_descriptor(data_dir)
    lines = [
        "# Data dictionary",
        "",
        f"Generated from `{DATAPACKAGE_FILE}` by `make dictionary`; do not edit by hand. {package['description']}",
        "",
    ]
    for resource in package["resources"]:
        schema = resource["schema"]
        key = schema.get("primaryKey")
        lines += [f"## {resource['path']}", "", resource["description"], ""]
        if key:
            lines += [f"Key: `{'` + `'.join([key] if isinstance(key, str) else key)}`.", ""]
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            lines.append(f"- `{fk['fields']}` refers to {ref['resource']}.{ref['fields']}")
        if schema.get("foreignKeys"):
            lines.append("")
        lines += ["| column | type | constraints | meaning |", "|---|---|---|---|"]
        for field in schema["fields"]:
            meaning = field["description"].replace("|", "\\|")
            lines.append(f"| `{field['name']}` | {field['type']} | {_constraints(field)} | {meaning} |")
        lines.append("")
    return "\n".join(lines)
