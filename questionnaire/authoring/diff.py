"""Compare two rule sets by running the same answers through both: a review aid for content changes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..answers import parse_answers
from ..engine import Assessment, answers_to_data, assess
from ..model import RuleSet
from .examples import cases


@dataclass(frozen=True, slots=True)
class AnswerSet:
    """Hold raw answers and where they came from (an example or an answers file)."""

    label: str
    raw: dict[str, object]


@dataclass(frozen=True, slots=True)
class Change:
    """Hold the differences one answer set shows between the old and the new rule set."""

    answers: AnswerSet
    lines: tuple[str, ...]


def example_answer_sets(ruleset: RuleSet) -> list[AnswerSet]:
    """Return the answers of every example in a rule set, labelled by file:line and example id."""
    found = []
    for case in cases(ruleset):
        where = case.example.location
        raw: dict[str, object] = dict(answers_to_data(ruleset, case.example.answers))
        found.append(AnswerSet(f"{where.file}:{where.line}:{where.column}: {case.id}", raw))
    return found


def unique(sets: list[AnswerSet]) -> list[AnswerSet]:
    """Drop answer sets whose answers repeat an earlier one; the first label is kept."""
    seen: set[str] = set()
    kept = []
    for item in sets:
        key = json.dumps(item.raw, sort_keys=True)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def compare(old: RuleSet, new: RuleSet, sets: list[AnswerSet]) -> list[Change]:
    """Return the answer sets whose results differ, each with what changed."""
    changes = []
    for item in sets:
        lines = _compare_one(old, new, item.raw)
        if lines:
            changes.append(Change(item, tuple(lines)))
    return changes


def _run(ruleset: RuleSet, raw: dict[str, object]) -> Assessment | str:
    answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
    if problems:
        return "; ".join(str(p) for p in problems)
    return assess(ruleset, answers)


def _compare_one(old_rules: RuleSet, new_rules: RuleSet, raw: dict[str, object]) -> list[str]:
    old, new = _run(old_rules, raw), _run(new_rules, raw)
    if isinstance(old, str) or isinstance(new, str):
        if isinstance(old, str) and isinstance(new, str):
            # Nothing to compare, but a reviewer who passed this file needs to know it was not used.
            return [f"the answers are not valid for either rule set: {old}"]
        which, problem = ("old", old) if isinstance(old, str) else ("new", new)
        return [f"the answers are not valid for the {which} rules: {problem}"]
    lines: list[str] = []
    if old.urgent_tier != new.urgent_tier:
        lines.append(f"urgent tier: {old.urgent_tier or 'none'} -> {new.urgent_tier or 'none'}")
    old_urgent = [m.notice.id for m in old.urgent]
    new_urgent = [m.notice.id for m in new.urgent]
    lines += [f"urgent notice '{n}' now shows" for n in new_urgent if n not in old_urgent]
    lines += [f"urgent notice '{n}' no longer shows" for n in old_urgent if n not in new_urgent]
    lines += _categories(old, new)
    rule_ids = [r.id for r in old_rules.rules] + [r.id for r in new_rules.rules if r.id not in old.fired]
    for rid in rule_ids:
        before, after = old.fired.get(rid), new.fired.get(rid)
        if before is None and after:
            lines.append(f"new rule '{rid}' fires")
        elif after is None and before:
            lines.append(f"removed rule '{rid}' fired before")
        elif before is not None and after is not None and before != after:
            lines.append(f"rule '{rid}' {'now fires' if after else 'no longer fires'}")
    return lines


def _categories(old: Assessment, new: Assessment) -> list[str]:
    before = {m.category.id: (rank, m.score) for rank, m in enumerate(old.categories, start=1)}
    after = {m.category.id: (rank, m.score) for rank, m in enumerate(new.categories, start=1)}
    lines = []
    for cid, (rank, score) in after.items():
        if cid not in before:
            lines.append(f"category '{cid}' now shown (rank {rank}, score {score})")
    for cid, (rank, score) in before.items():
        if cid not in after:
            lines.append(f"category '{cid}' no longer shown (was rank {rank}, score {score})")
    for cid, (rank, score) in after.items():
        if cid in before:
            old_rank, old_score = before[cid]
            if old_rank != rank:
                lines.append(f"category '{cid}' moves from rank {old_rank} to rank {rank}")
            if old_score != score:
                lines.append(f"category '{cid}' score {old_score} -> {score}")
    return lines
