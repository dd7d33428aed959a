"""The clinician summary prints on one page (Letter and A4); the results page prints without navigation or buttons."""

from __future__ import annotations

import re

import pytest

from tests.browser.tour import TYPICAL, URGENT, follow, walk

pytestmark = pytest.mark.browser

# A page object in a PDF, not the /Pages tree that holds them.
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
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


def pdf_pages(page, paper: str) -> int:
    pdf = page.pdf(format=paper, prefer_css_page_size=False, print_background=True)
    assert pdf.startswith(b"%PDF")
    return len(PAGE_OBJECT.findall(pdf))


@pytest.mark.parametrize(("name", "answers"), [("typical", TYPICAL), ("urgent", URGENT)])
def test_summary_prints_on_one_page(page, screenshots, name, answers) -> None:
    walk(page, answers)
    follow(page, "See your results")
    follow(page, "See the summary for your clinician on screen")
    page.emulate_media(media="print")
    counts = {paper: pdf_pages(page, paper) for paper in ("Letter", "A4")}
    (screenshots / f"print-summary-{name}.pdf").write_bytes(
        page.pdf(format="A4", prefer_css_page_size=False, print_background=True)
    )
    assert counts == {"Letter": 1, "A4": 1}, f"the summary for a {name} person prints on {counts} pages"


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
    for gone in (
        "Start again",
        "See the summary for your clinician on screen",
        "Back to your answers",
        "Education, not diagnosis",
    ):
        assert gone not in text, f"{gone!r} is printed"
    assert "Get emergency help now" in text and "Why you are seeing this" in text
    (screenshots / "print-results.pdf").write_bytes(page.pdf(format="A4", prefer_css_page_size=False))
    page.emulate_media(media="screen")
