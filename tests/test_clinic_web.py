"""The invited patient's story and the clinician's pages, through the Flask test client (every page checked)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from questionnaire.answerfile import sample
from questionnaire.clinics import invitations as inv
from questionnaire.clinics.models import AuditEvent, Draft, Invitation, Submission
from questionnaire.web.headers import CSP
from tests.browser.tour import TYPICAL, URGENT
from tests.clinicpeople import Patient, Staff
from tests.pagecheck import check_page, text_of

CALM = sample("calm")


def count(app, model) -> int:
    with app.extensions["clinics"].database.session() as db:
        return int(db.scalar(select(func.count()).select_from(model)))


@pytest.fixture
def staff(clinic_app) -> Staff:
    person = Staff(clinic_app.test_client())
    assert person.sign_in("north@example.org").status_code == 303
    return person


def whole(person) -> str:
    """Return the text of the whole page (the invitation banner is outside main)."""
    return " ".join(person.soup.get_text(" ").split())


def cookie_of(app, person) -> dict:
    return app.session_interface.read(person.client.get_cookie("fq_session").value)


def new_patient(app) -> Patient:
    return Patient(app.test_client())


def test_the_whole_story_stop_resume_elsewhere_consent_send(clinic_app, staff) -> None:
    link = staff.invite("Ref 77", "2027-02-03")
    assert staff.soup.find("svg", class_="qr") is not None  # the QR code is inline SVG
    first = new_patient(clinic_app)
    first.get(link)
    assert "North asked you" in first.text and "3 February 2027" in first.text
    first.press("Start now")
    seen = first.answer_until(URGENT, stop_at="headaches")
    assert seen and first.path == "/questions/headaches"
    assert "You are answering for North" in whole(first)
    assert count(clinic_app, Draft) == 1
    # nothing of the answers is in the cookie: it carries the invitation's id only
    assert set(cookie_of(clinic_app, first)) == {"csrf_token", "inv", "_permanent"}
    first.press("Stop for now")
    assert "Your answers are saved" in first.text
    assert first.client.get("/questions/headaches", follow_redirects=True).request.path != "/questions/headaches"

    # a new device: the same link carries on where the person stopped
    second = new_patient(clinic_app)
    second.get(link)
    second.press("Carry on where you left off")
    assert second.path == "/questions/headaches"
    second.answer_until(URGENT)
    assert second.path == "/check"
    second.follow_link("See your results")
    assert second.soup.find(id="urgent") is not None
    assert second.soup.find(id="send-title") is not None
    second.get("/summary")  # they can print their own summary without sending
    assert "Summary for your clinician" in second.text

    # no box ticked: nothing is sent or stored beyond the draft
    assert second.send(consent=False).status_code == 400
    assert second.soup.find(class_="error-summary") is not None
    assert count(clinic_app, Submission) == 0 and count(clinic_app, Draft) == 1
    assert second.send(consent=True).status_code == 200
    assert "Your answers were sent" in second.text
    assert count(clinic_app, Submission) == 1 and count(clinic_app, Draft) == 0

    # the link refuses reuse, on every device, and never shows the answers
    for person in (second, first, new_patient(clinic_app)):
        person.response = person.client.get(link)
        assert person.response.status_code == 410
        assert "already sent" in text_of(check_page(person.response.get_data(as_text=True)))
    assert second.client.get("/check", follow_redirects=True).request.path in ("/", "/questions/about")

    # the clinician sees it flagged, opens the summary; the view is audited
    ids = staff.submission_ids()
    assert len(ids) == 1
    row = staff.soup.select_one("table.clinic-table tbody tr")
    assert "row--emergency" in row["class"] and "Emergency" in row.get_text()
    staff.get(f"/clinic/submissions/{ids[0]}")
    assert "Summary for your clinician" in staff.text and "Ref 77" in staff.text
    with clinic_app.extensions["clinics"].database.session() as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["invitation.create", "submission.view"]
    staff.post_form(f"/clinic/submissions/{ids[0]}/review", {"reviewed": "yes"})
    assert "Mark as not reviewed" in staff.text


def test_choosing_not_to_send_deletes_the_draft(clinic_app, staff) -> None:
    link = staff.invite()
    patient = new_patient(clinic_app)
    patient.open_link(link)
    patient.answer_until(CALM)
    assert count(clinic_app, Draft) == 1
    patient.get("/i/send")
    assert "keeps them" in patient.text or "keeps them, encrypted" in patient.text
    assert "90 days" in patient.text
    patient.press("Do not send, and delete my answers")
    assert "Nothing was sent" in patient.text
    assert count(clinic_app, Draft) == 0 and count(clinic_app, Submission) == 0
    # the link still works (unless the clinic revokes it), starting afresh
    patient.get(link)
    assert patient.soup.find("button", string="Start now") is not None


def test_start_again_clears_only_the_draft(clinic_app, staff) -> None:
    link = staff.invite()
    patient = new_patient(clinic_app)
    patient.open_link(link)
    patient.answer_until(CALM, stop_at="habits")
    patient.get("/")
    assert "saved, encrypted, on our server" in patient.text
    patient.press("Start again")
    assert count(clinic_app, Draft) == 0
    patient.follow_link("Start now")
    assert "You are answering for North" in whole(patient)


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown"])
def test_closed_links_say_why(clinic_app, staff, how: str) -> None:
    link = staff.invite("Closed")
    patient = new_patient(clinic_app)
    patient.open_link(link)
    patient.answer_until(CALM, stop_at="habits")
    if how == "revoked":
        staff.get("/clinic/invitations")
        staff.get(staff.soup.select_one("table.clinic-table a")["href"])
        staff.press("Revoke this link")
        assert "The link was revoked" in staff.text
        assert count(clinic_app, Draft) == 0
    elif how == "expired":
        with clinic_app.extensions["clinics"].database.session() as db:
            for row in db.scalars(select(Invitation)):
                row.expires_at = row.created_at
    else:
        link = link[:-4] + "AAAA"
    expected = {"revoked": "cancelled", "expired": "expired", "unknown": "does not work"}[how]
    status = 404 if how == "unknown" else 410
    fresh = new_patient(fresh_app := clinic_app)
    fresh.response = fresh.client.get(link)
    assert fresh.response.status_code == status
    assert expected in text_of(check_page(fresh.response.get_data(as_text=True)))
    if how != "unknown":
        # the person already on the link is stopped on their next page too, and let go of it
        patient.response = patient.client.get("/questions/habits")
        assert patient.response.status_code == status
        assert patient.client.get("/questions/habits").status_code in (200, 302)  # anonymous again
    assert fresh_app is clinic_app


def test_a_failed_database_write_shows_try_again_and_keeps_the_draft(clinic_app, staff, monkeypatch) -> None:
    link = staff.invite()
    patient = new_patient(clinic_app)
    patient.open_link(link)
    patient.answer_until(CALM, stop_at="habits")
    with clinic_app.extensions["clinics"].database.session() as db:
        before = db.get(Draft, db.scalar(select(Invitation.id))).ciphertext

    def broken(*args, **kwargs):
        raise OperationalError("UPDATE drafts", {}, Exception("disk I/O error"))

    monkeypatch.setattr(inv, "save_draft", broken)
    names = {i["name"] for i in patient.soup.find("main").find_all("input") if i.get("name") != "csrf_token"}
    patient.answer({k: v for k, v in CALM.items() if k in names}, expect=503)
    assert "Sorry, that did not save" in patient.text and "Nothing was lost" in patient.text
    with clinic_app.extensions["clinics"].database.session() as db:
        assert db.get(Draft, db.scalar(select(Invitation.id))).ciphertext == before
    monkeypatch.undo()
    patient.get("/questions/habits")
    patient.answer_until(CALM)
    assert patient.path == "/check"

    # sending fails too: nothing is half-sent, and the draft stays for another try
    monkeypatch.setattr(inv, "submit", broken)
    assert patient.send().status_code == 503
    monkeypatch.undo()
    assert count(clinic_app, Submission) == 0 and count(clinic_app, Draft) == 1
    assert patient.send().status_code == 200 and count(clinic_app, Submission) == 1


def test_clinic_pages_carry_the_security_headers_and_csrf(clinic_app, staff) -> None:
    link = staff.invite("Headers")
    patient = new_patient(clinic_app)
    pages = [
        (staff.client, "/clinic/login"),
        (staff.client, "/clinic/invitations"),
        (staff.client, "/clinic/submissions"),
    ]
    pages += [(patient.client, link)]
    for client, path in pages:
        response = client.get(path)
        assert response.headers["Content-Security-Policy"] == CSP, path
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Frame-Options"] == "DENY"
    # every clinic form refuses a post without the session's CSRF token
    for path in ("/clinic/invitations", "/clinic/logout", link, "/i/send", "/i/decline", "/i/leave"):
        response = staff.client.post(path, data={"label": "x"})
        assert response.status_code == 400, path
        assert "This form has expired" in response.get_data(as_text=True)
    assert staff.client.post("/clinic/login", data={"email": "north@example.org", "password": "x"}).status_code == 400


def test_invitation_form_errors(clinic_app, staff) -> None:
    staff.get("/clinic/invitations")
    staff.post_form("/clinic/invitations", {"label": "x" * 121, "visit_date": "next tuesday"})
    assert staff.response.status_code == 400
    assert staff.soup.find(class_="error-summary") is not None
    assert count(clinic_app, Invitation) == 0


def test_inbox_search_and_delete(clinic_app, staff) -> None:
    for label in ("Alpha 1", "Beta 2"):
        patient = new_patient(clinic_app)
        patient.open_link(staff.invite(label))
        patient.answer_until(TYPICAL)
        patient.send()
    staff.get("/clinic/submissions?label=alpha")
    assert "Alpha 1" in staff.text and "Beta 2" not in staff.text
    staff.get("/clinic/submissions?from=2000-01-01&to=2000-01-02")
    assert "No submissions match this search" in staff.text
    staff.get("/clinic/submissions?from=not-a-date")
    assert "Enter the from date" in staff.text
    ids = staff.submission_ids()
    staff.get(f"/clinic/submissions/{ids[0]}/delete")
    staff.press("Delete it now")
    assert "The submission was deleted" in staff.text
    assert count(clinic_app, Submission) == 1
    assert staff.client.get(f"/clinic/submissions/{ids[0]}").status_code == 404


def test_the_clinician_downloads_the_summary_as_pdf_and_it_is_audited(clinic_app, staff) -> None:
    patient = new_patient(clinic_app)
    patient.open_link(staff.invite())
    patient.answer_until(CALM)
    patient.send()
    (submission_id,) = staff.submission_ids()
    staff.get(f"/clinic/submissions/{submission_id}")
    link = staff.soup.find("a", string="Download PDF")
    assert link["href"] == f"/clinic/submissions/{submission_id}/pdf"
    response = staff.client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    with clinic_app.extensions["clinics"].database.session() as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["submission.view", "submission.pdf"]


def test_anonymous_use_stores_nothing_and_never_touches_the_database(clinic_app, monkeypatch) -> None:
    def no_database(*args, **kwargs):
        raise AssertionError("anonymous use reached the database")

    monkeypatch.setattr(clinic_app.extensions["clinics"].database, "sessions", no_database)
    person = Patient(clinic_app.test_client())  # an anonymous visitor: no invitation link
    person.get("/")
    person.follow_link("Start now")
    person.answer_until(TYPICAL)
    assert person.path == "/check"
    person.follow_link("See your results")
    assert person.soup.find(id="send-title") is None
    person.get("/summary")
    monkeypatch.undo()
    assert count(clinic_app, Draft) == 0 and count(clinic_app, Submission) == 0
