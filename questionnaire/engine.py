"""Evaluate answers against a rule set: urgent notices first, then ranked categories, with reasons."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import Any

from .answers import AnswerProblem
from .conditions import All, Condition, Leaf, Not
from .conditions import Any as AnyOf
from .flow import ending as find_ending
from .flow import visible_answers_and_unanswered
from .model import TIERS, Answers, Category, Ending, Question, Rule, RuleSet, Section, SectionPart, UrgentNotice
from .text import compile_template, join_words, option_labels, quote_label

TIER_ORDER = {tier: rank for rank, tier in enumerate(TIERS)}


@dataclass(slots=True)
class Reason:
    """Explain why something was shown: which rule fired and on which answers.

    Not frozen: a frozen dataclass is built through object.__setattr__ per field, which
    tripled the cost of making one; treat it as read-only all the same.
    """

    rule_id: str
    text: str
    weight: int
    answers: dict[str, str | list[str]]


@dataclass(slots=True)
class CategoryMatch:
    """Hold one matched category with its score, reasons and prompts."""

    category: Category
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class UrgentMatch:
    """Hold one urgent notice that applies, with its reason."""

    notice: UrgentNotice
    reason: Reason


@dataclass(frozen=True, slots=True)
class SectionMatch:
    """Hold a section shown outside the ranked topics, with the parts shown for these answers."""

    section: Section
    parts: tuple[SectionPart, ...]


@dataclass(slots=True)
class Assessment:
    """Hold the whole result of one evaluation."""

    ruleset: RuleSet
    answers: dict[str, str | frozenset[str]]
    urgent: list[UrgentMatch]
    categories: list[CategoryMatch]
    other_categories: list[Category]
    unanswered: list[Question]
    fired: dict[str, bool]
    sections: list[SectionMatch] = field(default_factory=list)
    #: Each score that could be worked out (every question it adds up answered): id -> total.
    scores: dict[str, int] = field(default_factory=dict)
    ending: Ending | None = None
    notes: list[AnswerProblem] = field(default_factory=list)

    @property
    def urgent_tier(self) -> str | None:
        """Return the most urgent tier shown, or None."""
        return self.urgent[0].notice.tier if self.urgent else None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data, the shape the CLI and the API print."""
        rs = self.ruleset
        return {
            "ruleset": {"name": rs.name, "version": rs.version, "last_reviewed": rs.last_reviewed},
            "disclaimer": rs.disclaimer,
            "urgent_tier": self.urgent_tier,
            "urgent": [
                {
                    "id": m.notice.id,
                    "tier": m.notice.tier,
                    "title": m.notice.title,
                    "message": m.notice.message,
                    "crisis": m.notice.crisis,
                    "reason": _reason(m.reason),
                    "sources": _sources(m.notice.sources),
                }
                for m in self.urgent
            ],
            "ending": None
            if self.ending is None
            else {"id": self.ending.id, "title": self.ending.title, "message": self.ending.message},
            "categories": [
                {
                    "id": m.category.id,
                    "title": m.category.title,
                    "summary": m.category.summary,
                    "evidence": m.category.evidence,
                    "score": m.score,
                    "reasons": [_reason(r) for r in m.reasons],
                    "provider_prompts": m.prompts,
                    "things_to_try": list(m.category.things_to_try),
                    "claims": [{"text": c.text, "evidence": c.evidence} for c in m.category.claims],
                    "sources": _sources(m.category.sources),
                }
                for m in self.categories
            ],
            "sections": [
                {
                    "id": m.section.id,
                    "title": m.section.title,
                    "evidence": m.section.evidence,
                    "parts": [p.text for p in m.parts],
                    "provider_prompts": list(m.section.provider_prompts),
                    "sources": _sources(m.section.sources),
                }
                for m in self.sections
            ],
            "scores": [
                {
                    "id": sid,
                    "title": rs.scores[sid].title,
                    "total": total,
                    "maximum": rs.scores[sid].maximum,
                    "note": rs.scores[sid].note,
                }
                for sid, total in self.scores.items()
            ],
            "other_categories": [{"id": c.id, "title": c.title, "summary": c.summary} for c in self.other_categories],
            "unanswered": [q.id for q in self.unanswered],
            "answers": answers_to_data(rs, self.answers),
            "fired": dict(self.fired),
            "notes": [n.as_dict() for n in self.notes],
        }

    def to_json(self) -> str:
        """Return the result as JSON text, byte for byte the same from every door."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _sources(sources: tuple[Any, ...]) -> list[dict[str, str]]:
    return [{"name": s.name, "url": s.url} for s in sources]


def _reason(reason: Reason) -> dict[str, Any]:
    return {"rule": reason.rule_id, "text": reason.text, "weight": reason.weight, "answers": reason.answers}


def answers_to_data(ruleset: RuleSet, answers: Answers) -> dict[str, str | list[str]]:
    """Return answers as JSON-ready data, lists in option order, questions in page order."""
    data: dict[str, str | list[str]] = {}
    for qid, question in ruleset.questions.items():
        if qid in answers:
            value = answers[qid]
            data[qid] = value if isinstance(value, str) else question.ordered(value)
    return data


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- the evaluation plan: everything that depends only on the rule set, built once ---------------

Support = tuple[str, ...] | Callable[[Answers], "set[str] | list[str]"]


def _static(condition: Condition) -> tuple[str, ...] | None:
    """Return the supporting question ids when they do not depend on which parts were true.

    That holds with no ``any`` inside (``not`` quotes every question it reads, whatever the
    answers): the support is then these ids, kept when answered. None otherwise.
    """
    kind = type(condition)
    if kind is Leaf:
        return (condition.question,)  # type: ignore[attr-defined]
    if kind is Not:
        return tuple(sorted(condition.part.questions()))  # type: ignore[attr-defined]
    if kind is All:
        subs = [_static(p) for p in condition.parts]  # type: ignore[attr-defined]
        if all(sub is not None for sub in subs):
            return tuple(dict.fromkeys(q for sub in subs for q in sub))  # type: ignore[union-attr]
    return None


def _support_lines(condition: Condition, consts: list[object], indent: str) -> list[str] | None:
    """Return statements adding the supporting ids to the set ``out``; None for an unknown kind of condition."""
    fixed = _static(condition)
    if fixed is not None:
        if len(fixed) == 1:
            return [f"{indent}if {fixed[0]!r} in a:", f"{indent}    out.add({fixed[0]!r})"]
        consts.append(fixed)
        return [f"{indent}out.update([q for q in _c{len(consts) - 1} if q in a])"]
    kind = type(condition)
    lines: list[str] = []
    if kind is All:
        for part in condition.parts:  # type: ignore[attr-defined]
            sub = _support_lines(part, consts, indent)
            if sub is None:
                return None
            lines += sub
        return lines
    if kind is AnyOf:
        for part in condition.parts:  # type: ignore[attr-defined]
            sub = _support_lines(part, consts, indent + "    ")
            if sub is None:
                return None
            lines += [f"{indent}if {part.source(consts)}:", *sub]
        return lines
    return None


def _support(condition: Condition) -> Support:
    """Return how to find the answers that made a condition true: the ids ``supporting`` gives.

    A tuple means "these question ids, kept when answered". Otherwise a function generated from
    the tree (the parts of each ``any`` tested with the same expressions as compile_condition)
    returning the set of those ids, compiled on first use rather than at load.
    """
    fixed = _static(condition)
    if fixed is not None:
        return fixed
    consts: list[object] = []
    body = _support_lines(condition, consts, "    ")
    if body is None:
        return condition.supporting
    source = "\n".join(["def support(a):", "    out = set()", *body, "    return out"])
    built: list[Callable[[Answers], set[str]]] = []

    def support(answers: Answers) -> set[str]:
        if not built:  # compiled on first use; append is atomic, a race only compiles twice
            namespace: dict[str, object] = {"_E": frozenset(), "__builtins__": {"len": len, "set": set}}
            namespace.update({f"_c{i}": c for i, c in enumerate(consts)})
            exec(compile(source, f"<support {condition.location}>", "exec"), namespace)  # noqa: S102 - see compile_condition
            built.append(namespace["support"])  # type: ignore[arg-type]
        return built[0](answers)

    return support


class _Chooser:
    """Pick what to quote of a multiple-choice answer, remembering the result per answer.

    The options the condition looks for, if any were chosen, else every chosen option; in
    option order, and as words ("a, b and c"). Results are immutable tuples and strings, so they
    are shared safely; the lists put into a Reason are fresh copies.
    """

    __slots__ = ("cache", "labels", "values", "wanted")
    LIMIT = 256

    def __init__(self, values: tuple[str, ...], labels: dict[str, str], wanted: frozenset[str] | None) -> None:
        self.values = values
        self.labels = labels
        self.wanted = wanted
        self.cache: dict[frozenset[str], tuple[tuple[str, ...], str]] = {}

    def pick(self, value: frozenset[str]) -> tuple[tuple[str, ...], str]:
        """Return the options to quote, in order, and the same as words."""
        try:
            found = self.cache.get(value)
            keep = True
        except TypeError:  # not hashable (not a validated answer): work it out every time
            found, keep = None, False
        if found is None:
            wanted = self.wanted
            chosen = value & wanted if wanted and not value.isdisjoint(wanted) else value
            ordered = tuple(v for v in self.values if v in chosen)
            found = (ordered, join_words([self.labels[v] for v in ordered]))
            if keep and len(self.cache) < self.LIMIT:
                self.cache[value] = found
        return found


#: How to quote one question's answer: its id, its option values in order, each value's quoted
#: label, and how to pick what to quote of a multiple-choice answer.
_Quote = tuple[str, tuple[str, ...], dict[str, str], _Chooser]


@dataclass(frozen=True, slots=True)
class _Item:
    """Hold what explaining one rule or notice needs, worked out once."""

    item: Rule | UrgentNotice
    id: str
    weight: int
    category: str
    #: The category's position in the categories file, for ranking ties.
    rank: int
    prompts: tuple[str, ...]
    #: Build the Reason for answers under which this item fired.
    explain: Callable[[Answers], Reason]


def _quote_plan(ruleset: RuleSet, qid: str, focus: dict[str, frozenset[str]]) -> _Quote | None:
    question = ruleset.questions.get(qid)
    if question is None:
        return None
    values, labels = option_labels(question)
    return (qid, values, labels, _Chooser(values, labels, focus.get(qid)))


def _word(spec: _Quote | None, answers: Answers) -> str:
    """Quote one answer as text.quote does, from the precomputed labels."""
    if spec is None:
        return "not answered"
    qid, _, labels, chooser = spec
    value = answers.get(qid)
    if value is None:
        return "not answered"
    if isinstance(value, str):
        label = labels.get(value)
        return label if label is not None else quote_label(value)
    return chooser.pick(value)[1]


def _item(ruleset: RuleSet, item: Rule | UrgentNotice, question_order: dict[str, int]) -> _Item:
    focus: dict[str, frozenset[str]] = {}
    for leaf in item.when.leaves():
        if isinstance(leaf, Leaf) and leaf.values:
            focus[leaf.question] = focus.get(leaf.question, frozenset()) | leaf.values
    support = _support(item.when)
    pieces = tuple(
        part if i % 2 == 0 else _quote_plan(ruleset, part, focus)
        for i, part in enumerate(compile_template(item.reason))
    )
    weight = item.weight if isinstance(item, Rule) else 0
    if isinstance(support, tuple):
        known = sorted((q for q in support if q in question_order), key=question_order.__getitem__)
        quoted = tuple(q for q in (_quote_plan(ruleset, qid, focus) for qid in known) if q is not None)
        explain = _fixed_explainer(item.id, weight, quoted, pieces)
    else:
        reads = sorted((q for q in item.when.questions() if q in question_order), key=question_order.__getitem__)
        quoted = tuple(q for q in (_quote_plan(ruleset, qid, focus) for qid in reads) if q is not None)
        explain = _general_explainer(item.id, weight, support, quoted, pieces)
    if isinstance(item, Rule):
        rank = list(ruleset.categories).index(item.category) if item.category in ruleset.categories else -1
        return _Item(item, item.id, weight, item.category, rank, item.provider_prompts, explain)
    return _Item(item, item.id, 0, "", -1, (), explain)


def _text(pieces: tuple[Any, ...]) -> Callable[[Answers], str]:
    """Return a function filling the reason, as text.fill does."""
    if len(pieces) == 3 and pieces[1] is not None:
        head, spec, tail = pieces
        qid, _, labels, _ = spec

        def one(answers: Answers) -> str:
            value = answers.get(qid)
            label = labels.get(value) if isinstance(value, str) else None
            return head + (label if label is not None else _word(spec, answers)) + tail

        return one

    def many(answers: Answers) -> str:
        out = [pieces[0]]
        for index in range(1, len(pieces), 2):
            out.append(_word(pieces[index], answers))
            out.append(pieces[index + 1])
        return "".join(out)

    return many


def _fixed_explainer(
    rid: str, weight: int, quoted: tuple[_Quote, ...], pieces: tuple[Any, ...]
) -> Callable[[Answers], Reason]:
    """Explain an item whose supporting questions are fixed: quote those that are answered."""
    fill_text = _text(pieces) if len(pieces) > 1 else None
    constant = pieces[0]
    if len(quoted) == 1 and len(pieces) == 3 and pieces[1] is not None and pieces[1][0] == quoted[0][0]:
        # The commonest shape: one question, quoted once in the reason ("You said you sleep {sleep_quality}.").
        head, spec, tail = pieces
        qid, _, labels, chooser = spec
        missing = head + "not answered" + tail
        texts = {value: head + label + tail for value, label in labels.items()}  # each single answer's reason

        def explain_quoting(answers: Answers) -> Reason:
            if qid in answers:
                value = answers[qid]
                if value.__class__ is str:
                    text = texts.get(value)
                    if text is not None:
                        return Reason(rid, text, weight, {qid: value})
                if isinstance(value, str):
                    label = labels.get(value)
                    text = head + (label if label is not None else quote_label(value)) + tail
                    return Reason(rid, text, weight, {qid: value})
                ordered, words = chooser.pick(value)
                return Reason(rid, head + words + tail, weight, {qid: list(ordered)})
            return Reason(rid, missing, weight, {})

        return explain_quoting
    if len(quoted) == 1:
        qid, _, _, chooser = quoted[0]

        def explain_one(answers: Answers) -> Reason:
            text = constant if fill_text is None else fill_text(answers)
            if qid in answers:
                value = answers[qid]
                if isinstance(value, str):
                    return Reason(rid, text, weight, {qid: value})
                return Reason(rid, text, weight, {qid: list(chooser.pick(value)[0])})
            return Reason(rid, text, weight, {})

        return explain_one

    def explain(answers: Answers) -> Reason:
        data: dict[str, str | list[str]] = {}
        for qid, _, _, chooser in quoted:
            if qid in answers:
                value = answers[qid]
                data[qid] = value if isinstance(value, str) else list(chooser.pick(value)[0])
        return Reason(rid, constant if fill_text is None else fill_text(answers), weight, data)

    return explain


def _general_explainer(
    rid: str,
    weight: int,
    support: Callable[[Answers], set[str] | list[str]],
    quoted: tuple[_Quote, ...],
    pieces: tuple[Any, ...],
) -> Callable[[Answers], Reason]:
    """Explain an item whose supporting questions depend on which parts were true.

    ``quoted`` lists every question the condition reads, in page order; those the support
    function names are quoted, so no sorting happens per assessment.
    """
    fill_text = _text(pieces) if len(pieces) > 1 else None
    constant = pieces[0]

    def explain(answers: Answers) -> Reason:
        chosen = support(answers)
        data: dict[str, str | list[str]] = {}
        for qid, _, _, chooser in quoted:
            if qid in chosen:
                value = answers[qid]
                data[qid] = value if isinstance(value, str) else list(chooser.pick(value)[0])
        return Reason(rid, constant if fill_text is None else fill_text(answers), weight, data)

    return explain


@dataclass(frozen=True, slots=True)
class _Plan:
    """Hold a rule set's compiled conditions and everything assess looks up, built once."""

    check_all: Callable[[Answers], dict[str, bool]]
    unique_ids: bool
    check_each: Callable[[Answers], tuple[bool, ...]]
    ids: tuple[str, ...]
    urgent: tuple[_Item, ...]
    rules: tuple[_Item, ...]
    question_order: dict[str, int]
    category_order: dict[str, int]
    prompt_keys: dict[str, str]
    #: Per category whose prompts all differ: its prompts and their keys.
    category_prompts: dict[str, tuple[tuple[str, ...], frozenset[str]]]
    category_items: tuple[tuple[str, Category], ...]


