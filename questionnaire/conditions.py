"""The condition language shared by rules, urgent notices and visibility.

A condition is ``all``/``any``/``not`` over other conditions, or a question with
one operator. Conditions are compiled once, at load time, into plain Python
functions over the answers; the same tree also produces a readable trace.

Missing answers (not given, or hidden by visibility) make every comparison
false: ``equals``, ``one_of`` and ``includes_*`` never match a missing answer,
and ``answered: false`` is true for it. ``not`` simply negates, so
``not: {question: x, equals: y}`` is true when x is unanswered; combine it with
``answered: true`` to require an answer. "Not sure" and "prefer not to say" are
ordinary option values: they count as answered and match only themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from .model import Answers, Location

SINGLE_OPERATORS = ("equals", "one_of")
MULTIPLE_OPERATORS = ("includes_any", "includes_all", "includes_at_least")
ANY_TYPE_OPERATORS = ("answered",)
OPERATORS = SINGLE_OPERATORS + MULTIPLE_OPERATORS + ANY_TYPE_OPERATORS
COMBINATORS = ("all", "any", "not")
_EMPTY: frozenset[str] = frozenset()

Predicate = Callable[[Answers], bool]


@dataclass(frozen=True)
class Trace:
    """Record how one condition node evaluated."""

    text: str
    value: bool
    children: tuple[Trace, ...] = ()
    question: str | None = None
    actual: str | list[str] | None = None


class Condition:
    """Evaluate to true or false over answers; base of the condition tree."""

    location: Location

    def questions(self) -> frozenset[str]:
        """Return the ids of every question this condition reads."""
        raise NotImplementedError

    def leaves(self) -> list[Leaf]:
        """Return every question test in this condition."""
        raise NotImplementedError

    def source(self, consts: list[object]) -> str:
        """Return a Python expression over the answers mapping ``a``."""
        raise NotImplementedError

    def trace(self, answers: Answers) -> Trace:
        """Evaluate step by step and say what each part found."""
        raise NotImplementedError

    def supporting(self, answers: Answers) -> list[str]:
        """Return the question ids whose answers made this condition true."""
        raise NotImplementedError

    def to_data(self) -> dict[str, object]:
        """Return the condition in the rule-file format."""
        raise NotImplementedError

    def __call__(self, answers: Answers) -> bool:
        return self.compiled(answers)

    @property
    def compiled(self) -> Predicate:
        """Return the compiled predicate, building it on first use."""
        fn = self.__dict__.get("_compiled")
        if fn is None:
            fn = compile_condition(self)
            self.__dict__["_compiled"] = fn
        return fn


def _fmt(value: str | frozenset[str] | None) -> str | list[str] | None:
    if isinstance(value, frozenset):
        return sorted(value)
    return value


@dataclass(eq=False)
class Leaf(Condition):
    """Test one question's answer with one operator."""

    question: str
    operator: str
    values: frozenset[str]
    location: Location
    count: int = 0
    ordered: tuple[str, ...] = ()
    expected: bool = True  # used by ``answered``

    def questions(self) -> frozenset[str]:
        return frozenset((self.question,))

    def leaves(self) -> list[Leaf]:
        return [self]

    def source(self, consts: list[object]) -> str:
        q = repr(self.question)
        return self.source_over(consts, f"a.get({q})", f"a.get({q}, _E)", f"({q} in a)")

    def source_over(self, consts: list[object], value: str, value_or_empty: str, present: str) -> str:
        """Return the test as a Python expression over given expressions for the answer.

        ``value`` is the answer or None, ``value_or_empty`` the answer or the empty set, and
        ``present`` whether the question was answered; ``source`` passes look-ups in ``a``.
        """
        op = self.operator
        if op == "answered":
            return present if self.expected else f"(not {present})"
        if op == "equals":
            return f"({value} == {next(iter(self.values))!r})"
        consts.append(self.values)
        c = f"_c{len(consts) - 1}"
        if op == "one_of":
            return f"({value} in {c})"
        if op == "includes_any":
            return f"(not {c}.isdisjoint({value_or_empty}))"
        if op == "includes_all":
            return f"({c} <= {value_or_empty})"
        if op == "includes_at_least":
            return f"(len({c} & {value_or_empty}) >= {self.count})"
        raise ValueError(op)  # pragma: no cover - the loader allows only known operators

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {"question": self.question}
        if self.operator == "answered":
            data["answered"] = self.expected
        elif self.operator == "equals":
            data["equals"] = self.ordered[0]
        elif self.operator == "includes_at_least":
            data["includes_at_least"] = {"count": self.count, "of": list(self.ordered)}
        else:
            data[self.operator] = list(self.ordered)
        return data

    def describe(self) -> str:
        """Say in words what this test checks."""
        shown = ", ".join(self.ordered)
        op = self.operator
        if op == "answered":
            return f"{self.question} is {'answered' if self.expected else 'not answered'}"
        if op == "equals":
            return f"{self.question} equals {shown}"
        if op == "one_of":
            return f"{self.question} is one of {shown}"
        if op == "includes_any":
            return f"{self.question} includes any of {shown}"
        if op == "includes_all":
            return f"{self.question} includes all of {shown}"
        return f"{self.question} includes at least {self.count} of {shown}"

    def trace(self, answers: Answers) -> Trace:
        return Trace(
            self.describe(), self.compiled(answers), question=self.question, actual=_fmt(answers.get(self.question))
        )

    def supporting(self, answers: Answers) -> list[str]:
        return [self.question] if self.question in answers else []


