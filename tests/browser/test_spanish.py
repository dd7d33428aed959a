"""A walk in Spanish finds no English in the main content and no axe violation; switching keeps answers.

"English" is judged two ways on every page: no visible string is an English interface message or an
English content text whose Spanish differs, and no visible block reads as English (several English
function words). Parts marked with another ``lang`` are left out, as a screen reader would switch.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from babel.support import Translations

from questionnaire.authoring.patienttext import paragraphs
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset
from questionnaire.translation.check import review
from questionnaire.translation.walk import extract
from tests.browser.tour import AXE_OPTIONS, MAX_WALK, TYPICAL, URGENT, complete, fill, open_all_details, page_id, path

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
INTERFACE = ROOT / "questionnaire" / "web" / "translations"
#: Words that are common in English and are not Spanish words.
ENGLISH_WORDS = {"the", "you", "your", "and", "with", "what", "this", "that", "for", "have", "are", "about", "when"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

# Every block and every text node in the main content that a person can see, with the language of its part.
VISIBLE_TEXT = """() => {
  const main = document.querySelector('main');
  const page = document.documentElement.lang;
  const out = [];
  const other = (el) => { const part = el.closest('[lang]'); return part && part.lang !== page; };
  const shown = (el) => el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
  for (const el of main.querySelectorAll('h1,h2,h3,p,li,label,legend,summary,button,a,dt,dd,th,td,.hint')) {
    if (!other(el) && shown(el) && el.innerText.trim()) out.push(el.innerText);
  }
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (el && !other(el) && shown(el) && walker.currentNode.data.trim()) out.push(walker.currentNode.data);
  }
  return out;
}"""


def spanish() -> Translations:
    found = Translations.load(str(INTERFACE), ["es"], domain="messages")
    assert isinstance(found, Translations), "no compiled Spanish catalogue: run `make translations` (make test does)"
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


def english_only() -> tuple[set[str], list[re.Pattern[str]]]:
    """Return the English texts whose Spanish is different, and patterns for the interface's with placeholders."""
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    with (INTERFACE / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        for message in read_po(handle):
            if not message.id or isinstance(message.id, tuple) or flat(message.id) == flat(message.string or ""):
                continue
            if PLACEHOLDER.search(message.id):
                if len(re.findall(r"[A-Za-z]", PLACEHOLDER.sub("", message.id))) < 8:
                    continue  # too little English around the placeholders to tell a language by
                pieces = PLACEHOLDER.split(message.id)
                patterns.append(re.compile(".+?".join(re.escape(flat(p)) for p in pieces)))
            elif len(message.id) > 3 and not message.id.startswith("<"):
                exact.add(flat(message.id))
    english = load_ruleset(DEFAULT_RULES_DIR)
    usable = review(english, DEFAULT_RULES_DIR, "es").usable
    for text in extract(english):
        if flat(usable.get(text.context, "")) == flat(text.english) or text.context.endswith("/url"):
            continue
        pieces = [p.text for p in paragraphs(text.english)] if text.markdown else [text.english]
        exact.update(flat(p) for p in pieces if len(p) > 3)
    return exact, patterns


def english_on(page: Any, exact: set[str], patterns: list[re.Pattern[str]]) -> list[str]:
    """Return the visible strings of this page's main content that are English."""
    open_all_details(page)
    found = []
    for raw in page.evaluate(VISIBLE_TEXT):
        text = flat(raw)
        words = set(re.findall(r"[a-z]+", text.lower()))
        if text in exact or any(p.fullmatch(text) for p in patterns) or len(words & ENGLISH_WORDS) >= 2:
            found.append(text)
    return sorted(set(found))


def test_a_walk_in_spanish_shows_no_english_and_no_axe_violation(new_page) -> None:
    es = spanish()
    exact, patterns = english_only()
    axe = Axe()
    page = new_page(locale="es-ES")
    problems: dict[str, list[str]] = {}

    def look(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == "es", f"{name} is not in Spanish"
        english = english_on(page, exact, patterns)
        if english:
            problems[f"{name} (English)"] = english
        result = axe.run(page, options=AXE_OPTIONS)
        if result.violations_count:
            problems[f"{name} (axe)"] = [result.generate_report()]

    def go(label: str, role: str = "link") -> None:
        with page.expect_navigation():
            page.get_by_role(role, name=es.gettext(label), exact=True).click()

    page.goto("/")
    look("start")
    go("Start now")
    walked = 0
    while (current := page_id(page)) is not None:
        walked += 1
        assert walked <= MAX_WALK, "the Spanish walk did not reach the check page"
        look(f"question {current}")
        fill(page, complete(page, URGENT))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if path(page) == "/urgent":
            look("urgent")
            go("Carry on with the questions", "button")
    assert path(page) == "/check"
    look("check")
    go("See your results")
    look("results")
    go("See the summary for your clinician on screen")
    look("summary")
    page.goto("/no-such-page")
    look("not found")
    assert not problems, "\n".join(f"== {name}: {found}" for name, found in problems.items())


def test_switching_language_halfway_keeps_every_answer(new_page) -> None:
    es = spanish()
    page = new_page(locale="en-GB")
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start now", exact=True).click()
    first = page_id(page)
    fill(page, complete(page, TYPICAL))
    chosen = page.locator("main input:checked").evaluate_all("els => els.map(e => e.name + '=' + e.value)")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    second = page_id(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Español", exact=True).click()
    assert page_id(page) == second and page.locator("html").get_attribute("lang") == "es"
    page.goto(f"/questions/{first}")
    assert page.locator("main input:checked").evaluate_all("els => els.map(e => e.name + '=' + e.value)") == chosen
    assert page.locator("main form button[type=submit]").inner_text().strip() == es.gettext("Continue")
    with page.expect_navigation():
        page.get_by_role("link", name="English", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main input:checked").evaluate_all("els => els.map(e => e.name + '=' + e.value)") == chosen