def _compile_all(ids: list[str], conditions: list[Condition]) -> Callable[[Answers], dict[str, bool]]:
    """Compile every condition into one function returning ``{id: fired}`` in order.

    Each distinct question test is generated once, by the same code as compile_condition, into a
    local variable; each rule is then ``and``/``or``/``not`` over those locals. Rules share many
    tests, so a large rule set runs far fewer tests and compiles far less code; all tests are run
    (they have no side effects on validated answers). The ids must be unique (the loader makes sure).
    """
    consts: list[object] = []
    tests: dict[tuple[object, ...], str] = {}
    reads: dict[str, str] = {}  # each answer look-up, made once: "a.get('q')" -> local name
    lines = ["def check_all(a):"]

    def read(expression: str) -> str:
        name = reads.get(expression)
        if name is None:
            name = reads[expression] = f"v{len(reads)}"
            lines.append(f"    {name} = {expression}")
        return name

    def expression(condition: Condition) -> str:
        kind = type(condition)
        if kind is Leaf:
            leaf: Leaf = condition  # type: ignore[assignment]
            key = (leaf.question, leaf.operator, leaf.values, leaf.count, leaf.expected)
            name = tests.get(key)
            if name is None:
                q = repr(leaf.question)
                if leaf.operator == "answered":
                    test = leaf.source_over(consts, "", "", read(f"({q} in a)"))
                elif leaf.operator in ("equals", "one_of"):
                    test = leaf.source_over(consts, read(f"a.get({q})"), "", "")
                else:
                    test = leaf.source_over(consts, "", read(f"a.get({q}, _E)"), "")
                name = tests[key] = f"t{len(tests)}"
                lines.append(f"    {name} = {test}")
            return name
        if kind is All:
            return "(" + " and ".join(expression(p) for p in condition.parts) + ")"  # type: ignore[attr-defined]
        if kind is AnyOf:
            return "(" + " or ".join(expression(p) for p in condition.parts) + ")"  # type: ignore[attr-defined]
        if kind is Not:
            return f"(not {expression(condition.part)})"  # type: ignore[attr-defined]
        return condition.source(consts)

    body = ", ".join(f"{rid!r}: {expression(c)}" for rid, c in zip(ids, conditions, strict=True))
    lines.append(f"    return {{{body}}}")
    namespace: dict[str, object] = {"_E": frozenset(), "__builtins__": {"len": len}}
    namespace.update({f"_c{i}": c for i, c in enumerate(consts)})
    exec(compile("\n".join(lines), "<rule set conditions>", "exec"), namespace)  # noqa: S102 - see compile_condition
    return namespace["check_all"]  # type: ignore[return-value]


