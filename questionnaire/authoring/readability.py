"""Check the reading grade of patient-facing text (Flesch-Kincaid, via textstat).

Every threshold lives here, so the guide, the checks and the tests agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import textstat

from ..problems import Problem
from .patienttext import PatientText, SourceLines, paragraphs

#: Above this US school grade a text gets a warning; aim for it or lower.
GRADE_TARGET = 8
#: Above this grade a text is an error: too hard for many patients.
GRADE_LIMIT = 10
#: Texts with fewer words are not scored: the formula is meaningless for a label or a title.
MIN_WORDS = 8

ADVICE = "use shorter sentences and everyday words"
#: A sentence with more words than this is hard to follow, however short its paragraph (check --sentence-words).
SENTENCE_WORDS = 25
#: A sentence of several scoring above this grade is too hard on its own (check --sentence-grade).
SENTENCE_GRADE = 12
# A new sentence starts with a capital, a digit, a quote or bracket, or Spanish's opening ¿ and ¡.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ0-9\"'(¿¡])")


@dataclass(frozen=True, slots=True)
class Limits:
    """Hold the per-sentence limits: most words, highest grade."""

    words: int = SENTENCE_WORDS
    grade: float = SENTENCE_GRADE


def sentences(text: str) -> list[str]:
    """Split plain text into sentences at a full stop, question or exclamation mark followed by a new sentence."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def grade(text: str) -> float | None:
    """Return the Flesch-Kincaid grade of a plain text, or None when it is too short to score."""
    if textstat.lexicon_count(text) < MIN_WORDS:
        return None
    return float(textstat.flesch_kincaid_grade(text))


def check_reading_grade(texts: list[PatientText], directory: Path, limits: Limits | None = None) -> list[Problem]:
    """Return a warning or error for each text or paragraph above the target grade, and each sentence over a limit."""
    limits = limits or Limits()
    problems: list[Problem] = []
    sources: dict[str, SourceLines] = {}
    for item in texts:
        lines = sources.setdefault(item.file, SourceLines(directory / Path(item.file).name))
        if not item.markdown:
            problem = _judge(item.text, item.what, item.file, item.line, item.column)
            if problem:
                problems.append(problem)
            problems += _sentences(item.text, item.what, item, lines, (item.line, item.column), limits)
            continue
        # Markdown is scored paragraph by paragraph, each pointing at its own line.
        several = len(paragraphs(item.text)) > 1
        for number, para in enumerate(paragraphs(item.text), start=1):
            line, column = lines.find(para.source, item.line, (item.line, item.column))
            what = f"paragraph {number} of {item.what}" if several else item.what
            problem = _judge(para.text, what, item.file, line, column)
            if problem:
                problems.append(problem)
            problems += _sentences(para.text, what, item, lines, (line, column), limits)
    return problems


def _sentences(
    text: str, what: str, item: PatientText, lines: SourceLines, where: tuple[int, int], limits: Limits
) -> list[Problem]:
    # A paragraph's average hides one long sentence among short ones, so each sentence is judged too.
    found = sentences(text)
    problems = []
    for number, sentence in enumerate(found, start=1):
        name = f"sentence {number} of {what}" if len(found) > 1 else f"the sentence in {what}"
        words = textstat.lexicon_count(sentence)
        line, column = lines.find(" ".join(sentence.split()[:4]), where[0], where)
        if words > limits.words:
            message = f"{name} has {words} words, over the limit of {limits.words}; split it into shorter sentences"
            problems.append(Problem(item.file, line, column, message, severity="warning", code="sentence-length"))
            continue
        score = grade(sentence) if len(found) > 1 else None  # a one-sentence text was judged whole above
        if score is not None and score > limits.grade:
            message = f"{name} reads at grade {score:.1f}, over the sentence limit of {limits.grade:g}; {ADVICE}"
            problems.append(Problem(item.file, line, column, message, severity="warning", code="sentence-grade"))
    return problems


def _judge(text: str, what: str, file: str, line: int, column: int) -> Problem | None:
    score = grade(text)
    if score is None or score <= GRADE_TARGET:
        return None
    shown = f"{score:.1f}"
    if score > GRADE_LIMIT:
        message = f"{what} reads at grade {shown}, above the limit of {GRADE_LIMIT}; {ADVICE} (aim for {GRADE_TARGET})"
        return Problem(file, line, column, message, severity="error", code="reading-grade")
    message = f"{what} reads at grade {shown}, above the target of {GRADE_TARGET}; {ADVICE}"
    return Problem(file, line, column, message, severity="warning", code="reading-grade")
