"""Write the examples in docs/fhir.md from the small example rule set, so the guide shows what the code makes.

The examples come from ``tests/fixtures/mini`` (a complete rule set of its own) rather than the live
content, so an ordinary content change never makes the guide out of date. Run
``python -m questionnaire.fhir.examples`` to rewrite them; tests/test_fhir_docs.py fails when they
are out of date. Each example follows a ``<!-- fhir-example: NAME -->`` line in the file.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

from ..answers import parse_answers
from ..loader import load_ruleset, parse_condition
from ..model import RuleSet
from ..translation.languages import translated_rulesets
from . import canonical_for, to_json
from .assessment import build_bundle
from .canonical import DEFAULT_BASE
from .enablewhen import enablement
from .outcome import operation_outcome
from .questionnaire import build_questionnaire
from .response import build_response, read_response

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = ROOT / "docs" / "fhir.md"
EXAMPLE_RULES = ROOT / "tests" / "fixtures" / "mini"
#: An adult with a "soon" warning sign, a PHQ-2 total of 3 and no exercise: a notice, two topics and a score.
EXAMPLE_ANSWERS = {
    "age_band": "adult",
    "mood_low": "several_days",
    "mood_interest": "more_than_half",
    "red_flag": "no",
    "today_flag": "no",
    "soon_flag": "yes",
    "exercise_days": "none",
}
AUTHORED = "2026-11-22T09:30:00Z"
BLOCK = re.compile(r"(<!-- fhir-example: ([a-z-]+) -->\n```json\n)(.*?)(```)", re.S)


def example_ruleset() -> RuleSet:
    """Return the small example rule set the examples are made from."""
    return load_ruleset(EXAMPLE_RULES)


def examples(ruleset: RuleSet | None = None) -> dict[str, str]:
    """Return each example's JSON text by name (from the example rule set unless another is given)."""
    ruleset = ruleset or example_ruleset()
    names = canonical_for(ruleset, DEFAULT_BASE)
    answers, problems = parse_answers(ruleset.questions, EXAMPLE_ANSWERS)
    if problems:
        raise ValueError(f"the example answers do not fit the example rules: {problems[0]}")
    bundle = build_bundle(ruleset, names, answers, AUTHORED)
    condition = parse_condition(ruleset, {"not": {"question": "age_band", "equals": "under_18"}})
    item = {"linkId": "page:example", "type": "group", **enablement(condition, names.answers_system)}
    bad = copy.deepcopy(build_response(ruleset, names, answers, AUTHORED))
    bad["item"][1]["item"][0]["answer"][0]["valueCoding"]["code"] = "awful"
    bad["item"][0]["item"].append({"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]})
    _, issues = read_response(ruleset, names, bad)
    return {
        "questionnaire": to_json(build_questionnaire(ruleset, names, translated_rulesets(ruleset, EXAMPLE_RULES))),
        "enable-when-expression": to_json(item),
        "bundle": to_json(bundle),
        "operation-outcome": to_json(operation_outcome(issues)),
    }


def render(text: str, made: dict[str, str]) -> str:
    """Return the document with every marked example replaced by the generated one."""
    missing = set(made) - {m.group(2) for m in BLOCK.finditer(text)}
    if missing:
        raise ValueError(f"{DOC.name} has no place for the examples: {', '.join(sorted(missing))}")
    return BLOCK.sub(lambda m: m.group(1) + made[m.group(2)] + m.group(4), text)


def main() -> int:
    """Rewrite the examples in docs/fhir.md."""
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(render(text, examples()), encoding="utf-8")
    print(f"updated {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