def _each(conditions: list[Condition]) -> Callable[[Answers], tuple[bool, ...]]:
    """Evaluate one by one, returning one result per item."""
    checks = [c.compiled for c in conditions]
    return lambda a: tuple(check(a) for check in checks)


def _fired_by_zip(ids: tuple[str, ...], conditions: list[Condition]) -> Callable[[Answers], dict[str, bool]]:
    """Evaluate one by one when ids repeat (a rule set not built by the loader): the last one wins."""
    each = _each(conditions)
    return lambda a: dict(zip(ids, each(a), strict=True))


def _build(ruleset: RuleSet) -> _Plan:
    items = [*ruleset.urgent, *ruleset.rules]
    prompts = [p for r in ruleset.rules for p in r.provider_prompts]
    prompts += [p for c in ruleset.categories.values() for p in c.provider_prompts]
    keys = {p: _same(p) for p in prompts}
    category_prompts = {}
    for cid, category in ruleset.categories.items():
        own = [keys[p] for p in category.provider_prompts]
        if len(set(own)) == len(own):  # the fast path in assess needs them all different
            category_prompts[cid] = (category.provider_prompts, frozenset(own))
    question_order = {qid: i for i, qid in enumerate(ruleset.questions)}
    ids = [i.id for i in items]
    whens = [i.when for i in items]
    unique = len(set(ids)) == len(ids)
    return _Plan(
        check_all=_compile_all(ids, whens) if unique else _fired_by_zip(tuple(ids), whens),
        unique_ids=unique,
        check_each=(lambda a: ()) if unique else _each(whens),
        ids=tuple(i.id for i in items),
        urgent=tuple(_item(ruleset, n, question_order) for n in ruleset.urgent),
        rules=tuple(_item(ruleset, r, question_order) for r in ruleset.rules),
        question_order=question_order,
        category_order={cid: i for i, cid in enumerate(ruleset.categories)},
        prompt_keys=keys,
        category_prompts=category_prompts,
        category_items=tuple(ruleset.categories.items()),
    )


