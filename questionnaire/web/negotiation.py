"""Choose the language of an API response from the client's Accept-Language header."""

from __future__ import annotations

from flask import Response, g, request

from ..model import RuleSet
from .state import holder


def requested_rules() -> RuleSet:
    """Return the rule set in the language the client asks for, or English; the API keeps no cookie."""
    offered = holder().languages()
    code = request.accept_languages.best_match(list(offered), default="en") or "en"
    found: RuleSet = holder().current_in(code)
    g.ruleset = found
    return found


def mark_language(response: Response, ruleset: RuleSet) -> Response:
    """Say which language the texts are in, and that the answer depends on Accept-Language (for caches)."""
    response.headers["Content-Language"] = ruleset.language
    response.vary.add("Accept-Language")
    return response
