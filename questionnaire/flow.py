"""Work out which pages and questions a person sees, given their answers."""

from __future__ import annotations

from .model import Answers, Page, Question, RuleSet


def visible_pages(ruleset: RuleSet, answers: Answers) -> list[Page]:
    """Return the pages shown for these answers, in order."""
    return [page for page, _ in _walk(ruleset, answers)]


def visible_questions(ruleset: RuleSet, answers: Answers) -> list[Question]:
    """Return the questions shown for these answers, in order."""
    return [q for _, questions in _walk(ruleset, answers) for q in questions]


def visible_answers(ruleset: RuleSet, answers: Answers) -> dict[str, str | frozenset[str]]:
    """Return only the answers to questions that are shown; hidden answers are dropped."""
    kept: dict[str, str | frozenset[str]] = {}
    _walk(ruleset, answers, kept)
    return kept


def page_questions(ruleset: RuleSet, page: Page, answers: Answers) -> list[Question]:
    """Return the questions of one page that are shown for these answers."""
    for shown, questions in _walk(ruleset, answers):
        if shown.id == page.id:
            return questions
    return []


def _walk(
    ruleset: RuleSet, answers: Answers, kept: dict[str, str | frozenset[str]] | None = None
) -> list[tuple[Page, list[Question]]]:
    # Conditions only read earlier pages (the loader enforces it), so one pass in
    # page order sees every answer a condition can depend on, already pruned.
    kept = {} if kept is None else kept
    result = []
    for page in ruleset.pages:
        if page.show_if is not None and not page.show_if.compiled(kept):
            continue
        shown = [q for q in page.questions if q.show_if is None or q.show_if.compiled(kept)]
        if not shown:
            continue
        for question in shown:
            if question.id in answers:
                kept[question.id] = answers[question.id]
        result.append((page, shown))
    return result


def unanswered(ruleset: RuleSet, answers: Answers, *, required_only: bool = False) -> list[Question]:
    """Return the shown questions that have no answer."""
    return [q for q in visible_questions(ruleset, answers) if q.id not in answers and (q.required or not required_only)]


def first_incomplete_page(ruleset: RuleSet, answers: Answers) -> Page | None:
    """Return the first shown page with a required question unanswered, or None when all are done."""
    for page, questions in _walk(ruleset, answers):
        if any(q.required and q.id not in answers for q in questions):
            return page
    return None


def next_page(ruleset: RuleSet, answers: Answers, after: Page) -> Page | None:
    """Return the shown page that comes after the given one, or None at the end."""
    for page in visible_pages(ruleset, answers):
        if page.index > after.index:
            return page
    return None


def previous_page(ruleset: RuleSet, answers: Answers, before: Page) -> Page | None:
    """Return the shown page that comes before the given one, or None at the start."""
    earlier = [p for p in visible_pages(ruleset, answers) if p.index < before.index]
    return earlier[-1] if earlier else None
