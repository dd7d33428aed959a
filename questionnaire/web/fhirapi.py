"""The FHIR doors of the JSON API: the Questionnaire, and assessments in and out as FHIR JSON.

Thin: the translation lives in ``questionnaire.fhir`` (no Flask there). ``api.create_assessment``
hands a request here when either its body or its answer is FHIR; plain JSON in and out never
comes here.
"""

from __future__ import annotations

import json as stdjson

from flask import Blueprint, Request, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from .. import fhir
from ..answers import AnswerProblem, parse_answers, retired_notes, shown
from ..engine import assess
from ..fhir.media import FHIR_JSON, body_kind, response_kind
from ..fhir.outcome import Issue
from ..fhir.questionnaire import QUESTIONNAIRE_ID
from ..model import RuleSet
from .negotiation import mark_language
from .state import holder, rules

#: FHIR JSON is sent with the FHIR version it follows (FHIR R4 is 4.0).
FHIR_CONTENT_TYPE = f"{FHIR_JSON}; fhirVersion=4.0"
NOT_ACCEPTABLE = "this address answers with application/json or application/fhir+json; send an Accept header naming one"
UNSUPPORTED = (
    "send answers as JSON (Content-Type: application/json) or a QuestionnaireResponse "
    "(Content-Type: application/fhir+json)"
)


def fhir_response(text: str, status: int = 200) -> Response:
    """Return FHIR JSON text as a response."""
    return Response(text, status=status, content_type=FHIR_CONTENT_TYPE)


def outcome(status: int, issues: list[Issue]) -> Response:
    """Return an OperationOutcome response listing the issues."""
    return fhir_response(fhir.to_json(fhir.operation_outcome(issues)), status)


def canonical(ruleset: RuleSet) -> fhir.Canonical:
    """Return the canonical names under the configured base url."""
    return fhir.Canonical(current_app.config["FHIR_BASE"], ruleset.version)


def get_questionnaire() -> Response:
    """Return the rule set as a FHIR Questionnaire (FHIR JSON unless only plain JSON is accepted)."""
    kind = response_kind(request.headers.get("Accept"), default="fhir")
    if kind is None:
        return outcome(406, [Issue(NOT_ACCEPTABLE, None, "not-supported")])
    # One resource for every language: English texts, each with its translations beside it.
    ruleset = holder().current()
    text = fhir.questionnaire_json(ruleset, canonical(ruleset), holder().translations)
    if kind == "json":
        return Response(text, content_type="application/json")
    return fhir_response(text)


def _read_body(req: Request, kind: str) -> tuple[object, Issue | None, int]:
    """Return the parsed body, or an issue and its status."""
    if kind == "fhir":
        # A QuestionnaireResponse repeats each question's text and each code's system and display:
        # a full one is about 24 KB as this app writes it, more than the 16 KB plain answers get.
        req.max_content_length = current_app.config["FHIR_MAX_CONTENT_LENGTH"]
    try:
        data = req.get_data(cache=False)
    except RequestEntityTooLarge:
        limit = (req.max_content_length or 0) // 1024
        return None, Issue(f"the body is larger than the {limit} KB this service accepts", None, "too-long"), 413
    try:
        # Not request.get_json: see api.create_assessment (deep nesting must be a 400, not a 500).
        return stdjson.loads(data), None, 200
    except RecursionError:
        return None, Issue("the JSON is nested too deeply", None, "structure"), 400
    except ValueError:
        return None, Issue("the body is not valid JSON", None, "structure"), 400


def _answers_from_json(
    ruleset: RuleSet, body: object, notes: list[AnswerProblem]
) -> tuple[dict[str, str | frozenset[str]], list[Issue]]:
    """Read plain answers JSON ({"answers": {...}}) with the same checks and notes as the JSON door."""
    if not isinstance(body, dict) or "answers" not in body:
        return {}, [Issue('the body must be a JSON object like {"answers": {...}}', None, "structure")]
    extra = sorted(k for k in body if k != "answers")
    if extra:
        return {}, [Issue(f"unknown field '{shown(extra[0], 40)}'; send only answers", None, "structure")]
    answers, problems = parse_answers(ruleset.questions, body["answers"], ruleset.retired)
    notes.extend(retired_notes(ruleset.retired, body["answers"]))
    return answers, [Issue(p.message, f"answers.{p.question}" if p.question else "answers", "value") for p in problems]


def fhir_door(req: Request) -> Response | None:
    """Answer an assessment request whose body or answer is FHIR; None for plain JSON both ways."""
    body = body_kind(req.headers.get("Content-Type"))
    out = response_kind(req.headers.get("Accept"))
    if out is None:
        if body == "fhir":
            return outcome(406, [Issue(NOT_ACCEPTABLE, None, "not-supported")])
        return Response(
            stdjson.dumps({"problems": [{"question": None, "message": NOT_ACCEPTABLE}]}) + "\n",
            status=406,
            mimetype="application/json",
        )
    if body != "fhir" and out != "fhir":
        return None
    if body is None:
        return outcome(415, [Issue(UNSUPPORTED, None, "not-supported")])
    ruleset = rules()
    names = canonical(ruleset)
    data, problem, status = _read_body(req, body)
    if problem is not None:
        return outcome(status, [problem])
    notes: list[AnswerProblem] = []
    if body == "fhir":
        answers, issues = fhir.read_response(ruleset, names, data, notes)
    else:
        answers, issues = _answers_from_json(ruleset, data, notes)
    if issues:
        return outcome(400, issues)
    if out == "json":
        return mark_language(Response(assess(ruleset, answers, notes).to_json(), mimetype="application/json"), ruleset)
    authored = current_app.config.get("FHIR_AUTHORED") or fhir.now_authored()
    bundle = fhir.to_json(fhir.build_bundle(ruleset, names, answers, authored, notes))
    return mark_language(fhir_response(bundle), ruleset)


def register(blueprint: Blueprint) -> None:
    """Add the Questionnaire routes to the API blueprint."""
    blueprint.get("/fhir/Questionnaire")(get_questionnaire)
    blueprint.get(f"/fhir/Questionnaire/{QUESTIONNAIRE_ID}", endpoint="get_questionnaire_by_id")(get_questionnaire)
