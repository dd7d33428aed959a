"""Stand in for ``RulesHolder.languages()`` until the content half of issue 16 is on this branch.

The interface asks the rules holder which content languages are complete. Before that method lands
the holder knows only English, so this gives it exactly that answer; once the method exists this
module does nothing and can be deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaire.web.rulesholder import RulesHolder


@dataclass(frozen=True)
class LanguageInfo:
    """Describe a content language as the rules holder does: its own name and review status."""

    name: str
    reviewed: bool
    review_date: str | None = None


def _english_only(self: RulesHolder) -> dict[str, LanguageInfo]:
    return {"en": LanguageInfo("English", True)}


def install() -> None:
    """Give the rules holder its ``languages()`` if it does not have one yet."""
    if not hasattr(RulesHolder, "languages"):
        RulesHolder.languages = _english_only  # type: ignore[attr-defined]
