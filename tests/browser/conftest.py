"""Serve the app on 127.0.0.1 with a real WSGI server and drive Debian's Chromium through Playwright.

One server and one browser per test session; every test gets fresh browser contexts (so fresh cookies).
Chromium must be there: these tests fail, never skip, when it is missing (`make test` installs it).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.browser.tour import DESKTOP

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling hosts that a closed network refuses.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    path = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if not path:
        pytest.fail(
            f"Chromium is missing ({CHROMIUM} not found). The browser tests need it and never skip. "
            "Install it with `make test` (it runs `apt-get install -y chromium`), or set CHROMIUM to its path.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app the live server serves, with the bundled rules."""
    from questionnaire import create_app
    from questionnaire.loader import DEFAULT_RULES_DIR

    return create_app(
        {
            "TESTING": False,
            "ENV": "development",  # plain-HTTP cookies and the /preview page, whatever the environment says
            "PREVIEW": True,
            "RULES_DIR": str(DEFAULT_RULES_DIR),
            "SECRET_KEY": "browser-test-secret-" + "x" * 32,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        }
    )


@pytest.fixture(scope="session")
def live_server(live_app: Any) -> Iterator[str]:
    """Serve the app on a free port; return its base URL."""
    app = live_app
    quiet = logging.getLogger("werkzeug")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # no line per request in the test output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        quiet.setLevel(level)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: str) -> Iterator[Callable[..., Any]]:
    """Make pages, each in its own fresh context (own cookies); all are closed when the test ends."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def answered_page(new_page: Callable[..., Any], live_app: Any, live_server: str) -> Callable[..., Any]:
    """Make a page whose browser already holds the answers of a sample file, walked to the check page.

    The walk runs through the Flask test client (fast, and every page is checked on the way); its
    cookie is then given to a fresh browser context. Urgent notices are read and carried on from.
    """
    from questionnaire.answerfile import sample
    from tests.pagecheck import Person

    def make(name: str, note: str = "", **options: Any) -> Any:
        client = live_app.test_client()
        person = Person(client)
        answers = sample(name)
        person.walk(answers)
        while person.path == "/urgent":
            person.press("Carry on with the questions")
            for _ in range(60):
                if not person.path.startswith("/questions/"):
                    break
                person.answer(person.page_answers(answers))
        assert person.path == "/check", f"sample {name} did not reach the check page: {person.path}"
        if note:
            person.get("/results")
            assert client.post("/results/note", data={"csrf_token": person.token(), "note": note}).status_code == 303
        page = new_page(**options)
        cookie = client.get_cookie("fq_session")
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
        return page

    return make


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page in a fresh context."""
    return new_page()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The git-ignored folder where the browser tests leave screenshots for people to look at."""
    folder = Path(__file__).resolve().parents[2] / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder
