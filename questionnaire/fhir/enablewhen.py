"""Translate visibility conditions into FHIR: ``enableWhen`` where it can say it, FHIRPath otherwise.

FHIR R4 ``enableWhen`` is a flat list of tests combined by one ``enableBehavior`` (all or any).
Only two operators are used here, because their meaning is the same in every form filler:

- ``=`` with ``answerCoding``: true when at least one answer has that code;
- ``exists`` with ``answerBoolean``: true when the question has (or has not) an answer.

``!=`` is never used: R4 leaves open whether it holds for an unanswered question, and fillers
disagree. Anything else (``not`` over a value, ``all`` inside ``any``, "at least 2 of") becomes
the SDC ``enableWhenExpression``: one FHIRPath expression over the whole QuestionnaireResponse, so
no branch is lost. Both functions below walk the condition tree once; a new kind of condition
needs one new case in each (``_atoms`` may simply answer None).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..conditions import All, Condition, Leaf, Not
from ..conditions import Any as AnyOf
from .canonical import EXT_ENABLE_WHEN_EXPRESSION

#: One enableWhen test, and how a list of them may be combined: "one" (a single test, fits
#: either behaviour), "any" or "all".
Atoms = tuple[list[dict[str, Any]], str]
SystemOf = Callable[[str], str]


def literal(text: str) -> str:
    """Return text as a FHIRPath string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _codes(values: tuple[str, ...]) -> str:
    return "(" + " | ".join(literal(v) for v in values) + ")"


def answers_of(question_id: str) -> str:
    """Return the FHIRPath for the codes answered to one question anywhere in the response."""
    return f"%resource.repeat(item).where(linkId = {literal(question_id)}).answer.value.code"


def fhirpath(condition: Condition) -> str:
    """Return a FHIRPath boolean expression that holds exactly when the condition holds.

    Every part yields true or false, never empty: a missing answer is an empty collection, and
    ``in``, ``exists()``, ``count()`` and ``supersetOf`` turn that into false (``answered: false``
    into true), just as the engine treats a missing answer.
    """
    if isinstance(condition, Leaf):
        codes = answers_of(condition.question)
        values = condition.ordered or tuple(sorted(condition.values))
        op = condition.operator
        if op == "answered":
            return f"{codes}.exists()" if condition.expected else f"{codes}.empty()"
        if not values:  # nothing listed: "all of none" holds, "any of none" never does
            holds = op == "includes_all" or (op == "includes_at_least" and condition.count <= 0)
            return "true" if holds else "false"
        if op == "equals" or (op in ("one_of", "includes_any") and len(values) == 1):
            return f"({literal(values[0])} in {codes})"
        if op in ("one_of", "includes_any"):
            return f"{codes}.intersect({_codes(values)}).exists()"
        if op == "includes_all":
            return f"{codes}.supersetOf({_codes(values)})"
        if op == "includes_at_least":
            return f"({codes}.intersect({_codes(values)}).count() >= {condition.count})"
        raise ValueError(f"no FHIRPath for operator {op!r}")
    if isinstance(condition, Not):
        return f"({fhirpath(condition.part)}).not()"
    if isinstance(condition, All | AnyOf):
        if not condition.parts:
            return "true" if isinstance(condition, All) else "false"
        joiner = " and " if isinstance(condition, All) else " or "
        return "(" + joiner.join(fhirpath(p) for p in condition.parts) + ")"
    raise TypeError(f"no FHIRPath for {type(condition).__name__}")


def _equals(question_id: str, system: str, code: str) -> dict[str, Any]:
    return {"question": question_id, "operator": "=", "answerCoding": {"system": system, "code": code}}


def _atoms(condition: Condition, system_of: SystemOf) -> Atoms | None:
    """Return the condition as enableWhen tests and their combination, or None when they cannot say it."""
    if isinstance(condition, Leaf):
        qid, op = condition.question, condition.operator
        values = condition.ordered or tuple(sorted(condition.values))
        if op == "answered":
            return [{"question": qid, "operator": "exists", "answerBoolean": condition.expected}], "one"
        if op == "includes_at_least":
            # "At least 1 of" is "any of"; "at least all of" is "all of"; other counts need FHIRPath.
            if condition.count == 1:
                op = "includes_any"
            elif condition.count == len(values):
                op = "includes_all"
            else:
                return None
        tests = [_equals(qid, system_of(qid), v) for v in values]
        if not tests:
            return None
        if len(tests) == 1:
            return tests, "one"
        return tests, "any" if op in ("one_of", "includes_any") else "all"
    if isinstance(condition, Not):
        part = condition.part
        if isinstance(part, Leaf) and part.operator == "answered":
            return [{"question": part.question, "operator": "exists", "answerBoolean": not part.expected}], "one"
        return None
    if isinstance(condition, All | AnyOf) and condition.parts:
        want = "all" if isinstance(condition, All) else "any"
        tests = []
        for part in condition.parts:
            sub = _atoms(part, system_of)
            if sub is None or sub[1] not in ("one", want):
                return None
            tests.extend(sub[0])
        return tests, want if len(tests) > 1 else "one"
    return None


def enablement(condition: Condition | None, system_of: SystemOf) -> dict[str, Any]:
    """Return the item elements that make an item shown exactly when the condition holds.

    Either ``enableWhen`` (with ``enableBehavior`` whenever there is more than one test, as
    invariant que-12 requires) or the ``enableWhenExpression`` extension, never both: SDC
    forbids combining them. No condition gives no elements (always shown).
    """
    if condition is None:
        return {}
    atoms = _atoms(condition, system_of)
    if atoms is not None:
        tests, how = atoms
        found: dict[str, Any] = {"enableWhen": tests}
        if len(tests) > 1:
            found["enableBehavior"] = how
        return found
    expression = {"language": "text/fhirpath", "expression": fhirpath(condition)}
    return {"extension": [{"url": EXT_ENABLE_WHEN_EXPRESSION, "valueExpression": expression}]}
