"""The rule set as plain, immutable Python objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conditions import Condition

#: A person's answers: a question id mapped to one value, or a frozenset for multiple choice.
Answers = Mapping[str, "str | frozenset[str]"]

TIERS = ("emergency", "soon")
EVIDENCE_LEVELS = ("strong", "moderate", "limited-or-mixed")
#: The category ids are a public contract: API clients and saved results rely on them.
CATEGORY_IDS = (
    "sleep",
    "stress",
    "inflammation",
    "immune",
    "genetics",
    "neuroendocrine",
    "lifestyle",
    "comorbid",
    "environment",
    "central-sensitization",
    "migraine",
)


@dataclass(frozen=True, slots=True)
class Location:
    """Point at a place in a rule file."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Option:
    """Hold one answer a question offers."""

    value: str
    label: str
    hint: str | None = None
    exclusive: bool = False
    unsure: bool = False


@dataclass(frozen=True, slots=True)
class Question:
    """Hold one question, its options and when it is shown."""

    id: str
    type: str
    text: str
    short: str
    options: tuple[Option, ...]
    page_id: str
    location: Location
    hint: str | None = None
    required: bool = True
    show_if: Condition | None = None
    values: frozenset[str] = field(default=frozenset())

    @property
    def multiple(self) -> bool:
        """Tell whether several options may be chosen."""
        return self.type == "multiple"

    def label(self, value: str) -> str:
        """Return the label of an option value (the value itself if unknown)."""
        for option in self.options:
            if option.value == value:
                return option.label
        return value

    def ordered(self, values: frozenset[str]) -> list[str]:
        """Return the chosen values in the order the options are listed."""
        return [o.value for o in self.options if o.value in values]

    def exclusive_values(self) -> frozenset[str]:
        """Return the values that cannot be combined with others."""
        return frozenset(o.value for o in self.options if o.exclusive)


@dataclass(frozen=True, slots=True)
class Page:
    """Hold one page of questions and when it is shown."""

    id: str
    title: str
    questions: tuple[Question, ...]
    index: int
    location: Location
    intro: str | None = None
    show_if: Condition | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Name a reputable source and its address."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Category:
    """Hold one trigger category and its educational section."""

    id: str
    title: str
    summary: str
    evidence: str
    education: str
    education_html: str
    things_to_try: tuple[str, ...]
    provider_prompts: tuple[str, ...]
    sources: tuple[Source, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Example:
    """Hold answers with the outcome a rule's author expects."""

    answers: Answers
    fires: bool
    location: Location
    name: str | None = None
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    urgent: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """Point from a condition over answers to a category, with a reason."""

    id: str
    category: str
    weight: int
    when: Condition
    reason: str
    location: Location
    provider_prompts: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class UrgentNotice:
    """Hold a warning sign that is shown before everything else."""

    id: str
    tier: str
    title: str
    message: str
    message_html: str
    when: Condition
    reason: str
    location: Location
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Hold a whole, validated rule set."""

    name: str
    version: str
    last_reviewed: str
    disclaimer: str
    pages: tuple[Page, ...]
    questions: Mapping[str, Question]
    categories: Mapping[str, Category]
    rules: tuple[Rule, ...]
    urgent: tuple[UrgentNotice, ...]
    source_dir: str = ""

    def page(self, page_id: str) -> Page | None:
        """Return the page with this id, or None."""
        for page in self.pages:
            if page.id == page_id:
                return page
        return None
