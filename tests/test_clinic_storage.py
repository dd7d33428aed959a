"""The clinic storage layer on SQLite, and on PostgreSQL when QUESTIONNAIRE_TEST_DATABASE_URL is set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from questionnaire.clinics import accounts, inbox, invitations, retention
from questionnaire.clinics.clock import now
from questionnaire.clinics.crypto import CannotOpen, KeyRing, KeySettingError, Sealed, new_key_setting, parse_keys
from questionnaire.clinics.db import current_revision, head_revision
from questionnaire.clinics.models import AuditEvent, Base, Clinic, Draft, Invitation, Submission

ANSWERS = {"a": {"sleep_quality": "poor", "conditions": ["ibs"]}, "ack": [], "v": "test"}


@pytest.fixture
def passwords() -> accounts.Passwords:
    return accounts.Passwords(cheap=True)


@pytest.fixture
def north(database) -> Clinic:
    with database.session() as db:
        return accounts.add_clinic(db, "North")


def make_invitation(database, clinic: Clinic, **kwargs) -> invitations.NewInvitation:
    with database.session() as db:
        made = invitations.create_invitation(db, db.get(Clinic, clinic.id), None, **kwargs)
        made.invitation.clinic  # noqa: B018 - load before the session closes
        return made


def send(database, keys, invitation_id: str, data=ANSWERS, tier=None, at=None) -> Submission:
    with database.session() as db:
        return invitations.submit(db, keys, db.get(Invitation, invitation_id), data, tier, "test", at=at)


def test_migrations_build_exactly_the_models(database) -> None:
    assert current_revision(database) == head_revision()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_sealed_answers_open_only_in_their_own_row(keys) -> None:
    sealed = keys.seal(b'{"a": 1}', "draft:abc")
    assert b"a" not in sealed.ciphertext[12:] or sealed.ciphertext.count(b'"a"') == 0
    assert keys.open(sealed, "draft:abc") == b'{"a": 1}'
    with pytest.raises(CannotOpen):
        keys.open(sealed, "draft:other")  # moved to another row
    with pytest.raises(CannotOpen):
        keys.open(Sealed(sealed.key_id, sealed.wrapped_key, sealed.ciphertext[:-1] + b"x"), "draft:abc")
    with pytest.raises(CannotOpen):
        KeyRing.from_setting(new_key_setting("test1")).open(sealed, "draft:abc")  # same id, other key


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "no key"),
        ("nocolon", "ID:BASE64"),
        ("k1:!!!", "base64"),
        ("k1:AAAA", "32 random bytes"),
        (f"{new_key_setting('k1')},{new_key_setting('k1')}", "twice"),
    ],
)
def test_bad_key_settings_say_why(setting: str, message: str) -> None:
    with pytest.raises(KeySettingError, match=message):
        parse_keys(setting)


def test_the_token_is_stored_only_as_a_hash(database, north) -> None:
    made = make_invitation(database, north, label="Ref 1")
    with database.session() as db:
        row = db.get(Invitation, made.invitation.id)
        assert made.token not in (row.token_hash, row.id, row.label)
        assert row.token_hash == accounts.hash_token(made.token)
        assert invitations.find_by_token(db, made.token).id == row.id
        assert invitations.find_by_token(db, made.token + "x") is None
        assert row.expires_at - row.created_at == timedelta(days=30)


def test_a_draft_is_sealed_and_replaced(database, keys, north) -> None:
    made = make_invitation(database, north)
    with database.session() as db:
        invitation = db.get(Invitation, made.invitation.id)
        invitations.save_draft(db, keys, invitation, {"a": {"sleep_quality": "poor"}})
        invitations.save_draft(db, keys, invitation, ANSWERS)
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(Draft)) == 1
        row = db.get(Draft, made.invitation.id)
        assert b"sleep_quality" not in row.ciphertext and b"poor" not in row.ciphertext
        assert invitations.load_draft(db, keys, made.invitation.id) == ANSWERS


def test_a_link_sends_once_even_from_two_devices(database, keys, north) -> None:
    made = make_invitation(database, north, label="Ref 2", visit_date=date(2027, 1, 15))
    with database.session() as db:
        invitations.save_draft(db, keys, db.get(Invitation, made.invitation.id), ANSWERS)
    first = send(database, keys, made.invitation.id, tier="soon")
    with pytest.raises(invitations.NotOpen) as second:
        send(database, keys, made.invitation.id)
    assert second.value.state == "sent"
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(Submission)) == 1
        assert db.get(Draft, made.invitation.id) is None  # the draft goes when the answers are sent
        stored = db.get(Submission, first.id)
        assert (stored.label, stored.visit_date, stored.urgent_tier) == ("Ref 2", date(2027, 1, 15), "soon")
        assert invitations.open_submission(keys, stored) == ANSWERS
        assert stored.delete_after - stored.submitted_at == timedelta(days=90)


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_revoked_and_expired_links_cannot_send(database, keys, north, how: str) -> None:
    made = make_invitation(database, north)
    with database.session() as db:
        invitation = db.get(Invitation, made.invitation.id)
        invitations.save_draft(db, keys, invitation, ANSWERS)
        if how == "revoked":
            invitations.revoke(db, invitation, None)
    later = now() + timedelta(days=31) if how == "expired" else None
    with pytest.raises(invitations.NotOpen) as refused:
        send(database, keys, made.invitation.id, at=later)
    assert refused.value.state == how
    with database.session() as db:
        with pytest.raises(invitations.NotOpen):
            invitations.open_invitation(db, made.invitation.id, at=later)
        assert db.scalar(select(func.count()).select_from(Submission)) == 0
        if how == "revoked":
            assert db.get(Draft, made.invitation.id) is None  # revoking deletes the draft at once


def test_inbox_is_newest_first_per_clinic_with_search_and_pages(database, keys, north) -> None:
    with database.session() as db:
        south = accounts.add_clinic(db, "South")
    start = now() - timedelta(days=10)
    for day in range(7):
        made = make_invitation(database, north, label=f"North {day}{' 50%_off' if day == 3 else ''}")
        send(database, keys, made.invitation.id, at=start + timedelta(days=day))
    other = make_invitation(database, south, label="North 9")
    send(database, keys, other.invitation.id)
    with database.session() as db:
        first = inbox.inbox(db, north.id, size=3)
        assert [s.label for s in first.rows] == ["North 6", "North 5", "North 4"]
        second = inbox.inbox(db, north.id, inbox.Search(after=first.next_after), size=3)
        assert [s.label for s in second.rows] == ["North 3 50%_off", "North 2", "North 1"]
        last = inbox.inbox(db, north.id, inbox.Search(after=second.next_after), size=3)
        assert [s.label for s in last.rows] == ["North 0"] and last.next_after is None
        assert [s.label for s in inbox.inbox(db, north.id, inbox.Search(label="50%_")).rows] == ["North 3 50%_off"]
        assert inbox.inbox(db, north.id, inbox.Search(label="%")).rows[0].label == "North 3 50%_off"
        day2 = (start + timedelta(days=2)).date()
        ranged = inbox.inbox(db, north.id, inbox.Search(sent_from=day2, sent_to=day2 + timedelta(days=1)))
        assert [s.label for s in ranged.rows] == ["North 3 50%_off", "North 2"]
        assert all(s.clinic_id == north.id for s in inbox.inbox(db, north.id, size=50).rows)
        assert inbox.clinic_submission(db, north.id, other.invitation.id) is None


def test_purge_deletes_what_is_past_its_time_only(database, keys, north) -> None:
    old = make_invitation(database, north)
    send(database, keys, old.invitation.id, at=now() - timedelta(days=91))
    kept = make_invitation(database, north)
    fresh = send(database, keys, kept.invitation.id)
    stale = make_invitation(database, north)
    live = make_invitation(database, north)
    with database.session() as db:
        invitations.save_draft(
            db, keys, db.get(Invitation, stale.invitation.id), ANSWERS, at=now() - timedelta(days=31)
        )
        invitations.save_draft(db, keys, db.get(Invitation, live.invitation.id), ANSWERS)
    report = retention.purge(database)
    assert report.counts["submissions"] == 1 and report.counts["drafts"] == 1
    with database.session() as db:
        assert [s.id for s in db.scalars(select(Submission))] == [fresh.id]
        assert [d.invitation_id for d in db.scalars(select(Draft))] == [live.invitation.id]
    # with the clock moved past every retention period, everything clinical goes
    report = retention.purge(database, now() + timedelta(days=400))
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(Submission)) == 0
        assert db.scalar(select(func.count()).select_from(Draft)) == 0
        assert db.scalar(select(func.count()).select_from(Invitation)) == 0


def test_purge_works_in_batches(database, keys, north, monkeypatch) -> None:
    monkeypatch.setattr(retention, "BATCH", 4)
    for _ in range(10):
        made = make_invitation(database, north)
        send(database, keys, made.invitation.id, at=now() - timedelta(days=100))
    report = retention.purge(database)
    assert report.counts["submissions"] == 10
    assert report.batches == 3 + 1 + 1  # submissions 4 + 4 + 2, then one each for drafts and audit events


def test_a_clinic_sets_its_own_retention(database, keys, north) -> None:
    made = make_invitation(database, north)
    sent = send(database, keys, made.invitation.id)
    with database.session() as db:
        clinic = db.get(Clinic, north.id)
        accounts.set_retention(clinic, 7, None)
        assert retention.reschedule(db, clinic) == 1
    with database.session() as db:
        assert db.get(Submission, sent.id).delete_after - sent.submitted_at == timedelta(days=7)
    retention.purge(database, now() + timedelta(days=8))
    with database.session() as db:
        assert db.get(Submission, sent.id) is None
    with database.session() as db, pytest.raises(accounts.AccountError):
        accounts.set_retention(db.get(Clinic, north.id), 0, None)


def test_key_rotation_rewraps_every_row_without_reencrypting(database, north) -> None:
    old_setting = new_key_setting("old")
    old = KeyRing.from_setting(old_setting)
    sent_ids = []
    for _ in range(3):
        made = make_invitation(database, north)
        sent_ids.append(send(database, old, made.invitation.id).id)
    draft = make_invitation(database, north)
    with database.session() as db:
        invitations.save_draft(db, old, db.get(Invitation, draft.invitation.id), ANSWERS)
        before = {s.id: s.ciphertext for s in db.scalars(select(Submission))}
    new_setting = new_key_setting("new")
    report = retention.rotate(database, KeyRing.from_setting(f"{new_setting} {old_setting}"), batch=2)
    assert (report.rewrapped, report.unreadable) == (4, 0)
    assert report.remaining_by_key == {"new": 4}
    new_alone = KeyRing.from_setting(new_setting)
    impostor = KeyRing.from_setting(new_key_setting("new"))  # same id, another key
    with database.session() as db:
        for submission in db.scalars(select(Submission)):
            assert submission.ciphertext == before[submission.id]
            assert invitations.open_submission(new_alone, submission) == ANSWERS  # the old key is no longer needed
            with pytest.raises(CannotOpen):
                invitations.open_submission(impostor, submission)
        assert invitations.load_draft(db, new_alone, draft.invitation.id) == ANSWERS
    assert retention.rotate(database, new_alone).rewrapped == 0  # nothing left to do


def test_rotation_reports_rows_whose_key_is_gone(database, north) -> None:
    lost = KeyRing.from_setting(new_key_setting("lost"))
    made = make_invitation(database, north)
    send(database, lost, made.invitation.id)
    report = retention.rotate(database, KeyRing.from_setting(new_key_setting("new")))
    assert (report.rewrapped, report.unreadable) == (0, 1)


def test_passwords_are_argon2_and_sessions_end(database, north, passwords) -> None:
    with database.session() as db:
        clinician = accounts.add_clinician(db, passwords, "Ann@Example.org ", db.get(Clinic, north.id), "x" * 12)
        assert clinician.email == "ann@example.org" and clinician.password_hash.startswith("$argon2id$")
        with pytest.raises(accounts.AccountError, match="12 characters"):
            accounts.add_clinician(db, passwords, "bob@example.org", db.get(Clinic, north.id), "short")
        with pytest.raises(accounts.AccountError, match="already"):
            accounts.add_clinician(db, passwords, "ann@example.org", db.get(Clinic, north.id), "y" * 12)
    with database.session() as db:
        assert accounts.authenticate(db, passwords, "ann@example.org", "x" * 11) is None
        assert accounts.authenticate(db, passwords, "nobody@example.org", "x" * 12) is None
        who = accounts.authenticate(db, passwords, "ANN@example.org", "x" * 12)
        token = accounts.start_session(db, who)
    idle = timedelta(minutes=30)
    with database.session() as db:
        assert accounts.resume_session(db, token, idle).email == "ann@example.org"
        assert accounts.resume_session(db, token, idle, at=now() + timedelta(minutes=31)) is None  # idle: gone
        assert accounts.resume_session(db, token, idle) is None
        again = accounts.start_session(db, who)
        accounts.end_session(db, again)
        assert accounts.resume_session(db, again, idle) is None


def test_audit_events_name_who_what_and_when_only(database, keys, north, passwords) -> None:
    with database.session() as db:
        clinician = accounts.add_clinician(db, passwords, "ann@example.org", db.get(Clinic, north.id), "x" * 12)
    made = make_invitation(database, north)
    sent = send(database, keys, made.invitation.id)
    with database.session() as db:
        inbox.record(db, clinician, "submission.view", submission_id=sent.id)
        inbox.mark_reviewed(db, clinician, db.get(Submission, sent.id))
        inbox.delete_submission(db, clinician, db.get(Submission, sent.id))
    with database.session() as db:
        trail = inbox.audit_trail(db, north.id, sent.id)
        assert [e.action for e in trail] == ["submission.delete", "submission.review", "submission.view"]
        assert {e.clinician_id for e in trail} == {clinician.id}
        columns = set(AuditEvent.__table__.columns.keys())
        assert columns == {"id", "at", "clinic_id", "clinician_id", "action", "submission_id", "invitation_id"}
        assert db.get(Submission, sent.id) is None
