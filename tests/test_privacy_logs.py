"""Answers are health data: no log line, at any level, from any logger, carries an answer or a question id.

The flow here runs through the Flask test client; tests/test_soak_smoke.py runs the same check
against a real gunicorn and its access and error logs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from werkzeug.datastructures import MultiDict

from questionnaire import create_app
from questionnaire.answers import parse_answers
from tests.pagecheck import Person


def test_the_distinctive_answers_are_real_answers(ruleset, log_secrets) -> None:
    _, problems = parse_answers(ruleset.questions, log_secrets.answers, ruleset.retired)
    assert not problems
    page_ids = {p.id for p in ruleset.pages}
    # Page ids are in every URL, so no secret may be part of one.
    secrets = (*log_secrets.ids, *log_secrets.values)
    assert not [(s, p) for s in secrets for p in page_ids if s in p]
    offered = {o.value for q in ruleset.questions.values() for o in q.options}
    assert set(log_secrets.values) <= offered and set(log_secrets.ids) <= set(ruleset.questions)


class Everything(logging.Handler):
    """Collect every record of every logger at DEBUG, whatever their levels and propagation."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        parts = []
        for record in self.records:
            parts.append(f"{record.name} {record.levelname} {record.getMessage()} {record.args!r}")
            if record.exc_info and record.exc_info[1] is not None:
                parts.append(repr(record.exc_info[1]))
            if record.exc_text:
                parts.append(record.exc_text)
            parts.append(repr(getattr(record, "__dict__", {})))
        return "\n".join(parts)


@pytest.fixture
def every_log(caplog) -> Iterator[Everything]:
    """Turn every logger (known now or made later) to DEBUG and collect what it says; restore afterwards."""
    handler = Everything()
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(n) for n in list(logging.root.manager.loggerDict)]
    before = {lg.name: (lg.level, lg.disabled) for lg in loggers}
    caplog.set_level(logging.DEBUG)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    root.addHandler(handler)
    quiet = [lg for lg in loggers if not lg.propagate]
    for lg in quiet:
        lg.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for lg in quiet:
            lg.removeHandler(handler)
        for lg in loggers:
            level, disabled = before[lg.name]
            lg.setLevel(level)
            lg.disabled = disabled


def test_a_whole_flow_logs_no_answer(tmp_path, every_log, caplog, capsys, log_secrets) -> None:
    distinctive, not_offered = log_secrets.answers, log_secrets.not_offered
    app = create_app({"SECRET_KEY": "privacy-" + "p" * 40, "INSTANCE_PATH": str(tmp_path)})
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/boom")
    def boom() -> str:
        from flask import request

        raise RuntimeError(f"failed with {dict(request.form)}")  # an exception message that quotes answers

    client = app.test_client()
    person = Person(client)
    person.walk(distinctive)
    assert person.path == "/check"
    for url in ("/results", "/summary", "/check", "/questions/sleep?return=check"):
        assert client.get(url).status_code == 200
    # Refused posts that carry answers: a value not offered, an unknown field, a missing CSRF token.
    person.get("/questions/sleep")
    token = person.token()
    sleep = {k: distinctive[k] for k in ("sleep_quality", "wake_unrefreshed", "snoring_or_apnea", "sleep_schedule")}
    assert (
        client.post(
            "/questions/sleep", data={"csrf_token": token, **sleep, "wake_unrefreshed": not_offered}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/questions/sleep", data={"csrf_token": token, **sleep, "past_trauma": "prefer_not_to_say"}
        ).status_code
        == 400
    )
    assert client.post("/questions/sleep", data=sleep).status_code == 400
    assert (
        client.post(
            "/questions/sleep", data=MultiDict([("csrf_token", token)] + [("autoimmune", "lupus")] * 200)
        ).status_code
        == 413
    )
    # The API, with good and bad answers.
    api_answers = dict(distinctive)
    assert client.post("/api/v1/assessments", json={"answers": api_answers}).status_code == 200
    assert (
        client.post("/api/v1/assessments", json={"answers": {**api_answers, "sleep_quality": not_offered}}).status_code
        == 400
    )
    # A crash while answers are in the request, and a tampered cookie holding answers.
    assert client.post("/boom?sleep_quality=very_poor", data={"csrf_token": token, **sleep}).status_code == 500
    client.set_cookie("fq_session", client.get_cookie("fq_session").value[:-2] + "xx")
    assert client.get("/questions/sleep").status_code == 400
    assert every_log.records, "nothing was logged at all: the capture is not working"
    assert any("RuntimeError on POST /boom" in r.getMessage() for r in every_log.records)
    captured = capsys.readouterr()
    leaked = log_secrets.found_in(every_log.text() + caplog.text + captured.out + captured.err)
    assert not leaked, f"found in the logs: {leaked}"
