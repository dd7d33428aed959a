"""Shared FHIR test tools: schema validation (fhir.resources R4B), the invariants it leaves out,
an SDC form filler's enableWhen evaluation (fhirpathpy for FHIRPath), and random answer sets."""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import cache
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhirpathpy import compile as compile_fhirpath
from fhirpathpy.models import models

from questionnaire.fhir.canonical import EXT_ENABLE_WHEN_EXPRESSION, EXT_OPTION_EXCLUSIVE
from questionnaire.flow import page_questions
from questionnaire.model import RuleSet

# Required bindings that the R4B models accept any text for (they type codes as plain strings).
ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text",
    "url", "choice", "open-choice", "attachment", "reference", "quantity", "question",
}  # fmt: skip
ENABLE_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
STATUS = {
    "Questionnaire": {"draft", "active", "retired", "unknown"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    "RiskAssessment": {
        "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown",
    },
    "Observation": {
        "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown",
    },
}  # fmt: skip
BUNDLE_TYPES = {
    "document", "message", "transaction", "transaction-response", "batch", "batch-response", "history",
    "searchset", "collection",
}  # fmt: skip
ISSUE_SEVERITIES = {"fatal", "error", "warning", "information"}
ISSUE_TYPES = {
    "invalid", "structure", "required", "value", "invariant", "security", "login", "unknown", "expired",
    "forbidden", "suppressed", "processing", "not-supported", "duplicate", "multiple-matches", "not-found",
    "deleted", "too-long", "code-invalid", "extension", "too-costly", "business-rule", "conflict", "transient",
    "lock-error", "no-store", "exception", "timeout", "incomplete", "throttled", "informational",
}  # fmt: skip
R4 = models["r4"]


def validate(resource: dict[str, Any]) -> None:
    """Parse a resource with its fhir.resources R4B model (unknown elements, wrong types and missing
    required elements fail), then check the required code bindings and invariants the model skips."""
    kind = resource["resourceType"]
    get_fhir_model_class(kind).model_validate(resource)
    problems = list(invariant_problems(resource))
    assert not problems, f"{kind}: " + "; ".join(problems)


def invariant_problems(resource: dict[str, Any]) -> Iterator[str]:
    """Yield each broken invariant or required binding of the resource kinds this app writes."""
    kind = resource["resourceType"]
    if kind in STATUS and resource.get("status") not in STATUS[kind]:
        yield f"status {resource.get('status')!r} is not a {kind} status"
    if kind == "Questionnaire":
        yield from _questionnaire_problems(resource)
    elif kind == "QuestionnaireResponse":
        for item in _walk(resource.get("item", [])):
            if "answer" in item and "item" in item:
                yield f"qrs-1: item {item['linkId']} has both answer and item"
        for items in _lists(resource.get("item", [])):
            answered = [i["linkId"] for i in items if "answer" in i]
            if len(answered) != len(set(answered)):
                yield f"qrs-2: repeated answers not combined in one item: {answered}"
    elif kind == "Bundle":
        if resource.get("type") not in BUNDLE_TYPES:
            yield f"bundle type {resource.get('type')!r}"
        urls = [e["fullUrl"] for e in resource.get("entry", [])]
        if len(urls) != len(set(urls)):
            yield "bdl-7: fullUrl must be unique"
        for entry in resource.get("entry", []):
            for ref in _references(entry["resource"]):
                if ref.startswith("urn:uuid:") and ref not in urls:
                    yield f"reference {ref} resolves to nothing in the bundle"
            yield from invariant_problems(entry["resource"])
    elif kind == "Observation":
        codes = {(c["system"], c["code"]) for c in resource["code"].get("coding", [])}
        for component in resource.get("component", []):
            if codes & {(c.get("system"), c.get("code")) for c in component["code"].get("coding", [])}:
                yield "obs-7: a component has the observation's own code"
    elif kind == "OperationOutcome":
        for issue in resource["issue"]:
            if issue["severity"] not in ISSUE_SEVERITIES or issue["code"] not in ISSUE_TYPES:
                yield f"issue severity/code {issue['severity']!r}/{issue['code']!r}"


def _walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _walk(item.get("item", []))
        for answer in item.get("answer", []):
            yield from _walk(answer.get("item", []))


def _lists(items: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    yield items
    for item in items:
        yield from _lists(item.get("item", []))


def _references(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        if isinstance(data.get("reference"), str):
            yield data["reference"]
        for value in data.values():
            yield from _references(value)
    elif isinstance(data, list):
        for value in data:
            yield from _references(value)


def expression_of(item: dict[str, Any]) -> str | None:
    """Return an item's enableWhenExpression, or None."""
    for ext in item.get("extension", []):
        if ext["url"] == EXT_ENABLE_WHEN_EXPRESSION:
            assert ext["valueExpression"]["language"] == "text/fhirpath"
            return ext["valueExpression"]["expression"]
    return None


def _questionnaire_problems(q: dict[str, Any]) -> Iterator[str]:
    import re

    if not re.fullmatch(r"[A-Z]([A-Za-z0-9_]){0,254}", q.get("name", "")):
        yield f"que-0: name {q.get('name')!r}"
    items = list(_walk(q.get("item", [])))
    link_ids = [i["linkId"] for i in items]
    if len(link_ids) != len(set(link_ids)):
        yield "que-2: linkIds are not unique"
    position = {lid: n for n, lid in enumerate(link_ids)}
    by_id = {i["linkId"]: i for i in items}
    for item in items:
        lid, kind = item["linkId"], item["type"]
        if kind not in ITEM_TYPES:
            yield f"{lid}: item type {kind!r}"
        if kind == "group" and not item.get("item"):
            yield f"que-1: group {lid} has no items"
        if kind == "display" and ("required" in item or "repeats" in item or item.get("item")):
            yield f"que-6: display {lid} has required, repeats or items"
        if "answerOption" in item and kind not in ("choice", "open-choice"):
            yield f"que-5: {lid} has options but is a {kind}"
        when = item.get("enableWhen", [])
        if len(when) > 1 and item.get("enableBehavior") not in ("all", "any"):
            yield f"que-12: {lid} has {len(when)} enableWhen and no enableBehavior"
        if when and expression_of(item) is not None:
            yield f"sdc: {lid} has both enableWhen and enableWhenExpression"
        for test in when:
            if test["operator"] not in ENABLE_OPERATORS:
                yield f"{lid}: operator {test['operator']!r}"
            if test["operator"] == "exists" and not isinstance(test.get("answerBoolean"), bool):
                yield f"que-7: {lid} tests exists without answerBoolean"
            target = by_id.get(test["question"])
            if target is None or target["type"] in ("group", "display"):
                yield f"{lid}: enableWhen names {test['question']!r}, which is no question"
                continue
            if position[test["question"]] >= position[lid]:
                yield f"{lid}: enableWhen reads {test['question']!r}, which comes later"
            if "answerCoding" in test:
                offered = {(o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in target["answerOption"]}
                coding = test["answerCoding"]
                if (coding["system"], coding["code"]) not in offered:
                    yield f"{lid}: enableWhen tests {coding['code']!r}, which {test['question']} does not offer"
        for option in item.get("answerOption", []):
            for ext in option.get("extension", []):
                if ext["url"] == EXT_OPTION_EXCLUSIVE and ext.get("valueBoolean") is not True:
                    yield f"{lid}: optionExclusive must be true"


def response_problems(questionnaire: dict[str, Any], response: dict[str, Any]) -> list[str]:
    """Return where a QuestionnaireResponse does not follow its Questionnaire: an item at a place the
    Questionnaire has none, a code not offered, several answers to a question that does not repeat."""
    problems: list[str] = []

    def check(q_items: list[dict[str, Any]], r_items: list[dict[str, Any]], where: str) -> None:
        by_id = {i["linkId"]: i for i in q_items}
        for r in r_items:
            q = by_id.get(r["linkId"])
            if q is None:
                problems.append(f"{where}/{r['linkId']}: no such item here in the Questionnaire")
                continue
            answers = r.get("answer", [])
            if len(answers) > 1 and not q.get("repeats"):
                problems.append(f"{r['linkId']}: {len(answers)} answers but the item does not repeat")
            offered = {(o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in q.get("answerOption", [])}
            for answer in answers:
                coding = answer.get("valueCoding", {})
                if (coding.get("system"), coding.get("code")) not in offered:
                    problems.append(f"{r['linkId']}: code {coding.get('code')!r} is not offered")
            check(q.get("item", []), r.get("item", []), f"{where}/{r['linkId']}")

    if response.get("questionnaire") != f"{questionnaire['url']}|{questionnaire['version']}":
        problems.append("questionnaire does not name url|version")
    check(questionnaire.get("item", []), response.get("item", []), "")
    return problems


# --- an SDC form filler's view of enableWhen and enableWhenExpression -----------------------------


@cache
def _compiled(expression: str) -> Any:
    return compile_fhirpath(expression, R4)


def _answers(response: dict[str, Any], link_id: str) -> list[dict[str, Any]]:
    return [a for i in _walk(response.get("item", [])) if i["linkId"] == link_id for a in i.get("answer", [])]


def _holds(test: dict[str, Any], response: dict[str, Any]) -> bool:
    answers = _answers(response, test["question"])
    if test["operator"] == "exists":
        return bool(answers) == test["answerBoolean"]
    assert test["operator"] == "=", test  # the only other operator this app writes
    want = test["answerCoding"]
    return any(
        a.get("valueCoding", {}).get("code") == want["code"]
        and ("system" not in want or a["valueCoding"].get("system") == want["system"])
        for a in answers
    )


def item_enabled(item: dict[str, Any], response: dict[str, Any]) -> bool:
    """Evaluate one item's own enableWhen/enableBehavior or enableWhenExpression against a response."""
    expression = expression_of(item)
    if expression is not None:
        result = _compiled(expression)(response, {"resource": response})
        assert result in ([True], [False]), f"{item['linkId']}: {expression} gave {result}"
        return result == [True]
    tests = item.get("enableWhen")
    if not tests:
        return True
    results = [_holds(t, response) for t in tests]
    return any(results) if item.get("enableBehavior") == "any" else all(results)


def enabled_items(questionnaire: dict[str, Any], response: dict[str, Any]) -> dict[str, bool]:
    """Return, for every group and question linkId, whether a form filler shows it for this response."""
    found: dict[str, bool] = {}

    def visit(items: list[dict[str, Any]], parent: bool) -> None:
        for item in items:
            if item["type"] == "display":
                continue
            shown = parent and item_enabled(item, response)
            found[item["linkId"]] = shown
            visit(item.get("item", []), shown)

    visit(questionnaire["item"], True)
    return found


# --- random answer sets ---------------------------------------------------------------------------


def random_choice(rng: random.Random, question: Any) -> str | list[str]:
    """Return a random valid answer: one option, or an exclusive option alone, or some plain options."""
    values = [o.value for o in question.options]
    if not question.multiple:
        return rng.choice(values)
    exclusive = [o.value for o in question.options if o.exclusive]
    plain = [v for v in values if v not in exclusive]
    if exclusive and rng.random() < 0.25:
        return [rng.choice(exclusive)]
    return rng.sample(plain, rng.randint(1, len(plain)))


def random_profile(rng: random.Random, ruleset: RuleSet, skip: float = 0.1) -> dict[str, str | list[str]]:
    """Return raw answers a person could give: page by page, only shown questions, some left out."""
    answers: dict[str, Any] = {}
    for page in ruleset.pages:
        normal = {k: (v if isinstance(v, str) else frozenset(v)) for k, v in answers.items()}
        for question in page_questions(ruleset, page, normal):
            if rng.random() >= skip:
                answers[question.id] = random_choice(rng, question)
    return answers


def random_everything(rng: random.Random, ruleset: RuleSet) -> dict[str, str | list[str]]:
    """Return raw answers to every question, shown or not (what a form filler holds before it drops hidden ones)."""
    return {q.id: random_choice(rng, q) for q in ruleset.questions.values()}


# --- a rule set whose visibility needs every kind of translation ----------------------------------

#: (text to find in questions.yaml, show_if to add after it, indent). Each reads earlier pages only.
BRANCHY = [
    # not over a value: FHIRPath
    ("\n  - id: hormones\n", "{not: {question: age_band, equals: under_18}}", "    "),
    # any of (at least 2 of ...) and (all of ...): FHIRPath
    (
        "\n  - id: family\n",
        "{any: [{question: autoimmune, includes_at_least: {count: 2, of: [rheumatoid_arthritis, lupus, thyroid, other]}},"
        " {all: [{question: inflammation_markers, equals: elevated}, {question: frequent_infections, answered: true}]}]}",
        "    ",
    ),
    # any of two values and a negated multiple choice: FHIRPath
    (
        "\n  - id: conditions\n",
        "{any: [{question: hormonal_pattern, one_of: ['yes', unsure]}, {not: {question: family_history, includes_any: [none, unsure]}}]}",
        "    ",
    ),
    # one of three values: enableWhen, any
    ("\n      - id: stress_flares\n", "{question: sleep_quality, one_of: [fair, poor, very_poor]}", "        "),
    # all of (one of two values) and (answered): FHIRPath
    (
        "\n      - id: caffeine\n",
        "{all: [{question: sleep_quality, one_of: [poor, very_poor]}, {question: stress_level, answered: true}]}",
        "        ",
    ),
    # not answered: enableWhen exists false
    ("\n      - id: processed_food\n", "{not: {question: past_trauma, answered: true}}", "        "),
    # includes all of two: enableWhen, all
    ("\n      - id: headache_medicine_days\n", "{question: conditions, includes_all: [ibs, migraine]}", "        "),
    # any of three kinds of test: enableWhen, any
    (
        "\n      - id: vibration_exposure\n",
        "{any: [{question: exercise_days, equals: none}, {question: family_history, includes_any: [chronic_pain, fibromyalgia]},"
        " {question: hormone_condition, answered: false}]}",
        "        ",
    ),
    # all of one value and includes all: enableWhen, all
    (
        "\n      - id: onset_after_infection\n",
        "{all: [{question: diagnosis, equals: diagnosed}, {question: autoimmune, includes_all: [lupus, thyroid]}]}",
        "        ",
    ),
    # a question inside a page that has its own condition: enableWhen on both levels
    ("\n      - id: headache_triggers\n", "{question: sudden_severe_headache, equals: 'no'}", "        "),
    # at least 1 of: enableWhen, any
    ("\n      - id: wake_unrefreshed\n", "{question: diagnosis, one_of: [diagnosed, suspected]}", "        "),
]


def make_branchy(questions_yaml: Any) -> None:
    """Rewrite a copy of questions.yaml (a pathlib.Path) with the show_if conditions in BRANCHY."""
    text = questions_yaml.read_text(encoding="utf-8")
    for anchor, condition, indent in BRANCHY:
        assert text.count(anchor) == 1, anchor
        text = text.replace(anchor, f"{anchor}{indent}show_if: {condition}\n")
    questions_yaml.write_text(text, encoding="utf-8")
