"""With JavaScript switched off in the browser, a person can answer everything and see results and the summary."""

from __future__ import annotations

import pytest

from tests.browser.tour import ALL_PAGES, TYPICAL, URGENT, answer, change, follow, path, press, walk

pytestmark = pytest.mark.browser


def test_whole_walk_through_without_javascript(new_page) -> None:
    page = new_page(java_script_enabled=False)
    # proof that scripting is off: a browser without scripting shows what is inside <noscript>
    page.set_content("<noscript><p id='off'>Scripting is off</p></noscript>")
    assert page.locator("#off").count() == 1

    seen = walk(page, URGENT)
    assert seen == ALL_PAGES
    follow(page, "See your results")
    assert path(page) == "/results"
    assert page.locator("#urgent").is_visible()
    assert page.locator("section.category").count() >= 3
    # the other topics open without script (details and summary are plain HTML)
    other = page.locator("details").first
    other.locator("summary").click()
    assert other.evaluate("d => d.open")
    follow(page, "See the summary for your clinician on screen")
    assert path(page) == "/summary"
    assert page.locator(".summary-topics li").count() >= 3

    # change an answer from the check page, then start again
    page.goto("/check")
    change(page, "sudden_severe_headache")
    answer(page, {**TYPICAL})
    assert path(page) == "/check"
    follow(page, "See your results")
    assert page.locator("#urgent").count() == 0
    press(page, "Clear my answers")
    assert path(page) == "/"
    assert page.get_by_role("link", name="Start now").count() == 1


def test_errors_show_without_javascript(new_page) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/")
    follow(page, "Start now")
    answer(page, {})
    assert page.locator(".error-summary").is_visible()
    assert page.title().startswith("Error: ")
    # the autofocus attribute is HTML, so even without script the summary takes focus
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
