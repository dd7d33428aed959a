"""Serve a bare Flask app: the baseline for the HTTP benchmark, with no engine, session or CSRF.

It renders templates of about the same size and shape as the real question and results pages
from data built once at import, so the difference to the real app is our own work per request.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, redirect, render_template, request
from werkzeug.wrappers import Response

from questionnaire.loader import load_ruleset

HERE = Path(__file__).resolve().parent
_rules = load_ruleset()
_page = _rules.page("sleep") or _rules.pages[0]
QUESTIONS = [
    {"id": q.id, "text": q.text, "hint": q.hint, "options": q.options, "chosen": q.options[0].value}
    for q in _page.questions
]
CATEGORIES = [
    {
        "title": c.title,
        "summary": c.summary,
        "reasons": [f"You said something about {c.title.lower()}." for _ in range(2)],
        "things": list(c.things_to_try),
        "prompts": list(c.provider_prompts),
        "education": c.education_html,
        "sources": [(s.name, s.url) for s in c.sources],
    }
    for c in _rules.categories.values()
]

app = Flask(__name__, template_folder=str(HERE / "templates"))


@app.get("/page")
def page() -> str:
    """Render a question page from fixed data."""
    return render_template(
        "bare_page.html", title=_page.title, questions=QUESTIONS, step=2, total=12, version=_rules.version
    )


@app.post("/page")
def post_page() -> Response:
    """Read the form and redirect, as a page POST does."""
    _ = {key: request.form.getlist(key) for key in request.form}
    return redirect("/page", code=303)


@app.get("/results")
def results() -> str:
    """Render a results page from fixed data."""
    return render_template(
        "bare_results.html", categories=CATEGORIES, disclaimer=_rules.disclaimer, version=_rules.version
    )
