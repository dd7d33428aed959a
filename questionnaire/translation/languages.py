"""Give the rule set in every language whose translation is complete."""

from __future__ import annotations

from pathlib import Path

from ..model import RuleSet
from .check import review
from .walk import translate


def translated_rulesets(ruleset: RuleSet, rules_dir: Path) -> dict[str, RuleSet]:
    """Return the rule set by language code: English, and each listed language that is complete."""
    found = {"en": ruleset}
    for code in ruleset.languages:
        if code != "en":
            checked = review(ruleset, rules_dir, code)
            if checked.complete:
                found[code] = translate(ruleset, code, checked.usable)
    return found
