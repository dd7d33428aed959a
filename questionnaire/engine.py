"""Evaluate answers against a rule set: urgent notices first, then ranked categories, with reasons."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .conditions import Leaf
from .flow import visible_answers, visible_questions
from .model import Answers, Category, Question, Rule, RuleSet, UrgentNotice
from .text import fill

TIER_ORDER = {"emergency": 0, "soon": 1}


@dataclass(frozen=True, slots=True)
class Reason:
    """Explain why something was shown: which rule fired and on which answers."""

    rule_id: str
    text: str
    weight: int
    answers: dict[str, str | list[str]]


@dataclass(slots=True)
class CategoryMatch:
    """Hold one matched category with its score, reasons and prompts."""

    category: Category
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class UrgentMatch:
    """Hold one urgent notice that applies, with its reason."""

    notice: UrgentNotice
    reason: Reason


@dataclass(slots=True)
class Assessment:
    """Hold the whole result of one evaluation."""

    ruleset: RuleSet
    answers: dict[str, str | frozenset[str]]
    urgent: list[UrgentMatch]
    categories: list[CategoryMatch]
    other_categories: list[Category]
    unanswered: list[Question]
    fired: dict[str, bool]

    @property
    def urgent_tier(self) -> str | None:
        """Return the most urgent tier shown, or None."""
        return self.urgent[0].notice.tier if self.urgent else None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data, the shape the CLI and the API print."""
        rs = self.ruleset
        return {
            "ruleset": {"name": rs.name, "version": rs.version, "last_reviewed": rs.last_reviewed},
            "disclaimer": rs.disclaimer,
            "urgent_tier": self.urgent_tier,
            "urgent": [
                {
                    "id": m.notice.id,
                    "tier": m.notice.tier,
                    "title": m.notice.title,
                    "message": m.notice.message,
                    "reason": _reason(m.reason),
                }
                for m in self.urgent
            ],
            "categories": [
                {
                    "id": m.category.id,
                    "title": m.category.title,
                    "summary": m.category.summary,
                    "evidence": m.category.evidence,
                    "score": m.score,
                    "reasons": [_reason(r) for r in m.reasons],
                    "provider_prompts": m.prompts,
                    "things_to_try": list(m.category.things_to_try),
                    "sources": [{"name": s.name, "url": s.url} for s in m.category.sources],
                }
                for m in self.categories
            ],
            "other_categories": [{"id": c.id, "title": c.title, "summary": c.summary} for c in self.other_categories],
            "unanswered": [q.id for q in self.unanswered],
            "answers": answers_to_data(rs, self.answers),
            "fired": dict(self.fired),
        }

    def to_json(self) -> str:
        """Return the result as JSON text, byte for byte the same from every door."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _reason(reason: Reason) -> dict[str, Any]:
    return {"rule": reason.rule_id, "text": reason.text, "weight": reason.weight, "answers": reason.answers}


def answers_to_data(ruleset: RuleSet, answers: Answers) -> dict[str, str | list[str]]:
    """Return answers as JSON-ready data, lists in option order, questions in page order."""
    data: dict[str, str | list[str]] = {}
    for qid, question in ruleset.questions.items():
        if qid in answers:
            value = answers[qid]
            data[qid] = value if isinstance(value, str) else question.ordered(value)
    return data


def _explain(ruleset: RuleSet, item: Rule | UrgentNotice, answers: Answers) -> Reason:
    qids = item.when.supporting(answers)
    focus: dict[str, frozenset[str]] = {}
    for leaf in item.when.leaves():
        if isinstance(leaf, Leaf) and leaf.values:
            focus[leaf.question] = focus.get(leaf.question, frozenset()) | leaf.values
    quoted: dict[str, str | frozenset[str]] = {}
    for q in qids:
        value = answers[q]
        if isinstance(value, frozenset) and value & focus.get(q, frozenset()):
            value = value & focus[q]
        quoted[q] = value
    text = fill(item.reason, ruleset.questions, answers, focus)
    weight = item.weight if isinstance(item, Rule) else 0
    return Reason(item.id, text, weight, answers_to_data(ruleset, quoted))


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


def assess(ruleset: RuleSet, answers: Answers) -> Assessment:
    """Evaluate already-validated answers; answers to hidden questions are ignored."""
    shown = visible_answers(ruleset, answers)
    fired: dict[str, bool] = {}
    urgent: list[UrgentMatch] = []
    for notice in ruleset.urgent:
        hit = notice.when.compiled(shown)
        fired[notice.id] = hit
        if hit:
            urgent.append(UrgentMatch(notice, _explain(ruleset, notice, shown)))
    urgent.sort(key=lambda m: TIER_ORDER[m.notice.tier])

    matches: dict[str, CategoryMatch] = {}
    for rule in ruleset.rules:
        hit = rule.when.compiled(shown)
        fired[rule.id] = hit
        if not hit:
            continue
        match = matches.get(rule.category)
        if match is None:
            match = matches[rule.category] = CategoryMatch(ruleset.categories[rule.category])
        match.score += rule.weight
        match.reasons.append(_explain(ruleset, rule, shown))
        match.prompts.extend(rule.provider_prompts)

    order = {cid: i for i, cid in enumerate(ruleset.categories)}
    ranked = sorted(matches.values(), key=lambda m: (-m.score, order[m.category.id]))
    seen: set[str] = set()
    for match in ranked:
        match.reasons.sort(key=lambda r: -r.weight)
        prompts = []
        for prompt in (*match.prompts, *match.category.provider_prompts):
            key = _same(prompt)
            if key not in seen:
                seen.add(key)
                prompts.append(prompt)
        match.prompts = prompts
    others = [c for cid, c in ruleset.categories.items() if cid not in matches]
    missing = [q for q in visible_questions(ruleset, shown) if q.id not in shown]
    return Assessment(ruleset, shown, urgent, ranked, others, missing, fired)
