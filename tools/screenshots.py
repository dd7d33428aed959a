"""Take a screenshot of every page a person can see, at 390 px and 1280 px, into docs/screenshots/.

Run with ``make screenshots``. The app is served on 127.0.0.1 with the bundled rules and walked in
Debian's Chromium; each PNG is reduced to a small palette so the committed files stay small.
Reviewers see the design without running anything.
"""

from __future__ import annotations

import io
import logging
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaire import create_app  # noqa: E402
from questionnaire.answerfile import sample  # noqa: E402
from tests.pagecheck import Person  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Colours kept per image: enough for text and the few brand colours, small enough to commit.
COLOURS = 64


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve the app on a free port for the duration of the block."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def cookie_after(app: Any, name: str, *, stop_at: str | None = None, carry_on: bool = True) -> tuple[str, str]:
    """Walk a sample through the Flask test client; return the session cookie and where the walk ended."""
    client = app.test_client()
    person = Person(client)
    answers = sample(name)
    person.walk(answers, stop_at=stop_at)
    while carry_on and person.path == "/urgent":
        person.press("Carry on with the questions")
        for _ in range(60):
            if not person.path.startswith("/questions/"):
                break
            person.answer(person.page_answers(answers))
    cookie = client.get_cookie("fq_session")
    return (cookie.value if cookie else ""), person.path


#: (file name, sample whose answers are held, where to stop the walk, whether to carry on past notices, URL)
SHOTS: list[tuple[str, str | None, str | None, bool, str]] = [
    ("01-start", None, None, True, "/"),
    ("02-question", None, None, True, "/questions/about"),
    ("03-question-with-answers", "weekly-headaches", "sleep", True, "/questions/sleep"),
    ("04-urgent-emergency", "sudden-severe-headache", None, False, "/urgent"),
    ("05-urgent-crisis", "thoughts-of-self-harm", None, False, "/urgent"),
    ("06-ended-under-18", "under-18", None, False, "/ended"),
    ("07-check", "weekly-headaches", None, True, "/check"),
    ("08-results", "weekly-headaches", None, True, "/results"),
    ("09-results-urgent", "jaw-pain-over-60", None, True, "/results"),
    ("10-summary", "longest-realistic", None, True, "/summary"),
    ("11-not-found", None, None, True, "/no-such-page"),
    ("12-clinic-sign-in", None, None, True, "/clinic/login"),
    ("13-author-mode", None, None, True, "/author"),
    ("14-start-spanish", None, None, True, "/"),
    ("15-results-spanish", "weekly-headaches", None, True, "/results"),
    ("16-summary-spanish", "longest-realistic", None, True, "/summary"),
]
#: The shots taken with a browser that asks for another language (Accept-Language); the rest ask for English.
LANGUAGES = {"14-start-spanish": "es", "15-results-spanish": "es", "16-summary-spanish": "es"}


def small_png(data: bytes) -> bytes:
    """Return the screenshot reduced to a small palette (text stays crisp; files shrink several times)."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    reduced = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    """Take every screenshot; return 0."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "TESTING": False,
                "ENV": "development",
                "SECRET_KEY": "screenshots-" + "s" * 32,
                "INSTANCE_PATH": instance,
            }
        )
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.png"):
            old.unlink()
        with serve(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, held, stop_at, carry_on, url in SHOTS:
                cookie = cookie_after(app, held, stop_at=stop_at, carry_on=carry_on)[0] if held else ""
                for size, width in WIDTHS.items():
                    context = browser.new_context(
                        base_url=base, viewport={"width": width, "height": 844}, locale=LANGUAGES.get(name, "en-GB")
                    )
                    if cookie:
                        context.add_cookies([{"name": "fq_session", "value": cookie, "url": base}])
                    page = context.new_page()
                    page.goto(url)
                    path = OUT / f"{name}-{size}.png"
                    path.write_bytes(small_png(page.screenshot(full_page=True)))
                    context.close()
            browser.close()
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"{len(list(OUT.glob('*.png')))} screenshots, {total / 1024:.0f} KB, in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