@dataclass(eq=False)
class _Group(Condition):
    """Combine parts with ``all`` or ``any``; subclasses name the keyword and the Python operator."""

    parts: tuple[Condition, ...]
    location: Location
    keyword: ClassVar[str]
    joiner: ClassVar[str]

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(p.questions() for p in self.parts))

    def leaves(self) -> list[Leaf]:
        return [leaf for p in self.parts for leaf in p.leaves()]

    def to_data(self) -> dict[str, object]:
        return {self.keyword: [p.to_data() for p in self.parts]}

    def source(self, consts: list[object]) -> str:
        return "(" + f" {self.joiner} ".join(p.source(consts) for p in self.parts) + ")"

    def trace(self, answers: Answers) -> Trace:
        kids = tuple(p.trace(answers) for p in self.parts)
        combine = all if self.keyword == "all" else any
        return Trace(f"{self.keyword} of", combine(k.value for k in kids), kids)


@dataclass(eq=False)
class All(_Group):
    """Be true when every part is true."""

    keyword: ClassVar[str] = "all"
    joiner: ClassVar[str] = "and"

    def supporting(self, answers: Answers) -> list[str]:
        return _unique(q for p in self.parts for q in p.supporting(answers))


@dataclass(eq=False)
class Any(_Group):
    """Be true when at least one part is true."""

    keyword: ClassVar[str] = "any"
    joiner: ClassVar[str] = "or"

    def supporting(self, answers: Answers) -> list[str]:
        # Only the parts that held explain why the whole held.
        return _unique(q for p in self.parts if p.compiled(answers) for q in p.supporting(answers))


@dataclass(eq=False)
class Not(Condition):
    """Be true when its part is false."""

    part: Condition
    location: Location

    def questions(self) -> frozenset[str]:
        return self.part.questions()

    def leaves(self) -> list[Leaf]:
        return self.part.leaves()

    def to_data(self) -> dict[str, object]:
        return {"not": self.part.to_data()}

    def source(self, consts: list[object]) -> str:
        return f"(not {self.part.source(consts)})"

    def trace(self, answers: Answers) -> Trace:
        kid = self.part.trace(answers)
        return Trace("not", not kid.value, (kid,))

    def supporting(self, answers: Answers) -> list[str]:
        # A negation holds because of what was answered instead, so quote those answers.
        return [q for q in sorted(self.part.questions()) if q in answers]


@dataclass(eq=False)
class ScoreAtLeast(Condition):
    """Be true when a score (the total of the chosen options' points) is at least a number.

    The score counts only when every question it adds up is answered; otherwise this is false.
    """

    score: str
    minimum: int
    #: Each question the score adds up, with the points of each of its option values.
    points: tuple[tuple[str, dict[str, int]], ...]
    location: Location

    def total(self, answers: Answers) -> int:
        """Return the score for these answers, or -1 when a question it needs is unanswered."""
        total = 0
        for qid, table in self.points:
            value = answers.get(qid)
            if value is None:
                return -1
            chosen = (value,) if isinstance(value, str) else value
            total += sum(table.get(v, 0) for v in chosen)
        return total

    def questions(self) -> frozenset[str]:
        return frozenset(q for q, _ in self.points)

    def leaves(self) -> list[Leaf]:
        return []

    def source(self, consts: list[object]) -> str:
        consts.append(self.total)
        return f"(_c{len(consts) - 1}(a) >= {int(self.minimum)})"

    def to_data(self) -> dict[str, object]:
        return {"score": self.score, "at_least": self.minimum}

    def describe(self) -> str:
        """Say in words what this test checks."""
        return f"score {self.score} is at least {self.minimum}"

    def trace(self, answers: Answers) -> Trace:
        total = self.total(answers)
        return Trace(self.describe(), total >= self.minimum, actual=str(total) if total >= 0 else None)

    def supporting(self, answers: Answers) -> list[str]:
        return [q for q, _ in self.points if q in answers]


def nodes(condition: Condition) -> list[Condition]:
    """Return every node of a condition tree, the condition itself first."""
    found = [condition]
    if isinstance(condition, _Group):
        for part in condition.parts:
            found += nodes(part)
    elif isinstance(condition, Not):
        found += nodes(condition.part)
    return found


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]


def compile_condition(condition: Condition) -> Predicate:
    """Turn a validated condition tree into one Python function.

    The expression is generated from a tree whose question ids and values the
    loader has already checked against strict patterns, and every value is
    embedded with ``repr``; no text from a rule file is executed as code.
    """
    consts: list[object] = []
    expression = condition.source(consts)
    namespace: dict[str, object] = {"_E": _EMPTY, "__builtins__": {"len": len}}
    namespace.update({f"_c{i}": c for i, c in enumerate(consts)})
    code = compile(f"lambda a: {expression}", f"<condition {condition.location}>", "eval")
    return eval(code, namespace)  # noqa: S307 - generated from a validated tree, see docstring
