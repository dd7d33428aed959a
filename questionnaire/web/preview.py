"""Preview every category section and question page as patients see them (for content teams)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from ..conditions import Condition
from .authorwalk import describe
from .state import holder, rules

preview = Blueprint("preview", __name__)


@preview.before_request
def only_when_enabled() -> None:
    """Hide the preview unless it is switched on (on in development, off in production)."""
    if not current_app.config["PREVIEW"]:
        abort(404)


@preview.get("/preview")
def preview_index() -> str:
    """Show every question page and every category section."""
    ruleset = rules()
    rendered = []
    for page in ruleset.pages:
        questions = page.questions
        form = holder().forms.form_class(ruleset, page, questions)(formdata=None)
        rendered.append((page, questions, form))
    return render_template("preview.html", ruleset=ruleset, rendered=rendered, shown_when=_shown_when)


def _shown_when(condition: Condition) -> str:
    """Say in words when a page or question is shown, so editors know who sees it."""
    return describe(rules(), condition.to_data())
