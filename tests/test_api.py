"""The JSON API: assessments, the question bank, and clear 4xx errors."""

from __future__ import annotations

import pytest


def test_assessment_returns_ranked_categories(client) -> None:
    response = client.post("/api/v1/assessments", json={"answers": {"sleep_quality": "poor", "stress_level": "high"}})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert [c["id"] for c in data["categories"]] == ["sleep", "stress"]
    assert data["categories"][0]["reasons"][0]["text"] == "You said you sleep poorly."
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"answers": {"sleep_quality": "awful"}}, "'awful' is not an option"),
        ({"answers": {"nope": "x"}}, "there is no question 'nope'"),
        ({"answers": {"autoimmune": ["none", "lupus"]}}, "cannot be combined"),
        ({"answers": {"sleep_quality": True}}, "the answer must be text"),
        ({"answers": {"sleep_quality": {"a": 1}}}, "the answer must be text"),
        ({"answers": []}, "answers must be a mapping"),
        ({}, 'the body must be a JSON object like {"answers": {...}}'),
        ([1, 2], "the body must be a JSON object"),
        ({"answers": {}, "extra": 1}, "unknown field 'extra'"),
    ],
)
def test_bad_input_gets_400_with_a_list_of_problems(client, body, fragment) -> None:
    response = client.post("/api/v1/assessments", json=body)
    assert response.status_code == 400
    problems = response.get_json()["problems"]
    assert isinstance(problems, list) and problems
    assert any(fragment in p["message"] for p in problems), problems


def test_api_takes_json_only(client) -> None:
    response = client.post("/api/v1/assessments", data="answers=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "application/json" in response.get_json()["problems"][0]["message"]


def test_malformed_json_gets_400(client) -> None:
    response = client.post("/api/v1/assessments", data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_questionnaire_describes_pages_questions_and_visibility(client, ruleset) -> None:
    data = client.get("/api/v1/questionnaire").get_json()
    assert [p["id"] for p in data["pages"]] == [p.id for p in ruleset.pages]
    pages = {p["id"]: p for p in data["pages"]}
    assert pages["headache_details"]["show_if"] == {
        "question": "headaches",
        "one_of": ["monthly_or_less", "weekly", "several_weekly", "daily"],
    }
    autoimmune = next(q for q in pages["immune"]["questions"] if q["id"] == "autoimmune")
    assert autoimmune["type"] == "multiple"
    assert {"value": "none", "label": "None of these", "exclusive": True, "unsure": False} in autoimmune["options"]
    assert [c["id"] for c in data["categories"]] == list(ruleset.categories)


def test_api_is_closed_to_other_origins_by_default(client) -> None:
    response = client.post("/api/v1/assessments", json={"answers": {}}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


#: Questions the content has retired. Their ids stay a public contract: old clients may still send them.
RETIRED_CONTRACT = ("treatment_result", "toxin_exposure")


@pytest.mark.parametrize("qid", RETIRED_CONTRACT)
def test_a_retired_question_is_accepted_as_deprecated_never_an_error(client, ruleset, qid) -> None:
    assert qid in ruleset.retired, f"'{qid}' must stay listed under retired: in questions.yaml"
    answered = client.post("/api/v1/assessments", json={"answers": {qid: "any old answer"}})
    plain = client.post("/api/v1/assessments", json={"answers": {}})
    assert answered.status_code == 200
    body = answered.get_json()
    assert [n["question"] for n in body["notes"]] == [qid]
    assert "no longer asked" in body["notes"][0]["message"]
    assert {k: v for k, v in body.items() if k != "notes"} == {
        k: v for k, v in plain.get_json().items() if k != "notes"
    }
