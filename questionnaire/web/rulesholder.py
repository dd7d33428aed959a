"""Hold the current rule set; in development, reload it when a rule file changes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from ..loader import load_ruleset
from ..model import Language, RuleSet
from ..problems import Problem, RuleSetError
from ..translation.catalogue import LOCALES
from ..translation.languages import translated_rulesets
from .forms import FormFactory


class RulesHolder:
    """Serve the last good rule set and remember the problems of a broken edit."""

    def __init__(self, directory: str | Path, *, hot_reload: bool, interval: float = 0.5) -> None:
        self.directory = Path(directory)
        self.hot_reload = hot_reload
        self.interval = interval
        self.ruleset: RuleSet = load_ruleset(self.directory)  # a broken rule set stops start-up
        #: The rule set in each language whose translation is complete, English included.
        self.translations: dict[str, RuleSet] = translated_rulesets(self.ruleset, self.directory)
        self.problems: list[Problem] = []
        self._stamp = self._fingerprint()
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self.generation = 0
        #: The WTForms classes built for this holder's rule sets (rebuilt after a reload).
        self.forms = FormFactory()
        self._derived: dict[str, tuple[RuleSet, dict[object, Any]]] = {}

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        files = sorted([*self.directory.glob("*.yaml"), *self.directory.glob(f"{LOCALES}/*/*.po")])
        return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())

    def languages(self) -> dict[str, Language]:
        """Return the languages offered now: English and each one whose translation is complete."""
        return {code: self.ruleset.languages[code] for code in self.translations if code in self.ruleset.languages}

    def current_in(self, language: str) -> RuleSet:
        """Return the current rule set in a language, or in English when that language is not offered."""
        english = self.current()
        return self.translations.get(language, english)

    def derived(self, ruleset: RuleSet) -> dict[object, Any]:
        """Return the store of things worked out once from this rule set (rendered fragments).

        It belongs to the rule set being served, one per language: after a reload it starts empty,
        and a request still using the rule set it began with gets a store of its own, so nothing mixes.
        """
        owner, store = self._derived.get(ruleset.language, (None, {}))
        if owner is not ruleset:
            if self.translations.get(ruleset.language) is not ruleset:
                return {}
            self._derived[ruleset.language] = (ruleset, store := {})
        return store

    def current(self) -> RuleSet:
        """Return the rule set to use now, reloading first if files changed (development only)."""
        if self.hot_reload and time.monotonic() - self._checked >= self.interval:
            self.refresh()
        return self.ruleset

    def refresh(self) -> None:
        """Reload if any rule file changed; keep the last good rule set on errors."""
        with self._lock:
            self._checked = time.monotonic()
            stamp = self._fingerprint()
            if stamp == self._stamp:
                return
            self._stamp = stamp
            try:
                ruleset = load_ruleset(self.directory)
                # Both change together, so no request sees a new English beside an old translation.
                self.ruleset, self.translations = ruleset, translated_rulesets(ruleset, self.directory)
                self.problems = []
                self.generation += 1
            except RuleSetError as exc:
                self.problems = exc.problems
