"""Find every text a patient reads in the rule files, with the file:line it comes from.

Texts are taken from the schema-checked documents rather than the RuleSet,
because only the documents remember where each value sits in its file.
Markdown texts (category education, urgent messages) are split into
paragraphs, each with its own line, so a problem points at the paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from ..text import PLACEHOLDER
from ..yamlsource import Document

# The same CommonMark flavour the app renders with (see questionnaire/markdown.py).
_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True, slots=True)
class PatientText:
    """Hold one patient-facing text, what it is and where it starts."""

    file: str
    line: int
    column: int
    what: str
    text: str
    markdown: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Hold the plain words of one Markdown paragraph and its line inside the text."""

    text: str
    first_line: int
    source: str


class SourceLines:
    """Find where a piece of a text value sits in its file."""

    def __init__(self, path: Path) -> None:
        try:
            self.lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []

    def find(self, needle: str, start_line: int, fallback: tuple[int, int]) -> tuple[int, int]:
        """Return (line, column) of needle at or after start_line, or fallback when absent.

        Block scalars (``|``) keep their lines, but folded and quoted ones do not,
        so searching for the text is more dependable than counting newlines.
        """
        needle = needle.strip()
        if not needle:
            return fallback
        for index in range(max(start_line - 1, 0), len(self.lines)):
            column = self.lines[index].find(needle)
            if column >= 0:
                return index + 1, column + 1
        return fallback


def paragraphs(markdown: str) -> list[Paragraph]:
    """Return the plain words of each paragraph, list item or heading of a Markdown text."""
    source_lines = markdown.splitlines()
    found: list[Paragraph] = []
    tokens = _PARSER.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0:
            continue
        opener = tokens[index - 1]
        first = opener.map[0] if opener.map else 0
        words = _plain(token.children or [])
        source = source_lines[first] if first < len(source_lines) else ""
        found.append(Paragraph(" ".join(words.split()), first, source))
    return found


def _plain(children: list[Any]) -> str:
    # Keep the words a reader sees: link text stays, addresses and emphasis marks go.
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


#: What a quoted answer counts as when scoring: one short word, so only the author's own words are judged.
QUOTED_ANSWER = "this"


def readable_reason(reason: str) -> str:
    """Put one short word where a reason quotes the person's answer."""
    return PLACEHOLDER.sub(QUOTED_ANSWER, reason)


def collect(directory: Path, docs: dict[str, Document]) -> list[PatientText]:
    """Return every patient-facing text in the documents that were read."""
    found: list[PatientText] = []
    walkers = {
        "ruleset.yaml": _ruleset,
        "questions.yaml": _questions,
        "categories.yaml": _categories,
        "rules.yaml": _rules,
        "urgent.yaml": _urgent,
        "sections.yaml": _sections,
        "regions.yaml": _regions,
    }
    for filename, walker in walkers.items():
        doc = docs.get(filename)
        if doc is None:
            continue
        for path, what, text, is_markdown in walker(doc.data):
            line, column = doc.where(path)
            found.append(PatientText(doc.file, line, column, what, text, is_markdown))
    return found


Walked = Iterator[tuple[tuple[Any, ...], str, str, bool]]


def _ruleset(data: dict[str, Any]) -> Walked:
    yield ("disclaimer",), "the disclaimer", data["disclaimer"], False


