"""Check a language's catalogues against the English rule set: missing, extra and out-of-date texts.

The same judgement decides what patients see: a language is offered only when ``review`` finds no
missing, out-of-date or broken translation, so a check that passes means the language is served.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..markdown import links
from ..model import RuleSet
from ..problems import Problem
from ..text import placeholders
from .catalogue import Entry, by_file, catalogue_path, read
from .walk import Text, extract


@dataclass(slots=True)
class Review:
    """Hold what checking one language found: its problems and the translations fit to use."""

    language: str
    total: int = 0
    #: Usable translations by context: present, not fuzzy, for the current English, placeholders kept.
    usable: dict[str, str] = field(default_factory=dict)
    #: Where each usable translation is written: its catalogue and line.
    places: dict[str, tuple[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    missing: int = 0
    stale: int = 0

    @property
    def complete(self) -> bool:
        """Tell whether every text has a usable translation and no catalogue is broken."""
        return len(self.usable) == self.total and not any(p.severity == "error" for p in self.problems)


def shown(path: Path, rules_dir: Path, display_base: str) -> str:
    """Name a catalogue as the loader names rule files (relative to the working folder when possible)."""
    return display_base + str(path.relative_to(rules_dir))


def review(ruleset: RuleSet, rules_dir: Path, language: str, display_base: str = "", *, strict: bool = True) -> Review:
    """Compare a language's catalogues with the English texts; every problem names its file and line.

    ``strict`` makes missing and out-of-date texts errors (the language is listed as offered);
    otherwise they are warnings.
    """
    result = Review(language)
    severity = "error" if strict else "warning"
    for rule_file, texts in by_file(extract(ruleset)).items():
        result.total += len(texts)
        path = catalogue_path(rules_dir, language, rule_file)
        name = shown(path, rules_dir, display_base)
        if not path.exists():
            first = texts[0].location
            message = (
                f"no {language} translation of {rule_file}: {name} is missing; "
                f"create it with: python -m questionnaire translations update {language}"
            )
            result.problems.append(Problem(first.file, 1, 1, message, severity, "translation-missing"))
            result.missing += len(texts)
            continue
        entries, broken = read(path, name)
        result.problems += broken
        for text in texts:
            entry = entries.pop(text.context, None)
            problem = _judge(text, entry, name, language, severity)
            if problem is None:
                result.usable[text.context] = entry.translation  # type: ignore[union-attr]
                result.places[text.context] = (name, entry.line)  # type: ignore[union-attr]
                continue
            result.problems.append(problem)
            if problem.code == "translation-missing":
                result.missing += 1
            elif problem.code == "translation-stale":
                result.stale += 1
        for extra in entries.values():
            message = (
                f"'{extra.context}' is not a text of the rule set (was it removed or renamed?); "
                f"delete this entry, or run: python -m questionnaire translations update {language}"
            )
            result.problems.append(Problem(name, extra.line, 1, message, severity, "translation-extra"))
    return result


def _judge(text: Text, entry: Entry | None, name: str, language: str, severity: str) -> Problem | None:
    where = text.location
    if entry is None or not entry.translation:
        message = (
            f'{text.what} has no {language} translation; add it in {name} (msgctxt "{text.context}"), '
            f"after: python -m questionnaire translations update {language}"
        )
        return Problem(where.file, where.line, where.column, message, severity, "translation-missing")
    if entry.english != text.english:
        message = (
            f'the English of {text.what} changed since it was translated; now: "{_short(text.english)}"; '
            f"run: python -m questionnaire translations update {language}, then update the translation"
        )
        return Problem(name, entry.line, 1, message, severity, "translation-stale")
    if entry.fuzzy:
        message = f"the translation of {text.what} is marked fuzzy (needs a look); check it, then remove the mark"
        return Problem(name, entry.line, 1, message, severity, "translation-stale")
    if Counter(placeholders(entry.translation)) != Counter(placeholders(text.english)):
        wanted = ", ".join(f"{{{p}}}" for p in placeholders(text.english)) or "none"
        message = f"the translation of {text.what} must quote the same answers as the English: {wanted}"
        return Problem(name, entry.line, 1, message, "error", "translation-placeholders")
    if text.markdown and sorted(links(entry.translation)) != sorted(links(text.english)):
        message = f"the translation of {text.what} must keep the English links: {', '.join(links(text.english))}"
        return Problem(name, entry.line, 1, message, "error", "translation-links")
    return None


def _short(text: str, limit: int = 80) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
