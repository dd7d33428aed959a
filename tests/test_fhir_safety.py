"""FHIR for the clinical-safety rule format: endings stop later pages, scores, retired questions, the today tier."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from questionnaire import fhir
from questionnaire.answers import parse_answers
from questionnaire.fhir.canonical import EXT_ORDINAL_VALUE
from questionnaire.flow import visible_pages, visible_questions
from questionnaire.loader import load_ruleset
from questionnaire.model import RuleSet
from tests.fhirtools import enabled_items, expression_of, random_profile, validate

AUTHORED = "2026-11-22T09:30:00Z"
#: Two more endings for the mini rules: one on a score, one that holds on a partly answered page
#: (red flag "no" with the soon flag not answered yet), and a page condition beside an ending.
EXTRA_ENDINGS = """\
  - id: high-score
    when: {score: phq2, at_least: 6}
    title: Stop on a high score
    message: A test ending.
  - id: partial
    when: {all: [{question: red_flag, equals: "no"}, {question: soon_flag, answered: false}]}
    title: Stop on a partial page
    message: A test ending.
"""


def _mini_variant(mini_rules) -> RuleSet:
    text = mini_rules.text("questions.yaml")
    text = text.replace(
        "  - id: habits\n", "  - id: habits\n    show_if: {not: {question: today_flag, equals: 'yes'}}\n"
    )
    mini_rules.write("questions.yaml", text.rstrip("\n") + "\n" + EXTRA_ENDINGS)
    return load_ruleset(mini_rules.dir)


def _normal(ruleset: RuleSet, raw: dict[str, Any]) -> dict[str, Any]:
    answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
    assert not problems, problems
    return answers


def _filler_matches(ruleset: RuleSet, seed: int, count: int = 300) -> set[str]:
    canonical = fhir.canonical_for(ruleset)
    questionnaire = fhir.build_questionnaire(ruleset, canonical)
    validate(questionnaire)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    last_pages: set[str] = set()
    for _ in range(count):
        answers = _normal(ruleset, random_profile(rng, ruleset, skip=rng.choice([0.0, 0.3])))
        response = fhir.build_response(ruleset, canonical, answers, AUTHORED)
        enabled = enabled_items(questionnaire, response)
        shown = {k for k, on in enabled.items() if on and k in ruleset.questions}
        assert shown == {q.id for q in visible_questions(ruleset, answers)}, answers
        pages = visible_pages(ruleset, answers)
        last_pages.add(pages[-1].id)
    return last_pages


def test_a_form_filler_stops_where_the_under_18_ending_stops(mini_rules) -> None:
    ruleset = load_ruleset(mini_rules.dir)
    q = fhir.build_questionnaire(ruleset, fhir.canonical_for(ruleset))
    later = [g for g in q["item"] if g["linkId"] != "page:about"]
    assert all("'under_18' in" in (expression_of(g) or "") for g in later)  # every later page reads the ending
    assert _filler_matches(ruleset, 1) == {"about", "habits"}  # some stopped after the first page


def test_endings_on_scores_and_partial_pages_lose_no_branch(mini_rules) -> None:
    ruleset = _mini_variant(mini_rules)
    habits = next(
        g
        for g in fhir.build_questionnaire(ruleset, fhir.canonical_for(ruleset))["item"]
        if g["linkId"] == "page:habits"
    )
    expression = expression_of(habits)
    assert "iif(" in expression and ">= 6" in expression  # the score, summed in FHIRPath
    assert "'soon_flag').answer.value.code.empty()" in expression
    # 120 people: the summed score makes each evaluation slow in fhirpathpy, and 120 reach every stop.
    assert _filler_matches(ruleset, 2, 120) == {"about", "mood", "signs", "habits"}  # every kind of stop happened


def test_option_scores_are_ordinal_values_and_scores_are_observations(mini_app) -> None:
    client = mini_app.test_client()
    q = client.get("/api/v1/fhir/Questionnaire").get_json(force=True)
    mood = next(i for g in q["item"] for i in g["item"] if i["linkId"] == "mood_low")
    assert [o["extension"] for o in mood["answerOption"]] == [
        [{"url": EXT_ORDINAL_VALUE, "valueDecimal": points}] for points in (0, 1, 2, 3)
    ]
    answers = {"age_band": "adult", "mood_low": "more_than_half", "mood_interest": "several_days"}
    bundle = client.post(
        "/api/v1/assessments", json={"answers": answers}, headers={"Accept": "application/fhir+json"}
    ).get_json(force=True)
    validate(bundle)
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    [score] = [o for o in observations if o["code"]["coding"][0]["code"] == "phq2"]
    assert score["valueInteger"] == 3
    assert score["referenceRange"] == [{"low": {"value": 0}, "high": {"value": 6}}]
    assert score["note"] == [{"text": "A screening result, not a diagnosis."}]


def test_retired_questions_are_accepted_ignored_and_noted_through_fhir(mini_app) -> None:
    client = mini_app.test_client()
    ruleset = mini_app.extensions["rules"].ruleset
    raw = {"age_band": "adult", "old_question": "anything", "red_flag": "no"}
    response = fhir.build_response(ruleset, fhir.canonical_for(ruleset), _normal(ruleset, raw), AUTHORED)
    assert "old_question" not in json.dumps(response)  # not an item of the Questionnaire, never written
    with_retired = copy.deepcopy(response)
    with_retired["item"][0]["item"].append({"linkId": "old_question", "answer": [{"valueString": "anything"}]})
    via_fhir = client.post("/api/v1/assessments", data=json.dumps(with_retired), content_type="application/fhir+json")
    via_json = client.post("/api/v1/assessments", json={"answers": raw})
    assert via_fhir.status_code == 200
    assert via_fhir.data == via_json.data
    assert via_fhir.get_json()["notes"][0]["question"] == "old_question"
    bundle = client.post(
        "/api/v1/assessments", json={"answers": raw}, headers={"Accept": "application/fhir+json"}
    ).get_json(force=True)
    risk = bundle["entry"][1]["resource"]
    assert any(n["text"].startswith("Not used: old_question:") for n in risk["note"])
    q = client.get("/api/v1/fhir/Questionnaire").get_json(force=True)
    assert "old_question" not in json.dumps(q)


@pytest.mark.parametrize(
    ("answers", "tier"),
    [({"age_band": "adult", "red_flag": "yes"}, "emergency"), ({"age_band": "adult", "today_flag": "yes"}, "today")],
)
def test_urgent_tiers_reach_the_risk_assessment(mini_app, answers, tier) -> None:
    bundle = (
        mini_app.test_client()
        .post("/api/v1/assessments", json={"answers": answers}, headers={"Accept": "application/fhir+json"})
        .get_json(force=True)
    )
    validate(bundle)
    predictions = bundle["entry"][1]["resource"]["prediction"]
    assert [p["qualitativeRisk"]["coding"][0]["code"] for p in predictions] == [tier]


def test_an_ending_is_noted_and_gives_no_topics(mini_app) -> None:
    bundle = (
        mini_app.test_client()
        .post(
            "/api/v1/assessments",
            json={"answers": {"age_band": "under_18", "exercise_days": "none"}},
            headers={"Accept": "application/fhir+json"},
        )
        .get_json(force=True)
    )
    validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["QuestionnaireResponse", "RiskAssessment"]
    response, risk = (e["resource"] for e in bundle["entry"])
    assert [g["linkId"] for g in response["item"]] == ["page:about"]  # the later answer is not part of it
    assert any("ended early: This check is for adults" in n["text"] for n in risk["note"])
