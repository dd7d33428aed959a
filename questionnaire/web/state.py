"""Reach the app's rule set from a request."""

from __future__ import annotations

from flask import current_app

from ..model import Region, RuleSet
from .rulesholder import RulesHolder


def holder() -> RulesHolder:
    """Return the app's rules holder."""
    return current_app.extensions["rules"]  # type: ignore[no-any-return]


def rules() -> RuleSet:
    """Return the rule set to use for this request."""
    return holder().current()


def current_region() -> Region:
    """Return the configured region's numbers and advice, from the rule set in use."""
    regions = rules().regions
    # A hot-reloaded edit may have dropped the configured region; the loader keeps "international".
    return regions.get(current_app.config["REGION"]) or regions["international"]
