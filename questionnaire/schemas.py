"""Validate rule files against the JSON Schemas kept in ``schemas/``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .problems import Problem
from .yamlsource import Document

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
#: Each rule file and the schema it must follow.
FILES = {
    "ruleset.yaml": "ruleset.schema.json",
    "questions.yaml": "questions.schema.json",
    "categories.yaml": "categories.schema.json",
    "rules.yaml": "rules.schema.json",
    "urgent.yaml": "urgent.schema.json",
}
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys",
    "number": "a number",
}


@cache
def _registry() -> tuple[Registry, dict[str, dict[str, Any]]]:
    schemas: dict[str, dict[str, Any]] = {}
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        # Give each schema its file address so relative $refs resolve as they do in editors.
        contents["$id"] = path.as_uri()
        schemas[path.name] = contents
        resources.append((path.as_uri(), Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources), schemas


@cache
def validator(schema_name: str) -> Draft202012Validator:
    """Return a compiled validator for one schema file."""
    registry, schemas = _registry()
    return Draft202012Validator(schemas[schema_name], registry=registry)


def validate(doc: Document, schema_name: str) -> list[Problem]:
    """Return a problem for each way the document breaks its schema."""
    problems: list[Problem] = []
    for error in validator(schema_name).iter_errors(doc.data):
        problems.append(_problem(doc, error))
    return _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, str]] = set()
    unique = []
    for p in problems:
        if (p.line, p.message) not in seen:
            seen.add((p.line, p.message))
            unique.append(p)
    return unique


def _problem(doc: Document, error: ValidationError) -> Problem:
    path = tuple(error.absolute_path)
    where = "/".join(str(p) for p in path) or "the file"
    hint = error.schema.get("x-hint") if isinstance(error.schema, dict) else None
    kind = error.validator
    key_pos = False
    if kind == "required":
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        message = f"add the key '{missing[0]}' to {_name(path)}"
    elif kind == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = [k for k in error.instance if k not in allowed]
        path = (*path, extra[0])
        key_pos = True
        message = f"'{extra[0]}' is not a key here; allowed keys are: {', '.join(allowed)}"
        if hint:
            message += f" ({hint})"
    elif kind == "enum":
        message = (
            f"{error.instance!r} is not allowed at {where}; use one of: {', '.join(map(str, error.validator_value))}"
        )
    elif kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        message = f"{where} should be {_TYPE_WORDS.get(wanted, wanted)}, not {_describe(error.instance)}"
    elif kind == "pattern":
        message = f"{error.instance!r} is not a valid value at {where}; {hint or 'check its format'}"
    elif kind in ("minItems", "minProperties"):
        message = f"{where} needs at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}"
        if hint:
            message += f"; {hint}"
    elif kind == "maxItems":
        message = f"{where} may have at most {error.validator_value} items"
    elif kind == "uniqueItems":
        message = f"{where} lists the same item twice; remove the repeat"
    elif kind in ("minimum", "maximum"):
        message = f"{error.instance!r} at {where} is out of range; {hint or 'see the authoring guide'}"
    elif kind in ("minLength", "maxLength"):
        message = (
            f"the text at {where} is too {'short' if kind == 'minLength' else 'long'} (limit {error.validator_value})"
        )
    else:
        message = f"{where}: {error.message}" + (f"; {hint}" if hint else "")
    line, column = doc.where(path, key=key_pos)
    return Problem(doc.file, line, column, message, code=f"schema-{kind}")


def _name(path: tuple[Any, ...]) -> str:
    return "/".join(str(p) for p in path) if path else "the top of the file"


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
