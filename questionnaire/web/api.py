"""Serve the JSON API: the same engine as the command line, byte for byte."""

from __future__ import annotations

import json as stdjson

from flask import Blueprint, Response, current_app, json, request

from ..answers import parse_answers, retired_notes, shown
from ..conditions import Condition
from ..engine import assess
from ..model import RuleSet
from .fhirapi import UNSUPPORTED, fhir_door
from .fhirapi import register as register_fhir
from .negotiation import mark_language
from .state import rules

api = Blueprint("api", __name__, url_prefix="/api/v1")


def _json(data: object, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n", status=status, mimetype="application/json"
    )


def problem_response(status: int, problems: list[dict[str, str | None]]) -> Response:
    """Return a JSON error body listing each problem."""
    return _json({"problems": problems}, status)


@api.post("/assessments")
def create_assessment() -> Response:
    """Assess the posted answers and return the result."""
    fhir = fhir_door(request)  # a FHIR body or Accept: application/fhir+json (see fhirapi.py)
    if fhir is not None:
        return fhir
    if not request.is_json:
        return problem_response(415, [{"question": None, "message": UNSUPPORTED}])
    try:
        # Not request.get_json(silent=True): that lets a RecursionError from deeply nested JSON
        # through as a 500. The body is at most MAX_CONTENT_LENGTH bytes (413 beyond).
        body = stdjson.loads(request.get_data(cache=False))
    except RecursionError:
        return problem_response(400, [{"question": None, "message": "the JSON is nested too deeply"}])
    except ValueError:  # not UTF-8, not JSON, or an integer too long to read
        return problem_response(400, [{"question": None, "message": "the body is not valid JSON"}])
    if not isinstance(body, dict) or "answers" not in body:
        return problem_response(
            400, [{"question": None, "message": 'the body must be a JSON object like {"answers": {...}}'}]
        )
    extra = sorted(k for k in body if k != "answers")
    if extra:
        return problem_response(
            400, [{"question": None, "message": f"unknown field '{shown(extra[0], 40)}'; send only answers"}]
        )
    ruleset = rules()
    answers, problems = parse_answers(ruleset.questions, body["answers"], ruleset.retired)
    if problems:
        return problem_response(400, [p.as_dict() for p in problems])
    notes = retired_notes(ruleset.retired, body["answers"])
    return mark_language(Response(assess(ruleset, answers, notes).to_json(), mimetype="application/json"), ruleset)


register_fhir(api)


@api.get("/questionnaire")
def questionnaire() -> Response:
    """Describe the pages and questions so other clients can render them."""
    ruleset = rules()
    return mark_language(_json(describe(ruleset)), ruleset)


def describe(ruleset: RuleSet) -> dict[str, object]:
    """Return the question bank as plain data."""
    return {
        "ruleset": {"name": ruleset.name, "version": ruleset.version, "last_reviewed": ruleset.last_reviewed},
        "pages": [
            {
                "id": page.id,
                "title": page.title,
                "intro": page.intro,
                "show_if": _condition(page.show_if),
                "questions": [
                    {
                        "id": q.id,
                        "type": q.type,
                        "text": q.text,
                        "short": q.short,
                        "hint": q.hint,
                        "required": q.required,
                        "show_if": _condition(q.show_if),
                        "options": [
                            {"value": o.value, "label": o.label, "exclusive": o.exclusive, "unsure": o.unsure}
                            for o in q.options
                        ],
                    }
                    for q in page.questions
                ],
            }
            for page in ruleset.pages
        ],
        "categories": [{"id": c.id, "title": c.title, "summary": c.summary} for c in ruleset.categories.values()],
    }


def _condition(condition: Condition | None) -> object:
    return None if condition is None else condition.to_data()


@api.after_request
def cors(response: Response) -> Response:
    """Allow only the origins configured; by default no other origin may call the API.

    A preflight (OPTIONS with Access-Control-Request-Method) from an allowed origin learns the methods
    and the one header a JSON post needs; any other origin gets no Access-Control-* header at all,
    so the browser refuses the call. No credentials are ever allowed: the API uses no cookies.
    """
    allowed = current_app.config["API_CORS_ORIGINS"]
    if not allowed:
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin and origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response.headers["Access-Control-Allow-Methods"] = "GET, POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
    return response
