"""Hold the condition language shared by rules, urgent notices, sections, endings and visibility.

A condition is ``all``/``any``/``not`` over other conditions, a question with one operator (see
``operators.OPERATORS``), or a score with ``at_least``. Each condition is built once, at load time,
into a plain Python function over the answers (``compiled``); the same tree also produces a readable
trace and the answers that made it true. No source text is generated or executed.

Missing answers (not given, or hidden by visibility) make every comparison
false: ``equals``, ``one_of`` and ``includes_*`` never match a missing answer,
and ``answered: false`` is true for it. ``not`` simply negates, so
``not: {question: x, equals: y}`` is true when x is unanswered; combine it with
``answered: true`` to require an answer. "Not sure" and "prefer not to say" are
ordinary option values: they count as answered and match only themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from .model import Answers, Location
from .operators import OPERATORS, Predicate

COMBINATORS = ("all", "any", "not")


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
    #: The condition as a plain function over the answers, built when the node is made.
    compiled: Predicate

    def questions(self) -> frozenset[str]:
        """Return the ids of every question this condition reads."""
        raise NotImplementedError

    def leaves(self) -> list[Leaf]:
        """Return every question test in this condition."""
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
    compiled: Predicate = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.compiled = OPERATORS[self.operator].predicate(self)

    def questions(self) -> frozenset[str]:
        return frozenset((self.question,))

    def leaves(self) -> list[Leaf]:
        return [self]

    def to_data(self) -> dict[str, object]:
        return {"question": self.question, self.operator: OPERATORS[self.operator].to_data(self)}

    def describe(self) -> str:
        """Say in words what this test checks."""
        return OPERATORS[self.operator].describe(self)

    def trace(self, answers: Answers) -> Trace:
        return Trace(
            self.describe(), self.compiled(answers), question=self.question, actual=_fmt(answers.get(self.question))
        )

    def supporting(self, answers: Answers) -> list[str]:
        return [self.question] if self.question in answers else []


def _every(tests: tuple[Predicate, ...]) -> Predicate:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda a: first(a) and second(a)

    def every(a: Answers) -> bool:
        for test in tests:  # noqa: SIM110 - a plain loop is cheaper than all() over a generator
            if not test(a):
                return False
        return True

    return every


def _some(tests: tuple[Predicate, ...]) -> Predicate:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda a: first(a) or second(a)

    def some(a: Answers) -> bool:
        for test in tests:  # noqa: SIM110 - as in _every
            if test(a):
                return True
        return False

    return some


@dataclass(eq=False)
class _Group(Condition):
    """Combine parts with ``all`` or ``any``; subclasses name the keyword and how parts combine."""

    parts: tuple[Condition, ...]
    location: Location
    compiled: Predicate = field(init=False, repr=False)
    keyword: ClassVar[str]
    combine: ClassVar[Callable[[tuple[Predicate, ...]], Predicate]]
    over: ClassVar[Callable[[Iterable[object]], bool]]

    def __post_init__(self) -> None:
        self.compiled = type(self).combine(tuple(p.compiled for p in self.parts))

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(p.questions() for p in self.parts))

    def leaves(self) -> list[Leaf]:
        return [leaf for p in self.parts for leaf in p.leaves()]

    def to_data(self) -> dict[str, object]:
        return {self.keyword: [p.to_data() for p in self.parts]}

    def trace(self, answers: Answers) -> Trace:
        kids = tuple(p.trace(answers) for p in self.parts)
        return Trace(f"{self.keyword} of", type(self).over(k.value for k in kids), kids)


@dataclass(eq=False)
class All(_Group):
    """Be true when every part is true."""

    keyword: ClassVar[str] = "all"
    combine = staticmethod(_every)
    over = staticmethod(all)

    def supporting(self, answers: Answers) -> list[str]:
        return _unique(q for p in self.parts for q in p.supporting(answers))


@dataclass(eq=False)
class Any(_Group):
    """Be true when at least one part is true."""

    keyword: ClassVar[str] = "any"
    combine = staticmethod(_some)
    over = staticmethod(any)

    def supporting(self, answers: Answers) -> list[str]:
        # Only the parts that held explain why the whole held.
        return _unique(q for p in self.parts if p.compiled(answers) for q in p.supporting(answers))


@dataclass(eq=False)
class Not(Condition):
    """Be true when its part is false."""

    part: Condition
    location: Location
    compiled: Predicate = field(init=False, repr=False)

    def __post_init__(self) -> None:
        test = self.part.compiled
        self.compiled = lambda a: not test(a)

    def questions(self) -> frozenset[str]:
        return self.part.questions()

    def leaves(self) -> list[Leaf]:
        return self.part.leaves()

    def to_data(self) -> dict[str, object]:
        return {"not": self.part.to_data()}

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
    compiled: Predicate = field(init=False, repr=False)

    def __post_init__(self) -> None:
        total, minimum = self.total, int(self.minimum)
        self.compiled = lambda a: total(a) >= minimum

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

    def to_data(self) -> dict[str, object]:
        return {"score": self.score, "at_least": int(self.minimum)}

    def describe(self) -> str:
        """Say in words what this test checks."""
        return f"score {self.score} is at least {int(self.minimum)}"

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


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
