"""At 360 by 740 no page scrolls sideways and every tap target is at least 24 by 24 CSS pixels (WCAG 2.5.8)."""

from __future__ import annotations

import pytest

from tests.browser.tour import EVERY_PAGE, open_all_details, tour

pytestmark = pytest.mark.browser

MIN = 24
PHONE = {"width": 360, "height": 740}
#: Controls that must be 24 by 24 themselves: choices and their labels, buttons, back and Change links, details.
CONTROLS = ", ".join(
    [
        "input:not([type=hidden])",
        "label",
        "button",
        ".button",
        ".back-link",
        ".summary-action a",
        "summary",
        ".site-name",
    ]
)
#: Every other link outside running text (lists of links) may be smaller only with room around it (the spacing
#: exception: a 24 px circle on its centre touches no other target). Links inside a sentence are exempt.
MEASURE = """([controls, min]) => {
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && e.checkVisibility({ visibilityProperty: true });
  };
  const name = (e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} "${(e.textContent || e.value || "").trim().slice(0, 50)}"`;
  const strict = [...document.querySelectorAll(controls)].filter(visible);
  const links = [...document.querySelectorAll("a[href]")].filter(
    (a) => visible(a) && !a.matches(controls) && !a.closest("p, .prose, .skip-link")
  );
  const all = [...new Set([...strict, ...links, ...document.querySelectorAll("a[href], input, button, summary")])].filter(visible);
  const problems = [];
  for (const e of strict) {
    const r = e.getBoundingClientRect();
    if (r.width < min - 0.01 || r.height < min - 0.01) problems.push(`${name(e)} is ${r.width.toFixed(1)} x ${r.height.toFixed(1)}`);
  }
  const undersized = links.filter((e) => { const r = e.getBoundingClientRect(); return r.width < min || r.height < min; });
  const centre = (e) => { const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; };
  const distance = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  for (const e of undersized) {
    const c = centre(e);
    for (const other of all) {
      if (other === e || other.contains(e) || e.contains(other)) continue;
      const r = other.getBoundingClientRect();
      const crowded = undersized.includes(other)
        ? Math.hypot(c[0] - centre(other)[0], c[1] - centre(other)[1]) < min
        : distance(c, r) < min / 2;
      if (crowded) { problems.push(`${name(e)} is small and crowded by ${name(other)}`); break; }
    }
  }
  return problems;
}"""


def overflow(page) -> str | None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return None if widths[0] <= widths[1] else f"scrolls sideways: {widths[0]} px of content in {widths[1]} px"


def test_phone_no_sideways_scrolling_and_big_enough_tap_targets(new_page, screenshots) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    problems: dict[str, list[str]] = {}
    order = iter(range(1, 100))
    for old in screenshots.glob("phone-*.png"):
        old.unlink()

    def visit(name: str) -> None:
        page.screenshot(path=screenshots / f"phone-{next(order):02d}-{name}.png", full_page=True)
        found = [p for p in [overflow(page)] if p]
        found += page.evaluate(MEASURE, [CONTROLS, MIN])
        open_all_details(page)
        found += [f"with details open: {p}" for p in [overflow(page), *page.evaluate(MEASURE, [CONTROLS, MIN])] if p]
        if found:
            problems[f"{name} ({page.url})"] = found

    seen = tour(page, visit)
    assert set(seen) == EVERY_PAGE
    assert not problems, "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in problems.items())
