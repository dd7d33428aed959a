"""The answer store: the cookie is encrypted, expires, survives a key rotation, and another store can take over.

These run on the small rule set in tests/fixtures/mini, so they hold whatever the real content says.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from questionnaire import create_app
from questionnaire.web import sessioncookie
from questionnaire.web.answerstore import CookieStore, answer_store, register_store_resolver
from questionnaire.web.config import ConfigError
from tests.pagecheck import Person

KEY, NEW_KEY = "first-key-" + "a" * 32, "second-key-" + "b" * 32
#: Answers to the mini rules whose values and ids appear nowhere in the page addresses.
ANSWERS = {"age_band": "adult", "mood_low": "more_than_half", "mood_interest": "several_days"}
SECRETS = ("more_than_half", "several_days", "mood_low", "mood_interest", "adult")


def mini(tmp_path: Path, rules: Path, name: str, **config: Any) -> Flask:
    settings = {"TESTING": True, "SECRET_KEY": KEY, "INSTANCE_PATH": str(tmp_path / name), "RULES_DIR": str(rules)}
    return create_app({**settings, **config})


def halfway(app: Flask) -> Person:
    """Answer the first two pages of the mini questionnaire; stop on the third."""
    person = Person(app.test_client())
    person.walk(ANSWERS, stop_at="signs")
    assert person.path == "/questions/signs"
    return person


def cookie(person: Person) -> str:
    return person.client.get_cookie("fq_session").value


def every_decoding(value: str) -> list[bytes]:
    """Return the cookie as it is and decoded every way a curious reader would try: base64, then zlib."""
    found = [value.encode()]
    for part in [value, *value.split(".")]:
        padded = part + "=" * (-len(part) % 4)
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = decode(padded)
            except (binascii.Error, ValueError):
                continue
            found.append(raw)
            with contextlib.suppress(zlib.error):
                found.append(zlib.decompress(raw))
    return found


def test_the_cookie_holds_no_answer_in_any_readable_form(mini_rules, tmp_path) -> None:
    app = mini(tmp_path, mini_rules.dir, "app")
    value = cookie(halfway(app))
    decoded = every_decoding(value)
    assert len(decoded) > 1  # the reader really decoded something
    for data in decoded:
        for secret in SECRETS:
            assert secret.encode() not in data, secret
    # The app itself reads the answers back: the page shows them chosen.
    person = Person(app.test_client())
    person.client.set_cookie("fq_session", value)
    soup = person.get("/questions/mood")
    assert soup.find("input", attrs={"name": "mood_low", "value": "more_than_half"}).has_attr("checked")


def test_an_old_key_still_opens_the_cookie_after_a_rotation(mini_rules, tmp_path) -> None:
    before = halfway(mini(tmp_path, mini_rules.dir, "before"))
    rotated = mini(tmp_path, mini_rules.dir, "rotated", SECRET_KEY=NEW_KEY, OLD_SECRET_KEYS=[KEY])
    person = Person(rotated.test_client())
    person.client.set_cookie("fq_session", cookie(before))
    soup = person.get("/questions/mood")
    assert soup.find("input", attrs={"name": "mood_low", "value": "more_than_half"}).has_attr("checked")
    # The next change seals the cookie with the new key, which an app without the old key opens too.
    person.get("/questions/signs")
    person.answer({"red_flag": "no", "today_flag": "no", "soon_flag": "no"}, to="/questions/habits")
    only_new = Person(mini(tmp_path, mini_rules.dir, "new", SECRET_KEY=NEW_KEY).test_client())
    only_new.client.set_cookie("fq_session", cookie(person))
    only_new.get("/questions/habits")
    # Without the old key, a cookie sealed before the rotation cannot be opened: the answers are cleared.
    only_new.client.set_cookie("fq_session", cookie(before))
    soup = only_new.get("/questions/mood", expect=400)
    assert "Your answers were cleared" in soup.get_text()


def test_old_keys_come_from_the_environment(mini_rules, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("QUESTIONNAIRE_OLD_SECRET_KEYS", f"{KEY}, {'c' * 40}")
    app = mini(tmp_path, mini_rules.dir, "env", SECRET_KEY=NEW_KEY)
    assert app.config["OLD_SECRET_KEYS"] == [KEY, "c" * 40]
    monkeypatch.setenv("QUESTIONNAIRE_OLD_SECRET_KEYS", "short")
    with pytest.raises(ConfigError, match="OLD_SECRET_KEYS"):
        mini(tmp_path, mini_rules.dir, "prod", SECRET_KEY=NEW_KEY, ENV="production")


def test_an_idle_cookie_expires_and_an_active_one_slides(mini_rules, tmp_path, monkeypatch) -> None:
    app = mini(tmp_path, mini_rules.dir, "app", SESSION_MAX_AGE=120)
    person = halfway(app)
    start = sessioncookie.clock()
    monkeypatch.setattr(sessioncookie, "clock", lambda: start + 20)
    assert "Set-Cookie" not in person.client.get("/questions/signs").headers  # young: not sealed again
    monkeypatch.setattr(sessioncookie, "clock", lambda: start + 40)
    assert "Set-Cookie" in person.client.get("/questions/signs").headers  # past a quarter: sealed again
    monkeypatch.setattr(sessioncookie, "clock", lambda: start + 150)
    person.get("/questions/signs")  # 110 s after the new seal: still fine
    monkeypatch.setattr(sessioncookie, "clock", lambda: start + 300)
    soup = person.get("/questions/signs")
    assert "we clear answers after 2 minutes without use" in soup.get_text()
    assert "fq_session=;" in person.response.headers["Set-Cookie"]


def test_a_cookie_sealed_in_the_future_is_refused(mini_rules, tmp_path) -> None:
    app = mini(tmp_path, mini_rules.dir, "app")
    value = app.session_interface.seal(json.dumps({"a": ANSWERS}).encode(), at=sessioncookie.clock() + 3600)
    person = Person(app.test_client())
    person.client.set_cookie("fq_session", value)
    assert "Your answers were cleared" in person.get("/questions/mood", expect=400).get_text()


class DictStore:
    """A store kept in a dict, as a database-backed store would keep it on the server."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.calls: list[str] = []

    def get(self) -> dict[str, Any]:
        self.calls.append("get")
        return dict(self.data)

    def set(self, data: dict[str, Any]) -> None:
        self.calls.append("set")
        self.data = dict(data)

    def clear(self) -> None:
        self.calls.append("clear")
        self.data = {}


