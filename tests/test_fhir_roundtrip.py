"""Answers through FHIR and back: every sample and 300 random people, both doors, and a form filler's view."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from questionnaire import fhir
from questionnaire.answerfile import SAMPLES_DIR, read_answers_file
from questionnaire.answers import parse_answers
from questionnaire.engine import assess
from questionnaire.fhir.questionnaire import page_link_id
from questionnaire.flow import visible_answers, visible_pages, visible_questions
from questionnaire.loader import load_ruleset
from questionnaire.model import RuleSet
from tests.fhirtools import (
    enabled_items,
    make_branchy,
    random_everything,
    random_profile,
    response_problems,
    validate,
)
from tests.rulescopy import RulesCopy

ROOT = Path(__file__).resolve().parent.parent
AUTHORED = "2026-11-22T09:30:00Z"
PROFILES = 300
SAMPLES = sorted(SAMPLES_DIR.glob("*.yaml"))


@pytest.fixture
def fixed_client(tmp_path):
    from questionnaire import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t" * 40, "INSTANCE_PATH": str(tmp_path), "FHIR_AUTHORED": AUTHORED}
    )
    return app.test_client()


@pytest.fixture(scope="module")
def branchy(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    copy = RulesCopy(tmp_path_factory.mktemp("branchy"))
    make_branchy(copy.path("questions.yaml"))
    return load_ruleset(copy.dir)


def normal(ruleset: RuleSet, raw: dict[str, Any]) -> dict[str, str | frozenset[str]]:
    answers, problems = parse_answers(ruleset.questions, raw)
    assert not problems, problems
    return answers


def profiles(ruleset: RuleSet, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    return [random_profile(rng, ruleset, skip=rng.choice([0.0, 0.1, 0.4])) for _ in range(PROFILES)]


def post_fhir(client, resource: dict[str, Any], **headers: str):
    return client.post(
        "/api/v1/assessments", data=json.dumps(resource), content_type="application/fhir+json", headers=headers
    )


def test_random_profiles_are_valid_and_varied(ruleset) -> None:
    """The generator gives what a person could answer: valid, only shown questions, and every page reached."""
    seen_pages: set[str] = set()
    for raw in profiles(ruleset, 1):
        answers = normal(ruleset, raw)
        assert visible_answers(ruleset, answers) == answers
        seen_pages.update(p.id for p in visible_pages(ruleset, answers))
    assert seen_pages == {p.id for p in ruleset.pages}


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_round_trips_through_a_questionnaire_response(ruleset, fixed_client, path) -> None:
    answers = normal(ruleset, read_answers_file(path))
    canonical = fhir.canonical_for(ruleset)
    response = fhir.build_response(ruleset, canonical, answers, AUTHORED)
    validate(response)
    assert response["questionnaire"] == f"{canonical.url}|{ruleset.version}"
    assert response["status"] == "completed" and response["authored"] == AUTHORED
    assert not response_problems(fhir.build_questionnaire(ruleset, canonical), response)
    back, issues = fhir.read_response(ruleset, canonical, response)
    assert not issues
    assert back == visible_answers(ruleset, answers)
    via_fhir = post_fhir(fixed_client, response)
    via_json = fixed_client.post("/api/v1/assessments", json={"answers": read_answers_file(path)})
    assert via_fhir.status_code == 200 and via_fhir.mimetype == "application/json"
    assert via_fhir.data == via_json.data


def test_300_random_profiles_round_trip_and_assess_the_same_through_both_doors(ruleset, fixed_client) -> None:
    canonical = fhir.canonical_for(ruleset)
    questionnaire = fhir.build_questionnaire(ruleset, canonical)
    for raw in profiles(ruleset, 2):
        answers = normal(ruleset, raw)
        response = fhir.build_response(ruleset, canonical, answers, AUTHORED)
        assert not response_problems(questionnaire, response), raw
        back, issues = fhir.read_response(ruleset, canonical, json.loads(json.dumps(response)))
        assert not issues and back == answers, raw
        via_fhir = post_fhir(fixed_client, response)
        via_json = fixed_client.post("/api/v1/assessments", json={"answers": raw})
        assert via_fhir.status_code == 200, via_fhir.data[:500]
        assert via_fhir.data == via_json.data, raw


def test_300_random_bundles_validate_and_carry_the_assessment(ruleset, fixed_client) -> None:
    """Every Bundle parses with the R4B models and keeps its invariants; its RiskAssessment and Observations
    say what the JSON assessment says: each urgent notice and topic, in order, with every reason's text."""
    canonical = fhir.canonical_for(ruleset)
    questionnaire = fhir.build_questionnaire(ruleset, canonical)
    tiers: set[str] = set()
    for raw in profiles(ruleset, 3):
        reply = fixed_client.post(
            "/api/v1/assessments", json={"answers": raw}, headers={"Accept": "application/fhir+json"}
        )
        assert reply.status_code == 200 and reply.mimetype == "application/fhir+json"
        bundle = reply.get_json(force=True)
        validate(bundle)
        result = assess(ruleset, normal(ruleset, raw)).to_dict()
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        observed = len(result["categories"]) + len(result["scores"])
        assert kinds == ["QuestionnaireResponse", "RiskAssessment"] + ["Observation"] * observed
        response, risk, *observations = (e["resource"] for e in bundle["entry"])
        topics, scores = observations[: len(result["categories"])], observations[len(result["categories"]) :]
        assert [o["valueInteger"] for o in scores] == [s["total"] for s in result["scores"]]
        assert not response_problems(questionnaire, response)
        assert risk["basis"] == [{"reference": bundle["entry"][0]["fullUrl"]}]
        predictions = risk.get("prediction", [])
        assert [
            (p["outcome"]["coding"][0]["code"], p["qualitativeRisk"]["coding"][0]["code"]) for p in predictions
        ] == [(u["id"], u["tier"]) for u in result["urgent"]]
        assert [p["rationale"] for p in predictions] == [u["reason"]["text"] for u in result["urgent"]]
        tiers.update(u["tier"] for u in result["urgent"])
        for observation, category in zip(topics, result["categories"], strict=True):
            assert observation["code"]["coding"][0]["code"] == category["id"]
            assert observation["valueInteger"] == category["score"]
            reasons = [c["valueString"] for c in observation["component"] if c["code"]["text"] == "Reason"]
            assert reasons == [r["text"] for r in category["reasons"]]
    assert {"emergency", "soon"} <= tiers  # notices of more than one tier were produced and checked


