"""Build the rule set's question pages as a FHIR R4 Questionnaire (SDC)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..conditions import All, Condition, Not
from ..conditions import Any as AnyOf
from ..model import Option, Page, Question, RuleSet
from .canonical import (
    EXT_ITEM_CONTROL,
    EXT_OPTION_EXCLUSIVE,
    EXT_ORDINAL_VALUE,
    EXT_TRANSLATION,
    ITEM_CONTROL_SYSTEM,
    QUESTIONNAIRE_ID,
    Canonical,
)
from .enablewhen import enablement, without

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


def page_condition(ruleset: RuleSet, page: Page) -> Condition | bool | None:
    """Return when a page is shown: its own show_if, and no ending fired after an earlier page.

    The app checks each ending after every page shown, over the answers given so far, and stops at
    the first that holds. A response only holds answers to shown questions, so "an ending held
    after page j" is the ending's condition with every question after page j unanswered; the page
    needs that to be false for every earlier page j. Equal restrictions are written once.
    """
    stops: dict[str, Condition] = {}
    asked: set[str] = set()
    for earlier in ruleset.pages:
        if earlier is page:
            break
        asked.update(q.id for q in earlier.questions)
        for ending in ruleset.endings:
            held = without(ending.when, frozenset(asked))
            if held is True:
                return False
            if held is not False:
                stops.setdefault(repr(held.to_data()), held)
    parts: list[Condition] = [] if page.show_if is None else [page.show_if]
    if stops:
        held_any = list(stops.values())
        location = held_any[0].location
        parts.append(Not(held_any[0] if len(held_any) == 1 else AnyOf(tuple(held_any), location), location))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else All(tuple(parts), parts[0].location)


def _option(canonical: Canonical, question: Question, option: Option) -> dict[str, Any]:
    coding = {"system": canonical.answers_system(question.id), "code": option.value, "display": option.label}
    found: dict[str, Any] = {"valueCoding": coding}
    extensions: list[dict[str, Any]] = []
    if option.exclusive:
        extensions.append({"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True})
    if option.score is not None:  # the points a score (such as PHQ-2) adds up for this option
        extensions.append({"url": EXT_ORDINAL_VALUE, "valueDecimal": option.score})
    if extensions:
        found["extension"] = extensions
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


def build_questionnaire(
    ruleset: RuleSet, canonical: Canonical, translations: Mapping[str, RuleSet] | None = None
) -> dict[str, Any]:
    """Return the whole rule set's questions as a Questionnaire resource (plain JSON-ready data).

    Each text carries its translation into every language in ``translations`` (code: the rule set in
    that language) with FHIR's standard translation extension, so one resource serves every language.
    """
    english = _questionnaire(ruleset, canonical)
    for code, translated in sorted((translations or {}).items()):
        if code != ruleset.language:
            _add_translations(english, _questionnaire(translated, canonical), code)
    return english


#: The keys whose strings a person reads; their translations sit beside them under "_" + key.
TRANSLATED_KEYS = ("title", "description", "text", "display")


def _add_translations(base: Any, other: Any, language: str) -> None:
    # The two resources have the same shape, ids and codes; only the texts differ.
    if isinstance(base, list):
        for mine, theirs in zip(base, other, strict=True):
            _add_translations(mine, theirs, language)
        return
    if not isinstance(base, dict):
        return
    for key, value in list(base.items()):
        if key in TRANSLATED_KEYS and isinstance(value, str) and other.get(key) not in (None, value):
            content = [{"url": "lang", "valueCode": language}, {"url": "content", "valueString": other[key]}]
            base.setdefault(f"_{key}", {"extension": []})["extension"].append(
                {"url": EXT_TRANSLATION, "extension": content}
            )
        elif isinstance(value, dict | list):
            _add_translations(value, other[key], language)


def _questionnaire(ruleset: RuleSet, canonical: Canonical) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "language": ruleset.language,
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
