"""Walk every text a person reads in a rule set, and rebuild the rule set with each text looked up.

One walk serves both ends of translating content: ``extract`` records each text with its context
(an id path such as ``question/headaches/option/weekly/label``) and where it is written, and
``translate`` returns a rule set in another language. Because both are the same walk, every text that
can be extracted is also translated, and the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from .. import markdown
from ..model import (
    Category,
    Claim,
    Contact,
    Ending,
    Location,
    Option,
    Page,
    Question,
    Region,
    Retired,
    Rule,
    RuleSet,
    Score,
    Section,
    SectionPart,
    Source,
    UrgentNotice,
)
from ..plan import attach

#: Called for each text: its context, the English text, where it is written and what it is; returns the text to use.
Lookup = Callable[[str, str, Location, str], str]


@dataclass(frozen=True, slots=True)
class Text:
    """Hold one translatable text: its context, the English, where it is written and what it is."""

    context: str
    english: str
    location: Location
    what: str
    #: Markdown texts keep their formatting (lists, links) in translation.
    markdown: bool = False


class _Walk:
    """Look up every text of a rule set once, in a fixed order."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    def text(self, context: str, english: str, at: Location, what: str) -> str:
        return self.lookup(context, english, at, what)

    def maybe(self, context: str, english: str | None, at: Location, what: str) -> str | None:
        return None if english is None else self.lookup(context, english, at, what)

    def each(self, context: str, texts: tuple[str, ...], at: Location, what: str) -> tuple[str, ...]:
        # ``what`` names the n-th text with "{n}": "provider prompt {n} of rule 'x'".
        return tuple(self.lookup(f"{context}/{i + 1}", t, at, what.format(n=i + 1)) for i, t in enumerate(texts))

    def sources(self, context: str, sources: tuple[Source, ...], at: Location, what: str) -> tuple[Source, ...]:
        # The address is translatable too: a Spanish page of MedlinePlus may replace an English one.
        return tuple(
            Source(
                self.text(f"{context}/source/{i + 1}/name", s.name, at, f"the name of source {i + 1} of {what}"),
                self.text(f"{context}/source/{i + 1}/url", s.url, at, f"the address of source {i + 1} of {what}"),
            )
            for i, s in enumerate(sources)
        )

    def option(self, qid: str, option: Option, at: Location) -> Option:
        context, what = f"question/{qid}/option/{option.value}", f"option '{option.value}' of question '{qid}'"
        return replace(
            option,
            label=self.text(f"{context}/label", option.label, at, f"the label of {what}"),
            hint=self.maybe(f"{context}/hint", option.hint, at, f"the hint of {what}"),
            phrase=self.maybe(f"{context}/phrase", option.phrase, at, f"the phrase of {what}"),
        )

    def question(self, q: Question) -> Question:
        at, context, what = q.location, f"question/{q.id}", f"question '{q.id}'"
        return replace(
            q,
            text=self.text(f"{context}/text", q.text, at, f"the text of {what}"),
            short=self.text(f"{context}/short", q.short, at, f"the short name of {what}"),
            hint=self.maybe(f"{context}/hint", q.hint, at, f"the hint of {what}"),
            options=tuple(self.option(q.id, o, at) for o in q.options),
        )

    def page(self, page: Page) -> Page:
        at, context, what = page.location, f"page/{page.id}", f"page '{page.id}'"
        return replace(
            page,
            title=self.text(f"{context}/title", page.title, at, f"the title of {what}"),
            intro=self.maybe(f"{context}/intro", page.intro, at, f"the intro of {what}"),
            questions=tuple(self.question(q) for q in page.questions),
        )

    def category(self, c: Category) -> Category:
        at, context, what = c.location, f"category/{c.id}", f"category '{c.id}'"
        # Looked up in the order a reader meets them, which is the order of the catalogue.
        title = self.text(f"{context}/title", c.title, at, f"the title of {what}")
        summary = self.text(f"{context}/summary", c.summary, at, f"the summary of {what}")
        education = self.text(f"{context}/education", c.education, at, f"the education of {what}")
        return replace(
            c,
            title=title,
            summary=summary,
            education=education,
            education_html=markdown.render(education),
            things_to_try=self.each(f"{context}/thing_to_try", c.things_to_try, at, f"thing to try {{n}} of {what}"),
            provider_prompts=self.each(f"{context}/prompt", c.provider_prompts, at, f"provider prompt {{n}} of {what}"),
            sources=self.sources(context, c.sources, at, what),
            claims=tuple(
                Claim(self.text(f"{context}/claim/{i + 1}", k.text, at, f"claim {i + 1} of {what}"), k.evidence)
                for i, k in enumerate(c.claims)
            ),
        )

    def rule(self, r: Rule) -> Rule:
        at, context, what = r.location, f"rule/{r.id}", f"rule '{r.id}'"
        return replace(
            r,
            reason=self.text(f"{context}/reason", r.reason, at, f"the reason of {what}"),
            provider_prompts=self.each(f"{context}/prompt", r.provider_prompts, at, f"provider prompt {{n}} of {what}"),
        )

    def notice(self, n: UrgentNotice) -> UrgentNotice:
        at, context, what = n.location, f"urgent/{n.id}", f"urgent notice '{n.id}'"
        title = self.text(f"{context}/title", n.title, at, f"the title of {what}")
        message = self.text(f"{context}/message", n.message, at, f"the message of {what}")
        return replace(
            n,
            title=title,
            message=message,
            message_html=markdown.render(message),
            reason=self.text(f"{context}/reason", n.reason, at, f"the reason of {what}"),
            sources=self.sources(context, n.sources, at, what),
        )

    def ending(self, e: Ending) -> Ending:
        at, context, what = e.location, f"ending/{e.id}", f"ending '{e.id}'"
        title = self.text(f"{context}/title", e.title, at, f"the title of {what}")
        message = self.text(f"{context}/message", e.message, at, f"the message of {what}")
        return replace(
            e,
            title=title,
            message=message,
            message_html=markdown.render(message),
            sources=self.sources(context, e.sources, at, what),
        )

    def section(self, s: Section) -> Section:
        at, context, what = s.location, f"section/{s.id}", f"section '{s.id}'"
        title = self.text(f"{context}/title", s.title, at, f"the title of {what}")
        summary = self.text(f"{context}/summary", s.summary, at, f"the summary of {what}")
        parts = []
        for i, part in enumerate(s.parts):
            text = self.text(f"{context}/part/{i + 1}/text", part.text, at, f"part {i + 1} of {what}")
            short = self.maybe(
                f"{context}/part/{i + 1}/summary", part.summary, at, f"summary of part {i + 1} of {what}"
            )
            parts.append(SectionPart(text, markdown.render(text), part.when, short))
        return replace(
            s,
            title=title,
            summary=summary,
            parts=tuple(parts),
            sources=self.sources(context, s.sources, at, what),
            provider_prompts=self.each(f"{context}/prompt", s.provider_prompts, at, f"provider prompt {{n}} of {what}"),
        )

    def contacts(self, context: str, contacts: tuple[Contact, ...], at: Location, what: str) -> tuple[Contact, ...]:
        return tuple(
            replace(
                c,
                name=self.text(f"{context}/{i + 1}/name", c.name, at, "the name of " + what.format(n=i + 1)),
                text=self.maybe(f"{context}/{i + 1}/text", c.text, at, "the text of " + what.format(n=i + 1)),
            )
            for i, c in enumerate(contacts)
        )

    def region(self, r: Region) -> Region:
        at, context, what = r.location, f"region/{r.id}", f"region '{r.id}'"
        return replace(
            r,
            name=self.text(f"{context}/name", r.name, at, f"the name of {what}"),
            emergency=self.contacts(f"{context}/emergency", r.emergency, at, f"emergency line {{n}} of {what}"),
            urgent=self.contacts(f"{context}/urgent", r.urgent, at, f"urgent care line {{n}} of {what}"),
            crisis=self.contacts(f"{context}/crisis", r.crisis, at, f"crisis line {{n}} of {what}"),
            young_people=self.contacts(
                f"{context}/young_people", r.young_people, at, f"young people's line {{n}} of {what}"
            ),
            advice={
                tier: self.text(f"{context}/advice/{tier}", text, at, f"the {tier} advice of {what}")
                for tier, text in r.advice.items()
            },
        )

    def score(self, s: Score) -> Score:
        at, context, what = s.location, f"score/{s.id}", f"score '{s.id}'"
        return replace(
            s,
            title=self.text(f"{context}/title", s.title, at, f"the title of {what}"),
            note=self.text(f"{context}/note", s.note, at, f"the note of {what}"),
        )

    def retired(self, r: Retired) -> Retired:
        return replace(
            r, note=self.text(f"retired/{r.id}/note", r.note, r.location, f"the note of retired question '{r.id}'")
        )

    def ruleset(self, rs: RuleSet, language: str) -> RuleSet:
        at = Location(f"{rs.source_dir}/ruleset.yaml" if rs.source_dir else "ruleset.yaml", 1)
        pages = tuple(self.page(p) for p in rs.pages)
        questions = {q.id: q for page in pages for q in page.questions}
        translated = replace(
            rs,
            name=self.text("ruleset/name", rs.name, at, "the rule set's name"),
            disclaimer=self.text("ruleset/disclaimer", rs.disclaimer, at, "the disclaimer"),
            words={k: self.text(f"word/{k}", v, at, f"the joining word '{k}' in reasons") for k, v in rs.words.items()},
            pages=pages,
            questions={qid: questions.get(qid, q) for qid, q in rs.questions.items()},
            categories={cid: self.category(c) for cid, c in rs.categories.items()},
            rules=tuple(self.rule(r) for r in rs.rules),
            urgent=tuple(self.notice(n) for n in rs.urgent),
            scores={sid: self.score(s) for sid, s in rs.scores.items()},
            retired={rid: self.retired(r) for rid, r in rs.retired.items()},
            endings=tuple(self.ending(e) for e in rs.endings),
            sections=tuple(self.section(s) for s in rs.sections),
            regions={rid: self.region(r) for rid, r in rs.regions.items()},
            language=language,
        )
        return translated


