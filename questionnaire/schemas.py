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
    "sections.yaml": "sections.schema.json",
    "regions.yaml": "regions.schema.json",
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
    """Return a compiled validator for one schema file.

    Its ``$ref``s are resolved once, here, into the schema objects they point at (a
    recursive definition becomes a cycle of dicts), so validation no longer looks each
    reference up through the registry at every use: that look-up was most of the time
    spent validating a large rules file. Errors are the same: a reference stands for
    exactly the schema it points at, and ``$defs`` is kept as written.
    """
    registry, schemas = _registry()
    inlined = dict(_Inliner(schemas).schema(schema_name))
    inlined["$defs"] = schemas[schema_name].get("$defs", {})
    if "$defs" not in schemas[schema_name]:
        del inlined["$defs"]
    return Draft202012Validator(inlined, registry=registry)


class _Inliner:
    """Replace each ``$ref`` in the schemas with the (shared) schema object it names."""

    def __init__(self, schemas: dict[str, dict[str, Any]]) -> None:
        self.schemas = schemas
        self.done: dict[tuple[str, str], dict[str, Any]] = {}
        self.building: set[tuple[str, str]] = set()

    def schema(self, name: str) -> dict[str, Any]:
        root = self.schemas[name]
        return {k: (v if k == "$defs" else self.node(v, name)) for k, v in root.items()}

    def target(self, ref: str, file: str) -> tuple[tuple[str, str], dict[str, Any]] | None:
        where, _, pointer = ref.partition("#")
        key = (where or file, pointer)
        if key[0] not in self.schemas or not pointer.startswith("/"):
            return None
        if key in self.done:
            return key, self.done[key]
        raw: Any = self.schemas[key[0]]
        for part in pointer.lstrip("/").split("/"):
            if not isinstance(raw, dict) or part not in raw:
                return None
            raw = raw[part]
        if not isinstance(raw, dict):
            return None
        out: dict[str, Any] = {}
        self.done[key] = out  # registered before filling, so a recursive definition points at itself
        self.building.add(key)
        out.update(self.node(raw, key[0]))
        self.building.discard(key)
        return key, out

    def node(self, value: Any, file: str) -> Any:
        if isinstance(value, list):
            return [self.node(v, file) for v in value]
        if not isinstance(value, dict):
            return value
        ref = value.get("$ref")
        if isinstance(ref, str):
            found = self.target(ref, file)
            if found is not None:
                key, target = found
                siblings = {k: v for k, v in value.items() if k != "$ref"}
                if not siblings:
                    return target
                # "$ref" first with siblings that do not overlap: the merged keywords run in the same order.
                if (
                    next(iter(value)) == "$ref"
                    and key not in self.building
                    and "x-hint" not in target
                    and not set(siblings) & set(target)
                ):
                    return {**target, **{k: self.node(v, file) for k, v in siblings.items()}}
            # Otherwise keep the reference, made absolute so it resolves from wherever it now sits.
            where, _, pointer = ref.partition("#")
            absolute = (SCHEMA_DIR / (where or file)).as_uri() + "#" + pointer
            return {k: (absolute if k == "$ref" else self.node(v, file)) for k, v in value.items()}
        return {k: self.node(v, file) for k, v in value.items()}


def validate(doc: Document, schema_name: str) -> list[Problem]:
    """Return a problem for each way the document breaks its schema."""
    fast = _fast_check(schema_name)
    if fast is not None and fast.valid(doc.data):
        return []
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
    where = _name(path) if path else "the file"
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
    # Positions count from 1, as people count: rules/3 is the third rule.
    return "/".join(str(p + 1) if isinstance(p, int) else str(p) for p in path) if path else "the top of the file"


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


CONDITION = ("common.schema.json", "/$defs/condition")
_MEMO_MAX = 200_000


