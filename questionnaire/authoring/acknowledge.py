"""Let the team acknowledge warnings it expects, in ``rules/acknowledged.yaml``, so check is quiet when all is well.

Each entry names a warning's code (printed in brackets after the warning), the id the warning quotes
and why it is expected. Only warnings can be acknowledged, never errors. An entry that no longer
matches any warning is itself reported, so the file cannot quietly go stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..loader import _display_base
from ..problems import Problem
from ..schemas import validate
from ..yamlsource import YamlError, load_file

FILE = "acknowledged.yaml"
SCHEMA = "acknowledged.schema.json"


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """Accept warnings with this code that quote every part of this id, for a stated reason."""

    code: str
    id: str
    reason: str
    line: int
    column: int

    def matches(self, problem: Problem) -> bool:
        """Tell whether this entry accepts the problem: a warning with the code, quoting each part of the id."""
        parts = [p for p in self.id.split("/") if p]
        return (
            problem.severity == "warning"
            and problem.code == self.code
            and all(f"'{part}'" in problem.message for part in parts)
        )


@dataclass(frozen=True, slots=True)
class Filtered:
    """Hold the problems left to show and how many warnings were acknowledged."""

    problems: list[Problem]
    acknowledged: int
    file: str


def read(directory: Path) -> tuple[list[Acknowledgement], list[Problem], str]:
    """Read the acknowledgements of a rules folder (none when the file is absent) and any problems in the file."""
    display = f"{_display_base(directory)}{FILE}"
    path = directory / FILE
    if not path.is_file():
        return [], [], display
    try:
        doc = load_file(path, display)
    except YamlError as exc:
        return [], [exc.problem], display
    problems = validate(doc, SCHEMA)
    if problems:
        return [], problems, display
    entries = [
        Acknowledgement(raw["code"], raw["id"], raw["reason"], *doc.where(("acknowledged", i)))
        for i, raw in enumerate(doc.data["acknowledged"] or [])
    ]
    return entries, [], display


def apply(directory: Path, problems: list[Problem]) -> Filtered:
    """Drop the warnings the folder's acknowledged.yaml accepts; report entries that match nothing."""
    entries, own, display = read(directory)
    kept: list[Problem] = list(own)
    used: set[Acknowledgement] = set()
    count = 0
    for problem in problems:
        entry = next((e for e in entries if e.matches(problem)), None)
        if entry is None:
            kept.append(problem)
        else:
            used.add(entry)
            count += 1
    for entry in entries:
        if entry not in used:
            message = (
                f"the acknowledged warning {entry.code} for '{entry.id}' no longer appears; remove this entry "
                "(or check the code and id against the warning)"
            )
            kept.append(Problem(display, entry.line, entry.column, message, "warning", "stale-acknowledgement"))
    return Filtered(kept, count, display)
