"""Fill the placeholders in reasons with the person's own answers."""

from __future__ import annotations

import re

from .model import Answers, Question

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")


def placeholders(template: str) -> list[str]:
    """Return the question ids a reason quotes, in order."""
    return PLACEHOLDER.findall(template)


def quote_label(label: str) -> str:
    """Lower the first letter of a label so it reads inside a sentence; keep acronyms."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def join_words(words: list[str]) -> str:
    """Join words as a person would: 'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def quote(question: Question, value: str | frozenset[str], focus: frozenset[str] | None = None) -> str:
    """Return the person's answer in words, for a reason."""
    if isinstance(value, str):
        return quote_label(question.label(value))
    chosen = value & focus if focus and value & focus else value
    return join_words([quote_label(question.label(v)) for v in question.ordered(chosen)])


def fill(
    template: str,
    questions: dict[str, Question] | object,
    answers: Answers,
    focus: dict[str, frozenset[str]] | None = None,
) -> str:
    """Replace each {question_id} with the person's answer."""
    table: dict[str, Question] = questions  # type: ignore[assignment]

    def replace(match: re.Match[str]) -> str:
        qid = match.group(1)
        question = table.get(qid)
        value = answers.get(qid)
        if question is None or value is None:
            return "not answered"
        return quote(question, value, (focus or {}).get(qid))

    return PLACEHOLDER.sub(replace, template)
