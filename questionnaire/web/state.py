"""Reach the app's rule set from a request."""

from __future__ import annotations

from flask import current_app

from ..model import RuleSet
from .rulesholder import RulesHolder


def holder() -> RulesHolder:
    """Return the app's rules holder."""
    return current_app.extensions["rules"]  # type: ignore[no-any-return]


def rules() -> RuleSet:
    """Return the rule set to use for this request."""
    return holder().current()
