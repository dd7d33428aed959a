"""A clinic's inbox: newest submissions first, search by label and date, review, delete, audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from .clock import now
from .models import AuditEvent, Clinician, Submission

PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class Search:
    """What the clinician asked for: a label fragment, a date range (by day sent) and where the page starts."""

    label: str = ""
    sent_from: date | None = None
    sent_to: date | None = None
    after: tuple[datetime, str] | None = None  # the last row of the previous page


@dataclass(frozen=True, slots=True)
class InboxPage:
    """One page of the inbox and where the next one starts."""

    rows: list[Submission]
    next_after: tuple[datetime, str] | None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def inbox(db: Session, clinic_id: int, search: Search = Search(), size: int = PAGE_SIZE) -> InboxPage:
    """Return a page of the clinic's submissions, newest first (keyset pagination on the inbox index)."""
    query = select(Submission).where(Submission.clinic_id == clinic_id)
    if search.label:
        query = query.where(Submission.label.ilike(f"%{_escape_like(search.label)}%", escape="\\"))
    if search.sent_from:
        query = query.where(Submission.submitted_at >= datetime.combine(search.sent_from, datetime.min.time()))
    if search.sent_to:
        end = datetime.combine(search.sent_to, datetime.min.time()) + timedelta(days=1)
        query = query.where(Submission.submitted_at < end)
    if search.after:
        query = query.where(tuple_(Submission.submitted_at, Submission.id) < tuple_(*search.after))
    query = query.order_by(Submission.submitted_at.desc(), Submission.id.desc()).limit(size + 1)
    rows = list(db.scalars(query))
    more = len(rows) > size
    rows = rows[:size]
    return InboxPage(rows, (rows[-1].submitted_at, rows[-1].id) if more and rows else None)


def clinic_submission(db: Session, clinic_id: int, submission_id: str) -> Submission | None:
    """Return one submission of this clinic, or None (another clinic's submission is None too)."""
    if not submission_id or len(submission_id) > 24:
        return None
    return db.scalar(select(Submission).where(Submission.id == submission_id, Submission.clinic_id == clinic_id))


def record(
    db: Session,
    clinician: Clinician,
    action: str,
    *,
    submission_id: str | None = None,
    invitation_id: str | None = None,
    at: datetime | None = None,
) -> None:
    """Write one audit event: who, what, which row, when; never answers."""
    db.add(
        AuditEvent(
            clinic_id=clinician.clinic_id,
            clinician_id=clinician.id,
            action=action,
            submission_id=submission_id,
            invitation_id=invitation_id,
            at=at or now(),
        )
    )


def mark_reviewed(db: Session, clinician: Clinician, submission: Submission, reviewed: bool = True) -> None:
    """Mark a submission as reviewed (or not yet) by this clinician."""
    submission.reviewed_at = now() if reviewed else None
    submission.reviewed_by = clinician.id if reviewed else None
    record(db, clinician, "submission.review" if reviewed else "submission.unreview", submission_id=submission.id)


def delete_submission(db: Session, clinician: Clinician, submission: Submission) -> None:
    """Delete a submission at once; the audit log keeps that it was deleted, and by whom."""
    record(db, clinician, "submission.delete", submission_id=submission.id)
    db.execute(delete(Submission).where(Submission.id == submission.id))


def audit_trail(db: Session, clinic_id: int, submission_id: str | None = None, limit: int = 200) -> list[AuditEvent]:
    """Return a clinic's audit events, newest first, optionally for one submission."""
    query = select(AuditEvent).where(AuditEvent.clinic_id == clinic_id)
    if submission_id:
        query = query.where(AuditEvent.submission_id == submission_id)
    return list(db.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))
