"""Check the reading grade of patient-facing text (Flesch-Kincaid, via textstat).

Every threshold lives here, so the guide, the checks and the tests agree.
"""

from __future__ import annotations

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


def grade(text: str) -> float | None:
    """Return the Flesch-Kincaid grade of a plain text, or None when it is too short to score."""
    if textstat.lexicon_count(text) < MIN_WORDS:
        return None
    return float(textstat.flesch_kincaid_grade(text))


def check_reading_grade(texts: list[PatientText], directory: Path) -> list[Problem]:
    """Return a warning or error for each text that reads above the target grade."""
    problems: list[Problem] = []
    sources: dict[str, SourceLines] = {}
    for item in texts:
        if not item.markdown:
            problem = _judge(item.text, item.what, item.file, item.line, item.column)
            if problem:
                problems.append(problem)
            continue
        # Markdown is scored paragraph by paragraph, each pointing at its own line.
        lines = sources.setdefault(item.file, SourceLines(directory / Path(item.file).name))
        several = len(paragraphs(item.text)) > 1
        for number, para in enumerate(paragraphs(item.text), start=1):
            line, column = lines.find(para.source, item.line, (item.line, item.column))
            what = f"paragraph {number} of {item.what}" if several else item.what
            problem = _judge(para.text, what, item.file, line, column)
            if problem:
                problems.append(problem)
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
