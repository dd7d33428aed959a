"""Check that every category has its texts, prompts, evidence level and two sources.

The JSON Schema already refuses most gaps, but its messages name positions
such as ``categories/4/sources``. This check reads categories.yaml on its own,
even when the schema refused it, and says the same thing in the author's
terms. Each of its problems records which schema problem it restates, so
check can drop that one and the author reads each gap once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..loader import display_base
from ..problems import Problem
from ..yamlsource import Document, YamlError, load_file

EVIDENCE = "evidence: strong, moderate or limited-or-mixed"
#: Each required key, and how to ask for it when it is missing.
NEEDED = {
    "id": "an id; add id: with one of the fixed category ids",
    "title": "a title; add title: with a short heading",
    "summary": "a summary; add summary: with one plain sentence",
    "evidence": f"an evidence level; add {EVIDENCE}",
    "education": "an education text; add education: with a few short paragraphs",
    "things_to_try": "things to try; add things_to_try: with at least one item",
    "provider_prompts": "provider prompts; add provider_prompts: with at least one question to ask",
    "sources": "sources; add sources: with at least two reputable sources, each with a name and an https:// url",
}
TEXTS = {"title": "title", "summary": "summary", "education": "education"}
LISTS = {"things_to_try": "thing to try", "provider_prompts": "provider prompt"}


@dataclass(frozen=True, slots=True)
class Restated:
    """Point at the schema problem (file, line, column, code) that a clearer problem replaces."""

    file: str
    line: int
    column: int
    code: str


def check_categories(directory: Path) -> tuple[list[Problem], set[Restated]]:
    """Return clear problems for incomplete categories, and the schema problems they restate."""
    # Name the file exactly as the loader does, so restated schema problems match.
    try:
        doc = load_file(directory / "categories.yaml", f"{display_base(directory)}categories.yaml")
    except YamlError:
        return [], set()  # the loader reports unreadable files
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        return [], set()
    checker = _Checker(doc)
    for index, raw in enumerate(data["categories"]):
        if isinstance(raw, dict):
            checker.category(index, raw)
    return checker.problems, checker.restated


class _Checker:
    """Collect clear problems about the categories of one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.restated: set[Restated] = set()

    def add(self, path: tuple[Any, ...], message: str, schema_code: str | None) -> None:
        line, column = self.doc.where(path)
        self.problems.append(Problem(self.doc.file, line, column, message, code="category-incomplete"))
        if schema_code:
            self.restated.add(Restated(self.doc.file, line, column, schema_code))

    def category(self, index: int, raw: dict[str, Any]) -> None:
        path: tuple[Any, ...] = ("categories", index)
        cid = raw.get("id")
        name = f"category '{cid}'" if isinstance(cid, str) else f"category number {index + 1}"
        for key, wanted in NEEDED.items():
            if key not in raw:
                self.add(path, f"{name} needs {wanted}", "schema-required")
        for key, label in TEXTS.items():
            value = raw.get(key)
            if isinstance(value, str) and not value.strip():
                self.add((*path, key), f"the {label} of {name} is empty; write it out", "schema-minLength")
        for key, label in LISTS.items():
            items = raw.get(key)
            if not isinstance(items, list):
                continue
            if not items:
                what = NEEDED[key].split(";")[0]
                self.add((*path, key), f"{name} has no {what}; add at least one", "schema-minItems")
            for i, item in enumerate(items):
                if isinstance(item, str) and not item.strip():
                    self.add((*path, key, i), f"{label} {i + 1} of {name} is empty; write it or remove it", "")
        self.sources(path, name, raw.get("sources"))

    def sources(self, path: tuple[Any, ...], name: str, sources: object) -> None:
        if not isinstance(sources, list):
            return
        spath = (*path, "sources")
        if len(sources) < 2:
            count = "no sources" if not sources else "only one source"
            self.add(
                spath,
                f"{name} has {count}; give at least two reputable sources, each with a name and an https:// url",
                "schema-minItems",
            )
            return
        urls = set()
        for i, source in enumerate(sources):
            if not isinstance(source, dict):
                continue
            for key in ("name", "url"):
                if key not in source:
                    self.add((*spath, i), f"source {i + 1} of {name} has no {key}; add {key}:", "schema-required")
            if isinstance(source.get("url"), str):
                urls.add(source["url"].strip().rstrip("/"))
        if len(urls) == 1:
            self.add(spath, f"{name} lists the same source twice; give at least two different sources", None)
