"""Bad posts, tampered cookies and missing pages get a clear page and a 4xx, and lose no answer."""

from __future__ import annotations

import pytest
from flask import Flask

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.web import sessioncookie
from tests.pagecheck import Person, check_page, text_of

CALM = sample("calm")


@pytest.fixture
def halfway(client) -> Person:
    person = Person(client)
    person.walk(CALM, stop_at="stress")
    return person


def kept(person: Person) -> bool:
    """Tell whether the answers on the first two pages are still there."""
    soup = person.get("/questions/sleep")
    return soup.find("input", attrs={"name": "sleep_quality", "value": "good"}).has_attr("checked")


def test_value_not_offered(halfway) -> None:
    halfway.answer({"stress_level": "enormous", "stress_flares": "never", "past_trauma": "no"}, expect=400)
    assert "That answer is not one of the options" in halfway.text
    assert kept(halfway)


def test_unknown_field_is_refused(halfway) -> None:
    halfway.answer(
        {"stress_level": "low", "stress_flares": "never", "past_trauma": "no", "sleep_quality": "poor"}, expect=400
    )
    assert "The form had an answer this page does not ask for" in halfway.text
    assert kept(halfway)


def test_missing_csrf_token(halfway, client) -> None:
    response = client.post(
        "/questions/stress", data={"stress_level": "low", "stress_flares": "never", "past_trauma": "no"}
    )
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True))
    assert "This form has expired or was sent from another site" in text_of(soup)
    assert kept(halfway)


def test_wrong_csrf_token(halfway, client) -> None:
    response = client.post("/questions/stress", data={"csrf_token": "forged", "stress_level": "low"})
    assert response.status_code == 400
    assert kept(halfway)


def test_post_out_of_order_gets_409_and_keeps_answers(halfway) -> None:
    halfway.client.get("/questions/stress")
    token = halfway.token()
    response = halfway.client.post("/questions/habits", data={"csrf_token": token, "exercise_days": "none"})
    assert response.status_code == 409
    soup = check_page(response.get_data(as_text=True))
    assert soup.find("a", string="Go to your next question")["href"] == "/questions/stress"
    assert kept(halfway)


def test_tampered_cookie_gets_a_clear_page_and_no_answers(halfway, client) -> None:
    cookie = client.get_cookie("fq_session")
    client.set_cookie("fq_session", cookie.value[:-3] + ("AAA" if not cookie.value.endswith("AAA") else "BBB"))
    response = client.get("/questions/sleep")
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True))
    assert soup.h1.get_text() == "Your answers were cleared"
    assert "fq_session=;" in response.headers["Set-Cookie"]  # the bad cookie is removed
    person = Person(client)
    soup = person.get("/questions/sleep")
    assert person.path == "/questions/about"
    assert not any(i.has_attr("checked") for i in soup.find("main").find_all("input"))


@pytest.mark.parametrize("value", ["", "garbage", "a.b.c", "x" * 3900, "eyJhIjp7fX0.AAAA.BBBB"])
def test_garbage_cookies_never_500(client, value) -> None:
    client.set_cookie("fq_session", value)
    response = client.get("/questions/about")
    assert response.status_code in (200, 302, 400)


def test_cookie_signed_with_another_key_is_refused(client, tmp_path) -> None:
    other = create_app(
        {"TESTING": True, "SECRET_KEY": "another-secret-" + "y" * 32, "INSTANCE_PATH": str(tmp_path / "o")}
    )
    other_client = other.test_client()
    Person(other_client).walk(CALM, stop_at="stress")
    client.set_cookie("fq_session", other_client.get_cookie("fq_session").value)
    response = client.get("/questions/stress")
    assert response.status_code == 400
    assert "Your answers were cleared" in response.get_data(as_text=True)


def test_expired_session_is_cleared_with_a_clear_page(tmp_path, monkeypatch) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path), "SESSION_MAX_AGE": 1})
    client = app.test_client()
    Person(client).walk(CALM, stop_at="stress")
    later = sessioncookie.clock() + 2.1
    monkeypatch.setattr(sessioncookie, "clock", lambda: later)
    response = client.get("/questions/stress")
    assert response.status_code == 200
    text = text_of(check_page(response.get_data(as_text=True)))
    assert "we clear answers after 1 second without use" in text


def test_answers_from_an_older_rule_set_are_revalidated(client, app) -> None:
    with client.session_transaction() as sess:
        sess["a"] = {"age_band": "30_39", "diagnosis": "maybe", "sleep_quality": "good", "nonsense": "x"}
    person = Person(client)
    person.get("/questions/about")
    assert person.soup.find("input", attrs={"name": "age_band", "value": "30_39"}).has_attr("checked")
    assert not any(i.has_attr("checked") for i in person.soup.find_all("input", attrs={"name": "diagnosis"}))


def test_404_page(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    soup = check_page(response.get_data(as_text=True))
    assert soup.h1.get_text() == "Page not found"
    assert client.get("/questions/nope").status_code == 404


def test_405_page(client) -> None:
    response = client.get("/restart")
    assert response.status_code == 405
    assert check_page(response.get_data(as_text=True)).h1.get_text() == "Sorry, that did not work"


def test_413_page(halfway, client) -> None:
    response = client.post("/questions/stress", data={"csrf_token": halfway.token(), "stress_level": "x" * 40000})
    assert response.status_code == 413
    assert check_page(response.get_data(as_text=True)).h1.get_text() == "That was too much to send"
    assert kept(halfway)


def test_500_page_is_friendly_and_logs_no_request_data(tmp_path, caplog) -> None:
    app = create_app({"SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path)})
    assert isinstance(app, Flask)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret-answer-value")

    response = app.test_client().get("/boom?sleep_quality=poor")
    assert response.status_code == 500
    soup = check_page(response.get_data(as_text=True))
    assert soup.h1.get_text() == "Sorry, there is a problem with the service"
    assert "sleep_quality=poor" not in caplog.text
    assert "secret-answer-value" not in caplog.text  # exception messages may quote answers
    assert "RuntimeError on GET /boom" in caplog.text


def test_api_errors_are_json(client) -> None:
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.get_json()["problems"][0]["message"] == "Page not found"
