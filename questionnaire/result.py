"""Hold the result of an assessment: urgent notices, ranked categories with reasons, sections, scores."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .answers import AnswerProblem
from .model import Answers, Category, Ending, Question, RuleSet, Section, SectionPart, UrgentNotice


@dataclass(slots=True)
class Reason:
    """Explain why something was shown: which rule fired and on which answers.

    Not frozen: a frozen dataclass is built through object.__setattr__ per field, which
    tripled the cost of making one; treat it as read-only all the same.
    """

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


@dataclass(frozen=True, slots=True)
class SectionMatch:
    """Hold a section shown outside the ranked topics, with the parts shown for these answers."""

    section: Section
    parts: tuple[SectionPart, ...]


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
    sections: list[SectionMatch] = field(default_factory=list)
    #: Each score that could be worked out (every question it adds up answered): id -> total.
    scores: dict[str, int] = field(default_factory=dict)
    ending: Ending | None = None
    notes: list[AnswerProblem] = field(default_factory=list)

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
                    "crisis": m.notice.crisis,
                    "reason": _reason(m.reason),
                    "sources": _sources(m.notice.sources),
                }
                for m in self.urgent
            ],
            "ending": None
            if self.ending is None
            else {"id": self.ending.id, "title": self.ending.title, "message": self.ending.message},
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
                    "claims": [{"text": c.text, "evidence": c.evidence} for c in m.category.claims],
                    "sources": _sources(m.category.sources),
                }
                for m in self.categories
            ],
            "sections": [
                {
                    "id": m.section.id,
                    "title": m.section.title,
                    "summary": m.section.summary,
                    "evidence": m.section.evidence,
                    "parts": [p.text for p in m.parts],
                    "provider_prompts": list(m.section.provider_prompts),
                    "sources": _sources(m.section.sources),
                }
                for m in self.sections
            ],
            "scores": [
                {
                    "id": sid,
                    "title": rs.scores[sid].title,
                    "total": total,
                    "maximum": rs.scores[sid].maximum,
                    "note": rs.scores[sid].note,
                }
                for sid, total in self.scores.items()
            ],
            "other_categories": [{"id": c.id, "title": c.title, "summary": c.summary} for c in self.other_categories],
            "unanswered": [q.id for q in self.unanswered],
            "answers": answers_to_data(rs, self.answers),
            "fired": dict(self.fired),
            "notes": [n.as_dict() for n in self.notes],
        }

    def to_json(self) -> str:
        """Return the result as JSON text, byte for byte the same from every door."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _sources(sources: tuple[Any, ...]) -> list[dict[str, str]]:
    return [{"name": s.name, "url": s.url} for s in sources]


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
