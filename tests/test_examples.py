"""The examples written in the rule files, one pytest test each, named by rule id (as `python -m questionnaire test`)."""

from __future__ import annotations

import pytest

from questionnaire.authoring.examples import Case, cases, report_lines, run_case
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset

# Collected at import so each example is its own test; a broken rule set fails collection loudly.
RULESET = load_ruleset(DEFAULT_RULES_DIR)
CASES = cases(RULESET)


def test_every_rule_notice_ending_and_conditional_section_has_examples() -> None:
    needed = {r.id for r in RULESET.rules} | {n.id for n in RULESET.urgent} | {e.id for e in RULESET.endings}
    needed |= {s.id for s in RULESET.sections if s.when is not None}
    assert needed - {c.item.id for c in CASES} == set()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_example(case: Case) -> None:
    outcome = run_case(RULESET, case)
    assert outcome.passed, "\n".join(report_lines(outcome))
