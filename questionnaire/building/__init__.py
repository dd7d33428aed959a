"""Turn schema-valid rule documents into a RuleSet, collecting every cross-reference problem."""

from __future__ import annotations

from ..model import Location, RuleSet
from .content import ContentBuilder
from .questions import QuestionsBuilder

__all__ = ["Builder"]


class Builder(QuestionsBuilder, ContentBuilder):
    """Build a whole rule set: questions, categories, rules, urgent notices, endings, sections, regions."""

    def build(self) -> RuleSet | None:
        """Return the rule set, or None when problems were found (they are in ``problems``)."""
        meta = self.docs["ruleset.yaml"].data
        questions_doc = self.docs["questions.yaml"]
        pages = self.build_pages(questions_doc)
        self.scores = self.build_scores(questions_doc)
        retired = self.build_retired(questions_doc)
        categories = self.build_categories(self.docs["categories.yaml"])
        seen_ids: dict[str, Location] = {}
        rules = self.build_rules(self.docs["rules.yaml"], categories, seen_ids)
        urgent = self.build_urgent(self.docs["urgent.yaml"], seen_ids)
        endings = self.build_endings(questions_doc, seen_ids)
        sections = self.build_sections(self.docs["sections.yaml"], categories, seen_ids)
        regions = self.build_regions(self.docs["regions.yaml"])
        key_facts = self.build_key_facts(self.docs["ruleset.yaml"])
        languages = self.build_languages(self.docs["ruleset.yaml"])
        if self.problems:
            return None
        ruleset = RuleSet(
            name=meta["name"],
            version=str(meta["version"]),
            last_reviewed=meta["last_reviewed"],
            disclaimer=meta["disclaimer"],
            pages=pages,
            questions=dict(self.questions),
            categories=categories,
            rules=rules,
            urgent=urgent,
            source_dir=self.source_dir,
            scores=self.scores,
            retired=retired,
            endings=endings,
            sections=sections,
            regions=regions,
            key_facts=key_facts,
            languages=languages,
        )
        self.check_examples(ruleset)
        return ruleset
