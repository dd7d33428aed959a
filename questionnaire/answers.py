"""Check and normalise a person's raw answers against the questions."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .model import Question, Retired

MAX_ANSWERS = 200
SHOWN_LENGTH = 80


def shown(text: str, limit: int = SHOWN_LENGTH) -> str:
    """Return text safe to quote back in a message: shortened, control characters and lone surrogates replaced.

    A JSON body may carry lone surrogates ("\\ud800") or NUL bytes; quoted as they are, they break
    UTF-8 output (a 500 from the API) or a terminal (the command line).
    """
    return "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c for c in text[:limit])


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Say what is wrong with one answer."""

    question: str | None
    message: str

    def as_dict(self) -> dict[str, str | None]:
        """Return the problem as plain data for JSON output."""
        return {"question": self.question, "message": self.message}

    def __str__(self) -> str:
        return f"{self.question}: {self.message}" if self.question else self.message


def parse_answers(
    questions: Mapping[str, Question], raw: object, retired: Collection[str] = ()
) -> tuple[dict[str, str | frozenset[str]], list[AnswerProblem]]:
    """Return the answers in normal form and a problem for each bad one.

    A single choice becomes a string; a multiple choice becomes a frozenset. An
    empty list or null means "not answered". A lone string is accepted for a
    multiple choice question as a one-item list. Answers to retired questions
    are accepted and left out (saved answers and older clients still send them).
    """
    if not isinstance(raw, Mapping):
        return {}, [AnswerProblem(None, "answers must be a mapping from question id to answer")]
    if len(raw) > MAX_ANSWERS:
        return {}, [AnswerProblem(None, f"too many answers ({len(raw)}); there are only {len(questions)} questions")]
    answers: dict[str, str | frozenset[str]] = {}
    problems: list[AnswerProblem] = []
    for key, value in raw.items():
        question = questions.get(key) if isinstance(key, str) else None
        if question is None and key in retired:
            continue
        if question is None:
            name = shown(str(key))
            close = difflib.get_close_matches(name, list(questions), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(AnswerProblem(name, f"there is no question '{name}'{hint}"))
            continue
        if value is None or value == []:
            continue
        result = _one(question, value) if not question.multiple else _many(question, value)
        if isinstance(result, AnswerProblem):
            problems.append(result)
        else:
            answers[question.id] = result
    return answers, problems


def retired_notes(retired: Mapping[str, Retired], raw: object) -> list[AnswerProblem]:
    """Return a note for each answer to a retired question: it is accepted but not used."""
    if not isinstance(raw, Mapping):
        return []
    return [
        AnswerProblem(key, f"this question is no longer asked, so its answer was not used. {retired[key].note}")
        for key in raw
        if isinstance(key, str) and key in retired
    ]


def _offered(question: Question) -> str:
    return ", ".join(o.value for o in question.options)


def _one(question: Question, value: object) -> str | AnswerProblem:
    if isinstance(value, list):
        return AnswerProblem(
            question.id, f"this question takes one answer, not a list; choose one of: {_offered(question)}"
        )
    if not isinstance(value, str):
        return AnswerProblem(question.id, f"the answer must be text, one of: {_offered(question)}")
    if value not in question.values:
        return AnswerProblem(question.id, f"'{shown(value)}' is not an option; choose one of: {_offered(question)}")
    return value


def _many(question: Question, value: object) -> frozenset[str] | AnswerProblem:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        return AnswerProblem(question.id, f"the answer must be a list of options from: {_offered(question)}")
    unknown = [v for v in items if v not in question.values]
    if unknown:
        return AnswerProblem(question.id, f"'{shown(unknown[0])}' is not an option; choose from: {_offered(question)}")
    chosen = frozenset(items)
    exclusive = chosen & question.exclusive_values() if len(chosen) > 1 else None
    if exclusive:
        only = sorted(exclusive)[0]
        return AnswerProblem(
            question.id, f"'{only}' cannot be combined with other options; choose '{only}' on its own or remove it"
        )
    return chosen