def test_the_same_answers_give_the_same_bundle_from_the_cli_and_the_api(ruleset, fixed_client) -> None:
    for path in SAMPLES:
        cli = subprocess.run(
            [sys.executable, "-m", "questionnaire", "assess", str(path), "--format", "fhir", "--authored", AUTHORED],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        api = fixed_client.post(
            "/api/v1/assessments",
            json={"answers": read_answers_file(path)},
            headers={"Accept": "application/fhir+json"},
        )
        assert api.get_data(as_text=True) == cli.stdout
        assert json.loads(cli.stdout)["entry"][0]["resource"]["authored"] == AUTHORED


def test_cli_refuses_an_authored_time_without_a_zone(tmp_path, capsys) -> None:
    from questionnaire.cli import main

    code = main(["assess", str(SAMPLES[0]), "--format", "fhir", "--authored", "2026-11-22T09:30"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "no time zone" in err


# --- the SDC form-filler proof --------------------------------------------------------------------


def filler_agrees_with_flow(ruleset: RuleSet, questionnaire: dict[str, Any], answers: dict[str, Any]) -> None:
    """Evaluate every item's enableWhen/enableWhenExpression against the response, as a form filler does,
    and check it shows exactly the questions and pages our own visibility shows."""
    response = fhir.build_response(ruleset, fhir.canonical_for(ruleset), answers, AUTHORED)
    enabled = enabled_items(questionnaire, response)
    questions = {lid for lid, on in enabled.items() if on and lid in ruleset.questions}
    assert questions == {q.id for q in visible_questions(ruleset, answers)}, answers
    groups = {
        g["linkId"]
        for g in questionnaire["item"]
        if enabled[g["linkId"]] and any(enabled.get(i["linkId"]) for i in g["item"])
    }
    assert groups == {page_link_id(p.id) for p in visible_pages(ruleset, answers)}, answers


@pytest.mark.parametrize("rules", ["bundled", "branchy"])
def test_a_form_filler_shows_exactly_our_questions_for_300_random_profiles(ruleset, branchy, rules) -> None:
    rs = ruleset if rules == "bundled" else branchy
    questionnaire = fhir.build_questionnaire(rs, fhir.canonical_for(rs))
    validate(questionnaire)
    for raw in profiles(rs, 4):
        filler_agrees_with_flow(rs, questionnaire, normal(rs, raw))


@pytest.mark.parametrize("rules", ["bundled", "branchy"])
def test_a_form_filler_that_drops_hidden_answers_settles_on_our_questions(ruleset, branchy, rules) -> None:
    """Start from answers to every question, shown or not; drop the answers of disabled items until
    nothing changes, as a filler does while a person edits; the enabled questions are ours."""
    rs = ruleset if rules == "bundled" else branchy
    canonical = fhir.canonical_for(rs)
    questionnaire = fhir.build_questionnaire(rs, canonical)
    rng = random.Random(5)  # noqa: S311 - reproducible test data
    for _ in range(100):  # each profile evaluates every item up to a dozen times; 100 keep the suite quick
        answers = normal(rs, random_everything(rng, rs))
        response = _response_with(rs, canonical, answers)
        for _ in range(len(rs.pages) + 1):
            enabled = enabled_items(questionnaire, response)
            kept = {k: v for k, v in answers.items() if enabled[k]}
            if kept == answers:
                break
            answers, response = kept, _response_with(rs, canonical, kept)
        shown = {k for k, on in enabled.items() if on and k in rs.questions}
        assert shown == {q.id for q in visible_questions(rs, answers)}


def _response_with(ruleset: RuleSet, canonical: fhir.Canonical, answers: dict[str, Any]) -> dict[str, Any]:
    """A response holding all these answers in their page groups, hidden or not (a filler mid-edit)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for qid, value in answers.items():
        question = ruleset.questions[qid]
        chosen = [value] if isinstance(value, str) else question.ordered(value)
        coded = [{"valueCoding": {"system": canonical.answers_system(qid), "code": v}} for v in chosen]
        groups.setdefault(question.page_id, []).append({"linkId": qid, "answer": coded})
    items = [{"linkId": page_link_id(p.id), "item": groups[p.id]} for p in ruleset.pages if p.id in groups]
    return {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": items}
