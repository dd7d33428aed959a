"""The whole clinic story in Chromium, on SQLite and on PostgreSQL (when configured).

A clinician makes an invitation; the patient opens it, stops halfway, comes back in a new browser
context, consents and sends; the link then refuses reuse; the clinician sees the submission flagged
by tier and opens the summary and its PDF link; another clinic's clinician gets 404 on each of
those pages; purge with the clock moved past retention removes it. Run once with JavaScript off
(every clinic page must work without it) and once with it on, checking every page with axe.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from questionnaire import create_app
from questionnaire.clinics import retention
from questionnaire.clinics.clock import now
from tests.browser.tour import AXE_OPTIONS, CALM, DESKTOP, URGENT, answer, names_on, path, press
from tests.clinicfixtures import BACKENDS, PASSWORD, clinic_config, fresh_backend, seed
from tests.pagecheck import MAX_WALK

pytestmark = pytest.mark.browser


@pytest.fixture(params=BACKENDS)
def clinic_server(request: pytest.FixtureRequest, tmp_path) -> Iterator[tuple[str, Any]]:
    """Serve a clinic app (clinics North and South) on a free loopback port; return its URL and the app."""
    from werkzeug.serving import make_server

    backend = fresh_backend(request.param, request, tmp_path)
    app = create_app(clinic_config(backend, tmp_path / "instance", TESTING=False, ENV="development"))
    seed(app)
    quiet = logging.getLogger("werkzeug")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="clinic-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        quiet.setLevel(level)
        app.extensions["clinics"].database.dispose()


class Story:
    """Open browser contexts against the clinic server; check pages with axe when JavaScript is on."""

    def __init__(self, browser: Any, base: str, javascript: bool) -> None:
        self.browser, self.base, self.javascript = browser, base, javascript
        self.contexts: list[Any] = []
        self.axe = Axe()
        self.violations: dict[str, str] = {}
        self.checked: list[str] = []

    def page(self) -> Any:
        context = self.browser.new_context(base_url=self.base, viewport=DESKTOP, java_script_enabled=self.javascript)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context.new_page()

    def check(self, page: Any, name: str) -> None:
        """Run axe on the page (JavaScript on only: axe is a script)."""
        self.checked.append(name)
        if not self.javascript:
            return
        result = self.axe.run(page, options=AXE_OPTIONS)
        if result.violations_count:
            self.violations[name] = f"{page.url}\n{result.generate_report()}"

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def sign_in(story: Story, email: str) -> Any:
    page = story.page()
    page.goto("/clinic/login")
    story.check(page, "login")
    page.fill("#email", email)
    page.fill("#password", "not the password")
    press(page, "Sign in")
    assert page.locator(".error-summary").is_visible()
    story.check(page, "login-error")
    page.fill("#password", PASSWORD)
    press(page, "Sign in")
    assert path(page) == "/clinic/submissions"
    return page


def make_link(story: Story, page: Any, label: str) -> str:
    page.goto("/clinic/invitations")
    page.fill("#label", label)
    page.fill("#visit_date", "2027-03-14")
    press(page, "Make the link")
    link = page.locator("#invitation-link").get_attribute("href")
    assert page.locator("svg.qr").count() == 1
    return urlsplit(link).path


def answer_until(page: Any, answers: dict[str, Any], stop_at: str | None = None) -> None:
    """Answer pages until the check page (or stop_at); a question not in answers gets its first option."""
    for _ in range(MAX_WALK):
        if not path(page).startswith("/questions/") or (stop_at and path(page).endswith("/" + stop_at)):
            return
        for name in names_on(page):
            if name not in answers and not page.locator(f'main input[name="{name}"]:checked').count():
                page.locator(f'main input[name="{name}"]').first.check()
        answer(page, answers)
        if path(page) == "/urgent":
            press(page, "Carry on with the questions")
    raise AssertionError(f"the walk did not end after {MAX_WALK} pages")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "axe"])
def test_the_whole_clinic_story(browser, clinic_server, javascript: bool) -> None:
    base, app = clinic_server
    story = Story(browser, base, javascript)
    try:
        walk_story(story, app)
    finally:
        story.close()
    assert not story.violations, "\n\n".join(f"== {k}: {v}" for k, v in story.violations.items())
    assert len(story.checked) >= 18


def walk_story(story: Story, app: Any) -> None:
    clinician = sign_in(story, "north@example.org")
    story.check(clinician, "submissions-empty")
    clinician.goto("/clinic/invitations")
    story.check(clinician, "invitations")
    link = make_link(story, clinician, "Visit 14 March")
    story.check(clinician, "invitation-new")

    # the patient starts, stops halfway ...
    first = story.page()
    first.goto(link)
    story.check(first, "landing")
    press(first, "Start now")
    answer_until(first, URGENT, stop_at="headaches")
    assert path(first).endswith("/headaches")
    story.check(first, "question-invited")
    press(first, "Stop for now")
    story.check(first, "left")

    # ... and comes back in a new browser context
    second = story.page()
    second.goto(link)
    press(second, "Carry on where you left off")
    assert path(second).endswith("/headaches")
    answer_until(second, URGENT)
    assert path(second) == "/check"
    second.get_by_role("link", name="See your results").click()
    second.wait_for_url("**/results")
    story.check(second, "results-invited")
    with second.expect_navigation():
        second.get_by_role("link", name="Choose whether to send").click()
    story.check(second, "consent")
    press(second, "Send to North")  # the box is not ticked: nothing is sent
    assert second.locator(".error-summary").is_visible()
    story.check(second, "consent-error")
    second.locator("#consent").check()
    press(second, "Send to North")
    assert second.locator("h1").inner_text() == "Your answers were sent"
    story.check(second, "sent")

    # the link refuses reuse
    third = story.page()
    response = third.goto(link)
    assert response.status == 410 and "already sent" in third.locator("h1").inner_text()
    story.check(third, "already-sent")

    # the clinician sees it flagged by tier and opens the summary and the PDF link
    clinician.goto("/clinic/submissions")
    row = clinician.locator("table.clinic-table tbody tr").first
    assert "Emergency" in row.inner_text()
    story.check(clinician, "submissions")
    with clinician.expect_navigation():
        row.locator("a").click()
    submission_path = path(clinician)
    assert clinician.locator("h1").inner_text() == "Summary for your clinician"
    story.check(clinician, "submission")
    press(clinician, "Mark as reviewed")
    assert clinician.get_by_role("button", name="Mark as not reviewed").count() == 1
    pdf_path = clinician.get_by_role("link", name="Download PDF").get_attribute("href")
    assert pdf_path == submission_path + "/pdf"
    pdf = clinician.context.request.get(pdf_path)  # the browser's own cookies
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    clinician.goto(submission_path + "/delete")
    story.check(clinician, "delete-confirm")
    clinician.goto("/clinic/invitations")
    with clinician.expect_navigation():
        clinician.locator("table.clinic-table a").first.click()
    invitation_path = path(clinician)
    story.check(clinician, "invitation")

    # a second invitation: the patient chooses not to send, then the clinic revokes the link
    other_link = make_link(story, clinician, "Declines")
    declining = story.page()
    declining.goto(other_link)
    press(declining, "Start now")
    answer_until(declining, CALM)
    declining.goto("/i/send")
    press(declining, "Do not send, and delete my answers")
    story.check(declining, "declined")
    clinician.goto("/clinic/invitations")
    with clinician.expect_navigation():
        clinician.locator("table.clinic-table a").first.click()
    press(clinician, "Revoke this link")
    story.check(clinician, "revoked-notice")
    assert declining.goto(other_link).status == 410
    story.check(declining, "link-revoked")

    # another clinic's clinician gets 404 on every one of those pages
    south = sign_in(story, "south@example.org")
    for target in (submission_path, pdf_path, submission_path + "/delete", invitation_path):
        assert south.goto(target).status == 404, target
    story.check(south, "not-found")

    # purge with the clock moved past retention removes it
    retention.purge(app.extensions["clinics"].database, now() + timedelta(days=91))
    clinician.goto("/clinic/submissions")  # that clock also ended the idle sign-in: sign in again
    clinician.fill("#email", "north@example.org")
    clinician.fill("#password", PASSWORD)
    press(clinician, "Sign in")
    assert clinician.locator("table.clinic-table").count() == 0
    assert clinician.goto(submission_path).status == 404
    press_sign_out(clinician)
    story.check(clinician, "signed-out")


def press_sign_out(page: Any) -> None:
    page.goto("/clinic/submissions")
    press(page, "Sign out")
    assert path(page) == "/clinic/login"
