"""Every text a patient reads, in the rules and on every rendered page, is at reading grade 8 or below."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import render_template

from questionnaire.answerfile import sample
from questionnaire.authoring import readability
from questionnaire.authoring.patienttext import collect, paragraphs
from questionnaire.loader import DEFAULT_RULES_DIR, read_documents
from questionnaire.text import PLACEHOLDER
from questionnaire.web.errors import MESSAGES, render_error
from tests.pagecheck import Person, check_page

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")

TARGET = 8
#: Blocks of text a person reads; each innermost one is scored on its own (short ones are skipped by the scorer).
BLOCKS = ["h1", "h2", "h3", "h4", "p", "li", "legend", "label", "dt", "dd", "th", "td", "summary"]
#: Links and buttons outside any block are scored too.
CONTROLS = ["a", "button"]
#: Clinician-facing data on the summary: dates, versions, and question names with answers (each scored as a rule text).
CLINICIAN_DATA = ".summary-meta, .key-facts, .summary-topics, .answers"
# A person with headaches and several topics, so most rule texts appear on the results page.
BUSY = {
    **CALM,
    **HEADACHE_NO_FLAGS,
    "headaches": "weekly",
    "age_band": "60_plus",
    "headache_new_or_changed": "yes",
    "jaw_or_scalp_pain": "no",
    "sleep_quality": "poor",
    "wake_unrefreshed": "always",
    "stress_level": "high",
    "stress_flares": "often",
    "conditions": ["ibs", "migraine"],
    "sensitivities": ["light", "noise"],
    "headache_triggers": ["stress", "poor_sleep"],
    "treatments_tried": ["triptans"],
    "treatment_result_triptans": "no_help",
}


def test_the_scorer_is_the_one_content_authors_use() -> None:
    assert readability.GRADE_TARGET <= TARGET
    assert readability.grade("Short label.") is None  # too short to score
    assert readability.grade("The cat sat on the mat and then it went to sleep in the sun.") <= TARGET


def test_rule_texts_read_at_grade_8_or_below() -> None:
    directory = Path(DEFAULT_RULES_DIR)
    docs, _ = read_documents(directory)
    texts = collect(directory, docs)
    assert len(texts) > 100, "the rule texts were not found"
    problems = [p for p in readability.check_reading_grade(texts, directory) if p.code == "reading-grade"]
    assert not problems, "\n".join(str(p) for p in problems)


def _words(text: str) -> str:
    return " ".join(text.split())


def _rule_texts() -> tuple[set[str], list[re.Pattern[str]]]:
    """Return the rule texts as rendered (Markdown as plain paragraphs) and patterns for reasons that quote answers.

    The rule test scores these the authors' way (a quoted answer counts as one short word), so the page test
    leaves them out and judges the templates' own words.
    """
    directory = Path(DEFAULT_RULES_DIR)
    docs, _ = read_documents(directory)
    exact: set[str] = set()
    quoting: list[re.Pattern[str]] = []
    for item in collect(directory, docs):
        for text in [p.text for p in paragraphs(item.text)] if item.markdown else [item.text]:
            exact.add(_words(text))
    # reasons quote the person's answers: match them with any words where a placeholder stands
    for filename, key in (("rules.yaml", "rules"), ("urgent.yaml", "urgent")):
        for entry in docs[filename].data[key]:
            parts = PLACEHOLDER.split(_words(entry["reason"]))[::2]  # every other part is a question id
            if len(parts) > 1:
                quoting.append(re.compile(".+".join(re.escape(part) for part in parts) + r"\Z"))
    return exact, quoting


def _blocks(html: str) -> Iterator[str]:
    """Yield the visible words of each innermost block of text on a page, scripts and clinician data left out."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.select(f"script, style, template, {CLINICIAN_DATA}"):
        tag.decompose()
    for tag in soup.find_all([*BLOCKS, *CONTROLS]):
        if tag.find(BLOCKS):  # score the innermost blocks, so each text is judged once
            continue
        if tag.name in CONTROLS and tag.find_parent(BLOCKS):
            continue  # a link inside a sentence is scored with its sentence
        text = _words(tag.get_text(" "))
        if text:
            yield text


