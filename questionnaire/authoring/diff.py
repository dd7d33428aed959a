"""Compare two rule sets by running the same answers through both: a review aid for content changes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..answers import parse_answers
from ..engine import Assessment, answers_to_data, assess
from ..flow import visible_questions
from ..model import RuleSet
from .examples import cases


@dataclass(frozen=True, slots=True)
class AnswerSet:
    """Hold raw answers and where they came from (an example or an answers file)."""

    label: str
    raw: dict[str, object]
    from_file: bool = False


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
    """Return the answer sets whose results differ, each with what changed, on the answers both rule sets accept.

    For answer sets that only one rule set accepts in full, and for the author's own answer files, each
    question only the new rules ask is tried with every one of its options, to show what it does.
    """
    changes = []
    for item in sets:
        lines = _compare_one(old, new, item)
        if lines:
            changes.append(Change(item, tuple(lines)))
    return changes


def shared_answers(old: RuleSet, new: RuleSet, raw: dict[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """Keep the answers both rule sets accept; return them, and for each one left out which side refuses it and why."""
    refused: dict[str, dict[str, str]] = {}
    for side, ruleset in (("old", old), ("new", new)):
        _, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
        for problem in problems:
            refused.setdefault(problem.question or "", {})[side] = problem.message
    if "" in refused:  # not answers at all (for example a list instead of a mapping)
        return {}, {"": next(iter(refused[""].values()))}
    why = {}
    for qid, sides in refused.items():
        which = "neither rule set accepts it" if len(sides) == 2 else f"the {next(iter(sides))} rules do not accept it"
        why[qid] = f"{which} ({next(iter(sides.values()))})"
    return {k: v for k, v in raw.items() if k not in refused}, why


def _assess(ruleset: RuleSet, raw: dict[str, object]) -> Assessment:
    answers, _ = parse_answers(ruleset.questions, raw, ruleset.retired)
    return assess(ruleset, answers)


def _compare_one(old_rules: RuleSet, new_rules: RuleSet, item: AnswerSet) -> list[str]:
    raw = item.raw
    shared, refused = shared_answers(old_rules, new_rules, raw)
    lines = [
        f"left out: {answer_line(old_rules, new_rules, qid, raw[qid]) if qid else 'these answers'}: {why}"
        for qid, why in refused.items()
    ]
    old = _assess(old_rules, shared)
    found = differences(old, _assess(new_rules, shared))
    if refused or item.from_file:
        found += _new_questions(old_rules, new_rules, shared, old)
    return lines + found if found or refused else []


def _new_questions(old_rules: RuleSet, new_rules: RuleSet, shared: dict[str, object], old: Assessment) -> list[str]:
    """Show, for each question only the new rules ask (and ask these people), what each of its options does."""
    lines = []
    answers, _ = parse_answers(new_rules.questions, shared, new_rules.retired)
    for question in visible_questions(new_rules, answers):
        if question.id in old_rules.questions or question.id in answers:
            continue
        for option in question.options:
            value: object = [option.value] if question.multiple else option.value
            effect = differences(old, _assess(new_rules, {**shared, question.id: value}))
            what = "; ".join(effect) if effect else "no change"
            lines.append(f"new question '{question.short}', if answered '{option.label}': {what}")
    return lines


def differences(old: Assessment, new: Assessment) -> list[str]:
    """Return what differs between two results: urgent notices, topics by title, rules that fire."""
    lines: list[str] = []
    if old.urgent_tier != new.urgent_tier:
        lines.append(f"urgent tier: {old.urgent_tier or 'none'} -> {new.urgent_tier or 'none'}")
    old_urgent = [m.notice.id for m in old.urgent]
    new_urgent = [m.notice.id for m in new.urgent]
    lines += [f"urgent notice '{n}' now shows" for n in new_urgent if n not in old_urgent]
    lines += [f"urgent notice '{n}' no longer shows" for n in old_urgent if n not in new_urgent]
    lines += _categories(old, new)
    rule_ids = list(dict.fromkeys([*old.fired, *new.fired]))
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
    titles = {m.category.id: m.category.title for m in (*old.categories, *new.categories)}
    before = {m.category.id: (rank, m.score) for rank, m in enumerate(old.categories, start=1)}
    after = {m.category.id: (rank, m.score) for rank, m in enumerate(new.categories, start=1)}
    lines = []
    for cid, (rank, score) in after.items():
        if cid not in before:
            lines.append(f"topic '{titles[cid]}' now shown (rank {rank}, score {score})")
    for cid, (rank, score) in before.items():
        if cid not in after:
            lines.append(f"topic '{titles[cid]}' no longer shown (was rank {rank}, score {score})")
    for cid, (rank, score) in after.items():
        if cid in before:
            old_rank, old_score = before[cid]
            if old_rank != rank:
                lines.append(f"topic '{titles[cid]}' moves from rank {old_rank} to rank {rank}")
            if old_score != score:
                lines.append(f"topic '{titles[cid]}' score {old_score} -> {score}")
    return lines


def answer_line(old: RuleSet, new: RuleSet, qid: str, value: object) -> str:
    """Say one answer by the question's short name and the options' labels, with the ids after them."""
    question = new.questions.get(qid) or old.questions.get(qid)
    values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if question is None:
        return f"{qid}: {', '.join(values)} (not a question of either rule set)"
    labels = {o.value: o.label for q in (old.questions.get(qid), question) if q for o in q.options}
    shown = ", ".join(f"{labels[v]} ({v})" if v in labels else v for v in values)
    return f"{question.short} ({qid}): {shown}"
