"""A whole walk-through with the keyboard only (Tab, arrows, Space and Enter): focus is always visible."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.tour import URGENT, complete, path
from tests.pagecheck import MAX_WALK

pytestmark = pytest.mark.browser

MAX_TABS = 250
# Remember how every focusable element looks before it has focus, to compare with how it looks focused.
REMEMBER = """() => {
  const look = (e) => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine].join("|"); };
  window.__look = look;
  window.__unfocused = new Map();
  for (const e of document.querySelectorAll("a[href], button, input, summary, [tabindex]")) window.__unfocused.set(e, look(e));
}"""
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const transparent = (c) => c === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(c);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
  return {
    tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "", value: e.value || "", checked: !!e.checked,
    text: (e.innerText || "").trim(), classes: e.className || "",
    indicator: outline || s.boxShadow !== "none",
    changed: window.__unfocused ? window.__unfocused.get(e) !== window.__look(e) : null,
    inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    summary: e.closest(".error-summary") !== null,
    inMain: e.closest("main") !== null,
  };
}"""


class Keyboard:
    """Move through pages with keys only, checking the focus indicator at every stop."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.stops = 0

    def remember(self) -> None:
        self.page.evaluate(REMEMBER)

    def focused(self) -> dict[str, Any] | None:
        return self.page.evaluate(FOCUSED)

    def press(self, key: str) -> dict[str, Any]:
        self.page.keyboard.press(key)
        info = self.focused()
        assert info is not None, f"{key} left nothing focused on {self.page.url}"
        self.stops += 1
        where = f"{info['tag']} {info['name'] or info['text'][:40]!r} on {self.page.url}"
        assert info["indicator"], f"no visible focus indicator on {where}"
        assert info["changed"], f"focus does not change how {where} looks"
        assert info["inView"], f"the focused {where} is off screen"
        return info

    def tab_to(self, matches, what: str) -> dict[str, Any]:
        for _ in range(MAX_TABS):
            info = self.press("Tab")
            if matches(info):
                return info
        raise AssertionError(f"Tab never reached {what} on {self.page.url}")

    def activate(self, key: str = "Enter") -> None:
        """Press a key that loads the next page, then remember how its elements look unfocused."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.remember()

    def answer_page(self, answers: dict[str, Any]) -> None:
        """Tab through a question page choosing answers with arrows and Space, then press Enter on the button."""
        names = self.page.locator("main .choice-input").evaluate_all("els => [...new Set(els.map(e => e.name))]")
        answers = complete(self.page, answers)  # questions a content edit added get their first option
        done: set[str] = set()
        for _ in range(MAX_TABS):
            info = self.press("Tab")
            name = info["name"]
            if info["tag"] == "input" and name in answers and name not in done:
                wanted = answers[name]
                if info["type"] == "radio":
                    for _ in range(20):  # arrows move and choose within a group of radios
                        if info["value"] == wanted:
                            break
                        info = self.press("ArrowDown")
                    assert info["value"] == wanted, f"could not reach {name}={wanted}"
                    if not info["checked"]:
                        info = self.press("Space")
                    assert info["checked"]
                    done.add(name)
                elif (info["value"] in wanted) != info["checked"]:
                    info = self.press("Space")
                if info["type"] == "checkbox" and info["value"] == self._last_value(name):
                    done.add(name)
            elif info["tag"] == "button" and info["type"] == "submit" and info["inMain"]:
                assert done == set(names), f"not answered on {self.page.url}: {set(names) - done}"
                self.activate("Enter")
                return
        raise AssertionError(f"never reached the button on {self.page.url}")

    def _last_value(self, name: str) -> str:
        return self.page.locator(f'main input[name="{name}"]').last.get_attribute("value")


def test_whole_walk_through_with_the_keyboard(page) -> None:
    keys = Keyboard(page)
    page.goto("/")
    keys.remember()
    # the skip link comes first and moves focus to the main content
    info = keys.press("Tab")
    assert "skip-link" in info["classes"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    keys.tab_to(lambda i: i["text"] == "Start now", "Start now")
    keys.activate("Enter")
    assert path(page) == "/questions/about"

    # an empty page: the error summary takes focus, and shows it
    keys.tab_to(lambda i: i["tag"] == "button", "Continue")
    keys.activate("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert keys.focused()["indicator"], "the focused error summary shows no focus outline"
    info = keys.press("Tab")
    assert info["summary"] and info["tag"] == "a", "Tab from the error summary goes to its first link"

    pages = 0
    while path(page).startswith("/questions/"):
        pages += 1
        assert pages <= MAX_WALK, f"the walk did not end after {MAX_WALK} pages, at {page.url}"
        keys.answer_page(URGENT)
        if path(page) == "/urgent":
            keys.tab_to(lambda i: i["text"] == "Carry on with the questions", "Carry on")
            keys.activate("Enter")
    assert path(page) == "/check"
    keys.tab_to(lambda i: i["text"] == "See your results", "See your results")
    keys.activate("Enter")
    assert path(page) == "/results"

    # open a closed topic with the keyboard
    keys.tab_to(lambda i: i["tag"] == "summary", "the first other topic")
    details = page.locator("details").first
    assert not details.evaluate("d => d.open")
    keys.press("Enter")
    assert details.evaluate("d => d.open")
    keys.tab_to(lambda i: i["text"] == "See the summary for your clinician on screen", "the summary link")
    keys.activate("Enter")
    assert path(page) == "/summary"
    keys.tab_to(lambda i: i["text"] == "Back to your results", "Back to your results")
    keys.activate("Enter")
    assert path(page) == "/results"
    # Space presses a button too
    keys.tab_to(lambda i: i["text"] == "Clear my answers", "Clear my answers")
    keys.activate("Space")
    assert path(page) == "/"
    assert page.get_by_role("link", name="Start now").count() == 1
    assert keys.stops > 100