_PLANS: dict[int, tuple[RuleSet, _Plan]] = {}
_PLANS_MAX = 16


def prepare(ruleset: RuleSet) -> None:
    """Compile a rule set's conditions and look-up tables now rather than on the first assessment."""
    _plan(ruleset)
    visible_answers_and_unanswered(ruleset, {})


def _plan(ruleset: RuleSet) -> _Plan:
    entry = _PLANS.get(id(ruleset))
    if entry is not None and entry[0] is ruleset:
        return entry[1]
    plan = _build(ruleset)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    # The entry holds the rule set itself, so its id cannot be reused while it is cached.
    _PLANS[id(ruleset)] = (ruleset, plan)
    return plan


def fired(ruleset: RuleSet, answers: Answers) -> dict[str, bool]:
    """Return which rules and urgent notices fire, without reasons: ``assess(...).fired``, cheaper."""
    plan = _plan(ruleset)
    shown, _ = visible_answers_and_unanswered(ruleset, answers)
    return plan.check_all(shown)


_by_weight = attrgetter("weight")


def scores(ruleset: RuleSet, answers: Answers) -> dict[str, int]:
    """Return each score whose questions are all answered: id -> total of the chosen options' points."""
    out: dict[str, int] = {}
    for sid, score in ruleset.scores.items():
        total = 0
        for qid in score.questions:
            value = answers.get(qid)
            if value is None:
                break
            question = ruleset.questions[qid]
            chosen = (value,) if isinstance(value, str) else value
            total += sum(o.score or 0 for o in question.options if o.value in chosen)
        else:
            out[sid] = total
    return out


