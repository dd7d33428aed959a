"""Say which language an API response's texts are in (chosen from Accept-Language by language.py)."""

from __future__ import annotations

from flask import Response

from ..model import RuleSet


def mark_language(response: Response, ruleset: RuleSet) -> Response:
    """Say which language the texts are in, and that the answer depends on Accept-Language (for caches)."""
    response.headers["Content-Language"] = ruleset.language
    response.vary.add("Accept-Language")
    return response
