"""Express an assessment in FHIR: a Bundle with the QuestionnaireResponse, a RiskAssessment and Observations."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from ..answers import AnswerProblem
from ..engine import Assessment, answers_to_data, assess
from ..model import Answers, RuleSet
from .canonical import OBSERVATION_CATEGORY_SYSTEM, Canonical
from .response import build_response

#: uuid5 namespace for the ids in a Bundle. The ids are derived from what the Bundle says, so the
#: same answers at the same time give the same Bundle from the CLI and from the API.
ID_NAMESPACE = uuid.UUID("6f9d1c52-3a53-4c43-9a8e-0d1f3b0e7a15")
TIER_DISPLAY = {
    "emergency": "Emergency: call the emergency number now",
    "today": "Get help today",
    "soon": "Contact a clinician within days",
}
UNIDENTIFIED = {"display": "The person who answered the questionnaire (not identified by this app)"}


class AuthoredError(ValueError):
    """Refuse an authored time that is not a FHIR dateTime with a time zone."""


def now_authored() -> str:
    """Return the current time as a FHIR dateTime in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def check_authored(text: str) -> str:
    """Return an ISO 8601 date and time with a time zone in FHIR form, or raise AuthoredError."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise AuthoredError(f"not a date and time: {text!r}; use e.g. 2026-11-22T09:30:00Z") from exc
    if when.tzinfo is None:
        raise AuthoredError(f"{text!r} has no time zone; add Z or an offset such as +01:00")
    return when.isoformat().replace("+00:00", "Z")


def _ids(canonical: Canonical, answers: Answers, ruleset: RuleSet, authored: str) -> uuid.UUID:
    seed = json.dumps([canonical.versioned, authored, answers_to_data(ruleset, answers)], sort_keys=True)
    return uuid.uuid5(ID_NAMESPACE, seed)


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def risk_assessment(
    result: Assessment, canonical: Canonical, authored: str, resource_id: str, basis: str
) -> dict[str, Any]:
    """Return the urgent notices as a RiskAssessment: one prediction per warning sign, most urgent first.

    No prediction means no warning sign was reported. The subject is left for the receiving system
    to fill: this app never knows who answered.
    """
    rs = result.ruleset
    predictions = [
        {
            "outcome": _coding(canonical.urgent_system, m.notice.id, m.notice.title),
            "qualitativeRisk": _coding(canonical.tiers_system, m.notice.tier, TIER_DISPLAY.get(m.notice.tier, "")),
            "rationale": m.reason.text,
        }
        for m in result.urgent
    ]
    notes = [{"text": rs.disclaimer}] + [{"text": f"{m.notice.title}: {m.notice.message}"} for m in result.urgent]
    if result.ending is not None:
        notes.append({"text": f"The questionnaire ended early: {result.ending.title}. {result.ending.message}"})
    notes += [{"text": f"Not used: {n.question}: {n.message}"} for n in result.notes]
    resource: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "id": resource_id,
        "status": "final",
        "method": _coding(canonical.method_system, rs.version, f"{rs.name} {rs.version}"),
        "code": {"text": "Urgent warning signs reported in the fibromyalgia trigger check"},
        "subject": UNIDENTIFIED,
        "occurrenceDateTime": authored,
        "basis": [{"reference": basis}],
    }
    if predictions:
        resource["prediction"] = predictions
    resource["note"] = notes
    return resource


def _part(canonical: Canonical, code: str, display: str) -> dict[str, Any]:
    return _coding(canonical.parts_system, code, display)


def topic_observation(
    result: Assessment, index: int, canonical: Canonical, authored: str, resource_id: str, basis: str
) -> dict[str, Any]:
    """Return one ranked topic as an Observation: its score, its rank, each reason and each prompt."""
    match = result.categories[index]
    category = match.category
    components: list[dict[str, Any]] = [
        {"code": _part(canonical, "rank", "Rank among the matched topics (1 = first)"), "valueInteger": index + 1}
    ]
    components += [
        {
            "code": {"coding": [{"system": canonical.rules_system, "code": r.rule_id}], "text": "Reason"},
            "valueString": r.text,
        }
        for r in match.reasons
    ]
    components += [
        {"code": _part(canonical, "provider-prompt", "Something to ask a clinician"), "valueString": p}
        for p in match.prompts
    ]
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}],
        "code": _coding(canonical.categories_system, category.id, category.title),
        "effectiveDateTime": authored,
        "derivedFrom": [{"reference": basis}],
        "valueInteger": match.score,
        "note": [{"text": category.summary}],
        "component": components,
    }


def score_observation(
    result: Assessment, score_id: str, canonical: Canonical, authored: str, resource_id: str, basis: str
) -> dict[str, Any]:
    """Return one worked-out score (such as PHQ-2) as an Observation with its range and note."""
    score = result.ruleset.scores[score_id]
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}],
        "code": _coding(canonical.scores_system, score.id, score.title),
        "effectiveDateTime": authored,
        "derivedFrom": [{"reference": basis}],
        "valueInteger": result.scores[score_id],
        "referenceRange": [{"low": {"value": 0}, "high": {"value": score.maximum}}],
        "note": [{"text": score.note}],
    }


def build_bundle(
    ruleset: RuleSet,
    canonical: Canonical,
    answers: Answers,
    authored: str,
    notes: list[AnswerProblem] | None = None,
) -> dict[str, Any]:
    """Return a collection Bundle: the response, the RiskAssessment, an Observation per topic and per score.

    Topic Observations follow the topics' ranking. Every id is derived from the answers, the
    rule-set version and ``authored``, so the same input always gives the same Bundle. ``notes``
    (answers to retired questions, accepted and not used) go into the RiskAssessment's notes.
    """
    result = assess(ruleset, answers, notes)
    root = _ids(canonical, result.answers, ruleset, authored)

    def new_id(name: str) -> str:
        return str(uuid.uuid5(root, name))

    response_id = new_id("response")
    basis = f"urn:uuid:{response_id}"
    resources = [
        build_response(ruleset, canonical, result.answers, authored, response_id),
        risk_assessment(result, canonical, authored, new_id("risk"), basis),
    ]
    resources += [
        topic_observation(result, i, canonical, authored, new_id(f"topic:{m.category.id}"), basis)
        for i, m in enumerate(result.categories)
    ]
    resources += [
        score_observation(result, sid, canonical, authored, new_id(f"score:{sid}"), basis) for sid in result.scores
    ]
    return {
        "resourceType": "Bundle",
        "id": str(root),
        "type": "collection",
        "timestamp": authored,
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
