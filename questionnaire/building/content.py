"""Build the categories, the sections shown outside them, and the regions' help lines."""

from __future__ import annotations

from typing import Any

from .. import markdown
from ..model import CATEGORY_IDS, Category, Claim, Language, Location, Region, Section, SectionPart
from ..yamlsource import Document
from .context import DEFAULT_REGION, FOR_EVERYONE, RESERVED_ELEMENT_IDS, contacts, sources, suggest
from .items import ItemsBuilder


class ContentBuilder(ItemsBuilder):
    """Build categories, sections and regions."""

    def build_categories(self, doc: Document) -> dict[str, Category]:
        categories: dict[str, Category] = {}
        for index, raw in enumerate(doc.data["categories"]):
            path: tuple[Any, ...] = ("categories", index)
            cid = raw["id"]
            if cid in categories:
                self.error(doc, (*path, "id"), f"the category id '{cid}' is used twice; keep one", "duplicate-id")
                continue
            if cid not in CATEGORY_IDS:
                self.error(
                    doc,
                    (*path, "id"),
                    f"'{cid}' is not one of the fixed category ids{suggest(cid, list(CATEGORY_IDS))}; "
                    f"the ids are a public contract: {', '.join(CATEGORY_IDS)}",
                    "unknown-category",
                )
            categories[cid] = Category(
                id=cid,
                title=raw["title"],
                summary=raw["summary"],
                evidence=raw["evidence"],
                education=raw["education"],
                education_html=markdown.render(raw["education"]),
                things_to_try=tuple(raw["things_to_try"]),
                provider_prompts=tuple(raw["provider_prompts"]),
                sources=sources(raw["sources"]),
                location=self.loc(doc, path),
                claims=tuple(Claim(c["text"], c["evidence"]) for c in raw.get("claims", ())),
            )
        missing = [c for c in CATEGORY_IDS if c not in categories]
        if missing:
            self.error(
                doc,
                ("categories",),
                f"add the categories {', '.join(missing)}: every fixed category id must have a section",
                "missing-category",
            )
        return categories

    def build_sections(
        self, doc: Document, categories: dict[str, Category], seen: dict[str, Location]
    ) -> tuple[Section, ...]:
        sections: list[Section] = []
        for index, raw in enumerate(doc.data["sections"]):
            path: tuple[Any, ...] = ("sections", index)
            sid = raw["id"]
            ok = self.check_id(doc, (*path, "id"), sid, seen)
            if sid in categories or sid in RESERVED_ELEMENT_IDS:
                self.error(
                    doc,
                    (*path, "id"),
                    f"the section id '{sid}' is also a topic or page element id; choose another",
                    "duplicate-id",
                )
                ok = False
            when = self.condition(doc, (*path, "when"), raw["when"]) if "when" in raw else None
            parts = []
            for pi, part in enumerate(raw["parts"]):
                part_when = self.condition(doc, (*path, "parts", pi, "when"), part["when"]) if "when" in part else None
                if "when" in part and part_when is None:
                    ok = False
                parts.append(SectionPart(part["text"], markdown.render(part["text"]), part_when, part.get("summary")))
            examples = self.examples(doc, path, raw.get("examples", []))
            if ok and ("when" not in raw or when is not None):
                sections.append(
                    Section(
                        id=sid,
                        title=raw["title"],
                        summary=raw["summary"],
                        parts=tuple(parts),
                        sources=sources(raw["sources"]),
                        location=self.loc(doc, path),
                        when=when,
                        evidence=raw.get("evidence"),
                        provider_prompts=tuple(raw.get("provider_prompts", ())),
                        examples=examples,
                    )
                )
        everyone = [s for s in sections if s.id == FOR_EVERYONE]
        if not everyone and not self.problems:
            self.error(
                doc, ("sections",), f"add the section '{FOR_EVERYONE}': every results page shows it", "missing-section"
            )
        elif everyone and everyone[0].when is not None:
            self.error(
                doc,
                ("sections", sections.index(everyone[0]), "when"),
                f"the section '{FOR_EVERYONE}' is shown to everyone; remove its 'when'",
                "section-when",
            )
        return tuple(sections)

    def build_key_facts(self, doc: Document) -> tuple[str, ...]:
        listed = doc.data.get("summary", {}).get("key_facts", [])
        for index, qid in enumerate(listed):
            if qid not in self.questions:
                self.error(
                    doc,
                    ("summary", "key_facts", index),
                    f"unknown question '{qid}'{suggest(qid, self.questions)}; key facts name questions "
                    "from questions.yaml",
                    "unknown-question",
                )
        return tuple(q for q in listed if q in self.questions)

    def build_languages(self, doc: Document) -> dict[str, Language]:
        meta = doc.data
        found = {"en": Language("en", "English", True, meta["last_reviewed"])}
        for code, raw in meta.get("languages", {}).items():
            if code == "en":
                self.error(
                    doc,
                    ("languages", code),
                    "English is the language the rule files are written in; "
                    "list only the languages they are translated into",
                    "language-en",
                    key=True,
                )
                continue
            if raw["reviewed"] and "reviewed_on" not in raw:
                self.error(
                    doc,
                    ("languages", code),
                    f"'{code}' is marked reviewed; add reviewed_on with the "
                    "date the medical translator signed it off (YYYY-MM-DD)",
                    "review-date",
                )
            found[code] = Language(code, raw["name"], raw["reviewed"], raw.get("reviewed_on"))
        return found

    def build_regions(self, doc: Document) -> dict[str, Region]:
        regions: dict[str, Region] = {}
        for index, raw in enumerate(doc.data["regions"]):
            path: tuple[Any, ...] = ("regions", index)
            rid = raw["id"]
            if rid in regions:
                self.error(doc, (*path, "id"), f"the region id '{rid}' is used twice; keep one", "duplicate-id")
                continue
            regions[rid] = Region(
                id=rid,
                name=raw["name"],
                emergency=contacts(raw["emergency"]),
                urgent=contacts(raw.get("urgent", ())),
                crisis=contacts(raw["crisis"]),
                young_people=contacts(raw.get("young_people", ())),
                advice=dict(raw["advice"]),
                location=self.loc(doc, path),
            )
        if DEFAULT_REGION not in regions:
            self.error(
                doc,
                ("regions",),
                f"add the region '{DEFAULT_REGION}': it is the default, for people anywhere",
                "missing-region",
            )
        return regions
