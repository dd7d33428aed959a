"""The FHIR doors of the API: content negotiation, limits, and one OperationOutcome issue per problem."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from questionnaire import fhir
from questionnaire.answerfile import sample
from tests.fhirtools import validate

AUTHORED = "2026-11-22T09:30:00Z"
FHIR = "application/fhir+json"


@pytest.fixture(scope="module")
def good(ruleset) -> dict[str, Any]:
    """A QuestionnaireResponse for the weekly-headaches sample, as this app writes it."""
    from questionnaire.answers import parse_answers

    answers, _ = parse_answers(ruleset.questions, sample("weekly-headaches"))
    return fhir.build_response(ruleset, fhir.canonical_for(ruleset), answers, AUTHORED)


def post(client, body: object, content_type: str = FHIR, **headers: str):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/assessments", data=data, content_type=content_type, headers=headers)


def issues_of(response) -> list[dict[str, Any]]:
    assert response.mimetype == FHIR, response.data[:300]
    outcome = response.get_json(force=True)
    validate(outcome)
    return outcome["issue"]


def item(response: dict[str, Any], page: str, question: str) -> dict[str, Any]:
    group = next(g for g in response["item"] if g["linkId"] == f"page:{page}")
    return next(i for i in group["item"] if i["linkId"] == question)


def test_a_response_from_this_app_is_assessed_like_its_answers(client, good) -> None:
    via_fhir = post(client, good)
    assert via_fhir.status_code == 200
    assert via_fhir.mimetype == "application/json"
    assert "Set-Cookie" not in via_fhir.headers
    assert via_fhir.data == client.post("/api/v1/assessments", json={"answers": sample("weekly-headaches")}).data


def test_a_flattened_response_is_read_too(client, good) -> None:
    flat = {**good, "item": [q for g in good["item"] for q in g["item"]]}
    assert post(client, flat).data == post(client, good).data


def test_only_shown_questions_go_into_the_response(ruleset) -> None:
    from questionnaire.answers import parse_answers

    answers, _ = parse_answers(ruleset.questions, {**sample("calm"), "sudden_severe_headache": "yes"})
    response = fhir.build_response(ruleset, fhir.canonical_for(ruleset), answers, AUTHORED)
    linked = [i["linkId"] for g in response["item"] for i in g["item"]]
    assert "headaches" in linked
    assert "sudden_severe_headache" not in linked  # "never" headaches hide the warning-sign page
    assert "page:headache_warning_signs" not in [g["linkId"] for g in response["item"]]


def test_each_problem_gets_its_own_issue_with_the_item_path(client, good) -> None:
    bad = copy.deepcopy(good)
    item(bad, "sleep", "sleep_quality")["answer"][0]["valueCoding"]["code"] = "awful"
    autoimmune = item(bad, "immune", "autoimmune")["answer"]  # [none]
    autoimmune.append({"valueCoding": {**autoimmune[0]["valueCoding"], "code": "lupus"}})
    item(bad, "stress", "stress_level")["answer"].append(item(bad, "stress", "stress_level")["answer"][0])
    bad["item"][0]["item"].append({"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]})
    bad["item"].append({"linkId": "page:nowhere", "item": []})
    item(bad, "habits", "caffeine")["answer"] = [{"valueString": "lots"}]
    item(bad, "habits", "exercise_days")["answer"][0]["valueCoding"]["system"] = "http://loinc.org"
    response = post(client, bad)
    assert response.status_code == 400
    found = {(i["code"], i["expression"][0]) for i in issues_of(response)}
    sleep = "QuestionnaireResponse.item.where(linkId = 'page:sleep').item.where(linkId = 'sleep_quality')"
    habits = "QuestionnaireResponse.item.where(linkId = 'page:habits')"
    assert found == {
        ("code-invalid", f"{sleep}.answer[0].valueCoding.code"),
        (
            "business-rule",
            "QuestionnaireResponse.item.where(linkId = 'page:immune').item.where(linkId = 'autoimmune').answer",
        ),
        (
            "value",
            "QuestionnaireResponse.item.where(linkId = 'page:stress').item.where(linkId = 'stress_level').answer",
        ),
        (
            "not-found",
            "QuestionnaireResponse.item.where(linkId = 'page:about').item.where(linkId = 'favourite_colour')",
        ),
        ("not-found", "QuestionnaireResponse.item.where(linkId = 'page:nowhere')"),
        ("value", f"{habits}.item.where(linkId = 'caffeine').answer[0]"),
        ("code-invalid", f"{habits}.item.where(linkId = 'exercise_days').answer[0].valueCoding.system"),
    }


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda r: r.update(questionnaire="http://other.example/Questionnaire/phq-9|1"), "is for 'http://other"),
        (lambda r: r.update(questionnaire=r["questionnaire"].replace("|2026", "|1999")), "answers version '1999"),
        (lambda r: r.update(questionnaire=r["questionnaire"].split("|")[0]), "name the version answered"),
        (lambda r: r.pop("questionnaire"), "'questionnaire' must name"),
        (lambda r: r.update(resourceType="Patient"), "send a QuestionnaireResponse; got a Patient"),
        (lambda r: r.update(status="entered-in-error"), "entered in error"),
        (lambda r: r.update(status="done"), "'status' must be one of"),
        (lambda r: r.update(item={"linkId": "x"}), "'item' must be a list"),
        (lambda r: r["item"].append("sleep"), "must be an object with a linkId"),
        (lambda r: r["item"].append({"linkId": 5}), "has no linkId"),
        (lambda r: r["item"][1]["item"].append(r["item"][0]["item"][0]), "belongs in 'page:about'"),
        (lambda r: r["item"][0]["item"].append(r["item"][0]["item"][0]), "appears twice"),
        (lambda r: r["item"][0].update(answer=[]), "takes no answer"),
        (lambda r: r["item"][0]["item"][0]["answer"][0].update(item=[]), "no nested items"),
        (lambda r: r["item"][0]["item"][0].update(answer="x"), "'answer' must be a list"),
    ],
)
def test_bad_responses_get_a_400_operation_outcome(client, good, change, fragment) -> None:
    bad = copy.deepcopy(good)
    change(bad)
    response = post(client, bad)
    assert response.status_code == 400
    messages = [i["diagnostics"] for i in issues_of(response)]
    assert any(fragment in m for m in messages), messages


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"a":' * 3000 + "1" + "}" * 3000, "nested too deeply"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_unreadable_fhir_bodies_get_a_400_operation_outcome(client, body, fragment) -> None:
    response = post(client, body)
    assert response.status_code == 400
    assert fragment in issues_of(response)[0]["diagnostics"]


def test_plain_answers_can_ask_for_a_bundle_and_get_problems_as_an_outcome(client) -> None:
    headers = {"Accept": FHIR}
    ok = client.post("/api/v1/assessments", json={"answers": {"sleep_quality": "poor"}}, headers=headers)
    assert ok.status_code == 200 and ok.mimetype == FHIR
    assert ok.get_json(force=True)["resourceType"] == "Bundle"
    bad = client.post("/api/v1/assessments", json={"answers": {"sleep_quality": "awful"}}, headers=headers)
    assert bad.status_code == 400
    [issue] = issues_of(bad)
    assert issue["expression"] == ["answers.sleep_quality"] and "'awful' is not an option" in issue["diagnostics"]


@pytest.mark.parametrize(
    ("content_type", "accept", "status", "mimetype"),
    [
        ("text/plain", FHIR, 415, FHIR),
        ("application/x-www-form-urlencoded", None, 415, "application/json"),
        ("application/json", "text/html", 406, "application/json"),
        (FHIR, "text/html", 406, FHIR),
        (FHIR, "application/json", 200, "application/json"),
        (FHIR, FHIR, 200, FHIR),
        ("application/json+fhir", "application/json+fhir", 200, FHIR),
        ("application/fhir+json; charset=utf-8; fhirVersion=4.0", f"{FHIR};q=0.9, application/json;q=0.1", 200, FHIR),
    ],
)
def test_content_type_and_accept_are_negotiated(client, good, content_type, accept, status, mimetype) -> None:
    body = good if "fhir" in content_type else {"answers": {}}
    response = post(client, body, content_type, **({"Accept": accept} if accept else {}))
    assert (response.status_code, response.mimetype) == (status, mimetype)
    text = response.get_data(as_text=True)
    if status == 415:
        assert "application/json" in text and "application/fhir+json" in text
    if status == 406:
        assert "Accept" in text


def test_a_full_response_fits_the_fhir_limit_but_not_beyond(client, ruleset) -> None:
    from questionnaire.answers import parse_answers

    everything = {
        q.id: [o.value for o in q.options if not o.exclusive] if q.multiple else q.options[-1].value
        for q in ruleset.questions.values()
    }
    answers, problems = parse_answers(ruleset.questions, everything)
    assert not problems
    full = fhir.build_response(ruleset, fhir.canonical_for(ruleset), answers, AUTHORED)
    text = fhir.to_json(full)
    assert len(text.encode()) > 16 * 1024  # more than plain JSON bodies may be: why FHIR has its own limit
    assert post(client, text).status_code == 200
    huge = post(client, text + " " * (64 * 1024))
    assert huge.status_code == 413
    assert "64 KB" in issues_of(huge)[0]["diagnostics"]
    plain = client.post(
        "/api/v1/assessments",
        data=json.dumps({"answers": everything}) + " " * (16 * 1024),
        content_type="application/json",
    )
    assert plain.status_code == 413  # plain JSON keeps the 16 KB limit


def test_too_many_problems_are_summed_up(client, good) -> None:
    bad = copy.deepcopy(good)
    bad["item"].extend({"linkId": f"x{i}"} for i in range(120))
    issues = issues_of(post(client, bad))
    assert len(issues) == 51
    assert issues[-1]["diagnostics"] == "70 more problems not listed; fix these first"


def test_answers_to_hidden_questions_are_accepted_and_ignored_as_in_json(client, good) -> None:
    hidden = copy.deepcopy(good)
    item(hidden, "headaches", "headaches")["answer"][0]["valueCoding"]["code"] = "never"
    answers = {**sample("weekly-headaches"), "headaches": "never"}
    via_fhir = post(client, hidden)
    assert via_fhir.status_code == 200
    assert via_fhir.data == client.post("/api/v1/assessments", json={"answers": answers}).data
    assert "sudden_severe_headache" not in via_fhir.get_json()["answers"]
