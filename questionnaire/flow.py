"""Work out the path a person takes through the pages, given their answers: once, in one walk.

Conditions only read earlier pages (the loader enforces it), so one pass in page order sees every
answer a condition can depend on, already pruned of answers to hidden questions. An ending (for
example for under-18s) stops the path after the page on which it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conditions import Condition
from .model import Answers, Ending, Page, Question, RuleSet
from .operators import Predicate
from .plan import plan_of


@dataclass(frozen=True, slots=True)
class Path:
    """Hold the pages shown for some answers, in order, and everything the pages ask of them."""

    ruleset: RuleSet
    #: The answers to shown questions, in page order; answers to hidden questions are dropped.
    answers: dict[str, str | frozenset[str]]
    #: The pages shown, in order.
    pages: tuple[Page, ...]
    #: Each shown page's id with its shown questions.
    shown: dict[str, tuple[Question, ...]]
    #: Every shown question without an answer (optional ones included), in page order.
    unanswered: tuple[Question, ...]
    #: The first shown page with a required question unanswered; None when every page is done.
    first_unanswered: Page | None
    #: The ending that stops the questionnaire after the last page shown, if one holds.
    ending: Ending | None

    @classmethod
    def of(cls, ruleset: RuleSet, answers: Answers) -> Path:
        """Walk the pages once for these answers."""
        plan = plan_of(ruleset)
        kept: dict[str, str | frozenset[str]] = {}
        pages: list[Page] = []
        shown: dict[str, tuple[Question, ...]] = {}
        missing: list[Question] = []
        first: Page | None = None
        ended: Ending | None = None
        endings = plan.endings
        for step in plan.pages:
            if step.test is not None and not step.test(kept):
                continue
            tests = step.question_tests
            if tests is None:
                questions = step.questions
            else:
                questions = tuple(q for q, t in zip(step.questions, tests, strict=True) if t is None or t(kept))
                if not questions:
                    continue
            for question in questions:
                qid = question.id
                if qid in answers:
                    kept[qid] = answers[qid]
                else:
                    missing.append(question)
                    if first is None and question.required:
                        first = step.page
            pages.append(step.page)
            shown[step.page.id] = questions
            if endings:
                ended = next((candidate for candidate, holds in endings if holds(kept)), None)
                if ended is not None:
                    break
        return cls(ruleset, kept, tuple(pages), shown, tuple(missing), first, ended)

    def questions(self, page: Page) -> tuple[Question, ...]:
        """Return the questions of a page shown for these answers (none when the page is hidden)."""
        return self.shown.get(page.id, ())

    def next(self, page: Page) -> Page | None:
        """Return the shown page after the given one, or None at the end."""
        return next((p for p in self.pages if p.index > page.index), None)

    def previous(self, page: Page) -> Page | None:
        """Return the shown page before the given one, or None at the start."""
        earlier = [p for p in self.pages if p.index < page.index]
        return earlier[-1] if earlier else None

    def progress(self, page: Page) -> tuple[int, int]:
        """Return the page's step number and the number of pages shown ("step 3 of 9")."""
        ids = [p.id for p in self.pages]
        return (ids.index(page.id) + 1 if page.id in ids else 1), len(ids)

    def still_possible(self, page: Page) -> tuple[tuple[Page, ...], int]:
        """Return the later pages that may still be shown, and how many questions they may ask at most.

        A page or question counts unless its condition already reads false on answered questions
        only, so later answers can only remove pages from the count, never add them: the progress a
        person sees ("page 4 of up to 14") never jumps backwards while they answer.
        """
        if self.ending is not None:
            return (), 0
        # Questions that may still get an answer: those shown so far without one, then those of
        # later pages that may still be shown. A condition reading none of them is already decided.
        open_questions = {q.id for q in self.unanswered}
        later: list[Page] = []
        asked = 0
        for step in plan_of(self.ruleset).pages:
            if step.page.index <= page.index:
                continue
            if not self._may_show(step.page.show_if, step.test, open_questions):
                continue
            tests = step.question_tests or (None,) * len(step.questions)
            shown = [
                q for q, t in zip(step.questions, tests, strict=True) if self._may_show(q.show_if, t, open_questions)
            ]
            if shown:
                later.append(step.page)
                asked += len(shown)
                open_questions.update(q.id for q in shown)
        return tuple(later), asked

    def _may_show(self, condition: Condition | None, test: Predicate | None, open_questions: set[str]) -> bool:
        """Tell whether something with this condition may still be shown as the open questions get answers."""
        if condition is None or test is None or test(self.answers):
            return True
        return not condition.questions().isdisjoint(open_questions)

    def may_open(self, page: Page) -> bool:
        """Tell whether the page is shown and every shown page before it is complete."""
        first = self.first_unanswered
        return page.id in self.shown and (first is None or page.index <= first.index)

    @property
    def complete(self) -> bool:
        """Tell whether every required question shown is answered."""
        return self.first_unanswered is None


def visible_answers(ruleset: RuleSet, answers: Answers) -> dict[str, str | frozenset[str]]:
    """Return only the answers to questions that are shown; hidden answers are dropped."""
    return Path.of(ruleset, answers).answers


def visible_pages(ruleset: RuleSet, answers: Answers) -> list[Page]:
    """Return the pages shown for these answers, in order."""
    return list(Path.of(ruleset, answers).pages)


def visible_questions(ruleset: RuleSet, answers: Answers) -> list[Question]:
    """Return the questions shown for these answers, in order."""
    path = Path.of(ruleset, answers)
    return [q for page in path.pages for q in path.questions(page)]


def page_questions(ruleset: RuleSet, page: Page, answers: Answers) -> list[Question]:
    """Return the questions of one page that are shown for these answers (none when the page is hidden)."""
    return list(Path.of(ruleset, answers).questions(page))


def ending(ruleset: RuleSet, answers: Answers) -> Ending | None:
    """Return the ending that stops the questionnaire for these answers, or None."""
    return Path.of(ruleset, answers).ending