class _FastCheck:
    """Tell quickly whether a document is valid, remembering which conditions were already seen valid.

    A large rules file repeats the same small conditions many times, and walking each one through
    jsonschema again was most of the loading time. The document is checked with the conditions
    left out, then each condition node on its own, its nested conditions stubbed out, with the
    verdict remembered by the node's content. This only ever answers "valid"; for any problem the
    full validator runs, so the messages and their order are exactly as before.
    """

    def __init__(self, full: dict[str, Any], condition: dict[str, Any], registry: Registry) -> None:
        self.full = full
        self.condition = condition
        props = condition.get("properties", {})
        #: Properties holding one nested condition ("not") or a list of them ("all", "any").
        self.one = [k for k, v in props.items() if v is condition]
        self.many = [k for k, v in props.items() if isinstance(v, dict) and v.get("items") is condition]
        shallow = dict(condition)
        shallow["properties"] = {
            k: (True if k in self.one else ({**v, "items": True} if k in self.many else v)) for k, v in props.items()
        }
        self.outer = Draft202012Validator(_without(full, condition), registry=registry)
        self.shallow = Draft202012Validator(shallow, registry=registry)
        self.memo: dict[str, bool] = {}

    def valid(self, data: Any) -> bool:
        """Return True only if the document is valid under the full schema."""
        if not self.outer.is_valid(data):
            return False
        found: list[Any] = []
        _find(self.full, data, self.condition, found)
        return all(self.condition_valid(node) for node in found)

    def condition_valid(self, node: Any) -> bool:
        """Return whether one condition (and everything nested in it) is valid."""
        stub = node
        if isinstance(node, dict):
            stub = {
                k: (None if k in self.one else ([None] * len(v) if k in self.many and isinstance(v, list) else v))
                for k, v in node.items()
            }
        try:
            key = json.dumps(stub, sort_keys=True)
        except (TypeError, ValueError):
            key = None
        ok = self.memo.get(key) if key is not None else None
        if ok is None:
            ok = self.shallow.is_valid(stub)
            if key is not None:
                if len(self.memo) >= _MEMO_MAX:
                    self.memo.clear()
                self.memo[key] = ok
        if not ok:
            return False
        if not isinstance(node, dict):
            return True
        if not all(self.condition_valid(node[k]) for k in self.one if k in node):
            return False
        return all(self.condition_valid(part) for k in self.many if k in node for part in node[k])


def _without(schema: Any, target: dict[str, Any]) -> Any:
    """Return a copy of the schema graph with the target schema replaced by True (accept anything)."""
    if schema is target:
        return True
    if isinstance(schema, dict):
        return {k: (v if k == "$defs" else _without(v, target)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_without(v, target) for v in schema]
    return schema


def _only_by_properties_and_items(schema: Any, target: dict[str, Any], via: str = "") -> bool:
    """Tell whether the target schema is reached only through properties and items (so _find sees it all)."""
    if schema is target:
        return via in ("properties", "items")
    if isinstance(schema, dict):
        for k, v in schema.items():
            if k == "$defs":
                continue
            if k == "properties" and isinstance(v, dict):
                if not all(_only_by_properties_and_items(sub, target, "properties") for sub in v.values()):
                    return False
            elif not _only_by_properties_and_items(v, target, k):
                return False
    elif isinstance(schema, list):
        return all(_only_by_properties_and_items(v, target, via) for v in schema)
    return True


def _find(schema: Any, data: Any, target: dict[str, Any], found: list[Any]) -> None:
    """Collect the parts of the data that the target schema applies to, following properties and items."""
    if schema is target:
        found.append(data)
        return
    if not isinstance(schema, dict):
        return
    if isinstance(data, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key in data:
                _find(sub, data[key], target, found)
    elif isinstance(data, list) and "items" in schema:
        for item in data:
            _find(schema["items"], item, target, found)


@cache
def _fast_check(schema_name: str) -> _FastCheck | None:
    """Return the fast validity check for a schema file, or None where it cannot be used safely."""
    registry, schemas = _registry()
    inliner = _Inliner(schemas)
    full = inliner.schema(schema_name)
    condition = inliner.done.get(CONDITION)
    if condition is None or "$ref" in json.dumps(_without(full, condition)):
        return None  # nothing to gain, or a reference left unresolved
    if not _only_by_properties_and_items(full, condition):
        return None
    check = _FastCheck(full, condition, registry)
    if not (check.one or check.many) or "$ref" in json.dumps(_without(check.shallow.schema, condition)):
        return None
    return check
