"""Load a rule set from a folder of YAML files, or refuse it with file:line problems.

Loading runs in three passes: safe YAML reading, JSON Schema validation, then
cross-reference checks (unknown ids, values a question does not offer,
operators that do not fit a question's type, duplicates, visibility that looks
ahead). Any problem refuses the whole rule set.
"""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import markdown
from .answers import parse_answers
from .conditions import COMBINATORS, OPERATORS, All, Condition, Leaf, Not, ScoreAtLeast
from .conditions import Any as AnyOf
from .engine import prepare
from .model import (
    CATEGORY_IDS,
    Category,
    Claim,
    Contact,
    Ending,
    Example,
    Location,
    Option,
    Page,
    Question,
    Region,
    Retired,
    Rule,
    RuleSet,
    Score,
    Section,
    SectionPart,
    Source,
    UrgentNotice,
)
from .problems import Problem, RuleSetError
from .schemas import FILES, validate
from .text import placeholders
from .yamlsource import Document, YamlError, load_file

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def default_rules_dir() -> Path:
    """Return the rules folder from QUESTIONNAIRE_RULES, or the bundled one."""
    return Path(os.environ.get("QUESTIONNAIRE_RULES") or DEFAULT_RULES_DIR)


def read_documents(directory: Path) -> tuple[dict[str, Document], list[Problem]]:
    """Read and schema-check every rule file in a folder."""
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
    base = _display_base(directory)
    if not directory.is_dir():
        raise RuleSetError([Problem(str(directory), 1, 1, "this rules folder does not exist", code="missing-folder")])
    for filename, schema in FILES.items():
        path = directory / filename
        display = f"{base}{filename}"
        if not path.exists():
            problems.append(
                Problem(display, 1, 1, f"the file {filename} is missing from the rules folder", code="missing-file")
            )
            continue
        try:
            doc = load_file(path, display)
        except YamlError as exc:
            problems.append(exc.problem)
            continue
        schema_problems = validate(doc, schema)
        problems.extend(schema_problems)
        if not schema_problems:
            docs[filename] = doc
    return docs, problems


def _display_base(directory: Path) -> str:
    """Name files relative to the working folder when possible, as compilers do."""
    try:
        rel = directory.resolve().relative_to(Path.cwd().resolve())
        return "" if str(rel) == "." else f"{rel}/"
    except ValueError:
        return f"{directory}/"


def load_ruleset(directory: Path | str | None = None) -> RuleSet:
    """Load and validate a rule set, or raise RuleSetError listing every problem."""
    folder = Path(directory) if directory is not None else default_rules_dir()
    # Loading makes hundreds of thousands of small objects that all stay alive; the cyclic
    # garbage collector would scan them again and again (10,000 rules took three times as long).
    collecting = gc.isenabled()
    gc.disable()
    try:
        docs, problems = read_documents(folder)
        if problems:
            raise RuleSetError(problems)
        builder = _Builder(docs, str(folder))
        ruleset = builder.build()
        if builder.problems or ruleset is None:
            raise RuleSetError(builder.problems)
        prepare(ruleset)  # compile every condition and look-up table once, at load, not per request
    finally:
        if collecting:
            gc.enable()
    return ruleset


