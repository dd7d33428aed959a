"""axe-core finds no WCAG 2.2 A or AA problem on any page; desktop screenshots of every page are kept."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.tour import AXE_OPTIONS, EVERY_PAGE, open_all_details, tour

pytestmark = pytest.mark.browser


def test_every_page_has_no_axe_violations(page, screenshots) -> None:
    axe = Axe()
    reports: dict[str, str] = {}
    order = iter(range(1, 100))
    for old in screenshots.glob("desktop-*.png"):
        old.unlink()

    def visit(name: str) -> None:
        page.screenshot(path=screenshots / f"desktop-{next(order):02d}-{name}.png", full_page=True)
        open_all_details(page)  # check the hidden topics too
        result = axe.run(page, options=AXE_OPTIONS)
        if result.violations_count:
            reports[name] = f"{page.url}\n{result.generate_report()}"
            print(f"== {name}: {reports[name]}")

    seen = tour(page, visit)
    assert set(seen) == EVERY_PAGE
    assert not reports, "\n\n".join(f"== {name}: {report}" for name, report in reports.items())
