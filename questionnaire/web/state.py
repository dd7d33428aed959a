"""Hold the state of one request in one place: the rule set, the stored answers and the person's path.

Each is worked out at most once per request and kept on ``flask.g``: the rules holder's current rule
set, the state from the answer store, the answers re-validated against the rules, and the Path they
give. Saving answers replaces the Path, so a view that changes answers sees the new one.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_babel import get_locale

from ..flow import Path
from ..model import Answers, Region, RuleSet
from ..result import answers_to_data
from .answerstore import (
    ACKNOWLEDGED,
    ANSWERS,
    KEEP,
    KEEP_CHOICES,
    LANGUAGE,
    NOTE,
    VERSION,
    answer_store,
    valid_answers,
)
from .rulesholder import RulesHolder


def holder() -> RulesHolder:
    """Return the app's rules holder."""
    return current_app.extensions["rules"]  # type: ignore[no-any-return]


def rules() -> RuleSet:
    """Return the rule set to use for this request, in its language (the same one throughout the request)."""
    found: RuleSet | None = g.get("ruleset")
    if found is None:
        # Flask-Babel asks language.py (its locale selector) once per request; asking it here, not
        # language.py itself, keeps this module free of a circular import.
        locale = get_locale()
        found = g.ruleset = holder().current_in(str(locale).replace("_", "-") if locale else "en")
    return found


def current_region() -> Region:
    """Return the configured region's numbers and advice, from the rule set in use."""
    regions = rules().regions
    # A hot-reloaded edit may have dropped the configured region; the loader keeps "international".
    return regions.get(current_app.config["REGION"]) or regions["international"]


def stored() -> dict[str, Any]:
    """Return the state kept in this request's answer store."""
    found: dict[str, Any] | None = g.get("stored")
    if found is None:
        found = g.stored = answer_store().get()
    return found


def path() -> Path:
    """Return the person's path: their stored answers, re-validated against the rules, walked once."""
    found: Path | None = g.get("path")
    if found is None:
        ruleset = rules()
        found = g.path = Path.of(ruleset, valid_answers(ruleset, stored().get(ANSWERS)))
    return found


def save(answers: Answers) -> Path:
    """Store the answers to shown questions (ids and values only) and return their path."""
    ruleset = rules()
    walked = g.path = Path.of(ruleset, answers)
    _write({**stored(), ANSWERS: answers_to_data(ruleset, walked.answers), VERSION: ruleset.version})
    return walked


def acknowledged() -> set[str]:
    """Return the urgent notices the person has already seen and chosen to continue past."""
    value = stored().get(ACKNOWLEDGED)
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def acknowledge(ids: list[str]) -> None:
    """Remember that these urgent notices were shown."""
    _write({**stored(), ACKNOWLEDGED: sorted(acknowledged() | set(ids))})


def has_answers() -> bool:
    """Tell whether answers are stored, without checking them against the rules."""
    return bool(stored().get(ANSWERS))


def note() -> str:
    """Return what the person most wants to discuss, or an empty text."""
    value = stored().get(NOTE)
    return value if isinstance(value, str) else ""


def save_note(text: str) -> None:
    """Keep what the person most wants to discuss, for their summary (an empty text removes it)."""
    kept = {k: v for k, v in stored().items() if k != NOTE}
    _write({**kept, NOTE: text} if text else kept)


def keep() -> str:
    """Return how long this person asked for their answers to be kept on this device."""
    value = stored().get(KEEP)
    return value if value in KEEP_CHOICES else "usual"


def save_keep(choice: str) -> None:
    """Remember how long to keep the answers on this device."""
    _write({**stored(), KEEP: choice})


def language() -> str | None:
    """Return the language this person chose, or None when they have not chosen one."""
    value = stored().get(LANGUAGE)
    return value if isinstance(value, str) else None


def save_language(code: str) -> None:
    """Remember the person's language beside their answers, which stay exactly as they are."""
    _write({**stored(), LANGUAGE: code})


def forget() -> None:
    """Forget every answer."""
    answer_store().clear()
    g.stored = {}
    g.pop("path", None)


def _write(state: dict[str, Any]) -> None:
    answer_store().set(state)
    g.stored = state
