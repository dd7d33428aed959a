"""Invitations, the invited person's sealed draft, and the single-use step that turns it into a submission."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .accounts import hash_token
from .clock import days, now
from .crypto import KeyRing
from .models import DEFAULT_INVITATION_DAYS, AuditEvent, Clinic, Draft, Invitation, Submission, new_id

MAX_LABEL = 120


class NotOpen(Exception):
    """The invitation can no longer be used: its state says why ('sent', 'revoked', 'expired', 'unknown')."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """A freshly made invitation and its token, which exists nowhere else once this is dropped."""

    invitation: Invitation
    token: str


def create_invitation(
    db: Session,
    clinic: Clinic,
    clinician_id: int | None,
    label: str | None = None,
    visit_date: date | None = None,
    valid_days: int = DEFAULT_INVITATION_DAYS,
    at: datetime | None = None,
) -> NewInvitation:
    """Make an invitation with a random token; only the token's hash is stored."""
    when = at or now()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        id=new_id(),
        clinic_id=clinic.id,
        token_hash=hash_token(token),
        label=(" ".join((label or "").split())[:MAX_LABEL] or None),
        visit_date=visit_date,
        created_by=clinician_id,
        created_at=when,
        expires_at=when + days(valid_days),
    )
    db.add(invitation)
    db.add(
        AuditEvent(
            clinic_id=clinic.id,
            clinician_id=clinician_id,
            action="invitation.create",
            invitation_id=invitation.id,
            at=when,
        )
    )
    db.flush()
    return NewInvitation(invitation, token)


def find_by_token(db: Session, token: str) -> Invitation | None:
    """Return the invitation a link's token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return db.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def open_invitation(db: Session, invitation_id: str, at: datetime | None = None) -> Invitation:
    """Return the invitation if it can still be used, else raise NotOpen with the reason."""
    invitation = db.get(Invitation, invitation_id)
    if invitation is None:
        raise NotOpen("unknown")
    state = invitation.state(at or now())
    if state != "open":
        raise NotOpen(state)
    return invitation


def revoke(db: Session, invitation: Invitation, clinician_id: int | None, at: datetime | None = None) -> None:
    """Stop a link from working and delete its draft at once."""
    when = at or now()
    if invitation.revoked_at is None and invitation.submitted_at is None:
        invitation.revoked_at = when
    db.execute(delete(Draft).where(Draft.invitation_id == invitation.id))
    db.add(
        AuditEvent(
            clinic_id=invitation.clinic_id,
            clinician_id=clinician_id,
            action="invitation.revoke",
            invitation_id=invitation.id,
            at=when,
        )
    )


def _context(kind: str, row_id: str) -> str:
    return f"{kind}:{row_id}"


def load_draft(db: Session, keys: KeyRing, invitation_id: str) -> dict[str, Any]:
    """Return the draft's data (empty when nothing is saved yet)."""
    return open_draft(keys, db.get(Draft, invitation_id))


def open_with_draft(db: Session, invitation_id: str, at: datetime | None = None) -> tuple[Invitation, Draft | None]:
    """Return a usable invitation (with its clinic) and its draft row in one query, or raise NotOpen."""
    row = db.execute(
        select(Invitation, Draft)
        .outerjoin(Draft, Draft.invitation_id == Invitation.id)
        .where(Invitation.id == invitation_id)
    ).first()
    if row is None:
        raise NotOpen("unknown")
    invitation, draft = row
    state = invitation.state(at or now())
    if state != "open":
        raise NotOpen(state)
    return invitation, draft


def open_draft(keys: KeyRing, draft: Draft | None) -> dict[str, Any]:
    """Return the data of a loaded draft row (empty without one)."""
    if draft is None:
        return {}
    data = json.loads(keys.open(draft.sealed, _context("draft", draft.invitation_id)))
    return data if isinstance(data, dict) else {}


