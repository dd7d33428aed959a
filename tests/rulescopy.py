"""Copy a rules folder to a temporary place and edit it: a helper for tests that break the rules."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from questionnaire.loader import DEFAULT_RULES_DIR

RULES = DEFAULT_RULES_DIR


class RulesCopy:
    """A copy of the default rules in a temporary folder, for tests that break them."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "rules"
        shutil.copytree(RULES, self.dir)

    def path(self, name: str) -> Path:
        return self.dir / name

    def text(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def replace(self, name: str, old: str | re.Pattern[str], new: str) -> int:
        """Replace the first occurrence of old (text or a pattern) and return the 1-based line where it started."""
        text = self.text(name)
        found = old.search(text) if isinstance(old, re.Pattern) else re.search(re.escape(old), text)
        assert found is not None, f"{old!r} not in {name}"
        self.path(name).write_text(text[: found.start()] + new + text[found.end() :], encoding="utf-8")
        return text.count("\n", 0, found.start()) + 1

    def write(self, name: str, text: str) -> None:
        self.path(name).write_text(text, encoding="utf-8")

    def line_of(self, name: str, needle: str) -> int:
        text = self.text(name)
        assert needle in text, f"{needle!r} not in {name}"
        return text.count("\n", 0, text.index(needle)) + 1
