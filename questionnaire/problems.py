"""Describe problems found in content or input, each tied to a file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """Describe one thing wrong, where it is and what to change."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"
    code: str = "error"
    #: The offending line with the spot underlined, for mistakes best seen in place (YAML syntax).
    excerpt: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def shown(self) -> str:
        """Return the compiler-style line, followed by the offending line underlined when there is one."""
        return f"{self}\n{self.excerpt}" if self.excerpt else str(self)

    def as_dict(self) -> dict[str, object]:
        """Return the problem as plain data for JSON output."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            **({"excerpt": self.excerpt} if self.excerpt else {}),
        }


class RuleSetError(Exception):
    """Refuse a whole rule set because of one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        """Return every problem, one per line, compiler style."""
        count = len(self.problems)
        lines = [p.shown() for p in self.problems]
        lines.append(f"The rule set was not loaded: {count} problem{'s' if count != 1 else ''} to fix.")
        return "\n".join(lines)
