"""Walk the questionnaire in a real browser, and visit every page a person can see."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from questionnaire.answerfile import sample
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset
from questionnaire.model import RuleSet
from tests.pagecheck import MAX_WALK, calmest

#: The axe-core rules every page is held to: WCAG 2.2 A and AA, and best practice.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
#: The window of a desktop browser.
DESKTOP = {"width": 1280, "height": 900}

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")

#: Every question page, in order: a person with headaches sees them all.
ALL_PAGES = [page.id for page in load_ruleset(DEFAULT_RULES_DIR).pages]
#: A typical person: poor sleep, stress, a few overlapping conditions, weekly headaches that treatment helps partly.
TYPICAL = {
    **CALM,
    **HEADACHE_NO_FLAGS,
    "age_band": "40_49",
    "sleep_quality": "poor",
    "wake_unrefreshed": "often",
    "stress_level": "high",
    "stress_flares": "often",
    "conditions": ["ibs", "migraine"],
    "sensitivities": ["light", "noise"],
    "exercise_days": "1_2",
    "headaches": "weekly",
    "headache_triggers": ["stress", "poor_sleep"],
    "treatments_tried": ["nsaids"],
    "treatment_result_nsaids": "partly",
}
#: Over 60 with changed headaches (a "soon" notice) who also reports a sudden severe headache (an emergency).
URGENT = {
    **TYPICAL,
    "age_band": "60_plus",
    "jaw_or_scalp_pain": "no",
    "headache_new_or_changed": "yes",
    "sudden_severe_headache": "yes",
}

#: The names tour() gives the pages it visits: every page a person can see.
EVERY_PAGE = {
    "start",
    "start-continue",
    *(f"question-{p}" for p in ALL_PAGES),
    "question-about-errors",
    "question-immune-errors",
    "question-return-to-check",
    "urgent",
    "urgent-crisis",
    "ended-under-18",
    "check",
    "results-urgent",
    "results",
    "summary-urgent",
    "summary",
    "not-found",
    "preview",
    "out-of-order",
    "form-expired",
    "answers-cleared",
}

Visit = Callable[[str], None]


@cache
def ruleset() -> RuleSet:
    return load_ruleset(DEFAULT_RULES_DIR)


def path(page: Any) -> str:
    return urlsplit(page.url).path


def page_id(page: Any) -> str | None:
    """Return the question page id the browser is on, or None."""
    where = path(page)
    return where.rsplit("/", 1)[1] if where.startswith("/questions/") else None


def follow(page: Any, name: str) -> None:
    """Click a link by its text and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()


