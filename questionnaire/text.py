"""Fill the placeholders in reasons with the person's own answers."""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Answers, Question

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")

#: Per question (by identity): the question, its option values in order, and each value's quoted label.
_LABELS: dict[int, tuple[Question, tuple[str, ...], dict[str, str]]] = {}
_LABELS_MAX = 8192


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


def option_labels(question: Question) -> tuple[tuple[str, ...], dict[str, str]]:
    """Return a question's option values in order and how each reads in a sentence (its phrase, or label).

    Built once per question object; Question.label is a linear scan, this is a dict look-up.
    """
    entry = _LABELS.get(id(question))
    if entry is None or entry[0] is not question:
        labels: dict[str, str] = {}
        for option in question.options:
            labels.setdefault(option.value, option.phrase or quote_label(option.label))
        entry = (question, tuple(o.value for o in question.options), labels)
        if len(_LABELS) >= _LABELS_MAX:
            _LABELS.clear()
        # The entry holds the question itself, so its id cannot be reused while it is cached.
        _LABELS[id(question)] = entry
    return entry[1], entry[2]


def quote(question: Question, value: str | frozenset[str], focus: frozenset[str] | None = None) -> str:
    """Return the person's answer in words, for a reason."""
    order, labels = option_labels(question)
    if isinstance(value, str):
        label = labels.get(value)
        return label if label is not None else quote_label(value)
    chosen = value & focus if focus and value & focus else value
    return join_words([labels[v] for v in order if v in chosen])


@lru_cache(maxsize=65536)
def compile_template(template: str) -> tuple[str, ...]:
    """Split a reason into text and placeholder ids: text, id, text, id, ..., text."""
    return tuple(PLACEHOLDER.split(template))


def render(
    parts: tuple[str, ...],
    questions: dict[str, Question],
    answers: Answers,
    focus: dict[str, frozenset[str]] | None = None,
) -> str:
    """Fill a template split by compile_template with the person's answers."""
    if len(parts) == 1:
        return parts[0]
    out = [parts[0]]
    for index in range(1, len(parts), 2):
        qid = parts[index]
        question = questions.get(qid)
        value = answers.get(qid)
        if question is None or value is None:
            out.append("not answered")
        else:
            out.append(quote(question, value, focus.get(qid) if focus else None))
        out.append(parts[index + 1])
    return "".join(out)


def fill(
    template: str,
    questions: dict[str, Question] | object,
    answers: Answers,
    focus: dict[str, frozenset[str]] | None = None,
) -> str:
    """Replace each {question_id} with the person's answer."""
    table: dict[str, Question] = questions  # type: ignore[assignment]
    return render(compile_template(template), table, answers, focus)
