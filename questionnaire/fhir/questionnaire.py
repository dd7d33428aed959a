"""Build the rule set's question pages as a FHIR R4 Questionnaire (SDC)."""

from __future__ import annotations

import re
from typing import Any

from ..conditions import Condition
from ..model import Option, Page, Question, RuleSet
from .canonical import (
    EXT_ITEM_CONTROL,
    EXT_OPTION_EXCLUSIVE,
    ITEM_CONTROL_SYSTEM,
    QUESTIONNAIRE_ID,
    Canonical,
)
from .enablewhen import enablement

#: Group linkIds carry this prefix: page ids and question ids share one namespace in the rule
#: files ("headaches" is both), but linkIds must be unique within a Questionnaire (que-2).
#: A colon never appears in an id, so the prefix cannot collide with a question.
PAGE_PREFIX = "page:"


def page_link_id(page_id: str) -> str:
    """Return the linkId of a page's group item."""
    return PAGE_PREFIX + page_id


def computable_name(title: str) -> str:
    """Return a FHIR computable name (letters and digits, starting with a capital) for a title."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name if name[:1].isalpha() else "Q" + name


def page_condition(ruleset: RuleSet, page: Page) -> Condition | None:
    """Return the condition under which a page is shown (its own show_if)."""
    del ruleset  # kept in the signature: later pages may also depend on rule-set-wide stops
    return page.show_if


def _option(canonical: Canonical, question: Question, option: Option) -> dict[str, Any]:
    coding = {"system": canonical.answers_system(question.id), "code": option.value, "display": option.label}
    found: dict[str, Any] = {"valueCoding": coding}
    if option.exclusive:
        found["extension"] = [{"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True}]
    return found


def _help(link_id: str, text: str) -> dict[str, Any]:
    """Return a help text as SDC does it: a display child item with item control ``help``."""
    control = {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}]}
    return {
        "linkId": link_id,
        "text": text,
        "type": "display",
        "extension": [{"url": EXT_ITEM_CONTROL, "valueCodeableConcept": control}],
    }


def question_item(canonical: Canonical, question: Question) -> dict[str, Any]:
    """Return one question as a choice item with coded options."""
    item: dict[str, Any] = {"linkId": question.id, "text": question.text, "type": "choice"}
    item.update(enablement(question.show_if, canonical.answers_system))
    item["required"] = question.required
    item["repeats"] = question.multiple
    item["answerOption"] = [_option(canonical, question, o) for o in question.options]
    if question.hint:
        item["item"] = [_help(f"{question.id}:help", question.hint)]
    return item


def page_item(ruleset: RuleSet, canonical: Canonical, page: Page) -> dict[str, Any]:
    """Return one page as a group item holding its questions."""
    item: dict[str, Any] = {"linkId": page_link_id(page.id), "text": page.title, "type": "group"}
    item.update(enablement(page_condition(ruleset, page), canonical.answers_system))
    children = []
    if page.intro:
        children.append({"linkId": f"{page_link_id(page.id)}:intro", "text": page.intro, "type": "display"})
    children.extend(question_item(canonical, q) for q in page.questions)
    item["item"] = children
    return item


def build_questionnaire(ruleset: RuleSet, canonical: Canonical) -> dict[str, Any]:
    """Return the whole rule set's questions as a Questionnaire resource (plain JSON-ready data)."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": canonical.url,
        "version": ruleset.version,
        "name": computable_name(ruleset.name),
        "title": ruleset.name,
        "status": "active",
        "experimental": False,
        "subjectType": ["Patient"],
        "date": ruleset.last_reviewed,
        "description": ruleset.disclaimer,
        "lastReviewDate": ruleset.last_reviewed,
        "item": [page_item(ruleset, canonical, p) for p in ruleset.pages],
    }
