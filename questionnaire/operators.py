"""Define every question-test operator once: how it is read, checked, evaluated, described and written back.

The loader, the conditions, the engine (through the conditions), ``explain`` and the benchmark's
translations to other rule languages all take their operators from ``OPERATORS``; adding an operator
is adding one entry here (and its schema keyword).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .model import Answers, Question

Predicate = Callable[[Answers], bool]
_EMPTY: frozenset[str] = frozenset()

#: Question types an operator fits.
SINGLE, MULTIPLE, ANY_TYPE = "single", "multiple", "any"


class Test(Protocol):
    """Name what an operator needs of a question test (a ``conditions.Leaf``)."""

    question: str
    values: frozenset[str]
    ordered: tuple[str, ...]
    count: int
    expected: bool


@dataclass(frozen=True, slots=True)
class Reading:
    """Hold what the loader read under an operator's key: the values named, a count, a yes/no."""

    listed: tuple[str, ...]
    #: Where the values sit below the operator's key, for file:line of an unknown value.
    values_path: tuple[str, ...] = ()
    count: int = 0
    expected: bool = True


@dataclass(frozen=True, slots=True)
class Operator:
    """Hold everything one operator means, in one place."""

    name: str
    #: The question type it fits: SINGLE, MULTIPLE or ANY_TYPE.
    fits: str
    #: Read the raw value under the operator's key, for a question.
    read: Callable[[Any, Question], Reading]
    #: Build the test as a plain function over the answers.
    predicate: Callable[[Test], Predicate]
    #: Say in words what the test checks (for traces, ``explain`` and authoring messages).
    describe: Callable[[Test], str]
    #: Return the value under the operator's key in the rule-file format.
    to_data: Callable[[Test], Any]
    #: Return why a test can never be true, or None (checked by the loader).
    impossible: Callable[[Reading], str | None] = lambda reading: None

    def fits_type(self, question: Question) -> bool:
        """Tell whether this operator can test the question's type of answer."""
        return self.fits == ANY_TYPE or self.fits == question.type


def _shown(test: Test) -> str:
    return ", ".join(test.ordered)


def _listed(raw: Any, question: Question) -> Reading:
    return Reading(tuple(raw))


def _one(raw: Any, question: Question) -> Reading:
    return Reading((raw,))


def _at_least(raw: Any, question: Question) -> Reading:
    # Without "of", every option counts except those that stand alone or mean "not sure".
    default = [o.value for o in question.options if not (o.exclusive or o.unsure)]
    return Reading(tuple(raw.get("of") or default), ("of",), count=int(raw["count"]))


def _answered(raw: Any, question: Question) -> Reading:
    return Reading((), expected=bool(raw))


def _answered_test(test: Test) -> Predicate:
    qid = test.question
    if test.expected:
        return lambda a: qid in a
    return lambda a: qid not in a


def _equals_test(test: Test) -> Predicate:
    qid, value = test.question, test.ordered[0]
    return lambda a: a.get(qid) == value


def _one_of_test(test: Test) -> Predicate:
    qid, values = test.question, test.values
    return lambda a: a.get(qid) in values


def _includes_any_test(test: Test) -> Predicate:
    qid, values = test.question, test.values
    return lambda a: not values.isdisjoint(a.get(qid, _EMPTY))


def _includes_all_test(test: Test) -> Predicate:
    qid, values = test.question, test.values
    return lambda a: values <= a.get(qid, _EMPTY)


def _includes_at_least_test(test: Test) -> Predicate:
    qid, values, count = test.question, test.values, test.count
    return lambda a: len(values & a.get(qid, _EMPTY)) >= count


def _too_many(reading: Reading) -> str | None:
    if reading.count <= len(reading.listed):
        return None
    return (
        f"count {reading.count} is more than the {len(reading.listed)} options it counts, "
        "so this can never be true; lower the count or list more options"
    )


OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator(
            "equals",
            SINGLE,
            _one,
            _equals_test,
            lambda t: f"{t.question} equals {_shown(t)}",
            lambda t: t.ordered[0],
        ),
        Operator(
            "one_of",
            SINGLE,
            _listed,
            _one_of_test,
            lambda t: f"{t.question} is one of {_shown(t)}",
            lambda t: list(t.ordered),
        ),
        Operator(
            "includes_any",
            MULTIPLE,
            _listed,
            _includes_any_test,
            lambda t: f"{t.question} includes any of {_shown(t)}",
            lambda t: list(t.ordered),
        ),
        Operator(
            "includes_all",
            MULTIPLE,
            _listed,
            _includes_all_test,
            lambda t: f"{t.question} includes all of {_shown(t)}",
            lambda t: list(t.ordered),
        ),
        Operator(
            "includes_at_least",
            MULTIPLE,
            _at_least,
            _includes_at_least_test,
            lambda t: f"{t.question} includes at least {int(t.count)} of {_shown(t)}",
            lambda t: {"count": int(t.count), "of": list(t.ordered)},
            _too_many,
        ),
        Operator(
            "answered",
            ANY_TYPE,
            _answered,
            _answered_test,
            lambda t: f"{t.question} is {'answered' if t.expected else 'not answered'}",
            lambda t: t.expected,
        ),
    )
}


def fitting(kind: str) -> list[str]:
    """Return the operators that fit a question type, in table order (for messages)."""
    return [name for name, op in OPERATORS.items() if op.fits == kind]
