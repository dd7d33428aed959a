"""Generate valid rule sets of any size over the real questions, for the scale benchmark."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

from questionnaire.loader import DEFAULT_RULES_DIR
from questionnaire.model import CATEGORY_IDS, Question, RuleSet

#: The rule files copied unchanged from the default rule set; rules.yaml is generated.
COPIED = ("ruleset.yaml", "questions.yaml", "categories.yaml", "urgent.yaml", "sections.yaml", "regions.yaml")
PROMPTS = (
    "Ask whether this pattern could be linked to your symptoms.",
    "Ask what small change you could try first, and how to tell if it helps.",
    "Ask whether a referral to a specialist would be useful.",
    "Ask whether any of your medicines could play a part.",
)


def _choosable(question: Question) -> list[str]:
    """Return the option values that can be combined with others (not exclusive, not unsure)."""
    return [o.value for o in question.options if not (o.exclusive or o.unsure)] or [question.options[0].value]


def leaf(question: Question, rng: random.Random) -> dict[str, Any]:
    """Return one valid question test, with an operator that fits the question's type."""
    values = [o.value for o in question.options]
    roll = rng.random()
    if roll < 0.1:
        return {"question": question.id, "answered": rng.random() < 0.8}
    if not question.multiple:
        if roll < 0.5:
            return {"question": question.id, "equals": rng.choice(values)}
        return {"question": question.id, "one_of": rng.sample(values, rng.randint(1, max(1, len(values) // 2)))}
    pool = _choosable(question)
    chosen = rng.sample(pool, rng.randint(1, min(3, len(pool))))
    if roll < 0.55:
        return {"question": question.id, "includes_any": chosen}
    if roll < 0.75:
        return {"question": question.id, "includes_all": chosen[:2]}
    return {"question": question.id, "includes_at_least": {"count": rng.randint(1, len(chosen)), "of": chosen}}


def condition(questions: list[Question], rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """Return a random condition tree: mostly single tests, some all/any/not, at most three levels deep."""
    roll = rng.random()
    if depth < 2 and roll < 0.3:
        kind = "all" if rng.random() < 0.5 else "any"
        return {kind: [condition(questions, rng, depth + 1) for _ in range(rng.randint(2, 3))]}
    if depth < 2 and roll < 0.38:
        return {"not": condition(questions, rng, depth + 1)}
    return leaf(rng.choice(questions), rng)


def _read(cond: dict[str, Any], negated: bool = False) -> list[str]:
    """Return the questions a condition tests outside any ``not`` (good to quote in a reason)."""
    if "question" in cond:
        return [] if negated else [cond["question"]]
    if "not" in cond:
        return _read(cond["not"], True)
    return [q for part in next(iter(cond.values())) for q in _read(part, negated)]


def rules(ruleset: RuleSet, count: int, seed: int = 1) -> list[dict[str, Any]]:
    """Return ``count`` valid rules over the rule set's questions, with varied operators and nesting."""
    rng = random.Random(seed)
    questions = list(ruleset.questions.values())
    out = []
    for index in range(count):
        when = condition(questions, rng)
        quoted = _read(when)
        reason = f"Generated rule {index}: you said {{{quoted[0]}}}." if quoted else f"Generated rule {index} fired."
        rule: dict[str, Any] = {
            "id": f"gen-{index:05d}",
            "category": rng.choice(CATEGORY_IDS),
            "weight": rng.randint(1, 5),
            "when": when,
            "reason": reason,
        }
        if rng.random() < 0.1:
            rule["provider_prompts"] = [rng.choice(PROMPTS)]
        out.append(rule)
    return out


def write_ruleset(directory: Path, ruleset: RuleSet, count: int, seed: int = 1) -> Path:
    """Write a rules folder with ``count`` generated rules and the default other files; return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(DEFAULT_RULES_DIR / name, directory / name)
    # One rule per line in flow style (JSON is valid YAML); the loader still reads it as YAML.
    lines = ["rules:"]
    lines += [f"  - {json.dumps(rule, separators=(', ', ': '))}" for rule in rules(ruleset, count, seed)]
    (directory / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory
