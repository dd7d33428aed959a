"""Operations: health checks, the doctor, the command line, and logs without answers or tokens."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.clinics.clock import now
from questionnaire.clinics.crypto import KeyRing, new_key_setting
from questionnaire.clinics.models import Clinic, Clinician, Submission
from questionnaire.web import logs
from tests.clinicfixtures import TEST_KEYS, clinic_config
from tests.clinicpeople import Patient, Staff


def test_health_checks_are_cheap_and_cookie_free(clinic_app, monkeypatch) -> None:
    client = clinic_app.test_client()
    for path, body in (("/healthz", "ok\n"), ("/readyz", "ready\n")):
        response = client.get(path)
        assert (response.status_code, response.get_data(as_text=True)) == (200, body)
        assert "Set-Cookie" not in response.headers and response.mimetype == "text/plain"

    def down(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(clinic_app.extensions["clinics"].database, "ping", down)
    response = client.get("/readyz")
    assert response.status_code == 503 and "database" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # the process is up all the same
    with client.session_transaction() as session:
        assert dict(session) == {}


def test_without_data_keys_production_keeps_clinic_use_off(backend, tmp_path) -> None:
    config = clinic_config(backend, tmp_path, ENV="production", DATA_KEYS=None)
    app = create_app(config)
    client = app.test_client()
    assert client.get("/clinic/login").status_code == 404
    assert client.get("/i/" + "a" * 43).status_code == 404
    assert client.get("/").status_code == 200
    app.extensions["clinics"].database.dispose()


def run(app, *args: str, env: dict[str, str] | None = None):
    return app.test_cli_runner().invoke(args=list(args), env=env, catch_exceptions=False)


def test_clinic_set_up_from_the_command_line(clinic_app) -> None:
    assert "added" in run(clinic_app, "clinics", "add", "East", "--retention-days", "30").output
    assert "already exists" in run(clinic_app, "clinics", "add", "East").output
    result = run(
        clinic_app,
        "users",
        "add",
        "Eve@Example.org",
        "--clinic",
        "East",
        env={"QUESTIONNAIRE_NEW_PASSWORD": "a long enough pw"},
    )
    assert result.exit_code == 0 and "eve@example.org can now sign in" in result.output
    result = run(
        clinic_app,
        "users",
        "add",
        "x@example.org",
        "--clinic",
        "Nowhere",
        env={"QUESTIONNAIRE_NEW_PASSWORD": "a long enough pw"},
    )
    assert result.exit_code == 1 and "no clinic called 'Nowhere'" in result.output
    result = clinic_app.test_cli_runner().invoke(
        args=["users", "add", "y@example.org", "--clinic", "East"], input="short\nshort\n"
    )
    assert result.exit_code == 1 and "12 characters" in result.output
    assert "East: submissions 30 days" in run(clinic_app, "clinics", "list").output
    assert "keeps submissions 45 days" in run(clinic_app, "clinics", "set", "East", "--retention-days", "45").output
    with clinic_app.extensions["clinics"].database.session() as db:
        assert db.scalar(select(Clinic.retention_days).where(Clinic.name == "East")) == 45
        assert db.scalar(select(Clinician.password_hash).where(Clinician.email == "eve@example.org")).startswith(
            "$argon2"
        )
    assert Staff(clinic_app.test_client()).sign_in("eve@example.org", "a long enough pw").status_code == 303
    assert "database at" in run(clinic_app, "db", "current").output


def sent_submission(app) -> str:
    staff = Staff(app.test_client())
    staff.sign_in("north@example.org")
    patient = Patient(app.test_client())
    patient.open_link(staff.invite("Purge me"))
    patient.answer_until(sample("distinctive"))
    assert patient.send().status_code == 200
    (submission_id,) = staff.submission_ids()
    staff.get(f"/clinic/submissions/{submission_id}")
    return submission_id


def test_purge_with_a_clock_moved_past_retention(clinic_app) -> None:
    sent_submission(clinic_app)
    assert "purged 0 submissions" in run(clinic_app, "purge").output
    later = (now() + timedelta(days=91)).isoformat(timespec="minutes")
    assert "purged 1 submissions" in run(clinic_app, "purge", "--as-of", later).output
    with clinic_app.extensions["clinics"].database.session() as db:
        assert db.scalar(select(func.count()).select_from(Submission)) == 0
    assert "submission.view" in run(clinic_app, "audit", "--clinic", "North").output


def test_keys_rotate_from_the_command_line(backend, tmp_path) -> None:
    app = create_app(clinic_config(backend, tmp_path / "a"))
    from tests.clinicfixtures import seed

    seed(app)
    sent_submission(app)
    app.extensions["clinics"].database.dispose()
    new_key = run(app, "keys", "new", "--id", "k2").output.strip()
    assert new_key.startswith("k2:")
    rotated = create_app(clinic_config(backend, tmp_path / "b", DATA_KEYS=f"{new_key} {TEST_KEYS}"))
    output = run(rotated, "keys", "rotate").output
    assert "1 rows re-wrapped with key 'k2'" in output and "k2: 1" in output
    rotated.extensions["clinics"].database.dispose()
    only_new = create_app(clinic_config(backend, tmp_path / "c", DATA_KEYS=new_key))
    staff = Staff(only_new.test_client())
    staff.sign_in("north@example.org")
    (submission_id,) = staff.submission_ids()
    staff.get(f"/clinic/submissions/{submission_id}")  # opens with the new key alone
    assert "Summary for your clinician" in staff.text
    only_new.extensions["clinics"].database.dispose()
    KeyRing.from_setting(new_key)  # well-formed


def test_doctor_says_what_is_wrong_in_plain_words(backend, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("QUESTIONNAIRE_ENV", "production")
    monkeypatch.delenv("QUESTIONNAIRE_SECRET_KEY", raising=False)
    monkeypatch.setenv("QUESTIONNAIRE_DATA_KEYS", "broken")
    config = clinic_config(backend, tmp_path)
    for key in ("SECRET_KEY", "DATA_KEYS", "TESTING"):
        config.pop(key)
    app = create_app(config, diagnose=True)
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "PROBLEM" in result.output and "QUESTIONNAIRE_SECRET_KEY is not set" in result.output
    assert "ID:BASE64" in result.output
    assert "rules" in result.output and "problem(s) to fix" in result.output
    app.extensions["clinics"].database.dispose()
    monkeypatch.setenv("QUESTIONNAIRE_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("QUESTIONNAIRE_DATA_KEYS", new_key_setting("p1"))
    good = create_app(config)
    result = good.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 0, result.output
    assert "newest migration" in result.output and "all good." in result.output
    good.extensions["clinics"].database.dispose()
    with pytest.raises(Exception, match="QUESTIONNAIRE_DATA_KEYS"):
        monkeypatch.setenv("QUESTIONNAIRE_DATA_KEYS", "broken")
        create_app(config)  # without diagnose, a broken setting stops start-up


def test_logs_never_carry_answers_or_tokens(clinic_app, caplog, log_secrets) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="werkzeug")  # the browser tests' server quiets it for the session
    staff = Staff(clinic_app.test_client())
    staff.sign_in("north@example.org")
    link = staff.invite("Logs")
    token = link.rsplit("/", 1)[1]
    patient = Patient(clinic_app.test_client())
    patient.open_link(link)
    patient.answer_until(log_secrets.answers)
    patient.send()
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET %s HTTP/1.1" 200 -', link)  # as the dev server logs it
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert token not in text and "/i/[redacted]" in text
    assert not [value for value in log_secrets.values if value in text]


def test_json_lines(monkeypatch) -> None:
    record = logging.LogRecord("questionnaire.web", logging.ERROR, __file__, 1, "GET %s", ("/i/" + "t" * 43,), None)
    line = json.loads(logs.JsonLines().format(record))
    assert line["message"] == "GET /i/[redacted]" and line["level"] == "error" and line["logger"] == "questionnaire.web"
    assert logs.redact("/i/send /i/leave /i/decline") == "/i/send /i/leave /i/decline"