def press(page: Any, name: str) -> None:
    """Click a button by its text and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def names_on(page: Any) -> list[str]:
    """Return the question ids asked on the current page, in order."""
    names = page.locator("main .choice-input").evaluate_all("els => els.map(e => e.name)")
    return list(dict.fromkeys(names))


def fill(page: Any, answers: dict[str, Any]) -> None:
    """Tick the given answers for the questions on this page (and untick other checkboxes)."""
    for name in names_on(page):
        if name not in answers:
            continue
        wanted = answers[name]
        if isinstance(wanted, list):
            boxes = page.locator(f'main input[type="checkbox"][name="{name}"]')
            for i in range(boxes.count()):
                box = boxes.nth(i)
                box.set_checked(box.get_attribute("value") in wanted)
        else:
            page.locator(f'main input[name="{name}"][value="{wanted}"]').check()


def complete(page: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """Return the answers with every other question on this page given "no" (or the like), else its first option.

    A walk then survives questions an ordinary content edit adds to a page: it answers whatever it is
    asked, the given answer where it has one (as tests/pagecheck.Person.walk does).
    """
    inputs = page.locator("main .choice-input").evaluate_all("els => els.map(e => [e.name, e.type, e.value])")
    filled = dict(answers)
    for name in dict.fromkeys(name for name, _, _ in inputs):
        if name not in filled:
            offered = [value for other, _, value in inputs if other == name]
            kind = next(kind for other, kind, _ in inputs if other == name)
            filled[name] = [calmest(offered)] if kind == "checkbox" else calmest(offered)
    return filled


def answer(page: Any, answers: dict[str, Any]) -> None:
    """Fill in this page and continue."""
    fill(page, answers)
    button = page.locator("main form button[type=submit]")
    with page.expect_navigation():
        button.click()


def walk(page: Any, answers: dict[str, Any]) -> list[str]:
    """From the start page, answer every page up to the check page; carry on past an urgent notice."""
    seen: list[str] = []
    page.goto("/")
    if page.get_by_role("button", name="Start again").count():
        press(page, "Start again")
    follow(page, "Start now")
    while (current := page_id(page)) is not None:
        seen.append(current)
        assert len(seen) <= MAX_WALK, f"the walk did not end after {MAX_WALK} pages: {seen}"
        answer(page, complete(page, answers))
        if path(page) == "/urgent":
            press(page, "Carry on with the questions")
    assert path(page) == "/check", f"expected the check page, got {page.url}"
    return seen


def change(page: Any, question_id: str) -> None:
    """On the check page, follow the Change link of one question."""
    short = ruleset().questions[question_id].short
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(rf"^Change your answer: {re.escape(short)}$")).click()


def tour(page: Any, visit: Visit) -> list[str]:
    """Visit every page a person can see, calling visit(name) on each; return the names in order."""
    names: list[str] = []

    def seen(name: str) -> None:
        names.append(name)
        visit(name)

    page.goto("/")
    seen("start")
    follow(page, "Start now")
    seen("question-about")
    answer(page, {})  # nothing chosen: the error summary
    assert page.locator(".error-summary").is_visible()
    seen("question-about-errors")
    while (current := page_id(page)) is not None:
        assert len(names) <= 2 * MAX_WALK, f"the tour did not end: {names}"
        if current != "about":
            seen(f"question-{current}")
        if current == "immune":  # 'None of these' with another answer: an error on a multiple choice
            answer(page, complete(page, {**URGENT, "autoimmune": ["none", "lupus"]}))
            assert page_id(page) == "immune" and page.locator(".error-summary").is_visible()
            seen("question-immune-errors")
        answer(page, complete(page, URGENT))
        if path(page) == "/urgent":
            seen("urgent")
            press(page, "Carry on with the questions")
    assert path(page) == "/check"
    seen("check")
    follow(page, "See your results")
    assert page.locator("#urgent").is_visible()
    seen("results-urgent")
    follow(page, "See the summary for your clinician on screen")
    seen("summary-urgent")
    page.goto("/")
    seen("start-continue")
    # take the warning signs back from the check page: results without urgent notices
    follow(page, "Continue where you left off")
    change(page, "sudden_severe_headache")
    seen("question-return-to-check")
    answer(page, complete(page, {**URGENT, "sudden_severe_headache": "no", "headache_new_or_changed": "no"}))
    assert path(page) == "/check"
    follow(page, "See your results")
    assert page.locator("#urgent").count() == 0
    seen("results")
    follow(page, "See the summary for your clinician on screen")
    seen("summary")
    page.goto("/no-such-page")
    seen("not-found")
    # thoughts of self-harm: the crisis notice interrupts at once, crisis lines first
    page.goto("/")
    press(page, "Start again")
    follow(page, "Start now")
    while (current := page_id(page)) is not None:
        crisis = {**TYPICAL, "self_harm_thoughts": "several_days"}
        answer(page, crisis)
        if path(page) == "/urgent":
            break
    assert path(page) == "/urgent" and current == "mood"
    seen("urgent-crisis")
    # under 18: a kind ending after the first page
    page.goto("/")
    press(page, "Start again")
    follow(page, "Start now")
    answer(page, {**TYPICAL, "age_band": "under_18"})
    assert path(page) == "/ended"
    seen("ended-under-18")
    page.goto("/preview")
    seen("preview")
    # a form sent for a page that is not next (as after using Back in another tab): 409
    page.goto("/")
    press(page, "Start again")
    follow(page, "Start now")
    answer(page, CALM)
    page.locator("main form").evaluate("form => form.setAttribute('action', '/questions/habits')")
    answer(page, CALM)
    seen("out-of-order")
    # a form sent after the cookie (and its CSRF token) is gone
    follow(page, "Go to your next question")
    page.context.clear_cookies()
    answer(page, CALM)
    seen("form-expired")
    # a cookie that cannot be read
    page.context.add_cookies([{"name": "fq_session", "value": "garbage", "url": page.url}])
    page.goto("/")
    seen("answers-cleared")
    return names


def open_all_details(page: Any) -> None:
    """Open every details element, so checks see what is inside."""
    page.locator("details").evaluate_all("els => els.forEach(d => { d.open = true; })")
