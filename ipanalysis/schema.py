"""The data contract: read data/datapackage.json (a Frictionless Tabular Data Package) and cast cells by it.

Only the parts of the Table Schema standard this project uses are implemented: the types string, integer,
number, boolean and year; the constraints required, unique, enum, pattern, minimum and maximum; primaryKey and
foreignKeys. Project extensions: ``x-separator`` and ``x-foreignKey`` mark ';'-separated id lists, and a resource
with ``x-optional`` may be absent or header-only (a project without observations).
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .config import DATAPACKAGE_FILE
from .messages import Problem, Text

TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}
FIELD_TYPES = ("string", "integer", "number", "boolean", "year")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")
_YEAR = re.compile(r"[0-9]{4}")
# A text cell starting with one of these is run as a formula by a spreadsheet (CSV/formula injection); '-' is fine
# before a digit (a negative number written as text).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_ASCII_DIGITS = tuple("0123456789")


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
        if self.type == "string" and text.startswith(FORMULA_STARTS) and not (text[0] == "-" and text[1:2] in _ASCII_DIGITS):
            raise CastError("formula_like", value=text, char=repr(text[0]))
        try:
            value = _cast_type(self.type, text)
        except CastError:
            _refuse_non_ascii_digits(text)
            raise
        if self.enum is not None and value not in self.enum:
            raise CastError("enum", value=text, allowed=", ".join(map(str, self.enum)))
        if self.pattern is not None and not re.fullmatch(self.pattern, text, re.ASCII):
            _refuse_non_ascii_digits(text)
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


def _refuse_non_ascii_digits(text: str) -> None:
    """Name a digit that is not 0-9 (full-width ２, Arabic-Indic ٢ ...): the value is what someone typed."""
    if digit := next((ch for ch in text if ch.isdigit() and not ch.isascii()), None):
        raise CastError("non_ascii_digit", value=text, char=digit, name=unicodedata.name(digit, "?"))


def _cast_type(type_: str, text: str):
    if type_ == "string":
        return text
    if type_ == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if type_ == "year" and _YEAR.fullmatch(text):
        return int(text)
    if type_ == "number" and _NUMBER.fullmatch(text) and math.isfinite(number := float(text)):
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


class ContractError(ValueError):
    """The descriptor cannot be read or breaks the part of the standard this project reads; ``problems`` locates
    each fault (file, line, and the JSON path in the column slot)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(problem.format() for problem in problems))
        self.problems = problems


def read_descriptor(data_dir: Path) -> dict:
    """The parsed datapackage.json of a data folder, checked against the part of the standards this project reads:
    the one place the descriptor is read. Raise ContractError listing every fault, located, of a descriptor that is
    unreadable, not JSON, or not a contract this project can apply."""
    path = data_dir / DATAPACKAGE_FILE
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ContractError([Problem(file, None, None, "file_unreadable", {"error": error.strerror or str(error)})]) from error
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        params = {"byte": f"0x{raw[error.start]:02X}", "guess": Text("guess_unknown")}
        raise ContractError([Problem(file, line, None, "not_utf8", params)]) from error
    decoder = _PositionDecoder()
    try:
        package = decoder.decode(text)
    except json.JSONDecodeError as error:
        raise ContractError([Problem(file, error.lineno, None, "datapackage_invalid",
                                     {"column": error.colno, "error": error.msg})]) from error
    except RecursionError as error:  # brackets nested thousands deep: no contract, and no traceback either
        raise ContractError([Problem(file, 1, None, "datapackage_invalid",
                                     {"column": 1, "error": "nested too deeply to read"})]) from error
    check = _ContractCheck(file, text, decoder.positions)
    check.package(package)
    if check.problems:
        raise ContractError(check.problems)
    return package


def read_datapackage(path: Path) -> dict[str, TableSchema]:
    """Read the package descriptor at `path` into table schemas keyed by resource name (ContractError if faulty)."""
    schemas = {}
    for resource in read_descriptor(path.parent)["resources"]:
        schema = resource["schema"]
        foreign_keys = tuple(ForeignKey(fk["fields"], Reference(fk["reference"]["resource"], fk["reference"]["fields"]))
                             for fk in schema.get("foreignKeys", []))
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


class _PositionDecoder(json.JSONDecoder):
    """A JSON decoder that remembers where each object starts, so that a fault in the contract is given its line."""

    def __init__(self) -> None:
        super().__init__()
        self.positions: dict[int, int] = {}

        def parse_object(s_and_end, *args):
            value, end = json.decoder.JSONObject(s_and_end, *args)
            self.positions[id(value)] = s_and_end[1] - 1
            return value, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)


