"""Translate our condition trees into the peers' rule languages: JsonLogic and a zen-engine decision."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from questionnaire.conditions import All, Condition, Leaf, Not, ScoreAtLeast
from questionnaire.conditions import Any as AnyOf
from questionnaire.model import RuleSet
from questionnaire.operators import OPERATORS

Data = dict[str, Any]


def items(ruleset: RuleSet) -> list[tuple[str, Condition]]:
    """Return every rule and urgent notice with its condition, in the order of ``assess(...).fired``."""
    return [(n.id, n.when) for n in ruleset.urgent] + [(r.id, r.when) for r in ruleset.rules]


def multiple_choice(ruleset: RuleSet) -> frozenset[str]:
    """Return the ids of the questions whose answers are lists."""
    return frozenset(q.id for q in ruleset.questions.values() if q.multiple)


def plain_answers(answers: Any) -> Data:
    """Return answers as JSON data: a multiple choice becomes a sorted list."""
    return {q: v if isinstance(v, str) else sorted(v) for q, v in answers.items()}


# --- JsonLogic (panzi-json-logic) ------------------------------------------------------------


#: Each operator of questionnaire.operators.OPERATORS as JsonLogic, over the answer ``var`` and the values.
JSONLOGIC: dict[str, Callable[[Leaf, Any, list[str]], Any]] = {
    "answered": lambda leaf, var, values: {"!!": [var]} if leaf.expected else {"!": [var]},
    "equals": lambda leaf, var, values: {"==": [var, values[0]]},
    "one_of": lambda leaf, var, values: {"in": [var, values]},
    "includes_any": lambda leaf, var, values: {"some": [var, {"in": [{"var": ""}, values]}]},
    "includes_all": lambda leaf, var, values: {"and": [{"in": [v, var]} for v in values]},
    "includes_at_least": lambda leaf, var, values: {
        ">=": [{"+": [{"if": [{"in": [v, var]}, 1, 0]} for v in values]}, leaf.count]
    },
}


def to_jsonlogic(condition: Condition, multiple: frozenset[str] = frozenset()) -> Any:
    """Return the condition as a JsonLogic rule over data keyed by question id (``multiple``: list answers)."""
    if isinstance(condition, Leaf):
        return JSONLOGIC[condition.operator](condition, {"var": condition.question}, list(condition.ordered))
    if isinstance(condition, ScoreAtLeast):
        answered = [{"!!": [{"var": q}]} for q, _ in condition.points]
        points = [
            {"if": [{"in": [v, {"var": q}]} if q in multiple else {"==": [{"var": q}, v]}, p, 0]}
            for q, table in condition.points
            for v, p in table.items()
        ]
        return {"and": [*answered, {">=": [{"+": [0, *points]}, condition.minimum]}]}
    if isinstance(condition, All):
        return {"and": [to_jsonlogic(p, multiple) for p in condition.parts]}
    if isinstance(condition, AnyOf):
        return {"or": [to_jsonlogic(p, multiple) for p in condition.parts]}
    if isinstance(condition, Not):
        return {"!": [to_jsonlogic(condition.part, multiple)]}
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


#: Each operator of questionnaire.operators.OPERATORS as a ZEN expression over the field and the values.
ZEN: dict[str, Callable[[Leaf, str, str], str]] = {
    "answered": lambda leaf, field, values: f"({field} != null)" if leaf.expected else f"({field} == null)",
    "equals": lambda leaf, field, values: f"({field} == '{leaf.ordered[0]}')",
    "one_of": lambda leaf, field, values: f"({field} in [{values}])",
    "includes_any": lambda leaf, field, values: f"some({field} ?? [], # in [{values}])",
    "includes_all": lambda leaf, field, values: (
        "(" + " and ".join(f"contains({field} ?? [], '{v}')" for v in leaf.ordered) + ")"
    ),
    "includes_at_least": lambda leaf, field, values: f"(len(filter({field} ?? [], # in [{values}])) >= {leaf.count})",
}


def to_zen(condition: Condition, names: dict[str, str], multiple: frozenset[str] = frozenset()) -> str:
    """Return the condition as a ZEN expression; question ids are mapped to plain field names."""
    if isinstance(condition, Leaf):
        values = ", ".join(f"'{v}'" for v in condition.ordered)
        return ZEN[condition.operator](condition, names[condition.question], values)
    if isinstance(condition, ScoreAtLeast):
        answered = " and ".join(f"{names[q]} != null" for q, _ in condition.points)
        points = " + ".join(
            f"(contains({names[q]} ?? [], '{v}') ? {p} : 0)" if q in multiple else f"({names[q]} == '{v}' ? {p} : 0)"
            for q, table in condition.points
            for v, p in table.items()
        )
        return f"({answered} and ({points or '0'}) >= {condition.minimum})"
    if isinstance(condition, All):
        return "(" + " and ".join(to_zen(p, names, multiple) for p in condition.parts) + ")"
    if isinstance(condition, AnyOf):
        return "(" + " or ".join(to_zen(p, names, multiple) for p in condition.parts) + ")"
    if isinstance(condition, Not):
        return f"(not {to_zen(condition.part, names, multiple)})"
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
        source = "[" + ", ".join(to_zen(c, self.names, multiple_choice(ruleset)) for _, c in items(ruleset)) + "]"
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


# Every operator of the one table has a translation in both peer languages, and nothing else does.
assert set(JSONLOGIC) == set(ZEN) == set(OPERATORS), "translate each operator in questionnaire/operators.py"
