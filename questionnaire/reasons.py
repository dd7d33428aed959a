"""Build the reason shown for a rule or urgent notice that fired: its sentence and the answers behind it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .conditions import Any, Condition, nodes
from .model import DEFAULT_WORDS, Answers, Question, Rule, RuleSet, UrgentNotice
from .operators import Predicate
from .result import Reason
from .text import join_words, quote_label, split_template


@dataclass(frozen=True, slots=True)
class Quoted:
    """Say how one question's answer reads inside a reason."""

    id: str
    #: The option values in the order the question lists them.
    values: tuple[str, ...]
    #: How each value reads in a sentence: its phrase, or its label with the first letter lowered.
    labels: dict[str, str]
    #: The values the condition looks for; a multiple-choice answer quotes those when it has any.
    focus: frozenset[str]
    #: The rule set's words for "and" and for an unanswered question, in its language.
    vocabulary: Mapping[str, str] = field(default_factory=lambda: DEFAULT_WORDS)

    def chosen(self, value: frozenset[str]) -> list[str]:
        """Return the options of a multiple-choice answer to quote, in option order."""
        focus = self.focus
        picked = value & focus if focus and not value.isdisjoint(focus) else value
        return [v for v in self.values if v in picked]

    def words(self, value: str | frozenset[str]) -> str:
        """Return the answer as words for a sentence: 'very poorly', 'light and noise'."""
        if isinstance(value, str):
            label = self.labels.get(value)
            return label if label is not None else quote_label(value)
        return join_words([self.labels[v] for v in self.chosen(value)], self.vocabulary["and"])


def quoted(question: Question, focus: frozenset[str] = frozenset(), words: Mapping[str, str] = DEFAULT_WORDS) -> Quoted:
    """Return how to quote a question's answers, looking for the given values first."""
    labels: dict[str, str] = {}
    for option in question.options:
        labels.setdefault(option.value, option.phrase or quote_label(option.label))
    return Quoted(question.id, tuple(o.value for o in question.options), labels, focus, words)


@dataclass(frozen=True, slots=True)
class Item:
    """Hold what explaining one rule or urgent notice needs, worked out once per rule set."""

    item: Rule | UrgentNotice
    id: str
    weight: int
    #: The rule's category, or "" for an urgent notice.
    category: str
    #: The category's position in the categories file, for ranking ties.
    rank: int
    prompts: tuple[str, ...]
    test: Predicate
    when: Condition
    #: The reason split into text, answer to quote, text, ... (None for a question that does not exist).
    pieces: tuple[str | Quoted | None, ...]
    #: The questions the condition reads, in page order.
    reads: tuple[Quoted, ...]
    #: True when the answers quoted do not depend on which parts held (no ``any`` inside).
    fixed: bool
    #: The questions whose answers decide the reason (those read and those quoted), in order.
    keys: tuple[str, ...]
    #: Reasons already worked out, by the answers to ``keys``: the text and the answers to show.
    memo: dict[object, tuple[str, dict[str, str | tuple[str, ...]], bool]]


def item(ruleset: RuleSet, entry: Rule | UrgentNotice, order: dict[str, int], ranks: dict[str, int]) -> Item:
    """Work out once how to explain one rule or urgent notice."""
    focus: dict[str, frozenset[str]] = {}
    for leaf in entry.when.leaves():
        focus[leaf.question] = focus.get(leaf.question, frozenset()) | leaf.values

    def quote(qid: str) -> Quoted | None:
        question = ruleset.questions.get(qid)
        return None if question is None else quoted(question, focus.get(qid, frozenset()), ruleset.words)

    parts = split_template(entry.reason)
    pieces = tuple(part if i % 2 == 0 else quote(part) for i, part in enumerate(parts))
    reads = tuple(q for q in map(quote, sorted(entry.when.questions() & order.keys(), key=order.__getitem__)) if q)
    fixed = not any(isinstance(node, Any) for node in nodes(entry.when))
    keys = tuple(dict.fromkeys([*(q.id for q in reads), *(p.id for p in pieces if isinstance(p, Quoted))]))
    rule = entry if isinstance(entry, Rule) else None
    return Item(
        item=entry,
        id=entry.id,
        weight=rule.weight if rule else 0,
        category=rule.category if rule else "",
        rank=ranks.get(rule.category, -1) if rule else -1,
        prompts=rule.provider_prompts if rule else (),
        test=entry.when.compiled,
        when=entry.when,
        pieces=pieces,
        reads=reads,
        fixed=fixed,
        keys=keys,
        memo={},
    )


#: Reasons remembered per item: enough for the common answers, and a bound on memory.
MEMO_LIMIT = 512


def reason(plan: Item, answers: Answers) -> Reason:
    """Return the reason for an item that fired under these (shown) answers.

    The reason depends only on the answers to the item's own questions, so it is worked out once per
    distinct set of those answers and remembered on the item; every Reason returned is a fresh object.
    """
    keys = plan.keys
    key = answers.get(keys[0]) if len(keys) == 1 else tuple(map(answers.get, keys))
    try:
        known = plan.memo.get(key)
    except TypeError:  # an answer that is not a string or a frozenset (not validated): work it out
        key, known = None, None
    if known is None:
        support: Answers | list[str] = answers if plan.fixed else plan.when.supporting(answers)
        data: dict[str, str | tuple[str, ...]] = {}
        for quote in plan.reads:
            if quote.id in support:
                value = answers[quote.id]
                data[quote.id] = value if isinstance(value, str) else tuple(quote.chosen(value))
        known = (fill(plan.pieces, answers), data, all(v.__class__ is str for v in data.values()))
        if key is not None:
            if len(plan.memo) >= MEMO_LIMIT:
                plan.memo.clear()
            plan.memo[key] = known
    text, quoted, plain = known
    if plain:  # only single answers: a copy of the dict is a fresh, independent one
        return Reason(plan.id, text, plan.weight, quoted.copy())  # type: ignore[arg-type]
    return Reason(plan.id, text, plan.weight, {q: v if v.__class__ is str else list(v) for q, v in quoted.items()})


def fill(pieces: tuple[str | Quoted | None, ...], answers: Answers) -> str:
    """Put the person's answers into a reason split by split_template."""
    if len(pieces) == 1:
        return pieces[0]  # type: ignore[return-value]
    out = [pieces[0]]
    for index in range(1, len(pieces), 2):
        quote = pieces[index]
        value = answers.get(quote.id) if isinstance(quote, Quoted) else None
        if value is None:
            out.append(quote.vocabulary["not_answered"] if isinstance(quote, Quoted) else DEFAULT_WORDS["not_answered"])
        else:
            out.append(quote.words(value))  # type: ignore[union-attr]
        out.append(pieces[index + 1])
    return "".join(out)  # type: ignore[arg-type]
