"""Find rules, urgent notices and show_if conditions that can never be true, or are always true.

Each condition is tried on every distinct answer combination of the questions
it reads (see answerspace), after the same visibility pruning the engine does,
so a condition that needs a page hidden whenever it holds is caught too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..conditions import Condition
from ..flow import visible_answers
from ..model import RuleSet
from ..problems import Problem
from ..text import join_words
from .answerspace import MAX_COMBINATIONS, assignments, space


@dataclass(frozen=True, slots=True)
class Verdict:
    """Say whether a condition can be true, can be false, and why it cannot be true."""

    searched: bool
    can_be_true: bool = True
    can_be_false: bool = True
    hidden: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()


def judge(ruleset: RuleSet, condition: Condition) -> Verdict:
    """Try a condition on every distinct answer combination, after visibility pruning."""
    found = space(ruleset, condition)
    if found is None:
        return Verdict(searched=False)
    qids, lists = found
    reads = tuple(q for q in qids if q in condition.questions())
    can_true = can_false = False
    # Questions that a raw-true combination needed but visibility dropped: the culprits if it never holds.
    culprits: set[str] | None = None
    for answers in assignments(qids, lists):
        shown = visible_answers(ruleset, answers)
        if condition.compiled(shown):
            can_true = True
        else:
            can_false = True
            if not can_true and condition.compiled(answers):
                dropped = {q for q in reads if q in answers and q not in shown}
                culprits = dropped if culprits is None else culprits & dropped
        if can_true and can_false:
            break
    hidden: tuple[str, ...] = ()
    if not can_true and culprits is not None:
        hidden = tuple(q for q in qids if q in culprits) or ("",)
    return Verdict(True, can_true, can_false, hidden, reads)


def why_never(ruleset: RuleSet, verdict: Verdict) -> str:
    """Say in words why a condition can never be true."""
    if not verdict.hidden:
        names = join_words([f"'{q}'" for q in verdict.reads])
        return f"no answers to {names} make its condition true"
    if verdict.hidden == ("",):
        return "it needs answers to questions that are hidden whenever the rest of its condition holds"
    qid = verdict.hidden[0]
    question = ruleset.questions[qid]
    page = ruleset.page(question.page_id)
    where = f"page '{page.id}'" if page is not None and page.show_if is not None else f"question '{qid}'"
    return f"it needs an answer to '{qid}', but {where} is hidden whenever the rest of its condition holds"


def check_conditions(ruleset: RuleSet) -> tuple[list[Problem], set[str]]:
    """Return problems for conditions that can never be true or are always true, and the ids that never fire."""
    problems: list[Problem] = []
    never: set[str] = set()
    items: list[tuple[str, str, Condition, str]] = [
        (n.id, f"urgent notice '{n.id}'", n.when, "can never show") for n in ruleset.urgent
    ]
    items += [(r.id, f"rule '{r.id}'", r.when, "can never fire") for r in ruleset.rules]
    items += [(e.id, f"ending '{e.id}'", e.when, "can never end the questionnaire") for e in ruleset.endings]
    for section in ruleset.sections:
        if section.when is not None:
            items.append((section.id, f"section '{section.id}'", section.when, "is never shown"))
        for number, part in enumerate(section.parts, start=1):
            if part.when is not None:
                items.append((section.id, f"part {number} of section '{section.id}'", part.when, "is never shown"))
    for item_id, name, condition, cannot in items:
        verdict = judge(ruleset, condition)
        problem = _problem(ruleset, verdict, condition, name, cannot, "fires for everyone")
        if problem is not None:
            problems.append(problem)
        if not verdict.can_be_true:
            never.add(item_id)
    for page in ruleset.pages:
        if page.show_if is not None:
            verdict = judge(ruleset, page.show_if)
            problem = _problem(ruleset, verdict, page.show_if, f"page '{page.id}'", "is never shown", "")
            if problem is not None:
                problems.append(problem)
        for question in page.questions:
            if question.show_if is not None:
                verdict = judge(ruleset, question.show_if)
                name = f"question '{question.id}'"
                problem = _problem(ruleset, verdict, question.show_if, name, "is never shown", "")
                if problem is not None:
                    problems.append(problem)
    return problems, never


def _problem(
    ruleset: RuleSet, verdict: Verdict, condition: Condition, name: str, cannot: str, always: str
) -> Problem | None:
    where = condition.location
    if not verdict.searched:
        message = (
            f"{name} was not checked for contradictions: its condition has more than "
            f"{MAX_COMBINATIONS:,} answer combinations; split it into simpler rules"
        )
        return Problem(where.file, where.line, where.column, message, severity="warning", code="not-checked")
    if not verdict.can_be_true:
        message = f"{name} {cannot}: {why_never(ruleset, verdict)}"
        return Problem(where.file, where.line, where.column, message, code="never-true")
    if always and not verdict.can_be_false:
        message = f"{name} {always}, whatever the answers, so it tells no one apart; narrow its condition"
        return Problem(where.file, where.line, where.column, message, severity="warning", code="always-true")
    return None
