"""Check pages as a careful reviewer would, and walk the questionnaire like a person."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import html5lib
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict


def check_page(html: str) -> BeautifulSoup:
    """Assert the page is valid HTML with one h1, a matching title, unique ids and labelled inputs."""
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
    soup = BeautifulSoup(html, "html.parser")
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    h1 = " ".join(h1s[0].get_text().split())
    title = " ".join(soup.title.get_text().split())
    assert title.removeprefix("Error: ").startswith(h1), (title, h1)
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit"):
            continue
        assert field.get("id") and soup.find("label", attrs={"for": field["id"]}), f"unlabelled field {field}"
    for fieldset in soup.find_all("fieldset"):
        assert fieldset.find("legend"), "fieldset without legend"
    for ref in soup.select("[aria-describedby]"):
        for target in ref["aria-describedby"].split():
            assert soup.find(id=target), f"aria-describedby points at missing id {target}"
    for link in soup.select('a[href^="#"]'):
        if link["href"] != "#":
            assert soup.find(id=link["href"][1:]), f"link to missing id {link['href']}"
    # English unless a test chose another language; never missing or malformed.
    assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", soup.html.get("lang") or ""), soup.html.get("lang")
    return soup


def text_of(soup: BeautifulSoup) -> str:
    """Return the visible text of the main content, whitespace collapsed."""
    return " ".join(soup.find("main").get_text(" ").split())


class Person:
    """Walk the questionnaire through the Flask test client, checking every page and every status on the way.

    Each request states the status it expects (``expect``) and, if it matters, where it must end up
    (``to``: the path of the page reached, or of the redirect when redirects are not followed).
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.soup: BeautifulSoup | None = None
        self.response: Any = None

    def _expect(self, what: str, expect: int, to: str | None) -> None:
        status = self.response.status_code
        if status != expect:
            body = " ".join(BeautifulSoup(self.response.get_data(as_text=True), "html.parser").get_text().split())
            raise AssertionError(f"{what}: expected status {expect}, got {status}: {body[:300]}")
        if to is not None:
            redirected = 300 <= status < 400
            where = urlsplit(self.response.headers["Location"]).path if redirected else self.path
            assert where == to, f"{what}: expected to reach {to}, reached {where}"

    def _read(self) -> BeautifulSoup | None:
        redirected = 300 <= self.response.status_code < 400
        self.soup = None if redirected else check_page(self.response.get_data(as_text=True))
        return self.soup

    def get(self, url: str, follow: bool = True, *, expect: int = 200, to: str | None = None) -> BeautifulSoup:
        self.response = self.client.get(url, follow_redirects=follow)
        self._expect(f"GET {url}", expect, to)
        return self._read()  # type: ignore[return-value]

    def token(self) -> str:
        assert self.soup is not None
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None, "no CSRF token on the page"
        return field["value"]

    @property
    def path(self) -> str:
        return self.response.request.path

    @property
    def text(self) -> str:
        assert self.soup is not None
        return text_of(self.soup)

    def answer(
        self, answers: dict[str, Any], follow: bool = True, *, expect: int | None = None, to: str | None = None
    ) -> BeautifulSoup:
        """Post answers to the current page's form, as a browser would (expecting 200, or 303 unfollowed)."""
        assert self.soup is not None
        form = self.soup.find("main").find("form", method="post")
        action = form.get("action") or self.path
        data: list[tuple[str, str]] = [("csrf_token", self.token())]
        for key, value in answers.items():
            for item in value if isinstance(value, list) else [value]:
                data.append((key, item))
        self.response = self.client.post(action, data=MultiDict(data), follow_redirects=follow)
        self._expect(f"POST {action}", expect if expect is not None else (200 if follow else 303), to)
        return self._read()  # type: ignore[return-value]

    def answer_all(self, answers: dict[str, Any]) -> BeautifulSoup:
        """Post these answers, and for every other question on the page its current or first answer.

        Tests that mean "answer this page like so" use this, so a question added to the page by an
        ordinary content edit does not turn their post into a "please answer" error.
        """
        return self.answer(self.page_answers(answers))

    def press(self, button_text: str, *, expect: int = 200, to: str | None = None) -> BeautifulSoup:
        """Submit the form whose button has this text."""
        assert self.soup is not None
        button = self.soup.find("button", string=re.compile(re.escape(button_text)))
        assert button is not None, f"no button {button_text!r}"
        form = button.find_parent("form")
        self.response = self.client.post(form["action"], data={"csrf_token": self.token()}, follow_redirects=True)
        self._expect(f"POST {form['action']}", expect, to)
        return self._read()  # type: ignore[return-value]

    def follow_link(self, text: str, *, expect: int = 200, to: str | None = None) -> BeautifulSoup:
        assert self.soup is not None
        link = self.soup.find("a", string=re.compile(re.escape(text)))
        assert link is not None, f"no link {text!r}"
        return self.get(link["href"], expect=expect, to=to)

    def walk(self, answers: dict[str, Any], stop_at: str | None = None) -> list[str]:
        """Answer page after page until the check page (or stop_at); return the page paths seen.

        Every question asked gets the answer given for it, or else "no" (or the like) or its first option, so a walk
        survives new questions in the content; a walk that does not reach its end within a
        bounded number of pages fails with the pages it saw, never loops.
        """
        seen: list[str] = []
        self.get("/")
        if self.soup.find("button", string=re.compile("Start again")):
            self.press("Start again")
        self.follow_link("Start now")
        while self.path.startswith("/questions/"):
            page_id = self.path.rsplit("/", 1)[1]
            seen.append(page_id)
            assert len(seen) <= MAX_WALK, f"the walk did not end after {MAX_WALK} pages: {seen}"
            if page_id == stop_at:
                break
            self.answer(self.page_answers(answers))
            if self.path == "/urgent":
                break
        return seen

    def page_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Return answers for every question on the current page: the given one, else the chosen or first option."""
        assert self.soup is not None
        chosen: dict[str, Any] = {}
        fields = [f for f in self.soup.find("main").find_all("input") if f.get("name") not in (None, "csrf_token")]
        for field in fields:
            name = field["name"]
            if name in chosen:
                continue
            offered = [f["value"] for f in fields if f["name"] == name]
            checked = [f["value"] for f in fields if f["name"] == name and f.has_attr("checked")]
            chosen[name] = answers[name] if name in answers else (checked or [calmest(offered)])[0]
        return chosen


#: More pages than any questionnaire has: a walk that goes on longer is stuck.
MAX_WALK = 60
#: Option values that mean "nothing to report"; a question a test has no answer for gets one of these when offered.
CALM_VALUES = ("no", "none", "never", "not_at_all", "not_applicable")


def calmest(values: list[str]) -> str:
    """Return the option a walk chooses for a question it has no answer for: "no" (or the like), else the first.

    The first option of a new warning-sign question is often "yes", which would send a walk that means to
    reach the results to the urgent page instead.
    """
    return next((v for v in values if v in CALM_VALUES), values[0])
