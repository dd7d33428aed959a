"""Hold the rule set as plain, immutable Python objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conditions import Condition
    from .plan import Plan

#: A person's answers: a question id mapped to one value, or a frozenset for multiple choice.
Answers = Mapping[str, "str | frozenset[str]"]

#: Urgency tiers, most urgent first: call the emergency number now; get help today; contact a clinician soon.
TIERS = ("emergency", "today", "soon")
#: Tiers that interrupt the questionnaire as soon as they fire, rather than waiting for the results.
INTERRUPTING_TIERS = ("emergency", "today")
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
    #: How the answer reads inside a reason sentence ("on no days"); None: the label, first letter lowered.
    phrase: str | None = None
    #: Points for a scored questionnaire such as PHQ-2; None when the option carries no score.
    score: int | None = None


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
class Claim:
    """Hold one statement of a topic with the strength of the research behind it."""

    text: str
    evidence: str


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
    claims: tuple[Claim, ...] = ()


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
    sources: tuple[Source, ...] = ()
    #: Show the region's crisis lines first in this notice.
    crisis: bool = False
    examples: tuple[Example, ...] = ()

    @property
    def interrupts(self) -> bool:
        """Tell whether this notice stops the questionnaire as soon as it fires."""
        return self.crisis or self.tier in INTERRUPTING_TIERS


@dataclass(frozen=True, slots=True)
class Score:
    """Add up the scores of the options chosen for several questions (for example PHQ-2)."""

    id: str
    title: str
    questions: tuple[str, ...]
    note: str
    maximum: int
    location: Location


@dataclass(frozen=True, slots=True)
class Retired:
    """Name a question that is no longer asked; its answers are accepted and ignored."""

    id: str
    note: str
    location: Location


@dataclass(frozen=True, slots=True)
class Ending:
    """End the questionnaire politely when a condition holds (for example for under-18s)."""

    id: str
    title: str
    message: str
    message_html: str
    when: Condition
    location: Location
    sources: tuple[Source, ...] = ()
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class SectionPart:
    """Hold one paragraph group of a section, shown to everyone or only when its condition holds."""

    text: str
    html: str
    when: Condition | None = None
    #: A short version, shown on the results page before the section's summary when the part applies.
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """Hold a section shown outside the ranked topics, such as "What helps most people"."""

    id: str
    title: str
    summary: str
    parts: tuple[SectionPart, ...]
    sources: tuple[Source, ...]
    location: Location
    when: Condition | None = None
    evidence: str | None = None
    provider_prompts: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Contact:
    """Name a phone line or web service a person can turn to."""

    name: str
    number: str | None = None
    url: str | None = None
    text: str | None = None

    @property
    def tel(self) -> str | None:
        """Return the number as a tel: address, or None when there is no number."""
        if self.number is None:
            return None
        return "tel:" + "".join(c for c in self.number if c.isdigit() or c == "+")


@dataclass(frozen=True, slots=True)
class Region:
    """Hold one region's emergency numbers, crisis lines and where to get help by tier."""

    id: str
    name: str
    emergency: tuple[Contact, ...]
    urgent: tuple[Contact, ...]
    crisis: tuple[Contact, ...]
    young_people: tuple[Contact, ...]
    #: Plain text per tier ("emergency", "today", "soon") and for "crisis".
    advice: Mapping[str, str]
    location: Location

    def contacts(self, tier: str) -> tuple[Contact, ...]:
        """Return the lines to show under a notice of this tier."""
        return {"emergency": self.emergency, "today": self.urgent}.get(tier, ())


@dataclass(frozen=True, slots=True)
class Language:
    """Name a language the content is offered in and whether a qualified translator has reviewed it."""

    code: str
    #: The language's name in itself ("Español"), as the language switch shows it.
    name: str
    reviewed: bool
    #: When the review was signed off (YYYY-MM-DD), or None while it is not reviewed.
    review_date: str | None = None


#: The words that join a person's answers inside reasons, translated like any other content text.
DEFAULT_WORDS: Mapping[str, str] = {"and": "and", "not_answered": "not answered"}


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
    scores: Mapping[str, Score] = field(default_factory=dict)
    retired: Mapping[str, Retired] = field(default_factory=dict)
    endings: tuple[Ending, ...] = ()
    sections: tuple[Section, ...] = ()
    regions: Mapping[str, Region] = field(default_factory=dict)
    #: Questions whose answers open the clinician summary, in order.
    key_facts: tuple[str, ...] = ()
    #: The language of every text in this rule set ("en" as loaded; see questionnaire/translation).
    language: str = "en"
    #: The languages the content is written or translated in, English first, with their review status.
    languages: Mapping[str, Language] = field(default_factory=dict)
    #: The joining words reasons use ("and", "not answered"), in this rule set's language.
    words: Mapping[str, str] = field(default_factory=lambda: DEFAULT_WORDS)
    #: The compiled page plan and look-up tables (plan.py), attached by the loader; never compared or shown.
    plan: Plan | None = field(default=None, init=False, compare=False, repr=False)

    def page(self, page_id: str) -> Page | None:
        """Return the page with this id, or None."""
        for page in self.pages:
            if page.id == page_id:
                return page
        return None
