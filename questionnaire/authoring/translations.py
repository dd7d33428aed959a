"""Check every translation the rule set lists: what is missing or out of date, and how easy it is to read.

Part of ``check``: the app itself only asks ``translation.languages`` which languages are complete.
"""

from __future__ import annotations

from pathlib import Path

from ..model import RuleSet
from ..problems import Problem
from ..translation.catalogue import languages_on_disk
from ..translation.check import review
from ..translation.walk import extract
from .readingease import FORMULAS, check_ease


def check_translations(ruleset: RuleSet, rules_dir: Path, display_base: str = "") -> tuple[list[Problem], list[str]]:
    """Return every translation problem, and one line per language saying how complete and readable it is."""
    problems: list[Problem] = []
    lines: list[str] = []
    texts = extract(ruleset)
    for code, language in ruleset.languages.items():
        if code == "en":
            continue
        checked = review(ruleset, rules_dir, code, display_base)
        problems += checked.problems
        ease_problems, ease = check_ease(texts, checked)
        problems += ease_problems
        state = "offered to patients" if checked.complete else "NOT offered until this is fixed"
        review_state = f"reviewed on {language.review_date}" if language.reviewed else "not yet medically reviewed"
        line = (
            f"{language.name} ({code}): {len(checked.usable)} of {checked.total} texts translated, "
            f"{checked.missing} missing, {checked.stale} out of date; {review_state}; {state}"
        )
        if ease is not None:
            line += (
                f". Reading ease ({ease.formula}, higher is easier): median {ease.median:.0f}, "
                f"lowest {ease.lowest:.0f}, {ease.below_target} of {ease.scored} below the target"
            )
        elif code not in FORMULAS:
            line += ". No reading formula for this language here; have a reader check it"
        lines.append(line)
    for code in languages_on_disk(rules_dir):
        if code not in ruleset.languages:
            where = display_base + "ruleset.yaml"
            message = f"locales/{code}/ has catalogues, but ruleset.yaml does not list '{code}' under languages"
            problems.append(Problem(where, 1, 1, message, "warning", "language-unlisted"))
    return problems, lines