def _suggest(name: str, known: Mapping[str, object] | list[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Builder:
    """Turn schema-valid documents into a RuleSet, collecting cross-reference problems."""

    def __init__(self, docs: dict[str, Document], source_dir: str) -> None:
        self.docs = docs
        self.source_dir = source_dir
        self.problems: list[Problem] = []
        self.questions: dict[str, Question] = {}
        self.page_of: dict[str, int] = {}
        self.scores: dict[str, Score] = {}

    def error(self, doc: Document, path: tuple[Any, ...], message: str, code: str, *, key: bool = False) -> None:
        self.problems.append(doc.problem(path, message, key=key, code=code))

    def loc(self, doc: Document, path: tuple[Any, ...]) -> Location:
        line, column = doc.where(path)
        return Location(doc.file, line, column)

    def build(self) -> RuleSet | None:
        meta = self.docs["ruleset.yaml"].data
        questions_doc = self.docs["questions.yaml"]
        pages = self.build_pages(questions_doc)
        self.scores = self.build_scores(questions_doc)
        retired = self.build_retired(questions_doc)
        categories = self.build_categories(self.docs["categories.yaml"])
        seen_ids: dict[str, Location] = {}
        rules = self.build_rules(self.docs["rules.yaml"], categories, seen_ids)
        urgent = self.build_urgent(self.docs["urgent.yaml"], seen_ids)
        endings = self.build_endings(questions_doc, seen_ids)
        sections = self.build_sections(self.docs["sections.yaml"], categories, seen_ids)
        regions = self.build_regions(self.docs["regions.yaml"])
        key_facts = self.build_key_facts(self.docs["ruleset.yaml"])
        if self.problems:
            return None
        ruleset = RuleSet(
            name=meta["name"],
            version=str(meta["version"]),
            last_reviewed=meta["last_reviewed"],
            disclaimer=meta["disclaimer"],
            pages=pages,
            questions=dict(self.questions),
            categories=categories,
            rules=rules,
            urgent=urgent,
            source_dir=self.source_dir,
            scores=self.scores,
            retired=retired,
            endings=endings,
            sections=sections,
            regions=regions,
            key_facts=key_facts,
        )
        self.check_examples(ruleset)
        return ruleset

    # --- questions -------------------------------------------------------------------------
    def build_pages(self, doc: Document) -> tuple[Page, ...]:
        # First register every question, so that a show_if reading a later page is
        # reported as "later page" rather than as an unknown question.
        drafts: list[tuple[dict[str, Any], list[tuple[Question, dict[str, Any], tuple[Any, ...]]]]] = []
        page_ids: set[str] = set()
        for index, raw_page in enumerate(doc.data["pages"]):
            ppath: tuple[Any, ...] = ("pages", index)
            if raw_page["id"] in page_ids:
                self.error(
                    doc,
                    (*ppath, "id"),
                    f"the page id '{raw_page['id']}' is used twice; give each page its own id",
                    "duplicate-id",
                )
            page_ids.add(raw_page["id"])
            questions = []
            for qi, raw in enumerate(raw_page["questions"]):
                qpath = (*ppath, "questions", qi)
                question = self.build_question(doc, qpath, raw, raw_page["id"], index)
                if question is not None:
                    questions.append((question, raw, qpath))
            drafts.append((raw_page, questions))
        pages: list[Page] = []
        for index, (raw_page, questions) in enumerate(drafts):
            ppath = ("pages", index)
            page_show_if = None
            if "show_if" in raw_page:
                page_show_if = self.condition(doc, (*ppath, "show_if"), raw_page["show_if"], visible_before=index)
            final = []
            for question, raw, qpath in questions:
                if "show_if" in raw:
                    show_if = self.condition(doc, (*qpath, "show_if"), raw["show_if"], visible_before=index)
                    question = replace(question, show_if=show_if)
                    self.questions[question.id] = question
                final.append(question)
            pages.append(
                Page(
                    id=raw_page["id"],
                    title=raw_page["title"],
                    questions=tuple(final),
                    index=index,
                    location=self.loc(doc, ppath),
                    intro=raw_page.get("intro"),
                    show_if=page_show_if,
                )
            )
        return tuple(pages)

    def build_question(
        self, doc: Document, path: tuple[Any, ...], raw: dict[str, Any], page_id: str, page_index: int
    ) -> Question | None:
        qid = raw["id"]
        if qid in self.questions:
            first = self.questions[qid].location
            self.error(
                doc,
                (*path, "id"),
                f"the question id '{qid}' is already used at line {first.line}; give each question its own id",
                "duplicate-id",
            )
            return None
        options: list[Option] = []
        values: set[str] = set()
        for oi, raw_opt in enumerate(raw["options"]):
            if raw_opt["value"] in values:
                self.error(
                    doc,
                    (*path, "options", oi, "value"),
                    f"the option value '{raw_opt['value']}' appears twice in question '{qid}'",
                    "duplicate-id",
                )
            values.add(raw_opt["value"])
            options.append(
                Option(
                    raw_opt["value"],
                    raw_opt["label"],
                    raw_opt.get("hint"),
                    bool(raw_opt.get("exclusive", False)),
                    bool(raw_opt.get("unsure", False)),
                    raw_opt.get("phrase"),
                    raw_opt.get("score"),
                )
            )
            if raw_opt.get("exclusive") and raw["type"] == "single":
                self.error(
                    doc,
                    (*path, "options", oi, "exclusive"),
                    "'exclusive' only makes sense in a multiple choice question; remove it",
                    "exclusive-single",
                )
        question = Question(
            id=qid,
            type=raw["type"],
            text=raw["text"],
            short=raw["short"],
            options=tuple(options),
            page_id=page_id,
            location=self.loc(doc, path),
            hint=raw.get("hint"),
            required=bool(raw.get("required", True)),
            values=frozenset(values),
        )
        self.questions[qid] = question
        self.page_of[qid] = page_index
        return question

    # --- categories ------------------------------------------------------------------------
    def build_categories(self, doc: Document) -> dict[str, Category]:
        categories: dict[str, Category] = {}
        for index, raw in enumerate(doc.data["categories"]):
            path: tuple[Any, ...] = ("categories", index)
            cid = raw["id"]
            if cid in categories:
                self.error(doc, (*path, "id"), f"the category id '{cid}' is used twice; keep one", "duplicate-id")
                continue
            if cid not in CATEGORY_IDS:
                self.error(
                    doc,
                    (*path, "id"),
                    f"'{cid}' is not one of the fixed category ids{_suggest(cid, list(CATEGORY_IDS))}; "
                    f"the ids are a public contract: {', '.join(CATEGORY_IDS)}",
                    "unknown-category",
                )
            categories[cid] = Category(
                id=cid,
                title=raw["title"],
                summary=raw["summary"],
                evidence=raw["evidence"],
                education=raw["education"],
                education_html=markdown.render(raw["education"]),
                things_to_try=tuple(raw["things_to_try"]),
                provider_prompts=tuple(raw["provider_prompts"]),
                sources=_sources(raw["sources"]),
                location=self.loc(doc, path),
                claims=tuple(Claim(c["text"], c["evidence"]) for c in raw.get("claims", ())),
            )
        missing = [c for c in CATEGORY_IDS if c not in categories]
        if missing:
            self.error(
                doc,
                ("categories",),
                f"add the categories {', '.join(missing)}: every fixed category id must have a section",
                "missing-category",
            )
        return categories

    # --- rules and urgent notices ----------------------------------------------------------
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
                    f"{_suggest(raw['category'], categories)}; use one of: {', '.join(categories)}",
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
                        sources=_sources(raw["sources"]),
                        crisis=bool(raw.get("crisis", False)),
                        examples=examples,
                    )
                )
        return tuple(notices)

    # --- scores, retired questions and endings (questions.yaml) ------------------------------
    def build_scores(self, doc: Document) -> dict[str, Score]:
        scores: dict[str, Score] = {}
        for index, raw in enumerate(doc.data.get("scores", [])):
            path: tuple[Any, ...] = ("scores", index)
            sid = raw["id"]
            if sid in scores:
                self.error(doc, (*path, "id"), f"the score id '{sid}' is used twice; keep one", "duplicate-id")
                continue
            maximum = 0
            ok = True
            for qi, qid in enumerate(raw["questions"]):
                question = self.questions.get(qid)
                if question is None:
                    self.error(
                        doc,
                        (*path, "questions", qi),
                        f"unknown question '{qid}'{_suggest(qid, self.questions)}; a score adds up questions "
                        "from the pages",
                        "unknown-question",
                    )
                    ok = False
                    continue
                unscored = [o.value for o in question.options if o.score is None]
                if unscored:
                    self.error(
                        doc,
                        (*path, "questions", qi),
                        f"question '{qid}' has options without a score ({', '.join(unscored)}); give every "
                        "option of a scored question 'score: N'",
                        "score-missing",
                    )
                    ok = False
                    continue
                points = [o.score or 0 for o in question.options]
                maximum += sum(points) if question.multiple else max(points)
            if ok:
                scores[sid] = Score(
                    sid, raw["title"], tuple(raw["questions"]), raw["note"], maximum, self.loc(doc, path)
                )
        return scores

    def build_retired(self, doc: Document) -> dict[str, Retired]:
        retired: dict[str, Retired] = {}
        for index, raw in enumerate(doc.data.get("retired", [])):
            path: tuple[Any, ...] = ("retired", index)
            qid = raw["id"]
            if qid in self.questions:
                self.error(
                    doc,
                    (*path, "id"),
                    f"'{qid}' is still asked on page '{self.questions[qid].page_id}'; list a question under "
                    "retired only once it is removed from the pages",
                    "retired-in-use",
                )
            elif qid in retired:
                self.error(doc, (*path, "id"), f"'{qid}' is retired twice; keep one", "duplicate-id")
            else:
                retired[qid] = Retired(qid, raw["note"], self.loc(doc, path))
        return retired

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
                        sources=_sources(raw.get("sources", ())),
                        examples=examples,
                    )
                )
        return tuple(endings)

    # --- sections and regions ----------------------------------------------------------------
    def build_sections(
        self, doc: Document, categories: dict[str, Category], seen: dict[str, Location]
    ) -> tuple[Section, ...]:
        sections: list[Section] = []
        for index, raw in enumerate(doc.data["sections"]):
            path: tuple[Any, ...] = ("sections", index)
            sid = raw["id"]
            ok = self.check_id(doc, (*path, "id"), sid, seen)
            if sid in categories or sid in RESERVED_ELEMENT_IDS:
                self.error(
                    doc,
                    (*path, "id"),
                    f"the section id '{sid}' is also a topic or page element id; choose another",
                    "duplicate-id",
                )
                ok = False
            when = self.condition(doc, (*path, "when"), raw["when"]) if "when" in raw else None
            parts = []
            for pi, part in enumerate(raw["parts"]):
                part_when = self.condition(doc, (*path, "parts", pi, "when"), part["when"]) if "when" in part else None
                if "when" in part and part_when is None:
                    ok = False
                parts.append(SectionPart(part["text"], markdown.render(part["text"]), part_when))
            examples = self.examples(doc, path, raw.get("examples", []))
            if ok and ("when" not in raw or when is not None):
                sections.append(
                    Section(
                        id=sid,
                        title=raw["title"],
                        parts=tuple(parts),
                        sources=_sources(raw["sources"]),
                        location=self.loc(doc, path),
                        when=when,
                        evidence=raw.get("evidence"),
                        provider_prompts=tuple(raw.get("provider_prompts", ())),
                        examples=examples,
                    )
                )
        everyone = [s for s in sections if s.id == FOR_EVERYONE]
        if not everyone and not self.problems:
            self.error(
                doc, ("sections",), f"add the section '{FOR_EVERYONE}': every results page shows it", "missing-section"
            )
        elif everyone and everyone[0].when is not None:
            self.error(
                doc,
                ("sections", sections.index(everyone[0]), "when"),
                f"the section '{FOR_EVERYONE}' is shown to everyone; remove its 'when'",
                "section-when",
            )
        return tuple(sections)

    def build_key_facts(self, doc: Document) -> tuple[str, ...]:
        listed = doc.data.get("summary", {}).get("key_facts", [])
        for index, qid in enumerate(listed):
            if qid not in self.questions:
                self.error(
                    doc,
                    ("summary", "key_facts", index),
                    f"unknown question '{qid}'{_suggest(qid, self.questions)}; key facts name questions "
                    "from questions.yaml",
                    "unknown-question",
                )
        return tuple(q for q in listed if q in self.questions)

    def build_regions(self, doc: Document) -> dict[str, Region]:
        regions: dict[str, Region] = {}
        for index, raw in enumerate(doc.data["regions"]):
            path: tuple[Any, ...] = ("regions", index)
            rid = raw["id"]
            if rid in regions:
                self.error(doc, (*path, "id"), f"the region id '{rid}' is used twice; keep one", "duplicate-id")
                continue
            regions[rid] = Region(
                id=rid,
                name=raw["name"],
                emergency=_contacts(raw["emergency"]),
                urgent=_contacts(raw.get("urgent", ())),
                crisis=_contacts(raw["crisis"]),
                young_people=_contacts(raw.get("young_people", ())),
                advice=dict(raw["advice"]),
                location=self.loc(doc, path),
            )
        if DEFAULT_REGION not in regions:
            self.error(
                doc,
                ("regions",),
                f"add the region '{DEFAULT_REGION}': it is the default, for people anywhere",
                "missing-region",
            )
        return regions

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
                                    f"example names unknown category '{cid}'{_suggest(cid, ruleset.categories)}",
                                    code="unknown-category",
                                )
                            )

    # --- conditions ------------------------------------------------------------------------
    def condition(
        self, doc: Document, path: tuple[Any, ...], raw: dict[str, Any], visible_before: int | None = None
    ) -> Condition | None:
        """Build a condition tree; visible_before limits questions to earlier pages."""
        location = self.loc(doc, path)
        combinators = [k for k in COMBINATORS if k in raw]
        operators = [k for k in OPERATORS if k in raw]
        if combinators:
            if len(raw) != 1:
                self.error(
                    doc,
                    path,
                    f"'{combinators[0]}' must stand alone in its condition; move "
                    f"{', '.join(repr(k) for k in raw if k != combinators[0])} into a condition of its own",
                    "condition-shape",
                )
                return None
            kind = combinators[0]
            if kind == "not":
                part = self.condition(doc, (*path, "not"), raw["not"], visible_before)
                return Not(part, location) if part is not None else None
            parts = [self.condition(doc, (*path, kind, i), item, visible_before) for i, item in enumerate(raw[kind])]
            if any(p is None for p in parts):
                return None
            cls = All if kind == "all" else AnyOf
            return cls(tuple(p for p in parts if p is not None), location)
        if "score" in raw or "at_least" in raw:
            return self.score_leaf(doc, path, raw, location, visible_before)
        if "question" not in raw:
            self.error(doc, path, "this condition needs 'question: ID' to say which answer it tests", "condition-shape")
            return None
        if len(operators) != 1:
            what = "no operator" if not operators else f"{len(operators)} operators ({', '.join(operators)})"
            self.error(
                doc,
                path,
                f"a question test needs exactly one operator, but this one has {what}; use one of: "
                f"{', '.join(OPERATORS)}",
                "condition-shape",
            )
            return None
        return self.leaf(doc, path, raw, operators[0], location, visible_before)

    def score_leaf(
        self, doc: Document, path: tuple[Any, ...], raw: dict[str, Any], location: Location, visible_before: int | None
    ) -> ScoreAtLeast | None:
        if set(raw) != {"score", "at_least"}:
            self.error(
                doc,
                path,
                "a score test is exactly 'score: ID' with 'at_least: N'; move other keys into a condition of their own",
                "condition-shape",
            )
            return None
        if visible_before is not None:
            self.error(
                doc,
                (*path, "score"),
                "a score cannot decide whether a page or question is shown; use question tests in show_if",
                "visibility-order",
            )
            return None
        score = self.scores.get(raw["score"])
        if score is None:
            self.error(
                doc,
                (*path, "score"),
                f"unknown score '{raw['score']}'{_suggest(raw['score'], self.scores)}; define it under scores: "
                "in questions.yaml",
                "unknown-score",
            )
            return None
        if raw["at_least"] > score.maximum:
            self.error(
                doc,
                (*path, "at_least"),
                f"at_least {raw['at_least']} is more than the highest possible score ({score.maximum}), "
                "so this can never be true",
                "impossible",
            )
            return None
        points = tuple((qid, {o.value: o.score or 0 for o in self.questions[qid].options}) for qid in score.questions)
        return ScoreAtLeast(score.id, raw["at_least"], points, location)

    def leaf(
        self,
        doc: Document,
        path: tuple[Any, ...],
        raw: dict[str, Any],
        op: str,
        location: Location,
        visible_before: int | None,
    ) -> Leaf | None:
        qid = raw["question"]
        question = self.questions.get(qid)
        if question is None:
            self.error(
                doc,
                (*path, "question"),
                f"unknown question '{qid}'{_suggest(qid, self.questions)}; "
                "check the spelling or add the question to questions.yaml",
                "unknown-question",
            )
            return None
        if visible_before is not None and self.page_of[qid] >= visible_before:
            self.error(
                doc,
                (*path, "question"),
                f"show_if reads '{qid}', which is on the same page or a later one "
                f"(page '{question.page_id}'); a page or question can only depend on answers from earlier pages",
                "visibility-order",
            )
            return None
        if op in ("equals", "one_of") and question.multiple:
            self.error(
                doc,
                (*path, op),
                f"'{qid}' is multiple choice, so '{op}' does not fit; use includes_any, "
                "includes_all or includes_at_least",
                "operator-type",
            )
            return None
        if op.startswith("includes") and not question.multiple:
            self.error(
                doc,
                (*path, op),
                f"'{qid}' takes one answer, so '{op}' does not fit; use equals or one_of",
                "operator-type",
            )
            return None
        count = 0
        if op == "answered":
            return Leaf(qid, op, frozenset(), location, expected=bool(raw[op]))
        if op == "equals":
            listed: list[str] = [raw[op]]
            vpath: tuple[Any, ...] = (*path, op)
        elif op == "includes_at_least":
            count = raw[op]["count"]
            listed = list(raw[op].get("of") or [o.value for o in question.options if not (o.exclusive or o.unsure)])
            vpath = (*path, op, "of")
        else:
            listed = list(raw[op])
            vpath = (*path, op)
        bad = [v for v in listed if v not in question.values]
        for value in bad:
            index = listed.index(value)
            self.error(
                doc,
                vpath if op == "equals" else (*vpath, index),
                f"'{value}' is not an option of question '{qid}'{_suggest(value, sorted(question.values))}; "
                f"its options are: {', '.join(o.value for o in question.options)}",
                "unknown-value",
            )
        if bad:
            return None
        if op == "includes_at_least" and count > len(listed):
            self.error(
                doc,
                (*path, op, "count"),
                f"count {count} is more than the {len(listed)} options it counts, "
                "so this can never be true; lower the count or list more options",
                "impossible",
            )
            return None
        return Leaf(qid, op, frozenset(listed), location, count=count, ordered=tuple(listed))