def extract(ruleset: RuleSet) -> list[Text]:
    """Return every translatable text of an English rule set, in the order a reader meets them by file."""
    found: list[Text] = []

    def record(context: str, english: str, at: Location, what: str) -> str:
        found.append(Text(context, english, at, what, is_markdown(context)))
        return english

    _Walk(record).ruleset(ruleset, ruleset.language)
    return found


def is_markdown(context: str) -> bool:
    """Tell whether the text with this context is Markdown (lists, links, emphasis) rather than plain text."""
    kind, _, rest = context.partition("/")
    field = rest.rsplit("/", 1)[-1]
    return (kind, field) in {
        ("category", "education"),
        ("urgent", "message"),
        ("ending", "message"),
        ("section", "text"),
    }


def translate(ruleset: RuleSet, language: str, strings: Mapping[str, str]) -> RuleSet:
    """Return the rule set with every text that has a translation in ``strings`` (by context) replaced.

    Ids, values, conditions and weights are shared with the English rule set, so answers and results
    are the same in every language apart from their words. A text with no translation stays English.
    """

    def look_up(context: str, english: str, at: Location, what: str) -> str:
        return strings.get(context) or english

    # A fresh plan: the reasons' sentences are worked out from the translated texts.
    return attach(_Walk(look_up).ruleset(ruleset, language))
