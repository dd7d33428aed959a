"""Clinic staff and invited patients, walking the pages through the Flask test client (every page checked)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tests.clinicfixtures import PASSWORD
from tests.pagecheck import MAX_WALK, Person, check_page


class Staff(Person):
    """A clinician at the keyboard."""

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        """Sign in through the form; return the response."""
        self.get("/clinic/login")
        self.response = self.client.post(
            "/clinic/login", data={"csrf_token": self.token(), "email": email, "password": password}
        )
        return self.response

    def post_form(self, action: str, data: dict[str, str] | None = None, follow: bool = True) -> Any:
        """Post a form with this page's CSRF token (any page's token will do: it is the session's)."""
        self.response = self.client.post(
            action, data={"csrf_token": self.token(), **(data or {})}, follow_redirects=follow
        )
        if self.response.status_code < 300 or self.response.status_code >= 400:
            self.soup = check_page(self.response.get_data(as_text=True))
        return self.response

    def invite(self, label: str = "", visit_date: str = "") -> str:
        """Make an invitation; return the link's path (/i/<token>)."""
        self.get("/clinic/invitations")
        self.post_form("/clinic/invitations", {"label": label, "visit_date": visit_date})
        assert self.response.status_code == 201, self.response.status_code
        link = self.soup.find(id="invitation-link")
        assert link is not None
        return urlsplit(link["href"]).path

    def submission_ids(self) -> list[str]:
        """Return the ids on the first inbox page, newest first."""
        self.get("/clinic/submissions")
        return [
            a["href"].rsplit("/", 1)[1]
            for a in self.soup.select("table.clinic-table a")
            if re.match(r"^/clinic/submissions/[0-9a-f]+$", a["href"])
        ]


class Patient(Person):
    """An invited person with their own browser (test client)."""

    def open_link(self, path: str) -> Any:
        """Open the invitation link and press the start button."""
        self.get(path)
        button = self.soup.find("main").find("form").find("button")
        assert button is not None
        return self.press(button.get_text(strip=True))

    def answer_until(self, answers: dict[str, Any], stop_at: str | None = None) -> list[str]:
        """Answer page after page from here until the check page or stop_at; return the pages seen.

        Like Person.walk: each question gets the given answer or else its first option, and a walk that
        does not end within MAX_WALK pages fails instead of looping.
        """
        seen: list[str] = []
        while self.path.startswith("/questions/"):
            page_id = self.path.rsplit("/", 1)[1]
            if page_id == stop_at:
                break
            seen.append(page_id)
            assert len(seen) <= MAX_WALK, f"the walk did not end after {MAX_WALK} pages: {seen}"
            self.answer(self.page_answers(answers))
            assert self.response.status_code < 400, f"page {page_id} refused the answers: {self.text[:300]}"
            if self.path == "/urgent":
                self.press("Carry on with the questions")
        return seen

    def send(self, consent: bool = True) -> Any:
        """From anywhere once finished: open the consent page and send (with or without the box ticked)."""
        self.get("/i/send")
        data = {"csrf_token": self.token(), **({"consent": "yes"} if consent else {})}
        self.response = self.client.post("/i/send", data=data)
        self.soup = check_page(self.response.get_data(as_text=True))
        return self.response
