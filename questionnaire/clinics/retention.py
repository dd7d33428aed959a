"""Delete what is past its time, in small batches, and re-wrap data keys after a key rotation."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from .accounts import end_idle_sessions
from .clock import days, now
from .crypto import CannotOpen, KeyRing
from .db import Database
from .models import AuditEvent, Clinic, Draft, Invitation, Submission

#: Rows per delete statement: each batch is its own short transaction, so page loads never wait long.
BATCH = 2000
#: Audit events are kept this long (two years), then purged too.
AUDIT_DAYS = 730


@dataclass
class PurgeReport:
    """How many rows of each kind were deleted, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    batches: int = 0

    def add(self, kind: str, count: int) -> None:
        """Add deleted rows of one kind."""
        self.counts[kind] = self.counts.get(kind, 0) + count


def _in_batches(database: Database, make: Callable[[], object], kind: str, report: PurgeReport, pause: float) -> None:
    """Run a delete of at most BATCH rows again and again, committing each, until it deletes nothing."""
    while True:
        with database.session() as db:
            deleted = db.execute(make()).rowcount or 0  # type: ignore[call-overload]
        report.batches += 1
        report.add(kind, deleted)
        if deleted < BATCH:
            return
        if pause:
            time.sleep(pause)  # let other writers in between batches (SQLite has one writer at a time)


def purge(
    database: Database, at: datetime | None = None, *, idle: timedelta = timedelta(hours=12), pause: float = 0.0
) -> PurgeReport:
    """Delete expired submissions and drafts, old invitations, idle sign-ins and old audit events."""
    when = at or now()
    started = time.perf_counter()
    report = PurgeReport()

    def expired_submissions() -> object:
        doomed = select(Submission.id).where(Submission.delete_after <= when).limit(BATCH)
        return delete(Submission).where(Submission.id.in_(doomed)).execution_options(synchronize_session=False)

    def dead_drafts() -> object:
        closed = select(Invitation.id).where(
            or_(Invitation.expires_at <= when, Invitation.revoked_at.is_not(None), Invitation.submitted_at.is_not(None))
        )
        doomed = (
            select(Draft.invitation_id)
            .where(or_(Draft.delete_after <= when, Draft.invitation_id.in_(closed)))
            .limit(BATCH)
        )
        return delete(Draft).where(Draft.invitation_id.in_(doomed)).execution_options(synchronize_session=False)

    def old_audit() -> object:
        doomed = select(AuditEvent.id).where(AuditEvent.at <= when - days(AUDIT_DAYS)).limit(BATCH)
        return delete(AuditEvent).where(AuditEvent.id.in_(doomed)).execution_options(synchronize_session=False)

    _in_batches(database, expired_submissions, "submissions", report, pause)
    _in_batches(database, dead_drafts, "drafts", report, pause)
    with database.session() as db:
        # An invitation (label, dates, token hash; never answers) goes once its clinic's retention has
        # passed since it stopped working. Per clinic, because each clinic has its own period.
        for clinic_id, keep in db.execute(select(Clinic.id, Clinic.retention_days)).all():
            gone = db.execute(
                delete(Invitation).where(Invitation.clinic_id == clinic_id, Invitation.expires_at <= when - days(keep))
            )
            report.add("invitations", gone.rowcount or 0)
        report.add("sign-in sessions", end_idle_sessions(db, idle, when))
    _in_batches(database, old_audit, "audit events", report, pause)
    report.seconds = time.perf_counter() - started
    return report


def reschedule(db: Session, clinic: Clinic) -> int:
    """Recompute when a clinic's kept submissions are deleted, after its retention period changed."""
    rows = db.execute(select(Submission.id, Submission.submitted_at).where(Submission.clinic_id == clinic.id)).all()
    for submission_id, submitted_at in rows:
        db.execute(
            update(Submission)
            .where(Submission.id == submission_id)
            .values(delete_after=submitted_at + days(clinic.retention_days))
        )
    return len(rows)


@dataclass
class RotationReport:
    """How many sealed rows were re-wrapped, and how many could not be opened with any configured key."""

    rewrapped: int = 0
    unreadable: int = 0
    remaining_by_key: dict[str, int] = field(default_factory=dict)


def rotate(database: Database, keys: KeyRing, batch: int = 500) -> RotationReport:
    """Re-wrap every draft's and submission's data key with the current key; answers are not re-encrypted."""
    report = RotationReport()
    for model, kind, key_column in ((Draft, "draft", Draft.invitation_id), (Submission, "submission", Submission.id)):
        skip: set[str] = set()
        while True:
            with database.session() as db:
                query = select(model).where(model.key_id != keys.current_id)
                if skip:
                    query = query.where(key_column.not_in(skip))
                rows = list(db.scalars(query.limit(batch)))
                for row in rows:
                    row_id = row.invitation_id if kind == "draft" else row.id
                    try:
                        row.sealed = keys.rewrap(row.sealed, f"{kind}:{row_id}")
                        report.rewrapped += 1
                    except CannotOpen:
                        skip.add(row_id)
                        report.unreadable += 1
            if len(rows) < batch:
                break
    with database.session() as db:
        for model in (Draft, Submission):
            for key_id, count in db.execute(select(model.key_id, func.count()).group_by(model.key_id)).all():
                report.remaining_by_key[key_id] = report.remaining_by_key.get(key_id, 0) + count
    return report
