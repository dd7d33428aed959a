"""A condition as the author mode's builder shows it: tests on questions, joined by "all" or "any".

The builder covers what most rules and show_ifs are: one question test, or a list of them that must
all (or any) be true. A condition with other parts (not, nesting, scores) is edited as YAML text
instead, so nothing the builder cannot show is ever lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..operators import MULTIPLE, SINGLE, fitting
from ..operators import OPERATORS as TABLE
from ..yamlsource import YamlError, load_bytes

#: Operators the builder offers, with the words shown for them.
OPERATORS = {
    "equals": "is",
    "one_of": "is one of",
    "includes_any": "includes any of",
    "includes_all": "includes all of",
    "includes_at_least": "includes at least (count) of",
    "answered": "is answered / not answered",
}
# Which question types each operator fits comes from the one operator table.
MULTIPLE_ONLY = set(fitting(MULTIPLE))
SINGLE_ONLY = set(fitting(SINGLE))
if set(OPERATORS) != set(TABLE):  # a new operator in the table needs its words here
    raise RuntimeError("label each operator of questionnaire/operators.py in authoring/conditiondraft.py")


@dataclass
class Row:
    """Hold one question test: a question, an operator and the values it names."""

    question: str = ""
    op: str = "one_of"
    values: list[str] = field(default_factory=list)
    count: str = "1"
    answered: str = "true"

    def to_data(self) -> dict[str, Any]:
        """Return the test as rule-file data."""
        if self.op == "answered":
            return {"question": self.question, "answered": self.answered == "true"}
        if self.op == "equals":
            return {"question": self.question, "equals": self.values[0] if self.values else ""}
        if self.op == "includes_at_least":
            count = int(self.count) if self.count.isdigit() else 1
            return {"question": self.question, "includes_at_least": {"count": count, "of": list(self.values)}}
        return {"question": self.question, self.op: list(self.values)}


@dataclass
class ConditionDraft:
    """Hold a condition being edited: rows joined by a mode, or YAML text for one the rows cannot show."""

    mode: str = "all"
    rows: list[Row] = field(default_factory=list)
    text: str | None = None

    @property
    def empty(self) -> bool:
        """Tell whether there is no condition at all (a show_if that was removed)."""
        return self.text is None and not any(r.question for r in self.rows)

    def to_data(self) -> dict[str, Any] | None:
        """Return the condition as rule-file data, None when empty; raise ValueError for unreadable text."""
        if self.text is not None:
            try:
                data = load_bytes(self.text.encode("utf-8"), "the condition").data
            except YamlError as exc:
                raise ValueError(exc.problem.message) from exc
            if not isinstance(data, dict):
                raise ValueError("a condition is a mapping, such as {question: id, equals: value}")
            return data
        rows = [r for r in self.rows if r.question]
        if not rows:
            return None
        if len(rows) == 1:
            return rows[0].to_data()
        return {self.mode: [r.to_data() for r in rows]}


def from_data(data: Any) -> ConditionDraft:
    """Make a draft from rule-file data: rows when the builder can show it, YAML text otherwise."""
    if data is None:
        return ConditionDraft(rows=[Row()])
    row = _row(data)
    if row is not None:
        return ConditionDraft(rows=[row])
    if isinstance(data, dict) and len(data) == 1:
        mode, parts = next(iter(data.items()))
        if mode in ("all", "any") and isinstance(parts, list):
            rows = [_row(p) for p in parts]
            if all(r is not None for r in rows):
                return ConditionDraft(mode=mode, rows=[r for r in rows if r is not None])
    return ConditionDraft(text=_flow(data))


def _row(data: Any) -> Row | None:
    if not isinstance(data, dict) or "question" not in data or len(data) != 2:
        return None
    op = next(k for k in data if k != "question")
    value = data[op]
    if op == "answered":
        return Row(str(data["question"]), op, answered="true" if value else "false")
    if op == "equals":
        return Row(str(data["question"]), op, [str(value)])
    if op == "includes_at_least" and isinstance(value, dict) and "of" in value:
        return Row(str(data["question"]), op, [str(v) for v in value["of"]], count=str(value.get("count", 1)))
    if op in OPERATORS and isinstance(value, list):
        return Row(str(data["question"]), op, [str(v) for v in value])
    return None


def _flow(data: Any) -> str:
    if isinstance(data, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(_flow(v) for v in data) + "]"
    if isinstance(data, bool):
        return "true" if data else "false"
    text = str(data)
    return f'"{text}"' if text.lower() in ("yes", "no", "on", "off") else text


Getter = Callable[[str], str]
ListGetter = Callable[[str], list[str]]


def from_form(prefix: str, get: Getter, get_list: ListGetter) -> ConditionDraft:
    """Read a draft back from the builder's form fields (named prefix-mode, prefix-0-question ...)."""
    text = get(f"{prefix}-text")
    if get(f"{prefix}-as-text") == "1":
        return ConditionDraft(text=text)
    rows = []
    index = 0
    while get(f"{prefix}-{index}-op"):
        if get(f"{prefix}-{index}-remove") != "1":
            rows.append(
                Row(
                    question=get(f"{prefix}-{index}-question"),
                    op=get(f"{prefix}-{index}-op"),
                    values=get_list(f"{prefix}-{index}-values"),
                    count=get(f"{prefix}-{index}-count") or "1",
                    answered=get(f"{prefix}-{index}-answered") or "true",
                )
            )
        index += 1
    return ConditionDraft(mode=get(f"{prefix}-mode") or "all", rows=rows or [Row()])


def fit(draft: ConditionDraft, options: dict[str, list[str]], multiple: set[str]) -> None:
    """Keep each row's operator and values within what its question offers, after the question changed."""
    for row in draft.rows:
        if row.question not in options:
            row.values = []
            continue
        if row.question in multiple and row.op in SINGLE_ONLY:
            row.op = "includes_any"
        elif row.question not in multiple and row.op in MULTIPLE_ONLY:
            row.op = "one_of"
        row.values = [v for v in row.values if v in options[row.question]]
