"""Read YAML safely into plain data while remembering the line of every value.

Only the YAML 1.2 core types are recognised: ``yes``/``no``/``on``/``off`` stay
text, ``1_2`` stays text and dates stay text. Option values such as ``yes`` or
``1_2`` would otherwise silently turn into ``True`` or ``12``. Anchors, aliases
and explicit tags such as ``!!python/object`` are refused, which also rules out
"billion laughs" alias bombs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem
from .yamlmessages import syntax_problem

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 200_000
# A file with a line this long is checked for deep block nesting event by event (see _check_block_nesting).
LONG_LINE = 2_000

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


class CoreLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Resolve plain scalars by the YAML 1.2 core schema only."""


CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (INT, r"^[-+]?[0-9]+$", "-+0123456789"),
    (FLOAT, r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """Hold a file's data and where each of its values starts."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Return (line, column) of the value at path, or of its nearest parent."""
        table = self.key_positions if key else self.positions
        if key and path in table:
            return table[path]
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str, *, key: bool = False, code: str = "error") -> Problem:
        """Make a Problem located at path in this file."""
        line, column = self.where(path, key=key)
        return Problem(self.file, line, column, message, code=code)


class YamlError(Exception):
    """Report a file that cannot be read as safe YAML."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def load_file(path: Path, display: str | None = None) -> Document:
    """Read a YAML file into a Document, or raise YamlError."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(Problem(name, 1, 1, f"cannot read the file: {exc.strerror}", code="unreadable")) from exc
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> Document:
    """Read YAML bytes into a Document, or raise YamlError."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(
            Problem(
                name,
                1,
                1,
                f"the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}. Split it or shorten it.",
                code="too-large",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(
            Problem(name, line, 1, "the file is not UTF-8 text; save it as UTF-8", code="encoding")
        ) from exc
    _check_nesting(text, name)
    try:
        _check_block_nesting(text, name)
        node = yaml.compose(text, Loader=CoreLoader)
    except yaml.MarkedYAMLError as exc:
        raise YamlError(syntax_problem(text, name, exc)) from exc
    except yaml.YAMLError as exc:
        raise YamlError(Problem(name, 1, 1, f"this is not valid YAML: {exc}", code="yaml-syntax")) from exc
    doc = Document(name, None)
    if node is None:
        doc.positions[()] = (1, 1)
        return doc
    doc.data = _Walker(doc).convert(node, (), 0)
    return doc


def _check_nesting(text: str, name: str) -> None:
    """Refuse deeply nested flow collections before the parser recurses into them."""
    depth = 0
    # Visit only the brackets: a character-by-character loop was most of the load time of large files.
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise YamlError(
                    Problem(name, line, 1, f"nesting is deeper than {MAX_DEPTH} levels; flatten it", code="too-deep")
                )
        elif depth:
            depth -= 1


_BRACKETS = re.compile(r"[\[\]{}]")


_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _check_block_nesting(text: str, name: str) -> None:
    """Refuse deep block nesting ("- - - - x") before the C composer recurses into it.

    The C composer recurses once per level without a limit: 100,000 levels (200 KB of "- ")
    overflow the C stack and kill the process with a segmentation fault, which no except clause
    can catch. Each level of block nesting needs a column further right at least every second
    level, and flow nesting is capped above, so a file whose lines are all shorter than LONG_LINE
    nests at most about 2 * LONG_LINE + MAX_DEPTH deep, which the composer handles and the walker
    then refuses past MAX_DEPTH. Only a file with a longer line pays for reading the events
    (libyaml's parser keeps its own stack, so this pass cannot overflow).
    """
    if max(map(len, text.splitlines()), default=0) < LONG_LINE:
        return
    depth = 0
    for event in yaml.parse(text, Loader=CoreLoader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise YamlError(
                    Problem(
                        name,
                        mark.line + 1,
                        mark.column + 1,
                        f"nesting is deeper than {MAX_DEPTH} levels; flatten it",
                        code="too-deep",
                    )
                )
        elif isinstance(event, _CLOSE):
            depth -= 1


class _Walker:
    """Convert composed nodes to plain data, recording positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str, code: str) -> YamlError:
        mark = node.start_mark
        return YamlError(Problem(self.doc.file, mark.line + 1, mark.column + 1, message, code=code))

    def convert(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if id(node) in self.seen:
            # An alias re-uses its anchor's node, whose mark is the anchor's; point at the use instead.
            line, column = self.doc.key_positions.get(path) or self.doc.where(path[:-1])
            raise YamlError(
                Problem(
                    self.doc.file,
                    line,
                    column,
                    "anchors and aliases (& and *) are not allowed; write the value out in full",
                    code="yaml-alias",
                )
            )
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise self.fail(node, f"the file has more than {MAX_NODES:,} values; split it", "too-large")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting is deeper than {MAX_DEPTH} levels; flatten it", "too-deep")
        mark = node.start_mark
        self.doc.positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, SEQ)
            return [self.convert(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            self.check_tag(node, MAP)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, "a key must be a plain word, not a list or mapping", "yaml-key")
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, "merge keys (<<) are not allowed; write the keys out", "yaml-alias")
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    key = str(key_node.value)
                if key in result:
                    raise self.fail(
                        key_node, f"the key '{key}' appears twice in this mapping; keep only one", "duplicate-key"
                    )
                kmark = key_node.start_mark
                self.doc.key_positions[(*path, key)] = (kmark.line + 1, kmark.column + 1)
                result[key] = self.convert(value_node, (*path, key), depth + 1)
            return result
        raise self.fail(node, "unsupported YAML node", "yaml-syntax")  # pragma: no cover

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise self.fail(node, f"the tag '{node.tag}' is not allowed; remove it", "yaml-tag")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == STR:
            return value
        if tag == INT:
            return int(value)
        if tag == FLOAT:
            return float(value)
        if tag == BOOL:
            return value.lower() == "true"
        if tag == NULL:
            return None
        raise self.fail(node, f"the tag '{tag}' is not allowed; remove it and write plain text", "yaml-tag")
