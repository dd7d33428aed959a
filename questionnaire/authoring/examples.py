"""Run the examples written inside the rule files through the engine and compare outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Assessment, assess
from ..model import Ending, Example, Rule, RuleSet, Section, UrgentNotice

#: Everything that carries examples: each fires (or is shown) for some answers.
Item = Rule | UrgentNotice | Section | Ending
KINDS = {Rule: "rule", UrgentNotice: "urgent notice", Section: "section", Ending: "ending"}


@dataclass(frozen=True, slots=True)
class Case:
    """Hold one example together with the rule, urgent notice, section or ending it belongs to."""

    item: Item
    example: Example
    number: int

    @property
    def id(self) -> str:
        """Return the example's name in reports and in pytest: the rule id and its 1-based number."""
        return f"{self.item.id}[{self.number}]"

    @property
    def kind(self) -> str:
        """Return 'rule', 'urgent notice', 'section' or 'ending'."""
        return KINDS[type(self.item)]


@dataclass(frozen=True, slots=True)
class Outcome:
    """Hold what running one example found."""

    case: Case
    result: Assessment
    failures: tuple[str, ...]
    hidden: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Tell whether the example gave the expected outcome."""
        return not self.failures


def cases(ruleset: RuleSet) -> list[Case]:
    """Return every example of every rule, urgent notice, section and ending, in file order."""
    items: list[Item] = [*ruleset.rules, *ruleset.urgent, *ruleset.sections, *ruleset.endings]
    return [Case(item, example, n) for item in items for n, example in enumerate(item.examples, start=1)]


def fired(result: Assessment, item: Item) -> bool:
    """Tell whether an item fired in a result: a rule or notice fired, a section was shown, an ending applied."""
    if isinstance(item, Section):
        return any(m.section.id == item.id for m in result.sections)
    if isinstance(item, Ending):
        return result.ending is not None and result.ending.id == item.id
    return result.fired.get(item.id, False)


def run_case(ruleset: RuleSet, case: Case) -> Outcome:
    """Assess one example's answers and list every way the result differs from what it expects."""
    example = case.example
    result = assess(ruleset, example.answers)
    failures: list[str] = []
    name = f"{case.kind} '{case.item.id}'"
    if fired(result, case.item) != example.fires:
        failures.append(
            f"expected {name} to fire, but it stayed silent"
            if example.fires
            else f"expected {name} to stay silent, but it fired"
        )
    shown = [m.category.id for m in result.categories]
    for cid in example.present:
        if cid not in shown:
            failures.append(f"expected category '{cid}' in the results, but it is not there")
    for cid in example.absent:
        if cid in shown:
            failures.append(f"expected category '{cid}' not to be in the results, but it is there")
    if example.urgent is not None:
        got = result.urgent_tier or "none"
        if got != example.urgent:
            failures.append(f"expected urgent tier '{example.urgent}', but got '{got}'")
    hidden = tuple(q for q in example.answers if q not in result.answers)
    return Outcome(case, result, tuple(failures), hidden)


def run_all(ruleset: RuleSet) -> list[Outcome]:
    """Run every example in the rule set."""
    return [run_case(ruleset, case) for case in cases(ruleset)]


def report_lines(outcome: Outcome) -> list[str]:
    """Return compiler-style lines for a failed example: one per mismatch, then a note on hidden answers."""
    where = outcome.case.example.location
    head = f"{where.file}:{where.line}:{where.column}"
    title = f" ({outcome.case.example.name})" if outcome.case.example.name else ""
    lines = [f"{head}: error: {outcome.case.id}{title}: {failure}" for failure in outcome.failures]
    if outcome.failures and outcome.hidden:
        ignored = ", ".join(outcome.hidden)
        lines.append(f"{head}: note: these answers were ignored because their question is hidden: {ignored}")
    return lines
