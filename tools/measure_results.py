"""Measure the results page and the clinician summary for every sample, as issue 12 counts them.

Run with ``make measure`` (or ``.venv/bin/python tools/measure_results.py [--language es]``). For each
sample that reaches the results: the results page's length in 390x844 phone screens, its words, the
screen the Print button is on, and the summary's pages when printed on Letter and on A4 by Chromium
and as the PDF download (WeasyPrint). Prints a table; nothing is written.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaire import create_app  # noqa: E402
from questionnaire.answerfile import SAMPLES_DIR  # noqa: E402
from tools.screenshots import ARGS, CHROMIUM, cookie_after, serve  # noqa: E402

PHONE = {"width": 390, "height": 844}
WORDS = "() => document.querySelector('main').innerText.split(/\\s+/).filter(Boolean).length"
BOTTOM = "(s) => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().bottom + scrollY : 0; }"


def pages(data: bytes) -> int:
    """Return how many pages a PDF has."""
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def main() -> int:
    """Print one row per sample: phone screens, words, print button screen, summary pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en", help="the page language, such as es (default: en)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as instance:
        secret = "measure-" + "x" * 32
        app = create_app({"TESTING": False, "ENV": "development", "SECRET_KEY": secret, "INSTANCE_PATH": instance})
        with serve(app) as base, sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print("sample | phone screens | words | print button on screen | summary pages Letter/A4/PDF")
            for path in sorted(Path(SAMPLES_DIR).glob("*.yaml")):
                cookie, where = cookie_after(app, path.stem)
                if where != "/check":
                    continue  # an ending (under 18): no results page
                context = browser.new_context(base_url=base, viewport=PHONE, locale=args.language)
                context.add_cookies([{"name": "fq_session", "value": cookie, "url": base}])
                page = context.new_page()
                page.goto("/results")
                height = page.evaluate("() => document.documentElement.scrollHeight")
                button = page.evaluate(BOTTOM, "[data-print-href]")
                page.goto("/summary")
                letter = pages(page.pdf(format="Letter", prefer_css_page_size=False))
                a4 = pages(page.pdf(format="A4", prefer_css_page_size=False))
                download = page.request.get(f"{base}/summary.pdf")
                weasy = pages(download.body()) if download.ok else 0
                page.goto("/results")
                words = page.evaluate(WORDS)
                screens, on = height / PHONE["height"], button / PHONE["height"]
                print(f"{path.stem} | {screens:.2f} | {words} | {on:.2f} | {letter}/{a4}/{weasy}")
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