def _questions(data: dict[str, Any]) -> Walked:
    for pi, page in enumerate(data["pages"]):
        ppath: tuple[Any, ...] = ("pages", pi)
        yield (*ppath, "title"), f"the title of page '{page['id']}'", page["title"], False
        if "intro" in page:
            yield (*ppath, "intro"), f"the intro of page '{page['id']}'", page["intro"], False
        for qi, q in enumerate(page["questions"]):
            qpath = (*ppath, "questions", qi)
            yield (*qpath, "text"), f"the text of question '{q['id']}'", q["text"], False
            yield (*qpath, "short"), f"the short name of question '{q['id']}'", q["short"], False
            if "hint" in q:
                yield (*qpath, "hint"), f"the hint of question '{q['id']}'", q["hint"], False
            for oi, option in enumerate(q["options"]):
                opath = (*qpath, "options", oi)
                name = f"option '{option['value']}' of question '{q['id']}'"
                yield (*opath, "label"), f"the label of {name}", option["label"], False
                if "hint" in option:
                    yield (*opath, "hint"), f"the hint of {name}", option["hint"], False
    for ei, ending in enumerate(data.get("endings", [])):
        epath: tuple[Any, ...] = ("endings", ei)
        yield (*epath, "title"), f"the title of ending '{ending['id']}'", ending["title"], False
        yield (*epath, "message"), f"the message of ending '{ending['id']}'", ending["message"], True


def _categories(data: dict[str, Any]) -> Walked:
    for ci, cat in enumerate(data["categories"]):
        cpath: tuple[Any, ...] = ("categories", ci)
        name = f"category '{cat['id']}'"
        yield (*cpath, "title"), f"the title of {name}", cat["title"], False
        yield (*cpath, "summary"), f"the summary of {name}", cat["summary"], False
        yield (*cpath, "education"), f"the education of {name}", cat["education"], True
        for i, item in enumerate(cat["things_to_try"]):
            yield (*cpath, "things_to_try", i), f"thing to try {i + 1} of {name}", item, False
        for i, item in enumerate(cat["provider_prompts"]):
            yield (*cpath, "provider_prompts", i), f"provider prompt {i + 1} of {name}", item, False
        for i, claim in enumerate(cat.get("claims", [])):
            yield (*cpath, "claims", i, "text"), f"claim {i + 1} of {name}", claim["text"], False


def _rules(data: dict[str, Any]) -> Walked:
    for ri, rule in enumerate(data["rules"]):
        rpath: tuple[Any, ...] = ("rules", ri)
        name = f"rule '{rule['id']}'"
        yield (*rpath, "reason"), f"the reason of {name}", readable_reason(rule["reason"]), False
        for i, item in enumerate(rule.get("provider_prompts", [])):
            yield (*rpath, "provider_prompts", i), f"provider prompt {i + 1} of {name}", item, False


def _urgent(data: dict[str, Any]) -> Walked:
    for ni, notice in enumerate(data["urgent"]):
        npath: tuple[Any, ...] = ("urgent", ni)
        name = f"urgent notice '{notice['id']}'"
        yield (*npath, "title"), f"the title of {name}", notice["title"], False
        yield (*npath, "message"), f"the message of {name}", notice["message"], True
        yield (*npath, "reason"), f"the reason of {name}", readable_reason(notice["reason"]), False


def _sections(data: dict[str, Any]) -> Walked:
    for si, section in enumerate(data["sections"]):
        spath: tuple[Any, ...] = ("sections", si)
        name = f"section '{section['id']}'"
        yield (*spath, "title"), f"the title of {name}", section["title"], False
        yield (*spath, "summary"), f"the summary of {name}", section["summary"], False
        for i, part in enumerate(section["parts"]):
            yield (*spath, "parts", i, "text"), f"part {i + 1} of {name}", part["text"], True
            if "summary" in part:
                yield (*spath, "parts", i, "summary"), f"the summary of part {i + 1} of {name}", part["summary"], False
        for i, item in enumerate(section.get("provider_prompts", [])):
            yield (*spath, "provider_prompts", i), f"provider prompt {i + 1} of {name}", item, False


def _regions(data: dict[str, Any]) -> Walked:
    for ri, region in enumerate(data["regions"]):
        rpath: tuple[Any, ...] = ("regions", ri)
        for tier, text in region["advice"].items():
            yield (*rpath, "advice", tier), f"the {tier} advice of region '{region['id']}'", text, False
