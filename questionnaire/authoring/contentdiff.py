"""List what changed between two rule sets: items added, removed or changed, by id and in words.

This is the first half of ``diff``: what an editor did. The second half (diff.py) shows what it does
to people's results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import RuleSet


def _when(item: Any) -> Any:
    return item.when.to_data() if getattr(item, "when", None) is not None else None


def _show_if(item: Any) -> Any:
    return item.show_if.to_data() if item.show_if is not None else None


#: For each kind: a name in words, how to get its items by id, a title, and the parts compared.
Kind = tuple[str, Callable[[RuleSet], dict[str, Any]], Callable[[Any], str], dict[str, Callable[[Any], Any]]]
KINDS: tuple[Kind, ...] = (
    (
        "page",
        lambda rs: {p.id: p for p in rs.pages},
        lambda p: p.title,
        {"title": lambda p: p.title, "intro": lambda p: p.intro, "show_if": _show_if},
    ),
    (
        "question",
        lambda rs: rs.questions,
        lambda q: f"{q.text} (page '{q.page_id}')",
        {
            "text": lambda q: q.text,
            "short name": lambda q: q.short,
            "hint": lambda q: q.hint,
            "page": lambda q: q.page_id,
            "required": lambda q: q.required,
            "show_if": _show_if,
        },
    ),
    (
        "topic",
        lambda rs: rs.categories,
        lambda c: c.title,
        {
            "title": lambda c: c.title,
            "summary": lambda c: c.summary,
            "evidence": lambda c: c.evidence,
            "education": lambda c: c.education,
            "things to try": lambda c: c.things_to_try,
            "provider prompts": lambda c: c.provider_prompts,
            "sources": lambda c: c.sources,
        },
    ),
    (
        "rule",
        lambda rs: {r.id: r for r in rs.rules},
        lambda r: f"topic {r.category}, weight {r.weight}",
        {
            "condition": _when,
            "topic": lambda r: r.category,
            "weight": lambda r: r.weight,
            "reason": lambda r: r.reason,
            "provider prompts": lambda r: r.provider_prompts,
        },
    ),
    (
        "urgent notice",
        lambda rs: {n.id: n for n in rs.urgent},
        lambda n: f"{n.tier}: {n.title}",
        {
            "condition": _when,
            "tier": lambda n: n.tier,
            "title": lambda n: n.title,
            "message": lambda n: n.message,
            "reason": lambda n: n.reason,
        },
    ),
    (
        "section",
        lambda rs: {s.id: s for s in rs.sections},
        lambda s: s.title,
        {"condition": _when, "title": lambda s: s.title, "parts": lambda s: tuple(p.text for p in s.parts)},
    ),
    (
        "ending",
        lambda rs: {e.id: e for e in rs.endings},
        lambda e: e.title,
        {"condition": _when, "title": lambda e: e.title, "message": lambda e: e.message},
    ),
)


def changes(old: RuleSet, new: RuleSet) -> list[str]:
    """Return one line per item added, removed or changed from old to new."""
    lines: list[str] = []
    for name, get, title, parts in KINDS:
        before, after = get(old), get(new)
        lines += [f"new {name} '{i}': {title(after[i])}" for i in after if i not in before]
        lines += [f"removed {name} '{i}': {title(before[i])}" for i in before if i not in after]
        for item_id in (i for i in after if i in before):
            changed = [part for part, read in parts.items() if read(before[item_id]) != read(after[item_id])]
            if changed:
                lines.append(f"{name} '{item_id}': {', '.join(changed)} changed")
    for qid in (q for q in new.questions if q in old.questions):
        lines += _options(qid, old.questions[qid], new.questions[qid])
    if lines and old.version == new.version:
        lines.insert(0, f"the version is still {new.version}: raise it in ruleset.yaml")
    return lines


def _options(qid: str, old: Any, new: Any) -> list[str]:
    before = {o.value: o for o in old.options}
    after = {o.value: o for o in new.options}
    lines = [f"question '{qid}': new option '{v}' ({o.label})" for v, o in after.items() if v not in before]
    lines += [f"question '{qid}': removed option '{v}' ({o.label})" for v, o in before.items() if v not in after]
    lines += [
        f"question '{qid}': option '{v}' label changed: {before[v].label} -> {o.label}"
        for v, o in after.items()
        if v in before and before[v].label != o.label
    ]
    return lines
