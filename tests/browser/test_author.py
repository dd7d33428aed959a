"""The author mode in a real browser: edit a question, a rule's condition with the pick lists and a topic's
education, see the preview change, save, and find the YAML diff minimal; a breaking edit is refused; axe finds
nothing on any author page. Runs on a copy of tests/fixtures/mini, so no content edit can break it.
"""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser.tour import AXE_OPTIONS, DESKTOP
from tests.rulescopy import RulesCopy

pytestmark = pytest.mark.browser


@pytest.fixture
def author_server(tmp_path: Path, mini_rules: RulesCopy) -> Iterator[tuple[str, RulesCopy]]:
    from questionnaire import create_app

    app = create_app(
        {
            "ENV": "development",
            "RULES_DIR": str(mini_rules.dir),
            "SECRET_KEY": "author-test-secret-" + "x" * 32,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    quiet = logging.getLogger("werkzeug")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="author-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", mini_rules
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        quiet.setLevel(level)


@pytest.fixture
def author(browser: Any, author_server) -> Iterator[tuple[Any, RulesCopy]]:
    base, rules = author_server
    context = browser.new_context(base_url=base, viewport=DESKTOP)
    context.set_default_timeout(20_000)
    try:
        yield context.new_page(), rules
    finally:
        context.close()


def press(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def check_axe(page: Any, reports: dict[str, str], name: str) -> None:
    result = Axe().run(page, options=AXE_OPTIONS)
    if result.violations_count:
        reports[name] = f"{page.url}\n{result.generate_report()}"


def edited_lines(before: dict[str, str], rules: RulesCopy) -> dict[str, list[str]]:
    found = {}
    for path in sorted(rules.dir.glob("*.yaml")):
        diff = difflib.unified_diff(before[path.name].splitlines(), path.read_text().splitlines(), lineterm="")
        lines = [x for x in diff if x[:1] in "+-" and not x.startswith(("+++", "---"))]
        if lines:
            found[path.name] = lines
    return found


def test_edit_preview_and_save_with_a_minimal_yaml_diff(author, screenshots) -> None:
    page, rules = author
    before = {p.name: p.read_text() for p in rules.dir.glob("*.yaml")}
    reports: dict[str, str] = {}
    page.goto("/author")
    check_axe(page, reports, "index")

    # 1. A question's text, typed with the keyboard.
    page.get_by_role("link", name="Question: How often have you felt low?").click()
    check_axe(page, reports, "edit question")
    page.get_by_role("textbox", name="Question", exact=True).fill("How often have you felt down?")
    press(page, "Preview the change")
    expect(page.locator("#item-preview")).to_contain_text("How often have you felt down?")
    expect(page.locator("#diff")).to_contain_text("+        text: How often have you felt down?")
    check_axe(page, reports, "preview question")
    page.screenshot(path=screenshots / "author-preview-question.png", full_page=True)
    press(page, "Save this change")
    expect(page.get_by_role("status")).to_contain_text("Saved. The version is now 1.1")
    check_axe(page, reports, "saved")

    # 2. A rule's condition, with the pick lists; the walk shows the rule firing for the picked answers.
    page.goto("/author/rule/inactive")
    page.get_by_label("Test", exact=True).select_option(label="is one of")
    expect(page.get_by_label("No days none")).to_be_checked()
    press(page, "Preview the change")
    expect(page.locator("#walk-topics")).not_to_contain_text("You said you are active")
    page.get_by_role("radio", name="18 or older").check()
    press(page, "Update preview")
    page.get_by_role("radio", name="No days").check()
    press(page, "Update preview")
    expect(page.locator("#walk-topics")).to_contain_text("You said you are active on no days.")
    check_axe(page, reports, "preview rule")
    press(page, "Save this change")
    expect(page.get_by_role("status")).to_contain_text("The version is now 1.2")

    # 3. A topic's education.
    page.goto("/author/category/lifestyle")
    education = page.get_by_label("Education (Markdown: a blank line starts a new paragraph)")
    old = education.input_value()
    first = old.splitlines()[0]
    education.fill(old.replace(first, "Moving a little each day may help.", 1))
    press(page, "Preview the change")
    expect(page.locator("#item-preview")).to_contain_text("Moving a little each day may help.")
    press(page, "Save this change")
    expect(page.get_by_role("status")).to_contain_text("The version is now 1.3")

    assert edited_lines(before, rules) == {
        "categories.yaml": [f"-      {first}", "+      Moving a little each day may help."],
        "questions.yaml": [
            "-        text: How often have you felt low?",
            "+        text: How often have you felt down?",
        ],
        "rules.yaml": [
            "-    when: {question: exercise_days, equals: none}",
            "+    when: {question: exercise_days, one_of: [none]}",
        ],
        "ruleset.yaml": ['-version: "1.0"', '+version: "1.3"'],
    }
    comments = [line for line in before["categories.yaml"].splitlines() if line.lstrip().startswith("#")]
    assert comments and comments == [
        line for line in rules.text("categories.yaml").splitlines() if line.lstrip().startswith("#")
    ]
    assert not reports, "\n\n".join(f"== {name}: {report}" for name, report in reports.items())


def test_a_breaking_edit_is_refused_with_the_reason(author) -> None:
    page, rules = author
    before = {p.name: p.read_text() for p in rules.dir.glob("*.yaml")}
    page.goto("/author/rule/inactive")
    page.get_by_label("No days none").uncheck()
    page.get_by_label("Some days some").check()
    press(page, "Preview the change")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("this change would break the rule set")
    expect(summary).to_contain_text("expected rule 'inactive' to fire, but it stayed silent")
    expect(page.get_by_role("button", name="Save this change")).to_have_count(0)
    reports: dict[str, str] = {}
    check_axe(page, reports, "refused")
    assert not reports, reports
    assert edited_lines(before, rules) == {}


def test_the_try_page_walks_the_branching(author) -> None:
    page, _ = author
    page.goto("/author/try")
    page.get_by_role("radio", name="Under 18").check()
    press(page, "Update preview")
    expect(page.locator("main")).to_contain_text("The questionnaire ends early")
    reports: dict[str, str] = {}
    check_axe(page, reports, "try")
    assert not reports, reports


def test_an_edit_can_be_made_with_the_keyboard_alone(author) -> None:
    page, rules = author
    page.goto("/author/question/mood_low")
    page.locator("body").focus()

    def tab_to(selector: str) -> None:
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#text")
    page.keyboard.press("Control+A")
    page.keyboard.type("How often have you felt down?")
    tab_to('button[value="preview"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#item-preview")).to_contain_text("How often have you felt down?")
    tab_to('button[value="save"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    assert "How often have you felt down?" in rules.text("questions.yaml")
