"""Work out once, per rule set, everything evaluation looks up: the page plan, the items to explain, orders.

The loader attaches the plan to the RuleSet it builds (``RuleSet.plan``), so it lives exactly as long
as its rule set and is shared by every request, the command line and the authoring tools.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Category, Ending, Page, Question, RuleSet
from .operators import Predicate
from .reasons import Item, item


@dataclass(frozen=True, slots=True)
class PagePlan:
    """Hold one page with its visibility test and each question's (None when always shown)."""

    page: Page
    test: Predicate | None
    questions: tuple[Question, ...]
    #: Each question's show_if test in order, or None when no question on the page has one.
    question_tests: tuple[Predicate | None, ...] | None


@dataclass(frozen=True, slots=True)
class Prompts:
    """Hold a category's provider prompts with the keys that tell repeats apart."""

    prompts: tuple[str, ...]
    keys: tuple[str, ...]
    #: The keys as a set, when they all differ (so all can be added at once); else None.
    distinct: frozenset[str] | None

    @classmethod
    def of(cls, prompts: tuple[str, ...]) -> Prompts:
        """Return the prompts with their keys."""
        keys = tuple(prompt_key(p) for p in prompts)
        return cls(prompts, keys, frozenset(keys) if len(set(keys)) == len(keys) else None)


@dataclass(frozen=True, slots=True)
class Plan:
    """Hold a rule set's page plan, compiled tests and look-up tables, built once."""

    pages: tuple[PagePlan, ...]
    endings: tuple[tuple[Ending, Predicate], ...]
    urgent: tuple[Item, ...]
    rules: tuple[Item, ...]
    #: Every rule and urgent notice (urgent first) with its test, in the order of ``Assessment.fired``.
    checks: tuple[tuple[str, Predicate], ...]
    question_order: dict[str, int]
    categories: tuple[tuple[str, Category], ...]
    #: Each provider prompt and the key that tells repeats apart (spacing and case ignored).
    prompt_keys: dict[str, str]
    #: Each category's own prompts, with their keys.
    category_prompts: dict[str, Prompts]


def prompt_key(prompt: str) -> str:
    """Return the key under which two prompts count as the same: spacing and case ignored."""
    return " ".join(prompt.split()).casefold()


def build(ruleset: RuleSet) -> Plan:
    """Build the plan of a rule set."""
    pages = []
    for page in ruleset.pages:
        tests = tuple(None if q.show_if is None else q.show_if.compiled for q in page.questions)
        pages.append(
            PagePlan(
                page,
                None if page.show_if is None else page.show_if.compiled,
                page.questions,
                tests if any(t is not None for t in tests) else None,
            )
        )
    order = {qid: i for i, qid in enumerate(ruleset.questions)}
    ranks = {cid: i for i, cid in enumerate(ruleset.categories)}
    urgent = tuple(item(ruleset, n, order, ranks) for n in ruleset.urgent)
    rules = tuple(item(ruleset, r, order, ranks) for r in ruleset.rules)
    prompts = [p for r in ruleset.rules for p in r.provider_prompts]
    prompts += [p for c in ruleset.categories.values() for p in c.provider_prompts]
    return Plan(
        pages=tuple(pages),
        endings=tuple((e, e.when.compiled) for e in ruleset.endings),
        urgent=urgent,
        rules=rules,
        checks=tuple((i.id, i.test) for i in (*urgent, *rules)),
        question_order=order,
        categories=tuple(ruleset.categories.items()),
        prompt_keys={p: prompt_key(p) for p in prompts},
        category_prompts={cid: Prompts.of(c.provider_prompts) for cid, c in ruleset.categories.items()},
    )


def plan_of(ruleset: RuleSet) -> Plan:
    """Return the rule set's plan, building it now if the rule set was made without the loader."""
    found = ruleset.plan
    if found is None:
        found = build(ruleset)
        object.__setattr__(ruleset, "plan", found)  # the RuleSet is frozen; its plan is derived from it
    return found


def attach(ruleset: RuleSet) -> RuleSet:
    """Build the plan of a freshly loaded rule set and keep it on the rule set."""
    plan_of(ruleset)
    return ruleset
