"""Measure how easy translated texts are to read, with a formula made for the language.

Flesch-Kincaid grades suit English only. Spanish uses Fernández Huerta's reading ease (0–100,
higher is easier; 60–70 reads as "normal", 70–80 "fairly easy"), which textstat computes.
Languages without a formula here are not scored, and ``check`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from textstat.textstat import textstatistics

from ..problems import Problem
from ..translation.check import Review
from ..translation.walk import Text
from .patienttext import paragraphs, readable_reason
from .readability import MIN_WORDS, sentences

#: Below this reading ease a paragraph gets a warning; aim for it or higher.
EASE_TARGET = 60
#: Below this it is an error: too hard for many readers ("fairly difficult" and worse).
EASE_LIMIT = 50
#: Spanish needs about a fifth more words than English for the same sentence, so its limit is higher.
SENTENCE_WORDS = 30
ADVICE = "use shorter sentences and everyday words"


@dataclass(frozen=True, slots=True)
class Ease:
    """Sum up the reading ease of a language's texts: how many were scored, the median and the lowest."""

    language: str
    formula: str
    scored: int
    median: float
    lowest: float
    below_target: int


class _Scorer:
    def __init__(self, language: str) -> None:
        self.stats = textstatistics()
        self.stats.set_lang(language)  # an instance of its own: the English checks keep their settings

    def ease(self, text: str) -> float | None:
        if self.stats.lexicon_count(text) < MIN_WORDS:
            return None
        return float(self.stats.fernandez_huerta(text))

    def words(self, text: str) -> int:
        return int(self.stats.lexicon_count(text))


def scored(context: str) -> bool:
    """Tell whether a text is scored: the same texts as the English check (not names, addresses or notes)."""
    if context.startswith(("retired/", "word/", "score/")) or "/source/" in context or context.endswith("/phrase"):
        return False
    return not context.startswith("region/") or "/advice/" in context


#: The languages with a reading formula here, and its name.
FORMULAS = {"es": "Fernández Huerta"}


def check_ease(texts: list[Text], review: Review) -> tuple[list[Problem], Ease | None]:
    """Return a problem for each translated paragraph that is hard to read, and the language's summary."""
    language = review.language
    if language not in FORMULAS:
        return [], None
    scorer = _Scorer(language)
    problems: list[Problem] = []
    scores: list[float] = []
    for text in texts:
        translated = review.usable.get(text.context)
        if not translated or not scored(text.context):
            continue
        name, line = review.places[text.context]
        pieces = [p.text for p in paragraphs(translated)] if text.markdown else [readable_reason(translated)]
        for number, piece in enumerate(pieces, start=1):
            what = f"paragraph {number} of {text.what}" if len(pieces) > 1 else text.what
            where = f'{what} ({language}, msgctxt "{text.context}")'
            score = scorer.ease(piece)
            if score is not None:
                scores.append(score)
                if score < EASE_TARGET:
                    limit = score < EASE_LIMIT
                    bound = f"below the limit of {EASE_LIMIT}" if limit else f"below the target of {EASE_TARGET}"
                    message = f"{where} has a reading ease of {score:.1f} ({FORMULAS[language]}), {bound}; {ADVICE}"
                    severity = "error" if limit else "warning"
                    problems.append(Problem(name, line, 1, message, severity, "reading-ease"))
            for sentence in sentences(piece):
                words = scorer.words(sentence)
                if words > SENTENCE_WORDS:
                    message = f"a sentence of {where} has {words} words, over the limit of {SENTENCE_WORDS}; split it"
                    problems.append(Problem(name, line, 1, message, "warning", "sentence-length"))
    if not scores:
        return problems, None
    below = sum(1 for s in scores if s < EASE_TARGET)
    return problems, Ease(language, FORMULAS[language], len(scores), median(scores), min(scores), below)
