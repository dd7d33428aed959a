"""Translate our condition trees into the peers' rule languages: JsonLogic and a zen-engine decision."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from questionnaire.conditions import All, Condition, Leaf, Not, ScoreAtLeast
from questionnaire.conditions import Any as AnyOf
from questionnaire.model import RuleSet

Data = dict[str, Any]


def items(ruleset: RuleSet) -> list[tuple[str, Condition]]:
    """Return every rule and urgent notice with its condition, in the order of ``assess(...).fired``."""
    return [(n.id, n.when) for n in ruleset.urgent] + [(r.id, r.when) for r in ruleset.rules]


def multiple_choice(ruleset: RuleSet) -> frozenset[str]:
    """Return the ids of the multiple-choice questions (answered with a list of values)."""
    return frozenset(q.id for q in ruleset.questions.values() if q.multiple)


def plain_answers(answers: Any) -> Data:
    """Return answers as JSON data: a multiple choice becomes a sorted list."""
    return {q: v if isinstance(v, str) else sorted(v) for q, v in answers.items()}


# --- JsonLogic (panzi-json-logic) ------------------------------------------------------------


def to_jsonlogic(condition: Condition, multiple: frozenset[str] = frozenset()) -> Any:
    """Return the condition as a JsonLogic rule over data keyed by question id.

    ``multiple`` names the multiple-choice questions (a list of values rather than one text).
    """
    if isinstance(condition, Leaf):
        var = {"var": condition.question}
        op = condition.operator
        values = list(condition.ordered)
        if op == "answered":
            return {"!!": [var]} if condition.expected else {"!": [var]}
        if op == "equals":
            return {"==": [var, values[0]]}
        if op == "one_of":
            return {"in": [var, values]}
        if op == "includes_any":
            return {"some": [var, {"in": [{"var": ""}, values]}]}
        if op == "includes_all":
            return {"and": [{"in": [v, var]} for v in values]}
        if op == "includes_at_least":
            return {">=": [{"+": [{"if": [{"in": [v, var]}, 1, 0]} for v in values]}, condition.count]}
        raise ValueError(op)
    if isinstance(condition, All):
        return {"and": [to_jsonlogic(p, multiple) for p in condition.parts]}
    if isinstance(condition, AnyOf):
        return {"or": [to_jsonlogic(p, multiple) for p in condition.parts]}
    if isinstance(condition, Not):
        return {"!": [to_jsonlogic(condition.part, multiple)]}
    if isinstance(condition, ScoreAtLeast):
        points = []
        for qid, table in condition.points:
            var = {"var": qid}
            op = "in" if qid in multiple else "=="
            points += [{"if": [{op: [value, var]}, score, 0]} for value, score in table.items() if score]
        answered = [{"!!": [{"var": qid}]} for qid, _ in condition.points]
        return {"and": [*answered, {">=": [{"+": points or [0]}, condition.minimum]}]}
    raise TypeError(type(condition).__name__)


class JsonLogicPeer:
    """Evaluate every rule as one JsonLogic list; the library interprets the rule data directly."""

    name = "json-logic"

    def __init__(self, ruleset: RuleSet) -> None:
        from json_logic import jsonLogic

        self.apply: Callable[[Any, Any], Any] = jsonLogic
        # panzi-json-logic has no parse or compile step: the rule data is built once and reused.
        self.logic = [to_jsonlogic(c, multiple_choice(ruleset)) for _, c in items(ruleset)]
        self.ids = [i for i, _ in items(ruleset)]

    def prepare(self, answers: Any) -> Data:
        """Return the input this peer takes for these (already visibility-pruned) answers."""
        return plain_answers(answers)

    def evaluate(self, data: Data) -> Any:
        """Evaluate every rule; this is the call that is timed."""
        return self.apply(self.logic, data)

    def fired(self, result: Any) -> dict[str, bool]:
        """Return rule id -> fired from a result."""
        return {i: bool(v) for i, v in zip(self.ids, result, strict=True)}


# --- zen-engine ------------------------------------------------------------------------------


def to_zen(condition: Condition, names: dict[str, str], multiple: frozenset[str] = frozenset()) -> str:
    """Return the condition as a ZEN expression; question ids are mapped to plain field names."""
    if isinstance(condition, Leaf):
        field = names[condition.question]
        values = ", ".join(f"'{v}'" for v in condition.ordered)
        op = condition.operator
        if op == "answered":
            return f"({field} != null)" if condition.expected else f"({field} == null)"
        if op == "equals":
            return f"({field} == '{condition.ordered[0]}')"
        if op == "one_of":
            return f"({field} in [{values}])"
        if op == "includes_any":
            return f"some({field} ?? [], # in [{values}])"
        if op == "includes_all":
            return "(" + " and ".join(f"contains({field} ?? [], '{v}')" for v in condition.ordered) + ")"
        if op == "includes_at_least":
            return f"(len(filter({field} ?? [], # in [{values}])) >= {condition.count})"
        raise ValueError(op)
    if isinstance(condition, All):
        return "(" + " and ".join(to_zen(p, names, multiple) for p in condition.parts) + ")"
    if isinstance(condition, AnyOf):
        return "(" + " or ".join(to_zen(p, names, multiple) for p in condition.parts) + ")"
    if isinstance(condition, Not):
        return f"(not {to_zen(condition.part, names, multiple)})"
    if isinstance(condition, ScoreAtLeast):
        answered = " and ".join(f"({names[qid]} != null)" for qid, _ in condition.points)
        terms = []
        for qid, table in condition.points:
            field = names[qid]
            test = "contains({f} ?? [], '{v}')" if qid in multiple else "({f} == '{v}')"
            terms += [f"({test.format(f=field, v=value)} ? {score} : 0)" for value, score in table.items() if score]
        return f"({answered} and ({' + '.join(terms) or '0'}) >= {condition.minimum})"
    raise TypeError(type(condition).__name__)


def zen_decision(ruleset: RuleSet) -> dict[str, Any]:
    """Return a JDM decision graph: input -> one expression node (one expression per rule) -> output."""
    names = field_names(ruleset)
    expressions = [
        {"id": f"e{i}", "key": f"r{i}", "value": to_zen(c, names, multiple_choice(ruleset))}
        for i, (_, c) in enumerate(items(ruleset))
    ]
    return {
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {
                "id": "rules",
                "type": "expressionNode",
                "name": "Rules",
                "position": {"x": 300, "y": 0},
                "content": {"expressions": expressions},
            },
            {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 600, "y": 0}},
        ],
        "edges": [
            {"id": "in", "type": "edge", "sourceId": "request", "targetId": "rules"},
            {"id": "out", "type": "edge", "sourceId": "rules", "targetId": "response"},
        ],
    }


def field_names(ruleset: RuleSet) -> dict[str, str]:
    """Map question ids (which may hold '-') to field names ZEN reads as plain identifiers."""
    return {qid: f"q{i}" for i, qid in enumerate(ruleset.questions)}


class ZenDecisionPeer:
    """Evaluate a zen-engine decision created once from the JDM graph."""

    name = "zen-engine"

    def __init__(self, ruleset: RuleSet) -> None:
        import zen

        self.names = field_names(ruleset)
        self.ids = [i for i, _ in items(ruleset)]
        self.engine = zen.ZenEngine()
        self.decision = self.engine.create_decision(json.dumps(zen_decision(ruleset)))
        self.as_text = False

    def prepare(self, answers: Any) -> Any:
        """Return the input this peer takes: a dict, or JSON text if calibrate_zen found that faster."""
        data = {self.names[q]: v for q, v in plain_answers(answers).items()}
        return json.dumps(data) if self.as_text else data

    def evaluate(self, data: Any) -> Any:
        """Evaluate the decision; this is the call that is timed."""
        return self.decision.evaluate(data)

    def fired(self, result: Any) -> dict[str, bool]:
        """Return rule id -> fired from a result."""
        out = result["result"]
        return {rid: bool(out[f"r{i}"]) for i, rid in enumerate(self.ids)}


class ZenExpressionPeer:
    """Evaluate one precompiled ZEN expression returning every rule's result: zen's fastest path."""

    name = "zen-expression"

    def __init__(self, ruleset: RuleSet) -> None:
        import zen

        self.names = field_names(ruleset)
        self.ids = [i for i, _ in items(ruleset)]
        multiple = multiple_choice(ruleset)
        source = "[" + ", ".join(to_zen(c, self.names, multiple) for _, c in items(ruleset)) + "]"
        self.expression = zen.compile_expression(source)

    def prepare(self, answers: Any) -> Any:
        """Return the input this peer takes."""
        return {self.names[q]: v for q, v in plain_answers(answers).items()}

    def evaluate(self, data: Any) -> Any:
        """Evaluate the expression; this is the call that is timed."""
        return self.expression.evaluate(data)

    def fired(self, result: Any) -> dict[str, bool]:
        """Return rule id -> fired from a result."""
        return {rid: bool(v) for rid, v in zip(self.ids, result, strict=True)}
