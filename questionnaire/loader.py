"""Load a rule set from a folder of YAML files, or refuse it with file:line problems.

Loading runs in three passes: safe YAML reading and JSON Schema validation (here), then
cross-reference checks while building the model (``building``: unknown ids, values a question
does not offer, operators that do not fit a question's type, duplicates, visibility that looks
ahead). Any problem refuses the whole rule set. The plan evaluation needs (``plan``) is built
once and kept on the rule set.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from .building import Builder
from .conditions import Condition
from .model import RuleSet
from .plan import attach
from .problems import Problem, RuleSetError
from .schemas import FILES, validate, validator
from .yamlmessages import refine_extra_key
from .yamlsource import Document, YamlError, load_file

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def default_rules_dir() -> Path:
    """Return the rules folder from QUESTIONNAIRE_RULES, or the bundled one."""
    return Path(os.environ.get("QUESTIONNAIRE_RULES") or DEFAULT_RULES_DIR)


def read_documents(directory: Path) -> tuple[dict[str, Document], list[Problem]]:
    """Read and schema-check every rule file in a folder."""
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
    base = display_base(directory)
    if not directory.is_dir():
        raise RuleSetError([Problem(str(directory), 1, 1, "this rules folder does not exist", code="missing-folder")])
    for filename, schema in FILES.items():
        path = directory / filename
        display = f"{base}{filename}"
        if not path.exists():
            problems.append(
                Problem(display, 1, 1, f"the file {filename} is missing from the rules folder", code="missing-file")
            )
            continue
        try:
            doc = load_file(path, display)
        except YamlError as exc:
            problems.append(exc.problem)
            continue
        schema_problems = validate(doc, schema)
        if any(p.code == "schema-additionalProperties" for p in schema_problems):
            text = path.read_text(encoding="utf-8")  # only to explain a stray key made by an unquoted colon
            schema_problems = [refine_extra_key(p, text) for p in schema_problems]
        problems.extend(schema_problems)
        if not schema_problems:
            docs[filename] = doc
    return docs, problems


def display_base(directory: Path) -> str:
    """Name files relative to the working folder when possible, as compilers do."""
    try:
        rel = directory.resolve().relative_to(Path.cwd().resolve())
        return "" if str(rel) == "." else f"{rel}/"
    except ValueError:
        return f"{directory}/"


#: The name the authoring tools import (they name files exactly as the loader does).
_display_base = display_base


def load_ruleset(directory: Path | str | None = None) -> RuleSet:
    """Load and validate a rule set, or raise RuleSetError listing every problem."""
    folder = Path(directory) if directory is not None else default_rules_dir()
    # Loading makes hundreds of thousands of small objects that all stay alive; the cyclic
    # garbage collector would scan them again and again (10,000 rules took three times as long).
    collecting = gc.isenabled()
    gc.disable()
    try:
        docs, problems = read_documents(folder)
        if problems:
            raise RuleSetError(problems)
        builder = Builder(docs, str(folder))
        ruleset = builder.build()
        if builder.problems or ruleset is None:
            raise RuleSetError(builder.problems)
        attach(ruleset)  # the page plan and look-up tables, built once at load, not per request
    finally:
        if collecting:
            gc.enable()
    return ruleset


def parse_condition(ruleset: RuleSet, data: dict[str, Any], name: str = "<condition>") -> Condition:
    """Build a condition over a rule set's questions from rule-file data, or raise RuleSetError."""
    doc = Document(name, data, {(): (1, 1)})
    schema = validator("common.schema.json").schema["$defs"]["condition"]
    problems = [
        Problem(name, 1, 1, e.message, code="schema")
        for e in validator("common.schema.json").evolve(schema=schema).iter_errors(data)
    ]
    if problems:
        raise RuleSetError(problems)
    builder = Builder({}, "")
    builder.questions = dict(ruleset.questions)
    builder.scores = dict(ruleset.scores)
    condition = builder.condition(doc, (), data)
    if builder.problems or condition is None:
        raise RuleSetError(builder.problems)
    return condition