FOR_EVERYONE = "for-everyone"
DEFAULT_REGION = "international"
#: Element ids the results page uses itself, which a section id must not take.
RESERVED_ELEMENT_IDS = frozenset({"main", "urgent", "urgent-title", "topics", "other-topics"})


def _sources(raw: Any) -> tuple[Source, ...]:
    return tuple(Source(s["name"], s["url"]) for s in raw)


def _contacts(raw: Any) -> tuple[Contact, ...]:
    return tuple(Contact(c["name"], c.get("number"), c.get("url"), c.get("text")) for c in raw)


def parse_condition(ruleset: RuleSet, data: dict[str, Any], name: str = "<condition>") -> Condition:
    """Build a condition over a rule set's questions from rule-file data, or raise RuleSetError."""
    from .schemas import validator

    doc = Document(name, data, {(): (1, 1)})
    schema = validator("common.schema.json").schema["$defs"]["condition"]
    problems = [
        Problem(name, 1, 1, e.message, code="schema")
        for e in validator("common.schema.json").evolve(schema=schema).iter_errors(data)
    ]
    if problems:
        raise RuleSetError(problems)
    builder = _Builder({}, "")
    builder.questions = dict(ruleset.questions)
    builder.scores = dict(ruleset.scores)
    condition = builder.condition(doc, (), data)
    if builder.problems or condition is None:
        raise RuleSetError(builder.problems)
    return condition
