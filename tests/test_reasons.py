"""Every reason reads as a sentence a person would say back, for every answer it can quote.

Each rule and urgent notice is tried on every distinct answer combination of the questions it reads
(the same search `check` uses), and the reason shown when it fires is held to plain grammar patterns.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from questionnaire.authoring.answerspace import assignments, space
from questionnaire.engine import assess
from questionnaire.flow import visible_answers
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset

RULESET = load_ruleset(DEFAULT_RULES_DIR)
ITEMS = [*RULESET.rules, *RULESET.urgent]
#: Enough combinations to meet every option a reason can quote, few enough to stay quick.
MAX_TRIES = 400

BAD = [
    (re.compile(r":\s*[^.:]{1,40}\.$"), "a colon before the quoted answer ('…: always.')"),
    (re.compile(r"\bYou said\b.*\bYou said\b"), "'You said' twice"),
    (re.compile(r"\{[a-z_]+\}"), "a placeholder left unfilled"),
    (re.compile(r"\s[,.;:]"), "a space before punctuation"),
    (re.compile(r"\s{2,}"), "a double space"),
    (re.compile(r"\b(\w+) \1\b", re.IGNORECASE), "a word written twice"),
    (re.compile(r"\bnot answered\b"), "an answer quoted as 'not answered'"),
    (re.compile(r"\b(?:a|an|the) (?:and|or)\b"), "an article before 'and' or 'or'"),
    (re.compile(r"\b(?:I|me|my)\b"), "an answer in the first person inside a reason (give the option a phrase)"),
]


def reasons_when_fired(item) -> set[str]:
    """Return the reason texts an item shows, over every answer combination on which it fires."""
    found = space(RULESET, item.when)
    assert found is not None, f"{item.id}: too many answer combinations to try"
    texts: set[str] = set()
    for tried, answers in enumerate(assignments(*found)):
        if tried >= MAX_TRIES:
            break
        shown = visible_answers(RULESET, answers)
        if not item.when.compiled(shown):
            continue
        result = assess(RULESET, shown)
        texts |= {r.text for m in result.categories for r in m.reasons if r.rule_id == item.id}
        texts |= {m.reason.text for m in result.urgent if m.notice.id == item.id}
    return texts


@pytest.mark.parametrize("item", ITEMS, ids=[i.id for i in ITEMS])
def test_every_reason_reads_as_a_sentence(item) -> None:
    texts = reasons_when_fired(item)
    assert texts, f"{item.id} fired for no answer combination tried"
    problems = []
    for text in sorted(texts):
        if not (text[:1].isupper() and text.endswith((".", "?", "!"))):
            problems.append(f"not a sentence: {text!r}")
        problems += [f"{why}: {text!r}" for pattern, why in BAD if pattern.search(text)]
    assert not problems, "\n".join(problems)


def lead_in(reason: str) -> str:
    """Return the words a reason starts with: up to where it quotes an answer, at most its first six."""
    head = reason.split("{", 1)[0]
    return " ".join(head.split()[:6]).casefold()


def test_two_rules_of_one_topic_never_start_the_same_way() -> None:
    starts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule in RULESET.rules:
        starts[(rule.category, lead_in(rule.reason))].append(rule.id)
    repeated = {key: ids for key, ids in starts.items() if len(ids) > 1}
    assert not repeated, "\n".join(f"{cat}: {ids} all start {start!r}" for (cat, start), ids in repeated.items())
