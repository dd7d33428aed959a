"""Turn answers into a QuestionnaireResponse and a QuestionnaireResponse back into answers."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..answers import AnswerProblem, retired_notes, shown
from ..flow import visible_answers
from ..model import Answers, Question, RuleSet
from .canonical import Canonical
from .enablewhen import literal
from .outcome import MAX_ISSUES, Issue
from .questionnaire import PAGE_PREFIX, page_link_id

#: QuestionnaireResponse.status codes (required binding). A response entered in error is no
#: response at all; every other status is assessed on what it holds, as partial answers are.
STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
ROOT = "QuestionnaireResponse"


def build_response(
    ruleset: RuleSet, canonical: Canonical, answers: Answers, authored: str, resource_id: str | None = None
) -> dict[str, Any]:
    """Return the answers as a completed QuestionnaireResponse.

    Only questions shown for these answers appear (a form filler drops the answers of disabled
    items), grouped by page in page order, with one ``answer`` per chosen option in option order.
    """
    kept = visible_answers(ruleset, answers)
    groups: dict[str, list[dict[str, Any]]] = {}
    for qid, value in kept.items():
        question = ruleset.questions[qid]
        chosen = [value] if isinstance(value, str) else question.ordered(value)
        coded = [
            {"valueCoding": {"system": canonical.answers_system(qid), "code": v, "display": question.label(v)}}
            for v in chosen
        ]
        groups.setdefault(question.page_id, []).append({"linkId": qid, "text": question.text, "answer": coded})
    items = [
        {"linkId": page_link_id(page.id), "text": page.title, "item": groups[page.id]}
        for page in ruleset.pages
        if page.id in groups
    ]
    response: dict[str, Any] = {"resourceType": ROOT}
    if resource_id:
        response["id"] = resource_id
    response.update({"questionnaire": canonical.versioned, "status": "completed", "authored": authored})
    if items:
        response["item"] = items
    return response


def _where(path: str, link_id: object, index: int) -> str:
    """Return the FHIRPath of an item: by linkId when it has a readable one, by position otherwise."""
    if isinstance(link_id, str) and link_id:
        return f"{path}.item.where(linkId = {literal(shown(link_id, 64))})"
    return f"{path}.item[{index}]"


class _Reader:
    """Collect the answers in a QuestionnaireResponse and an issue for everything that does not fit."""

    def __init__(self, ruleset: RuleSet, canonical: Canonical) -> None:
        self.ruleset = ruleset
        self.canonical = canonical
        #: Retired questions answered, in the order met: accepted, not used, and noted.
        self.retired: dict[str, None] = {}
        self.answers: dict[str, str | frozenset[str]] = {}
        self.seen: set[str] = set()
        self.issues: list[Issue] = []

    def problem(self, message: str, expression: str, code: str = "invalid") -> None:
        self.issues.append(Issue(message, expression, code))

    def items(self, raw: object, path: str, page_id: str | None) -> None:
        """Read a list of items: pages (groups) at the top, questions at the top or in their page."""
        if not isinstance(raw, list):
            self.problem("'item' must be a list of items", f"{path}.item", "structure")
            return
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problem("each item must be an object with a linkId", f"{path}.item[{index}]", "structure")
                continue
            link_id = item.get("linkId")
            where = _where(path, link_id, index)
            if not isinstance(link_id, str):
                self.problem("this item has no linkId (text)", where, "required")
                continue
            if page_id is None and link_id.startswith(PAGE_PREFIX):
                self.page(item, link_id[len(PAGE_PREFIX) :], where)
            else:
                self.question(item, link_id, where, page_id)

    def page(self, item: dict[str, Any], page_id: str, where: str) -> None:
        if self.ruleset.page(page_id) is None:
            self.unknown(page_link_id(page_id), where, [page_link_id(p.id) for p in self.ruleset.pages])
            return
        if "answer" in item:
            self.problem("a page (group) item takes no answer; answer the questions inside it", where, "structure")
        if "item" in item:
            self.items(item["item"], where, page_id)

    def unknown(self, link_id: str, where: str, known: list[str]) -> None:
        name = shown(link_id, 64)
        # Suggestions cost a fuzzy match each; past the issues that will be listed, skip them, so a
        # body of thousands of near-miss linkIds costs no more than one of plain ones.
        close = difflib.get_close_matches(name, known, n=1) if len(self.issues) < MAX_ISSUES else []
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.problem(f"the questionnaire has no item '{name}'{hint}", where, "not-found")

    def question(self, item: dict[str, Any], qid: str, where: str, page_id: str | None) -> None:
        question = self.ruleset.questions.get(qid)
        if question is None:
            if qid in self.ruleset.retired:  # accepted and ignored, with a note, as the JSON API does
                self.retired[qid] = None
            else:
                self.unknown(qid, where, list(self.ruleset.questions))
            return
        if page_id is not None and question.page_id != page_id:
            self.problem(
                f"question '{qid}' belongs in '{page_link_id(question.page_id)}', not in '{page_link_id(page_id)}'",
                where,
                "structure",
            )
            return
        if qid in self.seen:
            self.problem(f"'{qid}' appears twice; put all its answers in one item", where, "structure")
            return
        self.seen.add(qid)
        if "item" in item:
            self.problem("a question item here has no nested items", f"{where}.item", "structure")
        raw = item.get("answer")
        if raw is None or raw == []:
            return
        if not isinstance(raw, list):
            self.problem("'answer' must be a list", f"{where}.answer", "structure")
            return
        codes = [c for i, a in enumerate(raw) if (c := self.code(question, a, f"{where}.answer[{i}]")) is not None]
        if len(codes) != len(raw):
            return
        self.choose(question, codes, where)

    def code(self, question: Question, answer: object, where: str) -> str | None:
        """Return the offered code an answer holds, or None after recording why not."""
        offered = ", ".join(o.value for o in question.options)
        if not isinstance(answer, dict):
            self.problem("each answer must be an object with a valueCoding", where, "structure")
            return None
        if "item" in answer:
            self.problem("answers here have no nested items", f"{where}.item", "structure")
            return None
        coding = answer.get("valueCoding")
        if not isinstance(coding, dict):
            kinds = [k for k in answer if isinstance(k, str) and k.startswith("value")]
            got = f"a {shown(kinds[0], 40)}" if kinds else "no value"
            self.problem(f"this question takes a valueCoding with one of: {offered}; got {got}", where, "value")
            return None
        code, system = coding.get("code"), coding.get("system")
        expected = self.canonical.answers_system(question.id)
        if system is not None and system != expected:
            told = shown(system, 120) if isinstance(system, str) else "a non-text system"
            self.problem(
                f"the code system must be {expected}, not {told}", f"{where}.valueCoding.system", "code-invalid"
            )
            return None
        if not isinstance(code, str) or code not in question.values:
            told = f"'{shown(code)}'" if isinstance(code, str) else "a missing or non-text code"
            self.problem(
                f"{told} is not offered for '{question.id}'; choose one of: {offered}",
                f"{where}.valueCoding.code",
                "code-invalid",
            )
            return None
        return code

    def choose(self, question: Question, codes: list[str], where: str) -> None:
        if not question.multiple:
            if len(codes) > 1:
                self.problem(f"'{question.id}' takes one answer, not {len(codes)}", f"{where}.answer", "value")
                return
            self.answers[question.id] = codes[0]
            return
        chosen = frozenset(codes)
        exclusive = sorted(chosen & question.exclusive_values())
        if exclusive and len(chosen) > 1:
            self.problem(
                f"'{exclusive[0]}' cannot be combined with other options; choose it on its own or remove it",
                f"{where}.answer",
                "business-rule",
            )
            return
        self.answers[question.id] = chosen


def _check_header(body: Mapping[str, Any], canonical: Canonical) -> list[Issue]:
    """Return what is wrong with the resource type, the questionnaire named and the status."""
    kind = body.get("resourceType")
    if kind != ROOT:
        told = f"a {shown(kind, 40)}" if isinstance(kind, str) else "no resourceType"
        return [Issue(f"send a QuestionnaireResponse; got {told}", "resourceType", "not-supported")]
    issues = []
    named = body.get("questionnaire")
    if named != canonical.versioned:
        url, _, version = named.partition("|") if isinstance(named, str) else ("", "", "")
        if not isinstance(named, str):
            message = f"'questionnaire' must name {canonical.versioned}"
        elif url != canonical.url:
            message = f"this server assesses {canonical.versioned} only; the response is for '{shown(named, 120)}'"
        elif not version:
            message = f"name the version answered: {canonical.versioned}"
        else:
            message = (
                f"the response answers version '{shown(version, 40)}', but this server has version "
                f"'{canonical.version}'; fetch the current Questionnaire and answer it again"
            )
        code = "not-supported" if isinstance(named, str) else "required"
        issues.append(Issue(message, f"{ROOT}.questionnaire", code))
        return issues  # the items of another questionnaire cannot be read against this one
    status = body.get("status")
    if status not in STATUSES:
        issues.append(Issue(f"'status' must be one of: {', '.join(STATUSES)}", f"{ROOT}.status", "value"))
    elif status == "entered-in-error":
        issues.append(Issue("a response entered in error cannot be assessed", f"{ROOT}.status", "business-rule"))
    return issues


def read_response(
    ruleset: RuleSet, canonical: Canonical, body: object, notes: list[AnswerProblem] | None = None
) -> tuple[dict[str, str | frozenset[str]], list[Issue]]:
    """Return the answers a QuestionnaireResponse holds, in normal form, and one issue per problem.

    Questions may sit in their page's group, as ``build_response`` writes them, or at the top
    level, as some tools flatten them. Answers to retired questions are accepted and left out;
    ``notes`` (when given) gets the same note for each as the JSON door gives.
    """
    if not isinstance(body, dict):
        return {}, [Issue("the body must be a JSON object: a QuestionnaireResponse", None, "structure")]
    issues = _check_header(body, canonical)
    if issues:
        return {}, issues
    reader = _Reader(ruleset, canonical)
    if "item" in body:
        reader.items(body["item"], ROOT, None)
    if notes is not None:
        notes.extend(retired_notes(ruleset.retired, reader.retired))
    ordered = {qid: reader.answers[qid] for qid in ruleset.questions if qid in reader.answers}
    return ordered, reader.issues