def _pages(client, app) -> Iterator[tuple[str, str]]:
    """Yield (name, html) for every page a patient can see."""
    person = Person(client)
    person.get("/")
    yield "start", person.response.get_data(as_text=True)
    person.walk(BUSY)
    assert person.path == "/check", "the busy person did not reach the check page"
    yield "check", person.response.get_data(as_text=True)
    for page in app.extensions["rules"].ruleset.pages:  # BUSY sees every page
        yield f"question {page.id}", client.get(f"/questions/{page.id}").get_data(as_text=True)
    yield "results (soon notice)", client.get("/results").get_data(as_text=True)
    yield "summary", client.get("/summary").get_data(as_text=True)
    person.get("/")
    yield "start with answers", person.response.get_data(as_text=True)
    person.get("/questions/about")
    person.answer({}, expect=400)
    yield "errors on a question page", person.response.get_data(as_text=True)
    person.walk(CALM, stop_at="immune")
    person.answer({"autoimmune": ["none", "lupus"]}, expect=400)
    yield "errors on a multiple choice", person.response.get_data(as_text=True)
    # the urgent notice, then results with an emergency notice
    person.walk({**BUSY, "age_band": "30_39", "headache_new_or_changed": "no", "sudden_severe_headache": "yes"})
    yield "urgent", person.response.get_data(as_text=True)
    person.press("Carry on with the questions")
    for _ in range(20):  # answer whatever is still asked
        if not person.path.startswith("/questions/"):
            break
        person.answer(person.page_answers(BUSY))
    yield "results (emergency)", client.get("/results").get_data(as_text=True)
    # results without any topic
    person.walk(CALM)
    yield "results (no topic)", client.get("/results").get_data(as_text=True)
    # the out-of-order, cleared-session and error pages
    person.walk(CALM, stop_at="stress")
    token = person.token()
    yield "out of order", client.post("/questions/habits", data={"csrf_token": token}).get_data(as_text=True)
    yield "csrf error", client.post("/questions/stress", data={}).get_data(as_text=True)
    client.set_cookie("fq_session", "garbage")
    yield "session cleared", client.get("/").get_data(as_text=True)
    yield "not found", client.get("/no-such-page").get_data(as_text=True)
    for status in MESSAGES:
        with app.test_request_context("/"):
            html, _ = render_error(status)
        yield f"error {status}", str(html)
    with app.test_request_context("/"):
        yield "session expired", render_template("session_ended.html", why="expired", ruleset=None)


def test_every_page_reads_at_grade_8_or_below(client, app) -> None:
    exact, quoting = _rule_texts()
    failures: dict[str, tuple[float, str]] = {}
    scored: set[str] = set()
    for name, html in _pages(client, app):
        check_page(html)
        for text in _blocks(html):
            if text in exact or any(p.match(text) for p in quoting):
                continue
            score = readability.grade(text)
            if score is None:
                continue
            scored.add(text)
            if score > TARGET and text not in failures:
                failures[text] = (score, name)
    assert len(scored) > 40, "too few texts were scored; did the pages render?"
    for phrase in (
        "never write them to our logs",
        "show this warning first",
        "No one else",
        "after 2 hours without use",
    ):
        assert any(phrase in text for text in scored), f"{phrase!r} was not scored"
    report = [f"grade {score:.1f} on {name}: {text}" for text, (score, name) in failures.items()]
    assert not report, "\n".join(report)


@pytest.mark.parametrize(
    ("text", "hard"),
    [
        ("You can go back and change any answer.", False),
        (
            "Notwithstanding comprehensive physiological investigations, multidisciplinary rehabilitation "
            "interventions demonstrate considerable heterogeneity regarding symptomatic amelioration.",
            True,
        ),
    ],
)
def test_hard_text_would_be_caught(text, hard) -> None:
    score = readability.grade(text)
    assert (score is not None and score > TARGET) == hard
