"""Write the examples in docs/fhir.md from a sample, so the documentation shows what the code makes.

Run ``python -m questionnaire.fhir.examples`` to rewrite them; tests/test_fhir_docs.py fails when
they are out of date. Each example follows a ``<!-- fhir-example: NAME -->`` line in the file.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

from ..answerfile import sample
from ..answers import parse_answers
from ..loader import default_rules_dir, load_ruleset, parse_condition
from ..model import RuleSet
from . import canonical_for, to_json
from .assessment import build_bundle
from .canonical import DEFAULT_BASE
from .enablewhen import enablement
from .outcome import operation_outcome
from .questionnaire import build_questionnaire
from .response import build_response, read_response

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "fhir.md"
SAMPLE = "new-headaches-over-50"
AUTHORED = "2026-11-22T09:30:00Z"
#: Pages kept in the shortened examples: one with an exclusive option, one shown only with the
#: headaches reported on the page before it, and the pages their conditions read.
PAGES = ("page:about", "page:immune", "page:headaches", "page:headache_warning_signs")
BLOCK = re.compile(r"(<!-- fhir-example: ([a-z-]+) -->\n```json\n)(.*?)(```)", re.S)


def _keep_pages(resource: dict[str, Any]) -> dict[str, Any]:
    shortened = copy.deepcopy(resource)
    shortened["item"] = [i for i in shortened.get("item", []) if i["linkId"] in PAGES]
    return shortened


def examples(ruleset: RuleSet) -> dict[str, str]:
    """Return each example's JSON text by name."""
    names = canonical_for(ruleset, DEFAULT_BASE)
    answers, problems = parse_answers(ruleset.questions, sample(SAMPLE))
    if problems:
        raise ValueError(f"samples/{SAMPLE}.yaml: {problems[0]}")
    bundle = build_bundle(ruleset, names, answers, AUTHORED)
    entries = bundle["entry"]
    entries[0]["resource"] = _keep_pages(entries[0]["resource"])
    bundle["entry"] = entries[:3]  # the response, the RiskAssessment and the first topic
    condition = parse_condition(ruleset, {"not": {"question": "age_band", "equals": "under_18"}})
    item = {"linkId": "page:example", "type": "group", **enablement(condition, names.answers_system)}
    bad = build_response(ruleset, names, answers, AUTHORED)
    bad["item"][1]["item"][0]["answer"][0]["valueCoding"]["code"] = "awful"
    bad["item"][0]["item"].append({"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]})
    _, issues = read_response(ruleset, names, bad)
    return {
        "questionnaire": to_json(_keep_pages(build_questionnaire(ruleset, names))),
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
    ruleset = load_ruleset(default_rules_dir())
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(render(text, examples(ruleset)), encoding="utf-8")
    print(f"updated {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
