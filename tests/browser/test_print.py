"""The clinician summary prints on one Letter and one A4 page; the results page fits a phone's first screens.

Measured for every sample answer file that reaches the results (samples/), and for the longest realistic
profile with the longest note a person can add.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from questionnaire.answerfile import SAMPLES_DIR, sample
from questionnaire.engine import assess
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset
from questionnaire.web.answerstore import NOTE_LIMIT
from tests.browser.tour import URGENT, follow, walk

pytestmark = pytest.mark.browser

RULESET = load_ruleset(DEFAULT_RULES_DIR)


def _reaches_results(name: str) -> bool:
    from questionnaire.answers import parse_answers

    answers, _ = parse_answers(RULESET.questions, sample(name), RULESET.retired)
    return assess(RULESET, answers).ending is None


SAMPLES = sorted(p.stem for p in Path(SAMPLES_DIR).glob("*.yaml") if _reaches_results(p.stem))
LONGEST = "longest-realistic"
#: The longest note a person can write, in words a person might use.
FULL_NOTE = (("I want to talk about my daily headaches, the painkillers I take, my sleep and my mood. ") * 5)[
    :NOTE_LIMIT
]
PHONE = {"width": 390, "height": 844}
SCREEN = PHONE["height"]
HIDDEN_IN_PRINT = [
    ".site-header",
    ".site-footer",
    ".skip-link",
    ".back-nav",
    ".back-link",
    ".actions",
    "main button",
    "main .button",
    ".note-form",
]


BOTTOM = "(s) => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().bottom + scrollY : 0; }"


def pdf_pages(data: bytes) -> int:
    assert data.startswith(b"%PDF")
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", SAMPLES)
def test_summary_prints_on_one_letter_and_one_a4_page(answered_page, screenshots, name, language) -> None:
    page = answered_page(name, note=FULL_NOTE if name == LONGEST else "", locale=language)
    page.goto("/summary")
    page.emulate_media(media="print")
    counts = {}
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper, prefer_css_page_size=False, print_background=True)
        counts[paper] = pdf_pages(pdf)
        (screenshots / f"print-summary-{name}-{language}-{paper}.pdf").write_bytes(pdf)
    assert page.locator("html").get_attribute("lang") == language
    assert counts == {"Letter": 1, "A4": 1}, f"the {language} summary for {name} prints on {counts} pages"


@pytest.mark.parametrize("name", SAMPLES)
def test_results_on_a_phone_put_what_matters_in_the_first_three_screens(answered_page, name) -> None:
    page = answered_page(name, viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/results")

    def bottom(css: str) -> float:
        """Return how far down the page an element ends (0 when the page has none)."""
        return page.evaluate(BOTTOM, css)

    parts = {
        "urgent notices": "#urgent",
        "main topics": ".topic-cards",
        "appointment questions": "#questions-to-ask",
        "the Print button": "a[data-print-href]",
    }
    late = {what: round(bottom(css) / SCREEN, 2) for what, css in parts.items() if bottom(css) > 3 * SCREEN}
    assert not late, f"{name}: beyond the first three phone screens: {late}"
    assert page.locator("a[data-print-href]").count() == 1
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 6 * SCREEN, f"{name}: the results page is {height / SCREEN:.1f} phone screens long"


def test_results_print_without_navigation_or_buttons(page, screenshots) -> None:
    walk(page, URGENT)
    follow(page, "See your results")
    page.emulate_media(media="print")
    shown = {}
    for selector in HIDDEN_IN_PRINT:
        items = page.locator(selector)
        assert items.count() or selector in (".skip-link", "main button"), f"nothing matches {selector}"
        displays = items.evaluate_all("els => els.map(e => getComputedStyle(e).display)")
        if any(d != "none" for d in displays):
            shown[selector] = displays
    assert not shown, f"shown in print: {shown}"
    text = page.locator("body").inner_text()
    for gone in ("Clear my answers", "Print your summary", "Back to your answers", "Education, not diagnosis"):
        assert gone not in text, f"{gone!r} is printed"
    assert "Get emergency help now" in text and "Your main topics" in text
    (screenshots / "print-results.pdf").write_bytes(page.pdf(format="A4", prefer_css_page_size=False))
    page.emulate_media(media="screen")
