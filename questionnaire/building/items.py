"""Build the rules, urgent notices and endings, with their examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import markdown
from ..answers import parse_answers
from ..conditions import Condition
from ..model import Category, Ending, Example, Location, Rule, RuleSet, UrgentNotice
from ..problems import Problem
from ..text import placeholders
from ..yamlsource import Document
from .condition import ConditionBuilder
from .context import sources, suggest


class ItemsBuilder(ConditionBuilder):
    """Build everything that fires for some answers and carries examples."""

    def check_id(self, doc: Document, path: tuple[Any, ...], rid: str, seen: dict[str, Location]) -> bool:
        if rid in seen:
            first = seen[rid]
            self.error(
                doc,
                path,
                f"the id '{rid}' is already used at {Path(first.file).name}:{first.line}; "
                "give each rule and notice its own id",
                "duplicate-id",
            )
            return False
        seen[rid] = self.loc(doc, path)
        return True

    def check_reason(self, doc: Document, path: tuple[Any, ...], reason: str, condition: Condition | None) -> None:
        if condition is None:
            return
        readable = condition.questions()
        for name in placeholders(reason):
            if name not in readable:
                self.error(
                    doc,
                    path,
                    f"the reason quotes {{{name}}}, but the condition does not read that question; "
                    f"quote one of: {', '.join(sorted(readable))}",
                    "reason-placeholder",
                )

    def build_rules(
        self, doc: Document, categories: dict[str, Category], seen: dict[str, Location]
    ) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        for index, raw in enumerate(doc.data["rules"]):
            path: tuple[Any, ...] = ("rules", index)
            ok = self.check_id(doc, (*path, "id"), raw["id"], seen)
            if raw["category"] not in categories:
                self.error(
                    doc,
                    (*path, "category"),
                    f"unknown category '{raw['category']}'"
                    f"{suggest(raw['category'], categories)}; use one of: {', '.join(categories)}",
                    "unknown-category",
                )
                ok = False
            condition = self.condition(doc, (*path, "when"), raw["when"])
            self.check_reason(doc, (*path, "reason"), raw["reason"], condition)
            examples = self.examples(doc, path, raw.get("examples", []))
            if ok and condition is not None:
                rules.append(
                    Rule(
                        id=raw["id"],
                        category=raw["category"],
                        weight=raw["weight"],
                        when=condition,
                        reason=raw["reason"],
                        location=self.loc(doc, path),
                        provider_prompts=tuple(raw.get("provider_prompts", ())),
                        examples=examples,
                    )
                )
        return tuple(rules)

    def build_urgent(self, doc: Document, seen: dict[str, Location]) -> tuple[UrgentNotice, ...]:
        notices: list[UrgentNotice] = []
        for index, raw in enumerate(doc.data["urgent"]):
            path: tuple[Any, ...] = ("urgent", index)
            ok = self.check_id(doc, (*path, "id"), raw["id"], seen)
            condition = self.condition(doc, (*path, "when"), raw["when"])
            self.check_reason(doc, (*path, "reason"), raw["reason"], condition)
            examples = self.examples(doc, path, raw.get("examples", []))
            if ok and condition is not None:
                notices.append(
                    UrgentNotice(
                        id=raw["id"],
                        tier=raw["tier"],
                        title=raw["title"],
                        message=raw["message"],
                        message_html=markdown.render(raw["message"]),
                        when=condition,
                        reason=raw["reason"],
                        location=self.loc(doc, path),
                        sources=sources(raw["sources"]),
                        crisis=bool(raw.get("crisis", False)),
                        examples=examples,
                    )
                )
        return tuple(notices)

    def build_endings(self, doc: Document, seen: dict[str, Location]) -> tuple[Ending, ...]:
        endings: list[Ending] = []
        for index, raw in enumerate(doc.data.get("endings", [])):
            path: tuple[Any, ...] = ("endings", index)
            ok = self.check_id(doc, (*path, "id"), raw["id"], seen)
            condition = self.condition(doc, (*path, "when"), raw["when"])
            examples = self.examples(doc, path, raw.get("examples", []))
            if ok and condition is not None:
                endings.append(
                    Ending(
                        id=raw["id"],
                        title=raw["title"],
                        message=raw["message"],
                        message_html=markdown.render(raw["message"]),
                        when=condition,
                        location=self.loc(doc, path),
                        sources=sources(raw.get("sources", ())),
                        examples=examples,
                    )
                )
        return tuple(endings)

    def examples(self, doc: Document, path: tuple[Any, ...], raw_examples: list[dict[str, Any]]) -> tuple[Example, ...]:
        examples = []
        for index, raw in enumerate(raw_examples):
            epath = (*path, "examples", index)
            answers, answer_problems = parse_answers(self.questions, raw["answers"], self.retired_ids())
            for problem in answer_problems:
                self.error(
                    doc,
                    (*epath, "answers", problem.question) if problem.question else (*epath, "answers"),
                    f"example answers: {problem.message}",
                    "example-answers",
                )
            examples.append(
                Example(
                    answers=answers,
                    fires=raw["fires"],
                    location=self.loc(doc, epath),
                    name=raw.get("name"),
                    present=tuple(raw.get("present", ())),
                    absent=tuple(raw.get("absent", ())),
                    urgent=raw.get("urgent"),
                )
            )
        return tuple(examples)

    def retired_ids(self) -> frozenset[str]:
        return (
            frozenset(r["id"] for r in self.docs["questions.yaml"].data.get("retired", ()))
            if self.docs
            else frozenset()
        )

    def check_examples(self, ruleset: RuleSet) -> None:
        for filename, items in (
            ("rules.yaml", ruleset.rules),
            ("urgent.yaml", ruleset.urgent),
            ("sections.yaml", ruleset.sections),
            ("questions.yaml", ruleset.endings),
        ):
            doc = self.docs[filename]
            for item in items:
                for example in item.examples:
                    for cid in (*example.present, *example.absent):
                        if cid not in ruleset.categories:
                            self.problems.append(
                                Problem(
                                    doc.file,
                                    example.location.line,
                                    example.location.column,
                                    f"example names unknown category '{cid}'{suggest(cid, ruleset.categories)}",
                                    code="unknown-category",
                                )
                            )
