"""Hold what every part of building a rule set shares: the documents, the problems found, the questions."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..model import Contact, Location, Question, Score, Source
from ..problems import Problem
from ..yamlsource import Document

FOR_EVERYONE = "for-everyone"
DEFAULT_REGION = "international"
#: Element ids the results page uses itself, which a section id must not take.
RESERVED_ELEMENT_IDS = frozenset({"main", "urgent", "urgent-title", "topics", "other-topics"})


def suggest(name: str, known: Mapping[str, object] | list[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest known name, or nothing."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def sources(raw: Any) -> tuple[Source, ...]:
    """Return sources from rule-file data."""
    return tuple(Source(s["name"], s["url"]) for s in raw)


def contacts(raw: Any) -> tuple[Contact, ...]:
    """Return phone lines and services from rule-file data."""
    return tuple(Contact(c["name"], c.get("number"), c.get("url"), c.get("text")) for c in raw)


class Context:
    """Collect cross-reference problems while schema-valid documents become model objects."""

    def __init__(self, docs: dict[str, Document], source_dir: str) -> None:
        self.docs = docs
        self.source_dir = source_dir
        self.problems: list[Problem] = []
        self.questions: dict[str, Question] = {}
        self.page_of: dict[str, int] = {}
        self.scores: dict[str, Score] = {}

    def error(self, doc: Document, path: tuple[Any, ...], message: str, code: str, *, key: bool = False) -> None:
        """Record a problem at a place in a document."""
        self.problems.append(doc.problem(path, message, key=key, code=code))

    def loc(self, doc: Document, path: tuple[Any, ...]) -> Location:
        """Return where a value sits in its file."""
        line, column = doc.where(path)
        return Location(doc.file, line, column)
