"""Measure how well the examples exercise the rules and the answer options.

A rule is covered "both ways" when at least one example (of any rule) makes it
fire and at least one makes it stay silent while answering a question the
rule reads (even when that answer is then hidden): only then do the examples show that its condition tells people
apart. Silence in an example about something else proves nothing, so it does
not count. Options count as exercised when an example chooses them on a
question that is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Location, Question, RuleSet
from .examples import KINDS, Item, Outcome, fired


@dataclass(frozen=True, slots=True)
class ItemCoverage:
    """Count the examples in which one rule or urgent notice fired, and stayed silent on its own questions."""

    id: str
    kind: str
    location: Location
    fired: int
    silent: int

    @property
    def both_ways(self) -> bool:
        """Tell whether the rule both fires and stays silent in some example."""
        return self.fired > 0 and self.silent > 0


@dataclass(slots=True)
class Coverage:
    """Hold rule coverage and option coverage for a rule set's examples."""

    items: list[ItemCoverage]
    unexercised: dict[str, list[str]] = field(default_factory=dict)
    options_total: int = 0

    @property
    def rule_percent(self) -> float:
        """Return the share of rules and urgent notices covered both ways, in percent."""
        if not self.items:
            return 100.0
        return 100.0 * sum(i.both_ways for i in self.items) / len(self.items)

    @property
    def options_exercised(self) -> int:
        """Return how many options some example chooses."""
        return self.options_total - sum(len(v) for v in self.unexercised.values())

    @property
    def option_percent(self) -> float:
        """Return the share of options some example chooses, in percent."""
        return 100.0 * self.options_exercised / self.options_total if self.options_total else 100.0


def measure(ruleset: RuleSet, outcomes: list[Outcome]) -> Coverage:
    """Work out coverage from the outcomes of running every example."""
    items = []
    # Sections shown to everyone have no condition to cover.
    conditional: list[Item] = [*ruleset.urgent, *ruleset.rules, *ruleset.endings]
    conditional += [s for s in ruleset.sections if s.when is not None]
    for item in conditional:
        reads = item.when.questions()  # type: ignore[union-attr]
        hits = [fired(o.result, item) for o in outcomes]
        silent = sum(
            1 for o, hit in zip(outcomes, hits, strict=True) if not hit and not reads.isdisjoint(o.case.example.answers)
        )
        items.append(ItemCoverage(item.id, KINDS[type(item)], item.location, sum(hits), silent))
    chosen: dict[str, set[str]] = {}
    for outcome in outcomes:
        # Only shown answers count: an answer to a hidden question exercises nothing.
        for qid, value in outcome.result.answers.items():
            chosen.setdefault(qid, set()).update((value,) if isinstance(value, str) else value)
    unexercised: dict[str, list[str]] = {}
    total = 0
    for qid, question in ruleset.questions.items():
        total += len(question.options)
        missing = [o.value for o in question.options if o.value not in chosen.get(qid, set())]
        if missing:
            unexercised[qid] = missing
    return Coverage(items, unexercised, total)


def question_line(question: Question) -> str:
    """Return the file:line:column of a question."""
    where = question.location
    return f"{where.file}:{where.line}:{where.column}"
