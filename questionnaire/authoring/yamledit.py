"""Edit rule files in place with ruamel.yaml's round-trip mode, so comments, order and layout stay as written.

Only the values an editor changed are replaced, each in the style it had (``|`` blocks stay blocks,
quoted text stays quoted, one-line ``{...}`` conditions stay on one line), so the file's diff shows
the edited lines and nothing else. A file that ruamel cannot reproduce byte for byte is refused
rather than rewritten.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

#: Where each kind of item lives: its file, and the list (or lists) holding it.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ruleset": ("ruleset.yaml", ()),
    "page": ("questions.yaml", ("pages",)),
    "question": ("questions.yaml", ("pages", "questions")),
    "ending": ("questions.yaml", ("endings",)),
    "category": ("categories.yaml", ("categories",)),
    "rule": ("rules.yaml", ("rules",)),
    "notice": ("urgent.yaml", ("urgent",)),
    "section": ("sections.yaml", ("sections",)),
}
# Words YAML 1.1 readers take for true/false/null: written quoted, as the rule files already do.
_AMBIGUOUS = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null|~)$", re.IGNORECASE)


class EditError(Exception):
    """Refuse an edit that cannot be made safely."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the author wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class EditableFile:
    """Hold one rule file's text and its round-trip data."""

    name: str
    text: str
    data: Any

    @classmethod
    def parse(cls, name: str, text: str) -> EditableFile:
        """Read a file's text, refusing one that would not be written back exactly as it was."""
        data = _yaml().load(text)
        if dump(data) != text:
            raise EditError(
                f"{name} cannot be edited here without changing its layout; edit it in a text editor instead"
            )
        return cls(name, text, data)

    def dumped(self) -> str:
        """Return the file's text with the edits made so far."""
        return dump(self.data)


def dump(data: Any) -> str:
    """Write round-trip data back to YAML text."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def items(data: Any, kind: str) -> Iterator[CommentedMap]:
    """Yield every item of a kind in a file's data, in file order."""
    _, keys = KINDS[kind]
    if not keys:
        yield data
        return
    for parent in data.get(keys[0]) or []:
        if len(keys) == 1:
            yield parent
        else:
            yield from parent.get(keys[1]) or []


def find(data: Any, kind: str, item_id: str) -> CommentedMap:
    """Return the item of a kind with this id, or raise EditError."""
    for item in items(data, kind):
        if kind == "ruleset" or item.get("id") == item_id:
            return item
    raise EditError(f"there is no {kind} '{item_id}'")


def styled(old: Any, new: str) -> Any:
    """Return new text in the style of the old value: block, folded, quoted or plain."""
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new if new.endswith("\n") or not str(old).endswith("\n") else new + "\n")
    if isinstance(old, FoldedScalarString):
        return FoldedScalarString(new)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    if "\n" in new:
        return LiteralScalarString(new if new.endswith("\n") else new + "\n")
    return DoubleQuotedScalarString(new) if _AMBIGUOUS.match(new) else new


def set_text(item: CommentedMap, key: str, value: str | None) -> None:
    """Set a text key, keeping its style; an empty value removes an optional key."""
    if not value:
        if key in item:
            del item[key]
        return
    old = item.get(key)
    if old is not None and str(old) == value:
        return
    if old is not None and isinstance(old, LiteralScalarString) and str(old).rstrip("\n") == value.rstrip("\n"):
        return  # a textarea drops the final newline of a | block; that is not an edit
    item[key] = styled(old, value)


def set_list(item: CommentedMap, key: str, values: list[str]) -> None:
    """Set a list of texts, keeping each unchanged item and the list's own style."""
    old = item.get(key)
    if old is not None and [str(v) for v in old] == values:
        return
    if not values:
        if key in item:
            del item[key]
        return
    if isinstance(old, CommentedSeq):
        for index, value in enumerate(values):
            if index < len(old):
                if str(old[index]) != value:
                    old[index] = styled(old[index], value)
            else:
                old.append(styled(old[0] if old else None, value))
        del old[len(values) :]
        return
    item[key] = CommentedSeq(values)


def set_sources(item: CommentedMap, sources: list[tuple[str, str]]) -> None:
    """Set a list of sources, each {name, url}, keeping the entries that did not change."""
    old = item.get("sources")
    current = [(str(s.get("name")), str(s.get("url"))) for s in old] if old is not None else []
    if current == sources:
        return
    fresh = CommentedSeq()
    for index, (name, url) in enumerate(sources):
        if index < len(current) and current[index] == (name, url):
            fresh.append(old[index])
            continue
        entry = CommentedMap([("name", name), ("url", url)])
        if old and getattr(old[0], "fa", None) is not None and old[0].fa.flow_style():
            entry.fa.set_flow_style()
        fresh.append(entry)
    if old is not None:
        old[:] = fresh
    else:
        item["sources"] = fresh


def condition_node(new: Any, old: Any) -> Any:
    """Build round-trip data for a condition, reusing the old nodes wherever they are unchanged."""
    if plain(old) == new:
        return old
    if isinstance(new, dict):
        flow = isinstance(old, CommentedMap) and old.fa.flow_style()
        node = CommentedMap()
        for key, value in new.items():
            before = old.get(key) if isinstance(old, dict) else None
            node[key] = condition_node(value, before)
        is_leaf = not any(k in new for k in ("all", "any", "not"))
        if flow or (old is None and is_leaf) or (is_leaf and not isinstance(old, dict)):
            node.fa.set_flow_style()
        return node
    if isinstance(new, list):
        seq = CommentedSeq()
        for index, value in enumerate(new):
            before = old[index] if isinstance(old, list) and index < len(old) else None
            seq.append(condition_node(value, before))
        if all(not isinstance(v, (dict, list)) for v in new):
            seq.fa.set_flow_style()
        return seq
    if isinstance(new, str):
        return DoubleQuotedScalarString(new) if _AMBIGUOUS.match(new) else new
    return new


def plain(node: Any) -> Any:
    """Return round-trip data as plain dicts, lists and scalars, for comparing."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def raise_version(data: CommentedMap) -> str:
    """Raise the last number of ruleset.yaml's version by one (2026.11.1 becomes 2026.11.2); return it."""
    old = str(data["version"])
    match = re.search(r"(\d+)(\D*)$", old)
    new = f"{old[: match.start()]}{int(match.group(1)) + 1}{match.group(2)}" if match else f"{old}.1"
    data["version"] = styled(data["version"], new)
    return new