# What each key of the contract must hold: (allowed Python types, the message fragment naming them).
_STRING, _BOOLEAN, _NUMBER_VALUE = ((str,), "json_string"), ((bool,), "json_boolean"), ((int, float), "json_number")
_OBJECT, _LIST = ((dict,), "json_object"), ((list,), "json_array")
NUMERIC_TYPES = ("integer", "number", "year")
_KEY_OR_KEYS = ((str, list), "json_string_or_array")


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "json_boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return "json_not_finite"
    kinds = {dict: "json_object", list: "json_array", str: "json_string", int: "json_number", float: "json_number"}
    return kinds.get(type(value), "json_null")


class _ContractCheck:
    """Check a parsed descriptor against the subset of the Data Package / Table Schema standards read here."""

    def __init__(self, file: str, text: str, positions: dict[int, int]):
        self.file, self.text, self.positions = file, text, positions
        self.problems: list[Problem] = []
        self.declared: dict[str, set[str]] = {}  # resource name -> field names
        self.references: list[tuple[dict, str, str, str, str]] = []  # (object, key, where, resource, field)

    def line(self, obj, key: str | None = None) -> int | None:
        """The line of `key` in the JSON object `obj` (or of the object itself)."""
        position = self.positions.get(id(obj))
        if position is None:
            return None
        if key is not None and (found := self.text.find(json.dumps(key), position)) >= 0:
            position = found
        return self.text.count("\n", 0, position) + 1

    def add(self, obj, at_key: str | None, where: str, kind: str, /, **params) -> None:
        """Report a fault at the key `at_key` of the JSON object `obj`; `where` is its JSON path."""
        self.problems.append(Problem(self.file, self.line(obj, at_key), where, kind, params))

    def get(self, obj: dict, key: str, where: str, expected: tuple, required: bool = False):
        """obj[key] if present and of the expected JSON type; report a missing or mistyped value and return None."""
        if key not in obj:
            if required:
                self.add(obj, None, where, "contract_missing_key", key=key)
            return None
        value, (types, name) = obj[key], expected
        kind = _json_kind(value)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types) or kind == "json_not_finite":
            self.add(obj, key, f"{where}.{key}", "contract_wrong_type", key=key, expected=Text(name),
                     found=Text(kind), value=json.dumps(value, ensure_ascii=False)[:60])
            return None
        return value

    def package(self, package) -> None:
        if not isinstance(package, dict):
            self.add(package, None, "-", "contract_wrong_type", key="(descriptor)", expected=Text("json_object"),
                     found=Text(_json_kind(package)), value=json.dumps(package, ensure_ascii=False)[:60])
            return
        resources = self.get(package, "resources", "(descriptor)", _LIST, required=True) or []
        checked = [(resource, self.resource(resource, index, package)) for index, resource in enumerate(resources)]
        self.unique([resource for resource in resources if isinstance(resource, dict)], package, "contract_resource")
        for resource, schema in checked:
            if schema is not None:
                self.keys(schema, resource["name"])
        for obj, key, where, resource, field in self.references:
            if field not in self.declared.get(resource, ()):
                self.add(obj, key, where, "contract_reference", resource=resource, field=field)

    def resource(self, resource, index: int, package: dict) -> dict | None:
        """Check one resource; return its schema when the resource can be read."""
        where = f"resources[{index}]"
        if not isinstance(resource, dict):
            self.add(package, "resources", where, "contract_wrong_type", key=where, expected=Text("json_object"),
                     found=Text(_json_kind(resource)), value=json.dumps(resource, ensure_ascii=False)[:60])
            return None
        name = self.get(resource, "name", where, _STRING, required=True)
        where = name or where
        path = self.get(resource, "path", where, _STRING, required=True)
        schema = self.get(resource, "schema", where, _OBJECT, required=True)
        self.get(resource, "x-optional", where, _BOOLEAN)
        if path is not None and not _inside_data_folder(path):
            self.add(resource, "path", f"{where}.path", "resource_path_outside", path=path)
        if schema is None or name is None:
            return None
        self.get(resource, "description", where, _STRING)
        fields = self.get(schema, "fields", where, _LIST, required=True) or []
        self.declared[name] = set()
        for index, spec in enumerate(fields):
            self.field(spec, f"{where}.fields[{index}]", schema, name)
        self.unique([spec for spec in fields if isinstance(spec, dict)], schema, "contract_field", f"{where}.")
        return schema

    def unique(self, specs: list[dict], parent: dict, what: str, prefix: str = "") -> None:
        """Each resource, and each field of a resource, is declared once: a second one would silently win."""
        first: dict[str, dict] = {}
        for spec in specs:
            name = spec.get("name")
            if not isinstance(name, str):
                continue
            if name in first:
                self.add(spec, "name", f"{prefix}{name}", "contract_duplicate", what=Text(what), name=name,
                         first_line=self.line(first[name], "name"))
            else:
                first[name] = spec

    def field(self, spec, where: str, schema: dict, resource: str) -> None:
        if not isinstance(spec, dict):
            self.add(schema, "fields", where, "contract_wrong_type", key=where, expected=Text("json_object"),
                     found=Text(_json_kind(spec)), value=json.dumps(spec, ensure_ascii=False)[:60])
            return
        name = self.get(spec, "name", where, _STRING, required=True)
        where = f"{resource}.{name}" if name else where
        if name is not None:
            self.declared[resource].add(name)
        field_type = self.get(spec, "type", where, _STRING)
        if field_type is not None and field_type not in FIELD_TYPES:
            self.add(spec, "type", f"{where}.type", "contract_unknown_type", type=field_type, known=", ".join(FIELD_TYPES))
        self.get(spec, "description", where, _STRING)
        self.get(spec, "x-separator", where, _STRING)
        if (reference := self.get(spec, "x-foreignKey", where, _OBJECT)) is not None:
            target = self.get(reference, "resource", f"{where}.x-foreignKey", _STRING, required=True)
            target_field = self.get(reference, "field", f"{where}.x-foreignKey", _STRING, required=True)
            if target is not None and target_field is not None:
                self.references.append((reference, "resource", f"{where}.x-foreignKey", target, target_field))
        constraints = self.get(spec, "constraints", where, _OBJECT)
        if constraints is None:
            return
        where = f"{where}.constraints"
        for key in ("required", "unique"):
            self.get(constraints, key, where, _BOOLEAN)
        for key in ("minimum", "maximum"):
            if self.get(constraints, key, where, _NUMBER_VALUE) is not None and (field_type or "string") not in NUMERIC_TYPES:
                self.add(constraints, key, f"{where}.{key}", "contract_constraint", key=key, type=field_type or "string")
        self.get(constraints, "enum", where, _LIST)
        pattern = self.get(constraints, "pattern", where, _STRING)
        if pattern is not None:
            try:
                re.compile(pattern, re.ASCII)
            except re.error as error:
                self.add(constraints, "pattern", f"{where}.pattern", "contract_bad_pattern", pattern=pattern,
                         position=(error.pos or 0) + 1)

    def keys(self, schema: dict, resource: str) -> None:
        """primaryKey and foreignKeys name declared fields and resources."""
        fields = self.declared[resource]
        key = self.get(schema, "primaryKey", resource, _KEY_OR_KEYS)
        for name in [key] if isinstance(key, str) else key or []:
            if not isinstance(name, str) or name not in fields:
                self.add(schema, "primaryKey", f"{resource}.primaryKey", "contract_reference", resource=resource,
                         field=json.dumps(name, ensure_ascii=False)[:60])
        for index, fk in enumerate(self.get(schema, "foreignKeys", resource, _LIST) or []):
            where = f"{resource}.foreignKeys[{index}]"
            if not isinstance(fk, dict):
                self.add(schema, "foreignKeys", where, "contract_wrong_type", key=where, expected=Text("json_object"),
                         found=Text(_json_kind(fk)), value=json.dumps(fk, ensure_ascii=False)[:60])
                continue
            own = self.get(fk, "fields", where, _STRING, required=True)
            reference = self.get(fk, "reference", where, _OBJECT, required=True)
            if own is not None and own not in fields:
                self.add(fk, "fields", f"{where}.fields", "contract_reference", resource=resource, field=own)
            if reference is not None:
                target = self.get(reference, "resource", f"{where}.reference", _STRING, required=True)
                target_field = self.get(reference, "fields", f"{where}.reference", _STRING, required=True)
                if target is not None and target_field is not None:
                    self.references.append((reference, "resource", f"{where}.reference", target, target_field))


def _inside_data_folder(path: str) -> bool:
    """A resource path names a file inside the data folder: relative, forward slashes, no '..', no drive."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and "\\" not in path and ":" not in path and ".." not in parts