def matching_sections(ruleset: RuleSet, answers: Answers) -> list[SectionMatch]:
    """Return the sections shown for these (visible) answers, each with its parts for them."""
    return [
        SectionMatch(s, tuple(p for p in s.parts if p.when is None or p.when.compiled(answers)))
        for s in ruleset.sections
        if s.when is None or s.when.compiled(answers)
    ]


def assess(ruleset: RuleSet, answers: Answers, notes: list[AnswerProblem] | None = None) -> Assessment:
    """Evaluate already-validated answers; answers to hidden questions are ignored.

    When an ending applies (for example the person is under 18) no topic or section is given,
    but urgent notices still are: a warning sign matters whoever reports it.
    """
    plan = _plan(ruleset)
    shown, missing = visible_answers_and_unanswered(ruleset, answers)
    ended = find_ending(ruleset, shown)
    fired = plan.check_all(shown)
    # One result per item, urgent notices first: compress takes an item before its result, so the
    # urgent pass stops exactly where the rules' results begin.
    hits = iter(fired.values() if plan.unique_ids else plan.check_each(shown))

    urgent = [UrgentMatch(it.item, it.explain(shown)) for it in compress(plan.urgent, hits)]  # type: ignore[arg-type]
    if len(urgent) > 1:
        urgent.sort(key=lambda m: TIER_ORDER[m.notice.tier])

    # Per matched category: [-score, category position, id, reasons, rule prompts], in the order rules fire.
    found: dict[str, list[Any]] = {}
    for it in compress(plan.rules, hits):
        reason = it.explain(shown)
        entry = found.get(it.category)
        if entry is None:
            found[it.category] = [-it.weight, it.rank, it.category, [reason], list(it.prompts)]
        else:
            entry[0] -= it.weight
            entry[3].append(reason)
            if it.prompts:
                entry[4].extend(it.prompts)

    categories = ruleset.categories
    seen: set[str] = set()
    keys = plan.prompt_keys
    category_prompts = plan.category_prompts
    ranked: list[CategoryMatch] = []
    # Highest score first, ties in category file order (positions are unique, so lists compare on those two).
    for negative, _, cid, reasons, rule_prompts in sorted(found.values()):
        category = categories[cid]
        if len(reasons) > 1:
            reasons.sort(key=_by_weight, reverse=True)  # stable, like sorting by -weight
        prompts = []
        for prompt in rule_prompts:
            key = keys.get(prompt)
            if key is None:
                key = _same(prompt)
            if key not in seen:
                seen.add(key)
                prompts.append(prompt)
        own = category_prompts.get(cid)
        if own is not None and own[0] is category.provider_prompts and seen.isdisjoint(own[1]):
            # None of this category's prompts was shown yet and they differ from each other: keep them all.
            prompts.extend(own[0])
            seen.update(own[1])
        else:
            for prompt in category.provider_prompts:
                key = keys.get(prompt)
                if key is None:
                    key = _same(prompt)
                if key not in seen:
                    seen.add(key)
                    prompts.append(prompt)
        ranked.append(CategoryMatch(category, -negative, reasons, prompts))
    others = [c for cid, c in plan.category_items if cid not in found]
    if ended is not None:
        return Assessment(
            ruleset, shown, urgent, [], [], missing, fired, [], scores(ruleset, shown), ended, notes or []
        )
    return Assessment(
        ruleset,
        shown,
        urgent,
        ranked,
        others,
        missing,
        fired,
        matching_sections(ruleset, shown),
        scores(ruleset, shown),
        None,
        notes or [],
    )
