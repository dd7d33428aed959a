"""Security of the web layer, one rule per test: headers, cookies, secrets, CSRF, the API, limits, redirects."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.answers import MAX_ANSWERS, parse_answers
from questionnaire.web import sessioncookie
from questionnaire.web.config import ConfigError
from tests.pagecheck import Person, check_page, text_of

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")
EVERYTHING = sample("every-page")

SECRET = "security-tests-" + "s" * 32
EVIL_ORIGIN = "https://evil.example"
PARTNER = "https://partner.example"


def make_app(tmp_path: Path, **config: object) -> Flask:
    """An app as in production: errors become responses, never exceptions in the test."""
    app = create_app({"SECRET_KEY": SECRET, "INSTANCE_PATH": str(tmp_path / "instance"), **config})
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.fixture
def prod(tmp_path) -> Flask:
    return make_app(tmp_path)


@pytest.fixture
def halfway(prod) -> Person:
    person = Person(prod.test_client())
    person.walk(CALM, stop_at="stress")
    return person


def boom_app(tmp_path: Path) -> Flask:
    app = make_app(tmp_path / "boom")

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    return app


# --- headers on every kind of response -------------------------------------------------------------


def every_kind_of_response(app: Flask, base_url: str) -> dict[str, object]:
    """Make one response of every kind the app gives, keyed by a name."""
    client = app.test_client()
    person = Person(client)
    person.get("/questions/about")
    token = person.token()
    kinds: dict[str, object] = {
        "page": client.get("/", base_url=base_url),
        "redirect 302": client.get("/questions/habits", base_url=base_url),
        "redirect 303": client.post(
            "/questions/about", data={"csrf_token": token, **person.page_answers({})}, base_url=base_url
        ),
        "400 csrf": client.post("/questions/sleep", data={"sleep_quality": "good"}, base_url=base_url),
        "404": client.get("/missing", base_url=base_url),
        "405": client.put("/questions/about", base_url=base_url),
        "409": client.post("/questions/habits", data={"csrf_token": token}, base_url=base_url),
        "413": client.post("/questions/sleep", data={"csrf_token": token, "x": "y" * 20000}, base_url=base_url),
        "HEAD": client.head("/questions/sleep", base_url=base_url),
        "OPTIONS": client.options("/questions/sleep", base_url=base_url),
        "static": client.get("/static/style.css", base_url=base_url),
        "static 404": client.get("/static/missing.css", base_url=base_url),
        "api 200": client.get("/api/v1/questionnaire", base_url=base_url),
        "api 400": client.post("/api/v1/assessments", json={"answers": {"x": 1}}, base_url=base_url),
        "api 404": client.get("/api/v1/missing", base_url=base_url),
        "api 405": client.delete("/api/v1/assessments", base_url=base_url),
        "api 413": client.post(
            "/api/v1/assessments", data="[" * 20000, content_type="application/json", base_url=base_url
        ),
        "api 415": client.post("/api/v1/assessments", data="a=b", base_url=base_url),
        "api OPTIONS": client.options("/api/v1/assessments", base_url=base_url),
    }
    client.set_cookie("fq_session", "tampered.value.here")
    kinds["session ended"] = client.get("/questions/about", base_url=base_url)
    kinds["500"] = boom_app(Path(app.instance_path).parent).test_client().get("/boom", base_url=base_url)
    return kinds


@pytest.mark.parametrize("base_url", ["http://localhost", "https://localhost"])
def test_every_kind_of_response_has_the_security_headers(prod, base_url) -> None:
    kinds = every_kind_of_response(prod, base_url)
    statuses = {name: r.status_code for name, r in kinds.items()}
    assert statuses["redirect 302"] == 302 and statuses["redirect 303"] == 303 and statuses["500"] == 500
    assert statuses["413"] == 413 and statuses["api 413"] == 413 and statuses["409"] == 409
    for name, response in kinds.items():
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp, name
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        assert re.search(r"(^|; )style-src 'self'($|;)", csp), name
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp, name
        assert headers.get("X-Content-Type-Options") == "nosniff", name
        assert headers.get("Referrer-Policy") == "no-referrer", name
        assert "camera=()" in headers.get("Permissions-Policy", ""), name
        assert headers.get("X-Frame-Options") == "DENY", name
        hsts = headers.get("Strict-Transport-Security")
        if base_url.startswith("https"):
            assert hsts and "max-age=31536000" in hsts, name
        else:
            assert hsts is None, name
        if not name.startswith("static"):
            assert headers.get("Cache-Control") == "no-store", name
        response.close()


def test_pages_use_no_inline_script_or_style(prod) -> None:
    """The CSP forbids inline script and style; no page should need either (checked on every page)."""
    client = prod.test_client()
    person = Person(client)
    pages = [person.get("/")]
    person.walk(EVERYTHING)
    pages.append(person.soup)
    for url, status in (("/check", 200), ("/results", 200), ("/summary", 200), ("/missing", 404)):
        pages.append(person.get(url, expect=status))
    for soup in pages:
        assert not soup.find("style")
        assert not soup.find(attrs={"style": True})
        for script in soup.find_all("script"):
            assert script.get("src", "").startswith("/static/"), script  # only files from this site
        assert not any(a.startswith("on") for tag in soup.find_all(True) for a in tag.attrs)
        for tag in soup.find_all(["link", "img", "script", "iframe"]):
            url = tag.get("href") or tag.get("src") or ""
            assert not re.match(r"^(https?:)?//", url), f"loads {url} from outside the app"


# --- session cookie, secrets ----------------------------------------------------------------------


def session_cookie_header(client) -> str:
    headers = [h for h in client.get("/questions/about").headers.getlist("Set-Cookie") if h.startswith("fq_session=")]
    assert headers, "no session cookie was set"
    return headers[0]


def test_session_cookie_is_httponly_lax_and_secure_in_production(tmp_path) -> None:
    app = make_app(tmp_path, ENV="production")
    header = session_cookie_header(app.test_client())
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" in header
    assert "Domain=" not in header  # only this host


def test_session_cookie_is_not_secure_in_development(tmp_path) -> None:
    header = session_cookie_header(make_app(tmp_path).test_client())
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header


def test_production_refuses_a_missing_or_short_secret(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("QUESTIONNAIRE_SECRET_KEY", raising=False)
    monkeypatch.setenv("QUESTIONNAIRE_ENV", "production")
    with pytest.raises(ConfigError, match="QUESTIONNAIRE_SECRET_KEY is not set"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()  # production never falls back to the instance file
    monkeypatch.setenv("QUESTIONNAIRE_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setenv("QUESTIONNAIRE_SECRET_KEY", "e" * 64)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["ENV"] == "production" and app.secret_key == "e" * 64


def test_development_keeps_a_private_secret_in_the_instance_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("QUESTIONNAIRE_SECRET_KEY", raising=False)
    monkeypatch.delenv("QUESTIONNAIRE_ENV", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).secret_key == first.secret_key


# --- CSRF on every form ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/questions/stress", "/urgent", "/restart"])
def test_every_form_needs_the_csrf_token_of_its_own_session(prod, halfway, url) -> None:
    client = halfway.client
    other = Person(prod.test_client())
    other.get("/questions/about")
    answers = {"stress_level": "low", "stress_flares": "never", "past_trauma": "no"}
    for data in (answers, {**answers, "csrf_token": "forged"}, {**answers, "csrf_token": other.token()}):
        response = client.post(url, data=data)
        assert response.status_code == 400, data
        assert "This form has expired or was sent from another site" in response.get_data(as_text=True)
    soup = halfway.get("/questions/sleep")
    assert soup.find("input", attrs={"name": "sleep_quality", "value": "good"}).has_attr("checked")


def test_every_form_on_every_page_carries_a_csrf_token(prod) -> None:
    person = Person(prod.test_client())
    seen = 0
    person.walk({**EVERYTHING, "sudden_severe_headache": "yes"})
    assert person.path == "/urgent"
    for soup in (person.soup, person.get("/questions/about"), person.get("/")):
        for form in soup.find_all("form", method="post"):
            assert form.find("input", attrs={"name": "csrf_token", "type": "hidden"}), form
            seen += 1
    assert seen >= 3


# --- the JSON API: JSON only, no cookies, closed to other origins ---------------------------------


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", None]
)
def test_api_takes_json_only(prod, content_type) -> None:
    response = prod.test_client().post(
        "/api/v1/assessments", data=json.dumps({"answers": {}}), content_type=content_type
    )
    assert response.status_code == 415
    assert response.mimetype == "application/json"


def test_api_never_reads_or_sets_the_session_cookie(prod, halfway) -> None:
    good = halfway.client.get_cookie("fq_session").value
    client = prod.test_client(use_cookies=False)
    body = {"answers": {"sleep_quality": "poor"}}
    expected = client.post("/api/v1/assessments", json=body).data
    for cookie in (good, good[:-4] + "AAAA", "junk", "x" * 5000):
        headers = {"Cookie": f"fq_session={cookie}"}
        for response in (
            client.post("/api/v1/assessments", json=body, headers=headers),
            client.get("/api/v1/questionnaire", headers=headers),
            client.get("/api/v1/nothing", headers=headers),
            client.options("/api/v1/assessments", headers=headers),
            client.get("/static/style.css", headers=headers),
        ):
            assert "Set-Cookie" not in response.headers, response.request.path
            assert "Cookie" not in response.headers.get("Vary", ""), response.request.path
            response.close()
        assert client.post("/api/v1/assessments", json=body, headers=headers).data == expected


def test_api_is_closed_to_other_origins_by_default(prod) -> None:
    client = prod.test_client()
    preflight = client.options(
        "/api/v1/assessments",
        headers={
            "Origin": EVIL_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    post = client.post("/api/v1/assessments", json={"answers": {}}, headers={"Origin": EVIL_ORIGIN})
    for response in (preflight, post):
        assert not [h for h, _ in response.headers if h.lower().startswith("access-control-")]


def test_api_answers_a_preflight_only_from_a_configured_origin(tmp_path) -> None:
    client = make_app(tmp_path, API_CORS_ORIGINS=[PARTNER]).test_client()
    request_headers = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = client.options("/api/v1/assessments", headers={"Origin": PARTNER, **request_headers})
    assert allowed.headers["Access-Control-Allow-Origin"] == PARTNER
    assert allowed.headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert set(allowed.headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "POST"}
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    assert "Origin" in allowed.headers["Vary"]
    refused = client.options("/api/v1/assessments", headers={"Origin": EVIL_ORIGIN, **request_headers})
    assert not [h for h, _ in refused.headers if h.lower().startswith("access-control-")]
    assert "Origin" in refused.headers["Vary"]
    post = client.post("/api/v1/assessments", json={"answers": {}}, headers={"Origin": PARTNER})
    assert post.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "Access-Control-Allow-Methods" not in post.headers  # only a preflight lists them


# --- hostile JSON ---------------------------------------------------------------------------------


def api_post(app: Flask, body: bytes) -> tuple[int, dict]:
    response = app.test_client().post("/api/v1/assessments", data=body, content_type="application/json")
    return response.status_code, json.loads(response.get_data().decode("utf-8"))  # always valid UTF-8 JSON


def messages(data: dict) -> str:
    return " | ".join(p["message"] for p in data["problems"])


@pytest.mark.parametrize("opener", ["[", '{"a":'])
@pytest.mark.parametrize("depth", [999, 1000, 1001, 2500])  # 2,500 levels fit in the 16 KB limit
def test_deeply_nested_json_is_a_400_not_a_500(prod, opener, depth) -> None:
    closer = "]" if opener == "[" else "}"
    status, data = api_post(prod, ('{"answers":' + opener * depth + "1" + closer * depth + "}").encode())
    assert status == 400
    assert "nested too deeply" in messages(data) or "answers must be a mapping" in messages(data)


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("9" * 5000, "not valid JSON"),  # more digits than Python reads
        ("1e999999", "the answer must be text"),  # infinity
        ("-" + "9" * 4000, "the answer must be text"),
        ("NaN", "the answer must be text"),
    ],
)
def test_huge_json_numbers_are_a_400(prod, number, fragment) -> None:
    status, data = api_post(prod, ('{"answers":{"sleep_quality":' + number + "}}").encode())
    assert status == 400
    assert fragment in messages(data)


@pytest.mark.parametrize(
    "body",
    [
        b'{"answers":{"\\ud800":"x"}}',
        b'{"answers":{"sleep_quality":"\\udfff"}}',
        b'{"answers":{"sleep_quality":"\xed\xa0\x80"}}',
        b'{"answers":{"sleep\\u0000quality":"poor"}}',
        b'{"answers":{"sleep_quality":"poor\\u0000"}}',
        b'{"answers":{"\\u202e\\u0000\\u001b[31m":"x"}, "\\ud800": 1}',
        b'{"answers":{"sleep_quality":"poor"}}\x00',
        b"\xff\xfe{}",
    ],
)
def test_nul_bytes_lone_surrogates_and_bad_utf8_get_a_readable_400(prod, body) -> None:
    status, data = api_post(prod, body)
    assert status == 400
    text = messages(data)
    assert "\x00" not in text and not re.search("[\ud800-\udfff]", text)


def test_api_refuses_10000_answers(prod) -> None:
    body = json.dumps({"answers": {f"q{i}": "x" for i in range(10_000)}}).encode()
    response = prod.test_client().post("/api/v1/assessments", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["problems"][0]["message"]
    answers, problems = parse_answers({}, {f"q{i}": "x" for i in range(10_000)})
    assert answers == {} and "too many answers (10000)" in problems[0].message
    compact = json.dumps({"answers": {str(i): 0 for i in range(MAX_ANSWERS + 1)}}).encode()
    assert len(compact) < 16 * 1024
    status, data = api_post(prod, compact)
    assert status == 400 and f"too many answers ({MAX_ANSWERS + 1})" in messages(data)


def test_api_names_unknown_fields_and_values_not_offered(prod) -> None:
    status, data = api_post(prod, json.dumps({"answers": {"sleep_quality": "awful", "mood": "x"}}).encode())
    assert status == 400
    by_question = {p["question"]: p["message"] for p in data["problems"]}
    assert "'awful' is not an option" in by_question["sleep_quality"]
    assert "there is no question 'mood'" in by_question["mood"]


# --- form limits ------------------------------------------------------------------------------------


def stress_post(halfway: Person, pairs: list[tuple[str, str]], **kwargs: object):
    halfway.get("/questions/stress")
    data = MultiDict([("csrf_token", halfway.token()), *pairs])
    return halfway.client.post("/questions/stress", data=data, **kwargs)


def assert_too_much(response) -> None:
    assert response.status_code == 413
    soup = check_page(response.get_data(as_text=True))
    assert soup.h1.get_text() == "That was too much to send"


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_too_many_fields_get_the_413_page(halfway, content_type) -> None:
    assert_too_much(stress_post(halfway, [("stress_level", "low")] * 100, content_type=content_type))
    assert_too_much(stress_post(halfway, [(f"f{i}", "") for i in range(150)], content_type=content_type))


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_too_long_value_or_name_gets_the_413_page(halfway, content_type) -> None:
    assert_too_much(stress_post(halfway, [("stress_level", "x" * 1025)], content_type=content_type))
    assert_too_much(stress_post(halfway, [("n" * 1025, "low")], content_type=content_type))
    # Just under the limits: refused for what it says, with the page and a clear message, not as too big.
    response = stress_post(halfway, [("stress_level", "x" * 1000), *[("stress_flares", "never")] * 90])
    assert response.status_code == 400
    assert "That answer is not one of the options" in text_of(check_page(response.get_data(as_text=True)))


def test_a_multipart_field_without_a_name_is_a_400(halfway) -> None:
    halfway.get("/questions/stress")
    body = (
        '--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + halfway.token() + "\r\n"
        "--B\r\nContent-Disposition: form-data; nome=oops\r\n\r\nx\r\n--B--\r\n"
    )
    response = halfway.client.post("/questions/stress", data=body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400


def test_odd_unicode_and_nul_in_form_values_get_the_page_again(halfway) -> None:
    for value in ("low\x00", "\u202elow", "lo\u0301w", "\U0001f600", "%00", "<script>alert(1)</script>"):
        response = stress_post(halfway, [("stress_level", value), ("stress_flares", "never"), ("past_trauma", "no")])
        assert response.status_code == 400, value
        html = response.get_data(as_text=True)
        assert "<script>alert(1)" not in html
        assert "That answer is not one of the options" in text_of(check_page(html))


def test_an_unknown_field_is_refused_with_a_clear_message(halfway) -> None:
    response = stress_post(
        halfway, [("stress_level", "low"), ("stress_flares", "never"), ("past_trauma", "no"), ("\x00", "")]
    )
    assert response.status_code == 400
    assert "The form had an answer this page does not ask for" in text_of(check_page(response.get_data(as_text=True)))


# --- redirects never leave the site -------------------------------------------------------------------

EVIL_RETURNS = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "check\r\nLocation: https://evil.example",
    "check%0d%0aLocation:%20https://evil.example",
    "CHECK",
    "check ",
]


def assert_on_site(response) -> None:
    location = response.headers.get("Location")
    assert location is not None, response.status_code
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location and "\r" not in location and "\n" not in location


@pytest.mark.parametrize("value", [*EVIL_RETURNS, "check"])
def test_return_parameter_never_redirects_off_site(halfway, value) -> None:
    client = halfway.client
    query = {"return": value}
    answers = {"stress_level": "low", "stress_flares": "never", "past_trauma": "no"}
    halfway.get("/questions/stress")
    assert_on_site(
        client.post("/questions/stress", query_string=query, data={"csrf_token": halfway.token(), **answers})
    )
    assert_on_site(client.get("/questions/family", query_string=query))  # out of order: back to the first unanswered
    assert_on_site(client.post("/urgent", query_string=query, data={"csrf_token": halfway.token()}))
    page = client.get("/questions/stress", query_string=query)
    assert "evil" not in page.get_data(as_text=True)


def test_redirects_ignore_a_forged_host_header(prod, halfway) -> None:
    halfway.get("/questions/stress")
    answers = {"csrf_token": halfway.token(), "stress_level": "low", "stress_flares": "never", "past_trauma": "no"}
    client = prod.test_client(use_cookies=False)
    headers = {"Host": "evil.example", "Cookie": f"fq_session={halfway.client.get_cookie('fq_session').value}"}
    assert_on_site(client.get("/questions/family", headers=headers))
    assert_on_site(client.post("/questions/stress", data=answers, headers=headers))
    for path in ("//evil.example/", "/questions//about", "//questions/about", "/static//style.css", ""):
        response = client.get("/", headers=headers, environ_overrides={"PATH_INFO": path})
        if path:  # an empty path (only possible under a SCRIPT_NAME) is redirected to "/" by Werkzeug
            assert response.status_code in (200, 404), path
            assert "Location" not in response.headers, path


# --- sessions: tampered, wrong shape, another rule-set version -----------------------------------------


def signed(app: Flask, data: object) -> str:
    """Seal data as the app seals its own cookies (encrypted with the app's key)."""
    return app.session_interface.seal(json.dumps(data).encode())


@pytest.mark.parametrize(
    "payload",
    [
        [1, 2],
        "text",
        7,
        None,
        {"a": ["sleep_quality", "good"]},
        {"a": {"sleep_quality": {"nested": ["junk"]}}},
        {"a": {"sleep_quality": 5}},
        {"a": {"autoimmune": [1, 2]}},
        {"a": {f"q{i}": "x" for i in range(MAX_ANSWERS + 1)}},
        {"ack": {"thunderclap-headache": True}},
        {"ack": "thunderclap-headache"},
        {"csrf_token": 5},
        {"csrf_token": None},
        {"csrf_token": {"a": 1}},
        {"csrf_token": "\u00e9" * 40},
        {"v": ["2026"]},
        {"_permanent": "yes"},
        {"a": {"sleep_quality": {" b": "Z29vZA=="}}},  # bytes as the old tagged serializer wrote them
        {"a": {"sleep_quality": "x" * 201}},
    ],
)
def test_a_sealed_cookie_of_the_wrong_shape_is_cleared_never_a_500(prod, payload) -> None:
    client = prod.test_client()
    for method, url in (("GET", "/questions/about"), ("GET", "/results"), ("POST", "/restart"), ("POST", "/urgent")):
        client.set_cookie("fq_session", signed(prod, payload))
        response = client.open(url, method=method, data={"csrf_token": "x"} if method == "POST" else None)
        assert response.status_code == 400, (method, url)
        assert "Your answers were cleared" in response.get_data(as_text=True)
        assert "fq_session=;" in response.headers["Set-Cookie"]


def test_answers_from_another_rule_set_version_are_dropped_not_trusted(rules_copy, tmp_path) -> None:
    """A cookie from an older rule set keeps the answers still offered and drops the rest, without a cleared page."""
    old_person = Person(make_app(tmp_path / "old").test_client())
    old_person.walk({**CALM, "sleep_quality": "very_poor", "stress_level": "very_high"}, stop_at="immune")
    cookie = old_person.client.get_cookie("fq_session").value
    # The new rule set renames the option value very_poor (same key, so the cookie's signature is good).
    for name in ("questions.yaml", "rules.yaml", "urgent.yaml", "categories.yaml"):
        rules_copy.write(name, rules_copy.text(name).replace("very_poor", "awful"))
    client = make_app(tmp_path / "new", RULES_DIR=str(rules_copy.dir)).test_client()
    client.set_cookie("fq_session", cookie)
    person = Person(client)
    about = person.get("/questions/about")
    assert person.response.status_code == 200
    assert about.find("input", attrs={"name": "age_band", "value": "30_39"}).has_attr("checked")
    soup = person.get("/questions/stress")  # sleep is now unanswered, so it comes first
    assert person.path == "/questions/sleep"
    assert not any(i.has_attr("checked") for i in soup.find_all("input", attrs={"name": "sleep_quality"}))
    assert soup.find("input", attrs={"name": "wake_unrefreshed", "value": "sometimes"}).has_attr("checked")
    person.answer(
        {
            "sleep_quality": "awful",
            "wake_unrefreshed": "sometimes",
            "sleep_schedule": "regular",
            "snoring_or_apnea": "no",
        }
    )
    assert person.path == "/questions/stress"
    assert person.soup.find("input", attrs={"name": "stress_level", "value": "very_high"}).has_attr("checked")


def test_an_expired_cookie_gets_the_cleared_page_on_every_route(tmp_path, monkeypatch) -> None:
    app = make_app(tmp_path, SESSION_MAX_AGE=1)
    client = app.test_client()
    Person(client).walk(CALM, stop_at="stress")
    cookie = client.get_cookie("fq_session").value
    later = sessioncookie.clock() + 2.1
    monkeypatch.setattr(sessioncookie, "clock", lambda: later)
    for method, url, status in (
        ("GET", "/results", 200),
        ("GET", "/", 200),
        ("HEAD", "/check", 200),
        ("POST", "/urgent", 400),
    ):
        client.set_cookie("fq_session", cookie)
        response = client.open(url, method=method)
        assert response.status_code == status, url
        assert "fq_session=;" in response.headers["Set-Cookie"]
        if method != "HEAD":
            assert "we clear answers after 1 second without use" in response.get_data(as_text=True)


# --- methods, paths and odd characters --------------------------------------------------------------


def test_every_route_answers_every_method_with_a_4xx_or_its_page(prod, ruleset) -> None:
    client = prod.test_client()
    Person(client).walk(CALM)
    routes = ["/", "/restart", "/urgent", "/check", "/results", "/summary", "/static/style.css"]
    routes += ["/api/v1/assessments", "/api/v1/questionnaire", *[f"/questions/{p.id}" for p in ruleset.pages]]
    for route in routes:
        options = client.options(route)
        assert options.status_code == 200 and options.data == b"", route
        allowed = set(options.headers["Allow"].split(", "))
        assert {"PUT", "DELETE", "PATCH", "TRACE"}.isdisjoint(allowed), route
        for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE"):
            response = client.open(route, method=method)
            assert response.status_code < 500, (method, route)
            if method in allowed:
                assert response.status_code != 405, (method, route)
            else:
                assert response.status_code == 405, (method, route)
                assert set(response.headers["Allow"].split(", ")) == allowed, (method, route)
            if method == "HEAD":
                assert response.data == b""
            response.close()


@pytest.mark.parametrize(
    "path_info",
    [
        "/static/../app.py",
        "/static/../instance/secret_key",
        "/static/..\\app.py",
        "/static/....//app.py",
        "/static//etc/passwd",
        "/static/%2e%2e/app.py",
        "/static/style.css\x00.py",
        "/questions/about\x00",
        "/questions/\xe2\x80\xae",
        "/questions/" + "a" * 10000,
        "/api/v1/../../app.py",
    ],
)
def test_paths_cannot_reach_files_outside_static(prod, path_info) -> None:
    response = prod.test_client().get("/", environ_overrides={"PATH_INFO": path_info})
    assert response.status_code in (404, 400), path_info
    body = response.get_data()
    assert b"create_app" not in body and prod.secret_key.encode() not in body


def test_odd_query_strings_are_ignored(prod) -> None:
    client = prod.test_client()
    for query in (
        "return=%00",
        "return=%ff%fe",
        "%00=%00",
        "return=" + "x" * 8000,
        "a=\u202e",
        "return=check&return=x",
    ):
        response = client.get("/questions/about", query_string=query)
        assert response.status_code == 200, query


def test_headache_profile_still_works_end_to_end(prod) -> None:
    """The hardening changed nothing for a person answering normally (urgent exit included)."""
    person = Person(prod.test_client())
    person.walk({**CALM, "headaches": "weekly", **HEADACHE_NO_FLAGS, "sudden_severe_headache": "yes"})
    assert person.path == "/urgent"
    person.press("Carry on with the questions")
    assert person.path.startswith("/questions/")
