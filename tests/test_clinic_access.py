"""Who may see what: another clinic's clinician gets 404 on every clinic route; sign-in limits and session ends."""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.clinics.clock import now
from questionnaire.clinics.models import ClinicianSession, Invitation
from tests.clinicfixtures import clinic_config, seed
from tests.clinicpeople import Patient, Staff
from tests.pagecheck import check_page, text_of

CALM = sample("calm")

ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
TEST_REDIS = os.environ.get("QUESTIONNAIRE_TEST_REDIS_URL", "")


def north_objects(app) -> dict[str, str]:
    """Make, as North, one invitation still open and one sent submission; return their ids by argument name."""
    staff = Staff(app.test_client())
    staff.sign_in("north@example.org")
    sent_link = staff.invite("North sent")
    patient = Patient(app.test_client())
    patient.open_link(sent_link)
    patient.answer_until(CALM)
    assert patient.send().status_code == 200
    staff.invite("North open")
    with app.extensions["clinics"].database.session() as db:
        open_id = db.scalar(select(Invitation.id).where(Invitation.label == "North open"))
    (submission_id,) = staff.submission_ids()
    return {"invitation_id": open_id, "submission_id": submission_id}


def clinic_routes(app) -> list[tuple[str, str]]:
    """Every (method, rule) under /clinic/ that names one object."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/clinic/") and rule.arguments:
            found += [(method, rule.rule) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_another_clinics_clinician_gets_404_on_every_clinic_route(clinic_app) -> None:
    ids = north_objects(clinic_app)
    routes = clinic_routes(clinic_app)
    assert len(routes) >= 7  # invitation view and revoke; submission view, pdf, review, delete page and delete
    south = Staff(clinic_app.test_client())
    south.sign_in("south@example.org")
    south.get("/clinic/submissions")
    token = south.token()
    outcomes = {}
    for method, rule in routes:
        path = ARGUMENT.sub(lambda m: ids[m.group(1)], rule)
        data = {"csrf_token": token, "reviewed": "yes"} if method == "POST" else None
        response = south.client.open(path, method=method, data=data)
        outcomes[(method, rule)] = response.status_code
        assert "Page not found" in text_of(check_page(response.get_data(as_text=True)))
    assert set(outcomes.values()) == {404}, outcomes
    # their lists do not show North's rows either
    assert south.submission_ids() == []
    south.get("/clinic/invitations")
    assert "North" not in south.text
    # and nothing of North's changed: North still sees its submission, unreviewed, and its open link works
    north = Staff(clinic_app.test_client())
    north.sign_in("north@example.org")
    assert north.submission_ids() == [ids["submission_id"]]
    assert "Not yet" in north.text
    with clinic_app.extensions["clinics"].database.session() as db:
        assert db.get(Invitation, ids["invitation_id"]).revoked_at is None


def test_signed_out_visitors_are_sent_to_sign_in_for_every_clinic_page(clinic_app) -> None:
    ids = north_objects(clinic_app)
    client = clinic_app.test_client()
    for method, rule in [*clinic_routes(clinic_app), ("GET", "/clinic/submissions"), ("GET", "/clinic/invitations")]:
        path = ARGUMENT.sub(lambda m: ids[m.group(1)], rule)
        if method == "POST":
            continue  # refused for want of a CSRF token before anything else (tested elsewhere)
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/clinic/login?next="), path


def test_sign_in_failures_and_the_next_address(clinic_app) -> None:
    staff = Staff(clinic_app.test_client())
    response = staff.sign_in("north@example.org", "wrong password!")
    assert response.status_code == 400 and "The email or password is not right" in response.get_data(as_text=True)
    assert staff.sign_in("nobody@example.org").status_code == 400
    staff.get("/clinic/login?next=https://evil.example/")
    response = staff.client.post(
        "/clinic/login?next=https://evil.example/",
        data={"csrf_token": staff.token(), "email": "north@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 303 and response.location == "/clinic/submissions"


def rate_limited_app(backend, tmp_path, storage: str, **limits: str):
    extra = {"RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": f"fqtest{secrets.token_hex(4)}", **limits}
    app = create_app(clinic_config(backend, tmp_path / "instance", **extra))
    seed(app)
    return app


STORAGES = ["memory://", *([TEST_REDIS] if TEST_REDIS else [])]


@pytest.mark.parametrize("storage", STORAGES, ids=lambda s: s.split(":")[0])
def test_sign_in_is_rate_limited_per_address(backend, tmp_path, storage: str) -> None:
    app = rate_limited_app(backend, tmp_path, storage, LOGIN_LIMITS="5 per minute")
    staff = Staff(app.test_client())
    statuses = [staff.sign_in("north@example.org", f"wrong password {n}").status_code for n in range(5)]
    assert statuses == [400] * 5
    response = staff.sign_in("north@example.org")  # even the right password waits now
    assert response.status_code == 429
    assert "Too many tries" in text_of(check_page(response.get_data(as_text=True)))
    assert response.headers["Content-Security-Policy"]
    # another address is not held up
    other = Staff(app.test_client())
    other.client.environ_base["REMOTE_ADDR"] = "127.0.0.9"
    assert other.sign_in("north@example.org").status_code == 303
    app.extensions["clinics"].database.dispose()


@pytest.mark.parametrize("storage", STORAGES, ids=lambda s: s.split(":")[0])
def test_sign_in_is_rate_limited_per_account_across_addresses(backend, tmp_path, storage: str) -> None:
    app = rate_limited_app(
        backend, tmp_path, storage, LOGIN_LIMITS="100 per minute", LOGIN_LIMITS_PER_ACCOUNT="3 per hour"
    )
    statuses = []
    for n in range(4):
        staff = Staff(app.test_client())
        staff.client.environ_base["REMOTE_ADDR"] = f"127.0.1.{n}"
        statuses.append(staff.sign_in("north@example.org", f"guess {n} wrong").status_code)
    assert statuses == [400, 400, 400, 429]
    staff = Staff(app.test_client())
    assert staff.sign_in("south@example.org").status_code == 303  # another account is not held up
    app.extensions["clinics"].database.dispose()


def test_sign_out_ends_the_session_on_the_server(clinic_app) -> None:
    staff = Staff(clinic_app.test_client())
    staff.sign_in("north@example.org")
    stolen = staff.client.get_cookie("fq_session").value
    staff.get("/clinic/submissions")
    staff.press("Sign out")
    assert "You are signed out" in staff.text
    thief = clinic_app.test_client()
    thief.set_cookie("fq_session", stolen)
    assert thief.get("/clinic/submissions").status_code == 302  # the copied cookie no longer works


def test_sessions_end_after_idle_time(clinic_app) -> None:
    staff = Staff(clinic_app.test_client())
    staff.sign_in("north@example.org")
    assert staff.client.get("/clinic/submissions").status_code == 200
    with clinic_app.extensions["clinics"].database.session() as db:
        db.execute(update(ClinicianSession).values(last_seen_at=now() - timedelta(minutes=31)))
    assert staff.client.get("/clinic/submissions").status_code == 302
    with clinic_app.extensions["clinics"].database.session() as db:
        assert db.scalar(select(ClinicianSession)) is None


def test_signing_in_starts_a_fresh_cookie(clinic_app) -> None:
    staff = Staff(clinic_app.test_client())
    staff.sign_in("north@example.org")
    link = staff.invite()
    patient = Patient(clinic_app.test_client())
    patient.open_link(link)  # this browser is on an invitation ...
    patient.sign_in = Staff.sign_in.__get__(patient)  # ... and then someone signs in to the clinic on it
    patient.sign_in("south@example.org")
    assert "inv" not in clinic_app.session_interface.read(patient.client.get_cookie("fq_session").value)
