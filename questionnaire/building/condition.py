"""Build condition trees from rule-file data, checking each against the questions and the operator table."""

from __future__ import annotations

from typing import Any

from ..conditions import COMBINATORS, All, Condition, Leaf, Not, ScoreAtLeast
from ..conditions import Any as AnyOf
from ..model import Location
from ..operators import MULTIPLE, OPERATORS, SINGLE, fitting
from ..yamlsource import Document
from .context import Context, suggest


def later_pages(doc: Document, decider: int, path: tuple[Any, ...]) -> str:
    """Name the pages a question (or page) could move to so its show_if reads an earlier page."""
    pages = [p["id"] for p in doc.data["pages"][decider + 1 :]]
    if len(path) > 3 and path[2] == "questions":  # a question: any later page; a page: move it after the decider
        shown = ", ".join(f"'{p}'" for p in pages[:5]) + (" ..." if len(pages) > 5 else "")
        where = f"move this question to a later page ({shown})" if pages else "add a page after it for this question"
    else:
        where = f"move this page after page '{doc.data['pages'][decider]['id']}'"
    return f"; {where}, or read a question from an earlier page"


def join_alternatives(names: list[str]) -> str:
    """Join names as 'a, b or c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


class ConditionBuilder(Context):
    """Build conditions; visible_before limits a show_if to questions on earlier pages."""

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
                f"unknown score '{raw['score']}'{suggest(raw['score'], self.scores)}; define it under scores: "
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
                f"unknown question '{qid}'{suggest(qid, self.questions)}; "
                "check the spelling or add the question to questions.yaml",
                "unknown-question",
            )
            return None
        if visible_before is not None and self.page_of[qid] >= visible_before:
            self.error(
                doc,
                (*path, "question"),
                f"show_if reads '{qid}', which is on the same page or a later one "
                f"(page '{question.page_id}'); a page or question can only depend on answers from earlier pages"
                f"{later_pages(doc, self.page_of[qid], path)}",
                "visibility-order",
            )
            return None
        operator = OPERATORS[op]
        if not operator.fits_type(question):
            if question.multiple:
                what, fitting_ops = "is multiple choice", fitting(MULTIPLE)
            else:
                what, fitting_ops = "takes one answer", fitting(SINGLE)
            self.error(
                doc,
                (*path, op),
                f"'{qid}' {what}, so '{op}' does not fit; use {join_alternatives(fitting_ops)}",
                "operator-type",
            )
            return None
        reading = operator.read(raw[op], question)
        listed = list(reading.listed)
        bad = [v for v in listed if v not in question.values]
        for value in bad:
            where = (*path, op) if isinstance(raw[op], str) else (*path, op, *reading.values_path, listed.index(value))
            self.error(
                doc,
                where,
                f"'{value}' is not an option of question '{qid}'{suggest(value, sorted(question.values))}; "
                f"its options are: {', '.join(o.value for o in question.options)}",
                "unknown-value",
            )
        if bad:
            return None
        impossible = operator.impossible(reading)
        if impossible is not None:
            where = (*path, op, "count") if isinstance(raw[op], dict) else (*path, op)
            self.error(doc, where, impossible, "impossible")
            return None
        return Leaf(
            qid,
            op,
            frozenset(listed),
            location,
            count=reading.count,
            ordered=reading.listed,
            expected=reading.expected,
        )
