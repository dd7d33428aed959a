"""The JSON API: the same engine as the command line, byte for byte."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, json, request

from ..answers import parse_answers
from ..conditions import Condition
from ..engine import assess
from ..model import RuleSet
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
    if not request.is_json:
        return problem_response(415, [{"question": None, "message": "send JSON with Content-Type: application/json"}])
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "answers" not in body:
        return problem_response(
            400, [{"question": None, "message": 'the body must be a JSON object like {"answers": {...}}'}]
        )
    extra = sorted(k for k in body if k != "answers")
    if extra:
        return problem_response(
            400, [{"question": None, "message": f"unknown field '{extra[0][:40]}'; send only answers"}]
        )
    ruleset = rules()
    answers, problems = parse_answers(ruleset.questions, body["answers"])
    if problems:
        return problem_response(400, [p.as_dict() for p in problems])
    return Response(assess(ruleset, answers).to_json(), mimetype="application/json")


@api.get("/questionnaire")
def questionnaire() -> Response:
    """Describe the pages and questions so other clients can render them."""
    return _json(describe(rules()))


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
    """Allow only the origins configured; by default no other origin may call the API."""
    origin = request.headers.get("Origin")
    if origin and origin in current_app.config["API_CORS_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response
