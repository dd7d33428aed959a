"""Explain, node by node, why each urgent notice and rule did or did not apply to some answers.

The trace comes from Condition.trace over the answers the engine itself used
(after hidden questions are dropped), and the verdict of each rule is the
engine's, so this never disagrees with a real assessment.
"""

from __future__ import annotations

from ..conditions import Trace
from ..engine import Assessment, Reason, assess
from ..model import Answers, Rule, RuleSet, UrgentNotice

INDENT = "  "


def explain(ruleset: RuleSet, answers: Answers, *, only_fired: bool = False) -> list[str]:
    """Return a readable trace of every urgent notice and rule for these answers (only_fired: those that apply)."""
    result = assess(ruleset, answers)
    hidden = [qid for qid in ruleset.questions if qid in answers and qid not in result.answers]
    lines = [f"Rule set: {ruleset.name}, version {ruleset.version}"]
    if hidden:
        lines.append("Ignored because their question is hidden for these answers: " + ", ".join(hidden))
    lines += ["", *_outcome(result), "", "Urgent notices:"]
    reasons = {m.notice.id: m.reason for m in result.urgent}
    for notice in ruleset.urgent:
        if result.fired[notice.id] or not only_fired:
            lines += _item(ruleset, notice, result, answers, reasons.get(notice.id))
    lines += ["", "Rules:"]
    reasons = {r.rule_id: r for m in result.categories for r in m.reasons}
    for rule in ruleset.rules:
        if result.fired[rule.id] or not only_fired:
            lines += _item(ruleset, rule, result, answers, reasons.get(rule.id))
    if only_fired:
        silent = sum(1 for item in (*ruleset.urgent, *ruleset.rules) if not result.fired[item.id])
        lines += ["", f"{silent} urgent notices and rules that stay silent are not shown (leave out --only-fired)"]
    return lines


def _outcome(result: Assessment) -> list[str]:
    lines = [f"Urgent tier: {result.urgent_tier or 'none'}"]
    if result.ending is not None:
        lines.append(f"Ended early: {result.ending.id} ({result.ending.title})")
    if result.categories:
        ranked = ", ".join(f"{m.category.title} [{m.category.id}] ({m.score})" for m in result.categories)
        lines.append(f"Categories, by score: {ranked}")
    else:
        lines.append("Categories, by score: none")
    lines.append("Sections shown: " + (", ".join(m.section.id for m in result.sections) or "none"))
    if result.scores:
        totals = ", ".join(f"{sid} = {total}" for sid, total in result.scores.items())
        lines.append(f"Scores: {totals}")
    return lines


def _item(
    ruleset: RuleSet, item: Rule | UrgentNotice, result: Assessment, answers: Answers, reason: Reason | None
) -> list[str]:
    fired = result.fired[item.id]
    where = f"{item.location.file}:{item.location.line}"
    if isinstance(item, Rule):
        what = f"rule {item.id} -> {item.category} (weight {item.weight})"
    else:
        what = f"urgent notice {item.id} ({item.tier})"
    lines = [f"  {'FIRES ' if fired else 'silent'}  {what}  [{where}]"]
    lines += _tree(ruleset, item.when.trace(result.answers), answers, depth=2)
    if reason is not None:
        lines.append(f"{INDENT * 2}reason shown: {reason.text}")
    return lines


def _tree(ruleset: RuleSet, node: Trace, answers: Answers, depth: int) -> list[str]:
    mark = "true " if node.value else "false"
    line = f"{INDENT * depth}{mark}  {node.text}"
    if node.question is not None:
        line += f"  (answer: {_answer(ruleset, node, answers)})"
    lines = [line]
    for child in node.children:
        lines += _tree(ruleset, child, answers, depth + 1)
    return lines


def _answer(ruleset: RuleSet, node: Trace, answers: Answers) -> str:
    qid = node.question or ""
    if node.actual is not None:
        return _labelled(ruleset, qid, [node.actual] if isinstance(node.actual, str) else list(node.actual))
    given = answers.get(qid)
    if given is None:
        return "not answered"
    shown = _labelled(ruleset, qid, [given] if isinstance(given, str) else sorted(given))
    return f"{shown}, ignored because the question is hidden"


def _labelled(ruleset: RuleSet, qid: str, values: list[str]) -> str:
    """Put each option's label beside its value: poor "Poorly"."""
    question = ruleset.questions.get(qid)
    labels = {o.value: o.label for o in question.options} if question else {}
    return ", ".join(f'{v} "{labels[v]}"' if v in labels else v for v in values)
