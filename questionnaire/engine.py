"""Evaluate answers against a rule set: urgent notices first, then ranked categories, with reasons."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from .answers import AnswerProblem
from .flow import Path
from .model import TIERS, Answers, RuleSet
from .plan import plan_of, prompt_key
from .reasons import reason
from .result import Assessment, CategoryMatch, Reason, SectionMatch, UrgentMatch, answers_to_data

__all__ = [
    "Assessment",
    "CategoryMatch",
    "Reason",
    "SectionMatch",
    "UrgentMatch",
    "answers_to_data",
    "assess",
    "fired",
    "matching_sections",
    "scores",
]

TIER_ORDER = {tier: rank for rank, tier in enumerate(TIERS)}
_by_weight = attrgetter("weight")


def fired(ruleset: RuleSet, answers: Answers) -> dict[str, bool]:
    """Return which rules and urgent notices fire, without reasons: ``assess(...).fired``, cheaper."""
    shown = Path.of(ruleset, answers).answers
    return {rid: test(shown) for rid, test in plan_of(ruleset).checks}


def scores(ruleset: RuleSet, answers: Answers) -> dict[str, int]:
    """Return each score whose questions are all answered: id -> total of the chosen options' points."""
    out: dict[str, int] = {}
    for sid, score in ruleset.scores.items():
        total = 0
        for qid in score.questions:
            value = answers.get(qid)
            if value is None:
                break
            question = ruleset.questions[qid]
            chosen = (value,) if isinstance(value, str) else value
            total += sum(o.score or 0 for o in question.options if o.value in chosen)
        else:
            out[sid] = total
    return out


def matching_sections(ruleset: RuleSet, answers: Answers) -> list[SectionMatch]:
    """Return the sections shown for these (visible) answers, each with its parts for them."""
    return [
        SectionMatch(s, tuple(p for p in s.parts if p.when is None or p.when.compiled(answers)))
        for s in ruleset.sections
        if s.when is None or s.when.compiled(answers)
    ]


def assess(
    ruleset: RuleSet, answers: Answers, notes: list[AnswerProblem] | None = None, *, path: Path | None = None
) -> Assessment:
    """Evaluate already-validated answers; answers to hidden questions are ignored.

    ``path`` is the path already worked out for these answers, if the caller has one (a page view).
    When an ending applies (for example the person is under 18) no topic or section is given,
    but urgent notices still are: a warning sign matters whoever reports it.
    """
    plan = plan_of(ruleset)
    if path is None:
        path = Path.of(ruleset, answers)
    shown = path.answers
    fired = {rid: test(shown) for rid, test in plan.checks}

    urgent = [UrgentMatch(it.item, reason(it, shown)) for it in plan.urgent if fired[it.id]]  # type: ignore[arg-type]
    if len(urgent) > 1:
        urgent.sort(key=lambda m: TIER_ORDER[m.notice.tier])

    # Per matched category, in the order its rules fire: [-total weight, rank, id, reasons, rules' prompts].
    found: dict[str, list[Any]] = {}
    for it in plan.rules:
        if fired[it.id]:
            entry = found.get(it.category)
            if entry is None:
                entry = found[it.category] = [0, it.rank, it.category, [], []]
            entry[0] -= it.weight
            entry[3].append(reason(it, shown))
            entry[4] += it.prompts
    scored = scores(ruleset, shown)
    if path.ending is not None:
        return Assessment(
            ruleset, shown, urgent, [], [], list(path.unanswered), fired, [], scored, path.ending, notes or []
        )

    # Highest score first, ties in category file order (ranks differ, so entries compare on those two);
    # within a category the heaviest reasons first.
    keys = plan.prompt_keys
    seen: set[str] = set()
    ranked = []
    for negative, _, cid, reasons, rule_prompts in sorted(found.values()):
        if len(reasons) > 1:
            reasons.sort(key=_by_weight, reverse=True)  # stable: equal weights keep the rules' order
        prompts = []
        # A prompt already shown (here or for a higher category) is not repeated: the rules' first.
        for prompt in rule_prompts:
            key = keys.get(prompt) or prompt_key(prompt)
            if key not in seen:
                seen.add(key)
                prompts.append(prompt)
        own = plan.category_prompts[cid]
        if own.distinct is not None and seen.isdisjoint(own.distinct):
            prompts += own.prompts  # none shown yet, none repeated: all of them, in one step
            seen |= own.distinct
        else:
            for prompt, key in zip(own.prompts, own.keys, strict=True):
                if key not in seen:
                    seen.add(key)
                    prompts.append(prompt)
        ranked.append(CategoryMatch(ruleset.categories[cid], -negative, reasons, prompts))
    others = [c for cid, c in plan.categories if cid not in found]
    return Assessment(
        ruleset,
        shown,
        urgent,
        ranked,
        others,
        list(path.unanswered),
        fired,
        matching_sections(ruleset, shown),
        scored,
        None,
        notes or [],
    )
