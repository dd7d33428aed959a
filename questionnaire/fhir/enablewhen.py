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

from ..conditions import All, Condition, Leaf, Not, ScoreAtLeast
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
    if isinstance(condition, ScoreAtLeast):
        # The score counts only when every question it adds up is answered (as the engine says).
        answered = [f"{answers_of(qid)}.exists()" for qid, _ in condition.points]
        terms = [
            f"iif({literal(value)} in {answers_of(qid)}, {points}, 0)"
            for qid, table in condition.points
            for value, points in table.items()
            if points
        ]
        total = " + ".join(terms) if terms else "0"
        return "(" + " and ".join([*answered, f"({total}) >= {int(condition.minimum)}"]) + ")"
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


def without(condition: Condition, asked: frozenset[str]) -> Condition | bool:
    """Return the condition as it stands when only the questions in ``asked`` can have answers.

    Every test of another question sees no answer: false, except ``answered: false``; a score that
    adds one up is not worked out, so false. What is left is simplified, and may be a constant.
    """
    if isinstance(condition, Leaf):
        if condition.question in asked:
            return condition
        return condition.operator == "answered" and not condition.expected
    if isinstance(condition, ScoreAtLeast):
        return condition if condition.questions() <= asked else False
    if isinstance(condition, Not):
        part = without(condition.part, asked)
        return (not part) if isinstance(part, bool) else Not(part, condition.location)
    if isinstance(condition, All | AnyOf):
        absorbing = isinstance(condition, AnyOf)  # true decides an any, false decides an all
        parts = []
        for part in condition.parts:
            kept = without(part, asked)
            if kept is absorbing:
                return absorbing
            if not isinstance(kept, bool):
                parts.append(kept)
        if not parts:
            return not absorbing
        return parts[0] if len(parts) == 1 else type(condition)(tuple(parts), condition.location)
    raise TypeError(f"cannot restrict {type(condition).__name__}")


def enablement(condition: Condition | bool | None, system_of: SystemOf) -> dict[str, Any]:
    """Return the item elements that make an item shown exactly when the condition holds.

    Either ``enableWhen`` (with ``enableBehavior`` whenever there is more than one test, as
    invariant que-12 requires) or the ``enableWhenExpression`` extension, never both: SDC
    forbids combining them. No condition gives no elements (always shown).
    """
    if condition is None or condition is True:
        return {}
    if condition is False:  # never shown; FHIR has no "disabled" flag, so say it in FHIRPath
        return {"extension": [{"url": EXT_ENABLE_WHEN_EXPRESSION, "valueExpression": _expression("false")}]}
    atoms = _atoms(condition, system_of)
    if atoms is not None:
        tests, how = atoms
        found: dict[str, Any] = {"enableWhen": tests}
        if len(tests) > 1:
            found["enableBehavior"] = how
        return found
    return {"extension": [{"url": EXT_ENABLE_WHEN_EXPRESSION, "valueExpression": _expression(fhirpath(condition))}]}


def _expression(text: str) -> dict[str, str]:
    return {"language": "text/fhirpath", "expression": text}
