"""Say what is wrong with a YAML file in an editor's words, with the line shown and the spot underlined.

The parser's own messages ("mapping values are not allowed in this context", "found a tab character
that violates indentation") name its internals, not the mistake. The usual mistakes of people who
edit the rule files by hand are few: a tab, a colon inside unquoted text, a line out of line with its
neighbours, a bracket or a quote left open. Each gets a plain explanation and the fix; anything else
keeps the parser's words, still with the line shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .problems import Problem

#: Keys whose values are free text, where an unquoted ": " is the likely mistake.
_KEY = re.compile(r"^(\s*(?:-\s+)*)([A-Za-z_][\w-]*):\s")
_CLOSING = {"{": "}", "[": "]"}


@dataclass(frozen=True, slots=True)
class Spot:
    """Hold where to point: a line and column counted from 1, and how many characters to underline."""

    line: int
    column: int
    width: int = 1


def excerpt(lines: list[str], spot: Spot) -> str:
    """Return the line at spot with a gutter and a caret line under the spot, as compilers show it."""
    if not 1 <= spot.line <= len(lines):
        return ""
    text = lines[spot.line - 1].rstrip("\n").replace("\t", "→")
    number = str(spot.line)
    pad = " " * len(number)
    marks = "^" * max(1, min(spot.width, len(text) - spot.column + 1))
    return f" {number} | {text}\n {pad} | {' ' * (spot.column - 1)}{marks}"


def syntax_problem(text: str, name: str, error: yaml.MarkedYAMLError) -> Problem:
    """Turn a parser error into a Problem that explains the mistake and shows its line."""
    lines = text.splitlines()
    mark = error.problem_mark or error.context_mark
    spot = Spot(mark.line + 1, mark.column + 1) if mark else Spot(1, 1)
    found = (
        _tab(lines, spot)
        or _bracket_or_quote(lines, error, spot)
        or _open_quote(lines, spot)
        or _colon_or_indent(lines, error, spot)
    )
    if found is None:
        what = " ".join(x for x in (error.context, error.problem) if x)
        found = spot, f"this is not valid YAML: {what}"
    where, message = found
    return Problem(name, where.line, where.column, message, code="yaml-syntax", excerpt=excerpt(lines, where))


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def _tab(lines: list[str], spot: Spot) -> tuple[Spot, str] | None:
    # A tab is reported on the line it is on, or where the parser gave up (the line after a value).
    for number in (spot.line, spot.line - 1):
        line = _line(lines, number)
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent or (number == spot.line and line[spot.column - 1 : spot.column] == "\t"):
            column = (indent.index("\t") if "\t" in indent else spot.column - 1) + 1
            return Spot(number, column), (
                "this line is indented with a tab; YAML needs spaces. Replace the tab with spaces so the line "
                "starts in the same column as the lines it belongs with (most editors have 'Convert "
                "indentation to spaces')"
            )
    return None


def _bracket_or_quote(lines: list[str], error: yaml.MarkedYAMLError, spot: Spot) -> tuple[Spot, str] | None:
    opened = error.context_mark
    if opened is None or not error.context:
        return None
    start = Spot(opened.line + 1, opened.column + 1)
    char = _line(lines, start.line)[start.column - 1 : start.column]
    if "quoted scalar" in error.context and char in "\"'":
        return start, (
            f"the text that starts with {char} here is never closed, so the lines after it are read as part "
            f"of the text; add the closing {char} at the end of the text on this line"
        )
    if "flow" in error.context and char in _CLOSING:
        closing = _CLOSING[char]
        if spot.line == start.line:  # a wrong or missing partner on the same line: point at it
            got = _line(lines, spot.line)[spot.column - 1 : spot.column] or "the end of the line"
            return spot, (
                f"the '{char}' opened in column {start.column} is closed with {got!r} here; close it with "
                f"'{closing}' (each '{{' needs a '}}' and each '[' a ']')"
            )
        return start, (
            f"the '{char}' opened here is never closed; add '{closing}' where it ends, usually at the end "
            "of this line (each '{' needs a '}' and each '[' a ']')"
        )
    return None


_QUOTED_START = re.compile(r"^\s*(?:-\s+)?[\w-]+:\s+([\"'])(.*)$")
#: How far above an error to look for a quote left open (a quoted text may run on over several lines).
_QUOTE_LOOKBACK = 40


def _open_quote(lines: list[str], spot: Spot) -> tuple[Spot, str] | None:
    # A quote left open swallows the lines after it, and the parser stumbles later on, on another line.
    for number in range(spot.line - 1, max(spot.line - _QUOTE_LOOKBACK, 0), -1):
        found = _QUOTED_START.match(_line(lines, number))
        if found is None:
            continue
        quote, rest = found.group(1), found.group(2)
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else re.search(r"'(?!')", rest.replace("''", ""))
        if closed is None:
            return Spot(number, found.start(1) + 1), (
                f"the text that starts with {quote} here is never closed, so the lines after it are read as part "
                f"of the text; add the closing {quote} at the end of the text on this line"
            )
    return None


def _colon_or_indent(lines: list[str], error: yaml.MarkedYAMLError, spot: Spot) -> tuple[Spot, str] | None:
    problem = error.problem or ""
    line = _line(lines, spot.line)
    if "mapping values are not allowed" in problem:
        key = _KEY.match(line)
        value_start = key.end() if key else 0
        if key and value_start < spot.column - 1:
            value = line[value_start:].rstrip()
            return Spot(spot.line, value_start + 1, len(value)), (
                f"the text after '{key.group(2)}:' has a colon and a space in it, which YAML reads as the "
                f"start of another key; put the whole text in quotes: {key.group(2)}: {_quoted(value)}"
            )
        return _indent(lines, spot.line)
    if problem.startswith(("did not find expected key", "did not find expected '-'", "expected <block end>")):
        return _indent(lines, spot.line)
    return None


def _indent(lines: list[str], number: int) -> tuple[Spot, str]:
    line = _line(lines, number)
    column = len(line) - len(line.lstrip()) + 1
    above = next((n for n in range(number - 1, 0, -1) if _line(lines, n).strip()), 0)
    hint = ""
    if line.lstrip().startswith("- "):  # a list item: compare with the item before it
        above = next((n for n in range(number - 1, 0, -1) if _line(lines, n).lstrip().startswith("- ")), 0)
        if above:
            other = len(_line(lines, above)) - len(_line(lines, above).lstrip()) + 1
            hint = f" (the '- ' on line {above} is in column {other})"
    elif above:
        text = _line(lines, above)
        key = _KEY.match(text)
        other = len(key.group(1)) + 1 if key else len(text) - len(text.lstrip()) + 1
        hint = f" (the key on line {above} starts in column {other})"
    return Spot(number, column), (
        f"this line starts in column {column}, which does not line up with the lines around it{hint}; "
        "keys of the same item start in the same column, and each '- ' of a list too. Move it with spaces"
    )


def _quoted(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def refine_extra_key(problem: Problem, text: str) -> Problem:
    """Explain a stray key made by an unquoted ": " inside a {...} mapping, where the schema only sees the key.

    ``{value: often, label: Yes, often: daily}`` is valid YAML with a key 'often', so the schema says
    "'often' is not a key here". On such a line the fix is to quote the text before it.
    """
    found = re.match(r"'([^']+)' is not a key here", problem.message)
    lines = text.splitlines()
    if not found or not 1 <= problem.line <= len(lines):
        return problem
    line, key = lines[problem.line - 1], found.group(1)
    before = re.search(rf"([A-Za-z_][\w-]*): ([^,{{}}\[\]\"']+), {re.escape(key)}: ([^,{{}}\[\]]*)", line)
    if before is None:
        return problem
    value = f"{before.group(2)}, {key}: {before.group(3)}".rstrip()
    spot = Spot(problem.line, before.start(2) + 1, len(value))
    message = (
        f"'{key}' is read as a key because the text after '{before.group(1)}:' has a colon and a space in it; "
        f"put the whole text in quotes: {before.group(1)}: {_quoted(value)}"
    )
    return Problem(problem.file, spot.line, spot.column, message, problem.severity, problem.code, excerpt(lines, spot))
