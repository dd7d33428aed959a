"""Enumerate every distinct way a condition's questions can be answered.

A condition reads only a few questions, and each question has a finite set of
answers, so "can this ever be true?" is settled by trying them all. Two things
keep the space small without losing any outcome:

* Only values some condition names are told apart. Options nobody names all
  behave alike, so one stands for the rest (one non-exclusive and one exclusive
  representative, since exclusivity changes which sets are possible).
* The questions that decide visibility of a read question are included too,
  because the engine drops answers to hidden questions before evaluating.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, product
from math import prod

from ..conditions import Condition, ScoreAtLeast, nodes
from ..model import Question, RuleSet

#: Above this many combinations a condition is not searched, so check stays quick on any content.
MAX_COMBINATIONS = 20_000

Choice = str | frozenset[str] | None


def visibility_conditions(ruleset: RuleSet, question: Question) -> list[Condition]:
    """Return the show_if conditions that decide whether a question is shown."""
    found: list[Condition] = []
    page = ruleset.page(question.page_id)
    if page is not None and page.show_if is not None:
        found.append(page.show_if)
    if question.show_if is not None:
        found.append(question.show_if)
    return found


def involved(ruleset: RuleSet, condition: Condition) -> tuple[list[str], list[Condition]]:
    """Return the questions whose answers can change the outcome, in page order, and every condition involved."""
    conditions = [condition]
    seen: set[str] = set()
    todo = list(condition.questions())
    while todo:
        qid = todo.pop()
        if qid in seen or qid not in ruleset.questions:
            continue
        seen.add(qid)
        for shown_if in visibility_conditions(ruleset, ruleset.questions[qid]):
            conditions.append(shown_if)
            todo.extend(shown_if.questions())
    order = [qid for qid in ruleset.questions if qid in seen]
    return order, conditions


def _split(question: Question, named: frozenset[str]) -> tuple[list[str], list[str]]:
    """Return the values that may be combined and the values that must stand alone, with representatives."""
    if not question.multiple:
        picked = [o.value for o in question.options if o.value in named]
        return picked + [o.value for o in question.options if o.value not in named][:1], []
    plain = [o.value for o in question.options if not o.exclusive and o.value in named]
    plain += [o.value for o in question.options if not o.exclusive and o.value not in named][:1]
    alone = [o.value for o in question.options if o.exclusive and o.value in named]
    alone += [o.value for o in question.options if o.exclusive and o.value not in named][:1]
    return plain, alone


def count(question: Question, named: frozenset[str]) -> int:
    """Return how many choices choices() gives, without building them."""
    plain, alone = _split(question, named)
    if not question.multiple:
        return len(plain) + 1
    return 2 ** len(plain) - 1 + len(alone) + 1


def choices(question: Question, named: frozenset[str]) -> list[Choice]:
    """Return one answer for each distinct way the named values can be met, plus no answer (None)."""
    plain, alone = _split(question, named)
    if not question.multiple:
        return [*plain, None]
    sets: list[Choice] = [frozenset(c) for size in range(1, len(plain) + 1) for c in combinations(plain, size)]
    return [*sets, *(frozenset((v,)) for v in alone), None]


def space(ruleset: RuleSet, condition: Condition) -> tuple[list[str], list[list[Choice]]] | None:
    """Return the involved questions and their choices, or None when there are too many combinations."""
    qids, conditions = involved(ruleset, condition)
    named: dict[str, set[str]] = {qid: set() for qid in qids}
    for cond in conditions:
        for leaf in cond.leaves():
            if leaf.question in named:
                named[leaf.question] |= leaf.values
        for node in nodes(cond):
            if isinstance(node, ScoreAtLeast):  # every option's points count, so tell every value apart
                for qid, points in node.points:
                    named[qid] |= set(points)
    # Count before building: a multiple choice question naming many values has 2**n subsets.
    if prod(count(ruleset.questions[q], frozenset(named[q])) for q in qids) > MAX_COMBINATIONS:
        return None
    return qids, [choices(ruleset.questions[q], frozenset(named[q])) for q in qids]


def assignments(qids: list[str], lists: list[list[Choice]]) -> Iterator[dict[str, str | frozenset[str]]]:
    """Yield every combination of choices as answers; a None choice leaves the question unanswered."""
    for combo in product(*lists):
        yield {qid: value for qid, value in zip(qids, combo, strict=True) if value is not None}
