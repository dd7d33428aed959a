"""Every page: valid markup, one h1, matching title, unique ids, labelled inputs; results and summary content."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.engine import assess
from questionnaire.model import CATEGORY_IDS
from questionnaire.web import sessioncookie
from tests.pagecheck import Person, check_page, text_of

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")

EVERYTHING = sample("every-page")


def test_every_question_page_passes_the_page_checks(client, ruleset) -> None:
    person = Person(client)
    seen = person.walk(EVERYTHING)
    assert seen == [p.id for p in ruleset.pages]  # every page was shown, and check_page ran on each


def test_results_show_every_part_in_order(client, ruleset) -> None:
    person = Person(client)
    person.walk(EVERYTHING)
    soup = person.follow_link("See your results")
    main = soup.find("main")
    # Short first: urgent notices, the main topics, questions to ask, what helps most people, print; then topics in full.
    order = [
        main.find(id="urgent"),
        main.find(id="main-topics-title"),
        main.find(id="questions-to-ask"),
        main.find(id="for-everyone"),
        main.find(id="take-it-with-you"),
        main.find("section", class_="category"),
    ]
    assert all(part is not None for part in order), order
    lines = [part.sourceline for part in order]
    assert lines == sorted(lines)
    assert 1 <= len(main.select(".topic-cards > li")) <= 3
    assert 1 <= len(main.select("#questions-to-ask li")) <= 5
    matched = [s["id"] for s in main.find_all("section", class_="category")]
    assert matched[0] == "migraine"
    assert set(matched) <= set(CATEGORY_IDS)
    others = [d["id"].removeprefix("other-") for d in main.find_all("details", class_="other")]
    assert sorted(matched + others) == sorted(CATEGORY_IDS)
    section = main.find(id="sleep")
    text = " ".join(section.get_text(" ").split())
    for part in (
        "Why you are seeing this",
        "You said you sleep very poorly.",
        "Things you could try",
        "Talk to your provider",
        "Strength of the research",
        "Where this comes from",
    ):
        assert part in text
    assert section.find("a", href=lambda h: h and h.startswith("https://"))
    page_text = text_of(soup)
    assert ruleset.disclaimer in page_text
    assert f"Content version {ruleset.version}" in page_text
    # Without JavaScript "Print your summary" is a link to the PDF; the script makes it print.
    assert soup.find("a", string="Print your summary")["href"] == "/summary.pdf"
    assert soup.find("a", string="Download PDF")["href"] == "/summary.pdf"
    assert soup.find("header").find("button", string="Clear my answers")


def test_summary_is_one_compact_page_for_a_clinician(client, ruleset, make_answers) -> None:
    person = Person(client)
    person.walk(EVERYTHING)
    soup = person.get("/summary")
    text = text_of(soup)
    assert soup.h1.get_text() == "Summary for your clinician"
    today = time.localtime()
    assert f"{today.tm_year}" in text and ruleset.version in text
    result = assess(ruleset, make_answers(**EVERYTHING))
    facts = soup.find("section", class_="key-facts")
    terms = {
        dt.get_text(strip=True): " ".join(dd.get_text(" ").split())
        for dt, dd in zip(facts("dt"), facts("dd"), strict=True)
    }
    # Urgent signs with their tier and the answers behind them, then the key facts and screening scores.
    for match in result.urgent:
        assert f"{match.notice.tier.capitalize()}: {match.notice.title}" in terms["Warning signs"]
    for qid in ruleset.key_facts:
        if qid in result.answers:
            assert ruleset.questions[qid].short in terms
    for sid in result.scores:
        assert terms[ruleset.scores[sid].title].startswith(f"{result.scores[sid]} of {ruleset.scores[sid].maximum}")
    assert terms["Patient wants to discuss"] == "Nothing written."
    # Topics in rank order, without a score; blanks to fill in by hand.
    topics = [li.get_text(strip=True) for li in soup.select(".summary-topics li")]
    assert topics == [m.category.title for m in result.categories]
    assert "Score" not in text
    assert [li.get_text(strip=True) for li in soup.select(".patient-blanks li")] == [
        "Name",
        "Date of birth",
        "Visit date",
    ]
    answers = " ".join(soup.find(class_="answers").get_text(" ").split())
    assert f"{ruleset.questions['sleep_quality'].short}" in answers and "Very poorly" in answers
    assert 1 <= len(soup.select(".summary-prompts li")) <= 5


def test_results_without_urgent_notices(client) -> None:
    person = Person(client)
    person.walk(CALM)
    soup = person.follow_link("See your results")
    assert soup.find(id="urgent") is None
    assert "No topic stood out" in text_of(soup)


def test_security_headers_on_every_page(client) -> None:
    for url in ("/", "/questions/about", "/static/style.css", "/api/v1/questionnaire", "/missing"):
        with client.get(url) as response:
            headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        # Only the site's own static script (the Print button) may run.
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in headers["Permissions-Policy"]
    assert client.get("/questions/about").headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age=" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_session_cookie_flags(client) -> None:
    person = Person(client)
    person.walk(CALM, stop_at="sleep")
    person.answer(
        {k: CALM[k] for k in ("sleep_quality", "wake_unrefreshed", "sleep_schedule", "snoring_or_apnea")}, follow=False
    )
    header = [h for h in person.response.headers.getlist("Set-Cookie") if h.startswith("fq_session")]
    assert header and "HttpOnly" in header[0] and "SameSite=Lax" in header[0] and "Expires=" in header[0]


def test_unchanged_session_is_re_sealed_only_when_a_quarter_of_its_life_has_passed(tmp_path, monkeypatch) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path), "SESSION_MAX_AGE": 8})
    client = app.test_client()
    Person(client).walk(CALM, stop_at="stress")

    def sets_cookie() -> bool:
        return any(h.startswith("fq_session") for h in client.get("/questions/stress").headers.getlist("Set-Cookie"))

    assert not sets_cookie()  # a fresh, unchanged session is not sealed again
    later = sessioncookie.clock() + 2.2
    monkeypatch.setattr(sessioncookie, "clock", lambda: later)
    assert sets_cookie()  # older than 8 / 4 seconds: sealed again, so the idle time-out slides with use
    assert not sets_cookie()


def test_preview_shows_every_page_and_category(client, ruleset) -> None:
    soup = check_page(client.get("/preview").get_data(as_text=True))
    for page in ruleset.pages:
        assert soup.find(id=f"page-{page.id}")
    for cid in ruleset.categories:
        assert soup.find("section", id=cid)
    assert ruleset.version in text_of(soup)


def test_preview_is_off_in_production(tmp_path) -> None:
    app = create_app({"ENV": "production", "SECRET_KEY": "p" * 40, "INSTANCE_PATH": str(tmp_path)})
    assert app.test_client().get("/preview").status_code == 404


def test_production_refuses_to_start_without_a_secret(tmp_path, monkeypatch) -> None:
    from questionnaire.web.config import ConfigError

    monkeypatch.delenv("QUESTIONNAIRE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="QUESTIONNAIRE_SECRET_KEY is not set"):
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_development_keeps_its_secret_in_the_instance_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("QUESTIONNAIRE_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_broken_rules_stop_start_up_with_file_and_line(rules_copy, tmp_path) -> None:
    from questionnaire.problems import RuleSetError

    rules_copy.replace("rules.yaml", "equals: 3_plus", "equals: lots")
    with pytest.raises(RuleSetError, match=r"rules\.yaml:\d+:\d+: error: 'lots' is not an option"):
        create_app({"SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path), "RULES_DIR": str(rules_copy.dir)})


def _bump(path: Path) -> None:
    later = time.time() + 5
    import os

    os.utime(path, (later, later))


def test_hot_reload_in_development(rules_copy, tmp_path) -> None:
    app = create_app(
        {"SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path), "RULES_DIR": str(rules_copy.dir), "TESTING": True}
    )
    app.extensions["rules"].interval = 0
    client = app.test_client()
    # a good edit shows up without a restart
    rules_copy.replace("categories.yaml", "title: Sleep\n", "title: Sleep and rest\n")
    _bump(rules_copy.path("categories.yaml"))
    assert "Sleep and rest" in client.get("/preview").get_data(as_text=True)
    answers = {"answers": {"sleep_quality": "poor"}}
    assert client.post("/api/v1/assessments", json=answers).get_json()["categories"][0]["title"] == "Sleep and rest"
    # a broken edit shows its errors on every page, and the last good rules keep answering
    line = rules_copy.replace("rules.yaml", "equals: 3_plus", "equals: lots")
    _bump(rules_copy.path("rules.yaml"))
    page = client.get("/").get_data(as_text=True)
    assert "The rule files have 1 problem" in page
    assert f"rules.yaml:{line}:" in page and "&#39;lots&#39; is not an option" in page
    assert client.post("/api/v1/assessments", json=answers).get_json()["categories"][0]["title"] == "Sleep and rest"
    # fixing it clears the banner
    rules_copy.replace("rules.yaml", "equals: lots", "equals: 3_plus")
    _bump(rules_copy.path("rules.yaml"))
    assert "The rule files have" not in client.get("/").get_data(as_text=True)


def test_production_loads_rules_once(rules_copy, tmp_path) -> None:
    app = create_app(
        {"ENV": "production", "SECRET_KEY": "p" * 40, "INSTANCE_PATH": str(tmp_path), "RULES_DIR": str(rules_copy.dir)}
    )
    rules_copy.replace("categories.yaml", "title: Sleep\n", "title: Sleep and rest\n")
    _bump(rules_copy.path("categories.yaml"))
    body = app.test_client().post("/api/v1/assessments", json={"answers": {"sleep_quality": "poor"}}).get_json()
    assert body["categories"][0]["title"] == "Sleep"
