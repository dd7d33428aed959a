"""Pick what a tired reader and a busy clinician should see first from an assessment."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .engine import Assessment, CategoryMatch, Reason, UrgentMatch
from .model import Question

#: How many topics the results page opens with, and how many questions to take to the appointment.
MAIN_TOPICS = 3
APPOINTMENT_QUESTIONS = 5


@dataclass(frozen=True, slots=True)
class TopicCard:
    """Hold one main topic as a card: the topic and the person's strongest reason for it."""

    match: CategoryMatch
    reason: Reason


@dataclass(frozen=True, slots=True)
class Fact:
    """Hold one key fact for the clinician: a question's short name and the answer in words."""

    question: Question
    words: str


def first_sentence(text: str) -> str:
    """Return the first sentence of a text (all of it when it is one sentence)."""
    words = " ".join(text.split())
    for end in (". ", "? ", "! "):
        at = words.find(end)
        if at >= 0:
            words = words[: at + 1]
    return words


def by_tier(urgent: list[UrgentMatch]) -> list[tuple[str, list[UrgentMatch]]]:
    """Return the urgent notices grouped by tier, most urgent first (they come sorted by tier)."""
    groups: dict[str, list[UrgentMatch]] = {}
    for match in urgent:
        groups.setdefault(match.notice.tier, []).append(match)
    return list(groups.items())


def main_topics(result: Assessment, limit: int = MAIN_TOPICS) -> list[TopicCard]:
    """Return the highest-ranked topics, each with its heaviest reason (reasons are sorted by weight)."""
    return [TopicCard(m, m.reasons[0]) for m in result.categories[:limit] if m.reasons]


def appointment_questions(result: Assessment, limit: int = APPOINTMENT_QUESTIONS) -> list[str]:
    """Return up to ``limit`` provider prompts, heaviest first, each once.

    A prompt a rule brings weighs what the rule weighs; a topic's standing prompts weigh nothing
    extra, so they fill the list only after every rule prompt. Ties keep the topics' order.
    """
    rules = {r.id: r for r in result.ruleset.rules}
    candidates: list[tuple[int, int, int, str]] = []
    for rank, match in enumerate(result.categories):
        for reason in match.reasons:
            rule = rules.get(reason.rule_id)
            for prompt in rule.provider_prompts if rule is not None else ():
                candidates.append((-reason.weight, rank, len(candidates), prompt))
        for prompt in match.category.provider_prompts:
            candidates.append((1, rank, len(candidates), prompt))
    chosen: list[str] = []
    seen: set[str] = set()
    for *_, prompt in sorted(candidates):
        key = " ".join(prompt.split()).casefold()
        if key not in seen:
            seen.add(key)
            chosen.append(prompt)
        if len(chosen) == limit:
            break
    return chosen


def answer_words(question: Question, value: str | frozenset[str], *, brief: bool = False) -> str:
    """Return an answer as its option labels, in option order; brief drops the examples a patient needs."""
    name = brief_label if brief else (lambda label: label)
    if isinstance(value, str):
        return name(question.label(value))
    return ", ".join(name(question.label(v)) for v in question.ordered(value))


# The cue words that start an example or explanation, in English and in Spanish (the languages offered).
_EXAMPLES = re.compile(
    r"\s*\([^)]*\)|,\s+(?:such as|like|also called|with|for example|como|también llamad[oa]s?|por ejemplo|con)\b.*$"
)
#: A name followed by its abbreviation: "Síndrome del intestino irritable (SII)".
_ABBREVIATED = re.compile(r"^[^(]+\(([A-ZÁÉÍÓÚÑ]{2,6})\)$")


def brief_label(label: str) -> str:
    """Return an option label without the examples and explanations written for patients.

    "Triptans, such as sumatriptan" becomes "Triptans", "Acetaminophen, also called paracetamol" becomes
    "Acetaminophen", "IBS (irritable bowel syndrome)" becomes "IBS" and "Síndrome del intestino irritable
    (SII)" becomes "SII": a clinician knows the terms, and the one-page summary needs the room.
    """
    abbreviated = _ABBREVIATED.match(label.strip())
    if abbreviated:
        return abbreviated.group(1)
    return _EXAMPLES.sub("", label).strip() or label


def key_facts(result: Assessment) -> list[Fact]:
    """Return the answers the rule set names as key facts for the clinician, where they were given."""
    rs = result.ruleset
    return [
        Fact(rs.questions[qid], answer_words(rs.questions[qid], result.answers[qid], brief=True))
        for qid in rs.key_facts
        if qid in result.answers
    ]
