"""Build the pages, questions, scores and retired questions of questions.yaml."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model import Option, Page, Question, Retired, Score
from ..yamlsource import Document
from .condition import ConditionBuilder
from .context import suggest


class QuestionsBuilder(ConditionBuilder):
    """Build what questions.yaml holds, apart from endings."""

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
                        f"unknown question '{qid}'{suggest(qid, self.questions)}; a score adds up questions "
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
