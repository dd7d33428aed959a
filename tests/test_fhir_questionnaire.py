"""The rule set as a FHIR R4 SDC Questionnaire: structure, codes, and visibility that loses no branch."""

from __future__ import annotations

import random
from typing import Any

import pytest

from questionnaire import fhir
from questionnaire.conditions import Condition
from questionnaire.fhir.canonical import EXT_OPTION_EXCLUSIVE
from questionnaire.fhir.enablewhen import enablement, fhirpath
from questionnaire.fhir.questionnaire import page_link_id
from questionnaire.loader import load_ruleset, parse_condition
from questionnaire.model import RuleSet
from tests.fhirtools import (
    expression_of,
    invariant_problems,
    item_enabled,
    make_branchy,
    random_everything,
    validate,
)
from tests.rulescopy import RulesCopy

BASE = fhir.canonical.DEFAULT_BASE
URL = f"{BASE}/fhir/Questionnaire/fibromyalgia-trigger-check"


@pytest.fixture(scope="module")
def branchy(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    """The bundled rules with show_if conditions that need every kind of translation."""
    copy = RulesCopy(tmp_path_factory.mktemp("branchy"))
    make_branchy(copy.path("questions.yaml"))
    return load_ruleset(copy.dir)


def items(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for item in data.get("item", []):
        found.append(item)
        found.extend(items(item))
    return found


def test_questionnaire_endpoint_serves_a_valid_versioned_questionnaire(client, ruleset) -> None:
    response = client.get("/api/v1/fhir/Questionnaire")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert "Set-Cookie" not in response.headers
    q = response.get_json(force=True)
    validate(q)
    assert q["resourceType"] == "Questionnaire"
    assert q["url"] == URL
    assert q["version"] == ruleset.version
    assert q["date"] == ruleset.last_reviewed
    assert q["status"] == "active"
    assert q["title"] == ruleset.name
    # The canonical url resolves here too: GET [base]/fhir/Questionnaire/[id] is the FHIR read.
    by_id = client.get("/api/v1/fhir/Questionnaire/fibromyalgia-trigger-check")
    assert by_id.status_code == 200 and by_id.data == response.data


def test_one_group_per_page_and_one_choice_item_per_question(client, ruleset) -> None:
    q = client.get("/api/v1/fhir/Questionnaire").get_json(force=True)
    assert [g["linkId"] for g in q["item"]] == [page_link_id(p.id) for p in ruleset.pages]
    for group, page in zip(q["item"], ruleset.pages, strict=True):
        assert group["type"] == "group" and group["text"] == page.title
        questions = [i for i in group["item"] if i["type"] != "display"]
        assert [i["linkId"] for i in questions] == [qn.id for qn in page.questions]
        for item, question in zip(questions, page.questions, strict=True):
            assert item["type"] == "choice"
            assert item["text"] == question.text
            assert item["repeats"] is question.multiple
            codings = [o["valueCoding"] for o in item["answerOption"]]
            assert [c["code"] for c in codings] == [o.value for o in question.options]
            assert [c["display"] for c in codings] == [o.label for o in question.options]
            assert {c["system"] for c in codings} == {f"{URL}/answers/{question.id}"}


def test_exclusive_options_carry_the_standard_extension(ruleset) -> None:
    q = fhir.build_questionnaire(ruleset, fhir.canonical_for(ruleset, BASE))
    by_id = {i["linkId"]: i for i in items(q)}
    marked = 0
    for question in ruleset.questions.values():
        for option, answer in zip(question.options, by_id[question.id]["answerOption"], strict=True):
            flags = [e for e in answer.get("extension", []) if e["url"] == EXT_OPTION_EXCLUSIVE]
            assert flags == ([{"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True}] if option.exclusive else [])
            marked += bool(flags)
    assert marked >= 6  # "None of these" and "I am not sure" on the multiple-choice questions


def test_headache_pages_show_when_headaches_are_reported(ruleset) -> None:
    q = fhir.build_questionnaire(ruleset, fhir.canonical_for(ruleset, BASE))
    group = next(g for g in q["item"] if g["linkId"] == "page:headache_details")
    # The page needs headaches reported and no ending (under 18) held earlier: more than enableWhen can say.
    assert "enableWhen" not in group
    expression = expression_of(group)
    shown_if = ruleset.page("headache_details").show_if.to_data()
    codes = " | ".join(f"'{v}'" for v in shown_if["one_of"])
    assert f"where(linkId = '{shown_if['question']}').answer.value.code.intersect(({codes})).exists()" in expression
    for ending in ruleset.endings:
        for qid in ending.when.questions():
            assert f"where(linkId = '{qid}')" in expression
    assert ".not()" in expression


def test_base_url_comes_from_the_configuration(tmp_path) -> None:
    from questionnaire import create_app
    from questionnaire.web.config import ConfigError

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path), "FHIR_BASE": "https://clinic.test/x/"}
    )
    q = app.test_client().get("/api/v1/fhir/Questionnaire").get_json(force=True)
    assert q["url"] == "https://clinic.test/x/fhir/Questionnaire/fibromyalgia-trigger-check"
    with pytest.raises(ConfigError, match="QUESTIONNAIRE_FHIR_BASE"):
        import os

        os.environ["QUESTIONNAIRE_FHIR_BASE"] = "ftp://nope"
        try:
            create_app({"TESTING": True, "SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path)})
        finally:
            del os.environ["QUESTIONNAIRE_FHIR_BASE"]


@pytest.mark.parametrize(
    ("accept", "status", "mimetype"),
    [
        (None, 200, "application/fhir+json"),
        ("*/*", 200, "application/fhir+json"),
        ("application/fhir+json", 200, "application/fhir+json"),
        ("application/json", 200, "application/json"),
        ("application/json, application/fhir+json;q=0.5", 200, "application/json"),
        ("text/html", 406, "application/fhir+json"),
        ("application/fhir+json;q=0", 406, "application/fhir+json"),
    ],
)
def test_questionnaire_content_negotiation(client, accept, status, mimetype) -> None:
    response = client.get("/api/v1/fhir/Questionnaire", headers={"Accept": accept} if accept else {})
    assert (response.status_code, response.mimetype) == (status, mimetype)
    if status == 406:
        outcome = response.get_json(force=True)
        validate(outcome)
        assert "application/fhir+json" in outcome["issue"][0]["diagnostics"]


def test_each_condition_gets_the_plainest_translation_that_says_it(branchy) -> None:
    q = fhir.build_questionnaire(branchy, fhir.canonical_for(branchy, BASE))
    validate(q)
    by_id = {i["linkId"]: i for i in items(q)}

    def kind(link_id: str) -> str:
        item = by_id[link_id]
        if expression_of(item) is not None:
            return "expression"
        return f"enableWhen:{item.get('enableBehavior', 'one')}:{len(item['enableWhen'])}"

    assert kind("page:hormones") == "expression"  # not over a value: R4 != is ambiguous when unanswered
    assert kind("page:family") == "expression"  # at least 2 of, inside any
    assert kind("page:conditions") == "expression"
    assert kind("caffeine") == "expression"  # any inside all
    assert kind("stress_flares") == "enableWhen:any:3"
    assert kind("processed_food") == "enableWhen:one:1"
    assert by_id["processed_food"]["enableWhen"][0] == {
        "question": "past_trauma",
        "operator": "exists",
        "answerBoolean": False,
    }
    assert kind("headache_medicine_days") == "enableWhen:all:2"
    assert kind("vibration_exposure") == "enableWhen:any:4"
    assert kind("onset_after_infection") == "enableWhen:all:3"
    assert kind("headache_triggers") == "enableWhen:one:1"
    assert kind("page:headache_details") == "expression"  # its own condition, and no ending (under 18) before it


# --- the translation itself, over random conditions -----------------------------------------------


def random_condition(rng: random.Random, ruleset: RuleSet, depth: int = 0) -> dict[str, Any]:
    """Return a random condition in the rule-file format over the real questions."""
    roll = rng.random()
    if depth < 3 and roll < 0.35:
        kind = rng.choice(["all", "any", "not"])
        if kind == "not":
            return {"not": random_condition(rng, ruleset, depth + 1)}
        return {kind: [random_condition(rng, ruleset, depth + 1) for _ in range(rng.randint(1, 3))]}
    question = rng.choice(list(ruleset.questions.values()))
    values = [o.value for o in question.options]
    if rng.random() < 0.15:
        return {"question": question.id, "answered": rng.random() < 0.5}
    picked = rng.sample(values, rng.randint(1, min(4, len(values))))
    if not question.multiple:
        if len(picked) == 1 and rng.random() < 0.5:
            return {"question": question.id, "equals": picked[0]}
        return {"question": question.id, "one_of": picked}
    op = rng.choice(["includes_any", "includes_all", "includes_at_least"])
    if op == "includes_at_least":
        return {"question": question.id, op: {"count": rng.randint(1, len(picked)), "of": picked}}
    return {"question": question.id, op: picked}


def response_with_everything(ruleset: RuleSet, raw: dict[str, Any]) -> dict[str, Any]:
    """Return a QuestionnaireResponse holding every given answer, visible or not (to test conditions alone)."""
    canonical = fhir.canonical_for(ruleset, BASE)
    answers = [
        {
            "linkId": qid,
            "answer": [
                {"valueCoding": {"system": canonical.answers_system(qid), "code": v}}
                for v in ([value] if isinstance(value, str) else value)
            ],
        }
        for qid, value in raw.items()
    ]
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": answers}


def test_fhirpath_and_enable_when_agree_with_the_engine_on_random_conditions(ruleset) -> None:
    """300 random conditions, each over 6 random answer sets: the FHIRPath, and the enableWhen when
    there is one, hold exactly when the engine's compiled condition does."""
    from questionnaire.answers import parse_answers

    rng = random.Random(15)  # noqa: S311 - reproducible test data
    canonical = fhir.canonical_for(ruleset, BASE)
    as_enable_when = 0
    for _ in range(300):
        condition: Condition = parse_condition(ruleset, random_condition(rng, ruleset))
        expression = fhirpath(condition)
        elements = enablement(condition, canonical.answers_system)
        as_enable_when += "enableWhen" in elements
        assert not list(invariant_problems({"resourceType": "X", **elements}))
        for _ in range(6):
            raw = {k: v for k, v in random_everything(rng, ruleset).items() if rng.random() < 0.7}
            answers, problems = parse_answers(ruleset.questions, raw)
            assert not problems
            response = response_with_everything(ruleset, raw)
            want = condition(answers)
            by_expression = item_enabled({"linkId": "x", **_as_expression(expression)}, response)
            assert by_expression is want, (condition.to_data(), raw, expression)
            assert item_enabled({"linkId": "x", **elements}, response) is want, (condition.to_data(), raw, elements)
    assert 60 < as_enable_when < 240  # both translations were exercised


def _as_expression(expression: str) -> dict[str, Any]:
    from questionnaire.fhir.canonical import EXT_ENABLE_WHEN_EXPRESSION

    value = {"language": "text/fhirpath", "expression": expression}
    return {"extension": [{"url": EXT_ENABLE_WHEN_EXPRESSION, "valueExpression": value}]}


def test_string_literals_are_escaped() -> None:
    from questionnaire.fhir.enablewhen import literal

    assert literal("it's") == "'it\\'s'"
    assert literal("a\\b") == "'a\\\\b'"
