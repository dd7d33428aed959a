"""Try an edit on a copy of the rules folder: run check, the examples and coverage, and compare with now.

An edit is refused when it would break the rule set: new errors from check (the loader's included),
examples that now fail, or rule coverage that drops. Errors the rules already had are not the
edit's fault, so they are shown but do not refuse it.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..loader import load_ruleset
from ..model import RuleSet
from ..problems import Problem, RuleSetError
from ..translation.catalogue import LOCALES
from . import acknowledge
from . import coverage as coverage_mod
from .check import run_checks, sort_problems
from .examples import report_lines, run_all


@dataclass
class Summary:
    """Hold what check, test and coverage say about one rules folder."""

    problems: list[Problem]
    acknowledged: int = 0
    ruleset: RuleSet | None = None
    passed: int = 0
    failures: list[str] = field(default_factory=list)
    coverage: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        """Return the errors only."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Return the warnings only."""
        return [p for p in self.problems if p.severity != "error"]


@dataclass
class Verdict:
    """Compare a draft's summary with the current one: why it would be refused, if it would."""

    now: Summary
    draft: Summary

    @property
    def reasons(self) -> list[str]:
        """Return each reason to refuse the edit, in words; empty when it may be saved.

        Texts that now need translating do not refuse it: an English edit comes first and its
        translation follows (see ``to_translate``); until then that language is not offered.
        """
        known = {_key(p) for p in self.now.errors}
        reasons = [f"{p.shown()}" for p in self.draft.errors if _key(p) not in known and p.code not in TRANSLATION_WORK]
        known_failures = {_strip_lines(f) for f in self.now.failures}
        reasons += [f for f in self.draft.failures if _strip_lines(f) not in known_failures]
        if self.draft.ruleset is not None and self.draft.coverage < self.now.coverage:
            reasons.append(
                f"rule coverage would drop from {self.now.coverage:.1f}% to {self.draft.coverage:.1f}%: "
                "add examples where the changed rule fires and where it stays silent"
            )
        return reasons

    @property
    def to_translate(self) -> list[Problem]:
        """Return the texts this edit leaves to translate (new or changed English, an entry left over)."""
        known = {_key(p) for p in self.now.errors}
        return [p for p in self.draft.errors if p.code in TRANSLATION_WORK and _key(p) not in known]


#: The translation problems an English edit makes on purpose: the translator's work, not a mistake.
TRANSLATION_WORK = frozenset({"translation-missing", "translation-stale", "translation-extra"})


def _strip_lines(text: str) -> str:
    # The same problem moves to another line when an edit adds or removes lines above it.
    return re.sub(r":\d+(:\d+)?", "", text)


def _key(problem: Problem) -> tuple[str, str, str]:
    return Path(problem.file).name, problem.code, _strip_lines(problem.message)


def summarise(directory: Path, display: str) -> Summary:
    """Run check (with acknowledgements), the examples and coverage on a folder; name files as display/NAME."""
    filtered = acknowledge.apply(directory, run_checks(directory))
    problems = [_renamed(p, display) for p in sort_problems(filtered.problems)]
    summary = Summary(problems, filtered.acknowledged)
    try:
        summary.ruleset = load_ruleset(directory)
    except RuleSetError:
        return summary
    outcomes = run_all(summary.ruleset)
    summary.passed = sum(1 for o in outcomes if o.passed)
    summary.failures = [_plain_path(line, directory, display) for o in outcomes for line in report_lines(o)]
    summary.coverage = coverage_mod.measure(summary.ruleset, outcomes).rule_percent
    return summary


def _renamed(problem: Problem, display: str) -> Problem:
    parts = Path(problem.file).parts
    inside = parts[parts.index(LOCALES) :] if LOCALES in parts else parts[-1:]  # keep locales/es/NAME.po
    return replace(problem, file="/".join((display, *inside)))


def _plain_path(line: str, directory: Path, display: str) -> str:
    return line.replace(str(directory), display)


_cache: dict[tuple[str, tuple[tuple[str, str], ...]], Summary] = {}
_lock = threading.Lock()


def current(directory: Path, display: str) -> Summary:
    """Return the summary of the folder as it is now, remembered until a file in it changes."""
    files = sorted([*directory.glob("*.yaml"), *directory.glob(f"{LOCALES}/*/*.po")])
    key = (str(directory), tuple((str(p), p.read_text(encoding="utf-8")) for p in files))
    with _lock:
        if key not in _cache:
            _cache.clear()  # only the latest state of the folder is worth keeping
            _cache[key] = summarise(directory, display)
        return _cache[key]


def try_edit(directory: Path, display: str, changed: dict[str, str]) -> Verdict:
    """Check the folder with some files replaced (name -> new text), on a copy; the folder is not touched."""
    with tempfile.TemporaryDirectory(prefix="draft-") as tmp:
        copy = Path(tmp) / "rules"
        copy.mkdir()
        for path in directory.glob("*.yaml"):
            shutil.copyfile(path, copy / path.name)
        if (directory / LOCALES).is_dir():  # the translations, so the draft is checked against them too
            shutil.copytree(directory / LOCALES, copy / LOCALES)
        for name, text in changed.items():
            (copy / name).write_text(text, encoding="utf-8")
        draft = summarise(copy, display)
        # The draft's rule set must outlive the folder only as data: nothing in it reads files later.
    return Verdict(current(directory, display), draft)


def unified_diff(name: str, before: str, after: str, display: str) -> list[str]:
    """Return a before/after diff of one file, as lines."""
    return list(
        difflib.unified_diff(
            before.splitlines(),
            after.splitlines(),
            fromfile=f"{display}/{name} (now)",
            tofile=f"{display}/{name} (after saving)",
            lineterm="",
        )
    )