_UPSERTS: dict[str, Any] = {}
_DRAFT_COLUMNS = ("key_id", "wrapped_key", "ciphertext", "updated_at", "delete_after")


def _draft_upsert(dialect: str) -> Any:
    """Return the insert-or-replace statement for drafts, built once per dialect (so it compiles once)."""
    statement = _UPSERTS.get(dialect)
    if statement is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        table = Draft.__table__
        base = insert(table)
        statement = base.on_conflict_do_update(
            index_elements=[table.c.invitation_id], set_={name: base.excluded[name] for name in _DRAFT_COLUMNS}
        )
        _UPSERTS[dialect] = statement
    return statement


def save_draft(
    db: Session, keys: KeyRing, invitation: Invitation, data: dict[str, Any], at: datetime | None = None
) -> None:
    """Seal and store the draft in one statement (insert or replace)."""
    when = at or now()
    sealed = keys.seal(json.dumps(data, separators=(",", ":")).encode(), _context("draft", invitation.id))
    values = {
        "invitation_id": invitation.id,
        "key_id": sealed.key_id,
        "wrapped_key": sealed.wrapped_key,
        "ciphertext": sealed.ciphertext,
        "updated_at": when,
        "delete_after": when + days(invitation.clinic.draft_days),
    }
    connection = db.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # A draft is saved on every page: it need not wait for the disk flush. A crash can lose the
        # last fraction of a second of drafts (the person answers that page again), never a
        # submission, and never consistency. Submissions keep the server's synchronous commit.
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
    connection.execute(_draft_upsert(dialect), values)


def delete_draft(db: Session, invitation_id: str) -> None:
    """Delete the draft of an invitation (the person chose not to send, or started again)."""
    db.execute(delete(Draft).where(Draft.invitation_id == invitation_id))


def submit(
    db: Session,
    keys: KeyRing,
    invitation: Invitation,
    data: dict[str, Any],
    urgent_tier: str | None,
    ruleset_version: str,
    at: datetime | None = None,
) -> Submission:
    """Send the answers to the clinic once: the invitation is closed in the same transaction.

    The conditional UPDATE is what makes the link single-use on the server: of two tabs (or two
    devices) sending at once, exactly one changes the row; the other gets NotOpen('sent').
    """
    when = at or now()
    closed = db.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.submitted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > when,
        )
        .values(submitted_at=when)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        db.rollback()
        fresh = db.get(Invitation, invitation.id)
        raise NotOpen(fresh.state(when) if fresh is not None else "unknown")
    submission = Submission(
        id=new_id(),
        clinic_id=invitation.clinic_id,
        invitation_id=invitation.id,
        label=invitation.label,
        visit_date=invitation.visit_date,
        submitted_at=when,
        urgent_tier=urgent_tier,
        ruleset_version=ruleset_version,
        delete_after=when + days(invitation.clinic.retention_days),
    )
    submission.sealed = keys.seal(
        json.dumps(data, separators=(",", ":")).encode(), _context("submission", submission.id)
    )
    db.add(submission)
    db.execute(delete(Draft).where(Draft.invitation_id == invitation.id))
    db.flush()
    return submission


def open_submission(keys: KeyRing, submission: Submission) -> dict[str, Any]:
    """Return a submission's answers data."""
    data = json.loads(keys.open(submission.sealed, _context("submission", submission.id)))
    return data if isinstance(data, dict) else {}


def clinic_invitations(db: Session, clinic_id: int, limit: int = 50) -> list[Invitation]:
    """Return a clinic's newest invitations."""
    query = (
        select(Invitation)
        .where(Invitation.clinic_id == clinic_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list(db.scalars(query.limit(limit)))


def clinic_invitation(db: Session, clinic_id: int, invitation_id: str) -> Invitation | None:
    """Return one invitation of this clinic, or None (another clinic's invitation is None too)."""
    return db.scalar(select(Invitation).where(Invitation.id == invitation_id, Invitation.clinic_id == clinic_id))
