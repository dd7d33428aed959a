"""GET /summary.pdf: one tagged page on A4 and on Letter for every sample, holding the key facts."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from questionnaire.answerfile import SAMPLES_DIR, sample
from questionnaire.answers import parse_answers
from questionnaire.engine import assess
from questionnaire.highlights import key_facts
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset
from tests.pagecheck import Person

RULESET = load_ruleset(DEFAULT_RULES_DIR)


def _answers(name: str) -> dict:
    answers, problems = parse_answers(RULESET.questions, sample(name), RULESET.retired)
    assert not problems, problems
    return answers


SAMPLES = sorted(p.stem for p in Path(SAMPLES_DIR).glob("*.yaml") if assess(RULESET, _answers(p.stem)).ending is None)


def walk(client, name: str) -> Person:
    """Answer a sample through the pages, carrying on past urgent notices, up to the check page."""
    person = Person(client)
    person.walk(sample(name))
    while person.path == "/urgent":
        person.press("Carry on with the questions")
        for _ in range(60):
            if not person.path.startswith("/questions/"):
                break
            person.answer(person.page_answers(sample(name)))
    assert person.path == "/check"
    return person


def text_of_pdf(data: bytes) -> tuple[int, str, bool]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    tagged = "/StructTreeRoot" in reader.trailer["/Root"]
    return len(reader.pages), text, tagged


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLES)
def test_the_pdf_is_one_tagged_page_with_the_key_facts(client, name) -> None:
    walk(client, name)
    result = assess(RULESET, _answers(name))
    for paper in ("a4", "letter"):
        response = client.get(f"/summary.pdf?paper={paper}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        pages, text, tagged = text_of_pdf(response.data)
        assert pages == 1, f"{name} on {paper}: {pages} pages"
        assert tagged, "the PDF has no structure tags for screen readers"
        assert "Summary for your clinician" in text and RULESET.version in text
        for match in result.urgent:
            assert match.notice.title in text
        for fact in key_facts(result):
            assert fact.question.short in text and fact.words.split(",")[0] in text
        for sid, total in result.scores.items():
            assert f"{total} of {RULESET.scores[sid].maximum}" in text
        for match in result.categories[:3]:
            assert match.category.title in text


def test_the_pdf_paper_follows_the_region_and_can_be_chosen(app, client) -> None:
    walk(client, "calm")
    app.config["REGION"] = "us"
    letter = pypdf.PdfReader(io.BytesIO(client.get("/summary.pdf").data)).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)  # 8.5 x 11 inches
    app.config["REGION"] = "uk"
    a4 = pypdf.PdfReader(io.BytesIO(client.get("/summary.pdf").data)).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)  # 210 x 297 mm
    chosen = pypdf.PdfReader(io.BytesIO(client.get("/summary.pdf?paper=letter").data)).pages[0].mediabox
    assert round(float(chosen.height)) == 792


def test_the_pdf_holds_the_persons_note(client) -> None:
    person = walk(client, "weekly-headaches")
    person.get("/results")
    note = "My headaches & <my> sleep"
    assert client.post("/results/note", data={"csrf_token": person.token(), "note": note}).status_code == 303
    _, text, _ = text_of_pdf(client.get("/summary.pdf").data)
    assert note in text


def test_the_pdf_renderer_reaches_for_nothing_outside(monkeypatch) -> None:
    import socket

    from questionnaire.web.pdf import render_pdf

    opened: list[object] = []

    def record(*args: object, **kwargs: object) -> None:
        opened.append(args)
        raise OSError("no network in this test")

    # A name look-up comes before any connection, and would be the first sign of reaching out.
    monkeypatch.setattr(socket, "getaddrinfo", record)
    monkeypatch.setattr(socket.socket, "connect", record)
    html = (
        '<!doctype html><html lang="en"><head><link rel="stylesheet" href="https://cdn.example/x.css"></head>'
        '<body><h1>Hello</h1><img src="https://tracker.example/p.png" alt=""><img src="file:///etc/hostname" alt="">'
        "</body></html>"
    )
    _, text, _ = text_of_pdf(render_pdf(html))
    assert "Hello" in text
    assert opened == [], f"the renderer opened connections to {opened}"


def test_the_pdf_needs_complete_answers(client) -> None:
    response = client.get("/summary.pdf")
    assert response.status_code == 302 and response.headers["Location"].startswith("/questions/")
