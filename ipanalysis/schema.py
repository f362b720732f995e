"""The data contract: read data/datapackage.json (a Frictionless Tabular Data Package) and cast cells by it.

Only the parts of the Table Schema standard this project uses are implemented: the types string, integer,
number, boolean and year; the constraints required, unique, enum, pattern, minimum and maximum; primaryKey and
foreignKeys. Project extensions: ``x-separator`` and ``x-foreignKey`` mark ';'-separated id lists, and a resource
with ``x-optional`` may be absent or header-only (a project without observations).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .config import DATAPACKAGE_FILE

TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_INTEGER = re.compile(r"-?\d+")
_YEAR = re.compile(r"\d{4}")


class CastError(ValueError):
    """A cell that breaks its field's type or constraints; key and params name a message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Reference:
    resource: str
    field: str


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = False
    unique: bool = False
    enum: tuple | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    separator: str | None = None
    list_reference: Reference | None = None

    def cast(self, text: str):
        """Return the typed value of one cell, or None for an empty cell; raise CastError when invalid."""
        if text == "":
            if self.required:
                raise CastError("required")
            return None
        value = _cast_type(self.type, text)
        if self.enum is not None and value not in self.enum:
            raise CastError("enum", value=text, allowed=", ".join(map(str, self.enum)))
        if self.pattern is not None and not re.fullmatch(self.pattern, text):
            raise CastError("pattern", value=text, pattern=self.pattern)
        if self.minimum is not None and value < self.minimum:
            raise CastError("minimum", value=text, limit=self.minimum)
        if self.maximum is not None and value > self.maximum:
            raise CastError("maximum", value=text, limit=self.maximum)
        return value


@dataclass(frozen=True)
class ForeignKey:
    field: str
    reference: Reference


@dataclass(frozen=True)
class TableSchema:
    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    optional: bool = False

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _cast_type(type_: str, text: str):
    if type_ == "string":
        return text
    if type_ == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if type_ == "year" and _YEAR.fullmatch(text):
        return int(text)
    if type_ == "number" and _NUMBER.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    if type_ == "boolean":
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
    raise CastError("type", value=text, type_name=type_)


def _field(spec: dict) -> Field:
    constraints = spec.get("constraints", {})
    ref = spec.get("x-foreignKey")
    enum = constraints.get("enum")
    return Field(
        name=spec["name"],
        type=spec.get("type", "string"),
        required=constraints.get("required", False),
        unique=constraints.get("unique", False),
        enum=tuple(enum) if enum is not None else None,
        pattern=constraints.get("pattern"),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        separator=spec.get("x-separator"),
        list_reference=Reference(ref["resource"], ref["field"]) if ref else None,
    )


def _as_tuple(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def read_descriptor(data_dir: Path) -> dict:
    """The parsed datapackage.json of a data folder: the one place the descriptor is read."""
    return json.loads((data_dir / DATAPACKAGE_FILE).read_text(encoding="utf-8"))


def read_datapackage(path: Path) -> dict[str, TableSchema]:
    """Read the package descriptor into table schemas keyed by resource name (raises ValueError if malformed)."""
    try:
        package = read_descriptor(path.parent)
        schemas = {}
        for resource in package["resources"]:
            schema = resource["schema"]
            foreign_keys = tuple(
                ForeignKey(fk["fields"], Reference(fk["reference"]["resource"], fk["reference"]["fields"]))
                for fk in schema.get("foreignKeys", [])
            )
            schemas[resource["name"]] = TableSchema(
                name=resource["name"],
                path=resource["path"],
                description=resource.get("description", ""),
                fields=tuple(_field(f) for f in schema["fields"]),
                primary_key=_as_tuple(schema.get("primaryKey", ())),
                foreign_keys=foreign_keys,
                optional=resource.get("x-optional", False),
            )
        return schemas
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise ValueError(f"{type(error).__name__}: {error}") from error