def test_a_registered_store_takes_the_answers_instead_of_the_cookie(mini_rules, tmp_path) -> None:
    app = mini(tmp_path, mini_rules.dir, "app")
    store = DictStore()
    asked: list[str] = []
    register_store_resolver(app, lambda: asked.append("first") or None)  # declines: the next one decides
    register_store_resolver(app, lambda: asked.append("second") or store)
    register_store_resolver(app, lambda: asked.append("third") or CookieStore())
    person = halfway(app)
    assert store.data["a"] == {"age_band": "adult", "mood_low": "more_than_half", "mood_interest": "several_days"}
    assert asked.count("first") == asked.count("second") > 0 and "third" not in asked  # once per request
    value = cookie(person)
    opened = json.loads(app.session_interface.keys.decrypt(value.encode()))
    assert "a" not in opened and "csrf_token" in opened  # the cookie keeps only the CSRF token
    person.get("/")
    person.press("Start again")
    assert store.data == {} and "clear" in store.calls


def test_without_resolvers_each_request_uses_the_cookie_store(mini_app) -> None:
    with mini_app.test_request_context("/"):
        first = answer_store()
        assert isinstance(first, CookieStore) and answer_store() is first


def choose_keep(person: Person, choice: str) -> str:
    """Choose how long the device keeps the answers, on the start page; return the Set-Cookie header."""
    soup = person.get("/")
    form = soup.find("form", class_="keep-form")
    assert form is not None, "the start page offers no choice of how long answers are kept"
    person.response = person.client.post(form["action"], data={"csrf_token": person.token(), "keep": choice})
    assert person.response.status_code == 303
    return person.response.headers["Set-Cookie"]


def test_the_start_page_offers_how_long_answers_are_kept(mini_rules, tmp_path) -> None:
    app = mini(tmp_path, mini_rules.dir, "app", SESSION_MAX_AGE=7200)
    person = halfway(app)
    soup = person.get("/")
    choices = {i["value"]: i.has_attr("checked") for i in soup.select(".keep-form input[name=keep]")}
    assert choices == {"browser": False, "usual": True, "day": False}
    labels = [label.get_text(strip=True) for label in soup.select(".keep-form label")]
    assert labels == ["Until I close this browser", "Up to 2 hours without use", "Up to 24 hours without use"]
    assert "deleted after 2 hours without use" in " ".join(soup.get_text().split())


def test_until_the_browser_closes_is_a_cookie_without_a_date(mini_rules, tmp_path, monkeypatch) -> None:
    app = mini(tmp_path, mini_rules.dir, "app", SESSION_MAX_AGE=7200)
    person = halfway(app)
    cookie = choose_keep(person, "browser")
    assert "Expires=" not in cookie and "Max-Age" not in cookie, cookie
    assert "when you close this browser" in " ".join(person.get("/").get_text().split())
    start = sessioncookie.clock()
    monkeypatch.setattr(sessioncookie, "clock", lambda: start + 3 * 3600)  # past the usual 2 hours
    person.get("/questions/signs")
    assert person.path == "/questions/signs"
    monkeypatch.setattr(sessioncookie, "clock", lambda: start + 30 * 3600)  # a day at most
    soup = person.get("/questions/signs")
    assert "we clear answers after 24 hours without use" in soup.get_text()


def test_up_to_a_day_keeps_answers_past_the_usual_time(mini_rules, tmp_path, monkeypatch) -> None:
    app = mini(tmp_path, mini_rules.dir, "app", SESSION_MAX_AGE=7200)
    person = halfway(app)
    cookie = choose_keep(person, "day")
    assert "Expires=" in cookie
    start = sessioncookie.clock()
    monkeypatch.setattr(sessioncookie, "clock", lambda: start + 20 * 3600)
    person.get("/questions/signs")
    assert person.path == "/questions/signs"
    kept = app.session_interface.read(person.client.get_cookie("fq_session").value)
    assert kept["a"] == ANSWERS and kept["k"] == "day"


def test_a_choice_not_offered_is_refused_and_nothing_changes(mini_rules, tmp_path) -> None:
    app = mini(tmp_path, mini_rules.dir, "app")
    person = halfway(app)
    person.get("/")
    response = person.client.post("/keep", data={"csrf_token": person.token(), "keep": "forever"})
    assert response.status_code == 400
    response = person.client.post("/keep", data={"keep": "day"})  # no CSRF token
    assert response.status_code == 400
    assert "k" not in app.session_interface.read(person.client.get_cookie("fq_session").value)
