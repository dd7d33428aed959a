"""The tables: clinics, clinicians and their sign-in sessions, invitations, drafts, submissions, audit.

Answers only ever appear sealed (``crypto.Sealed``: key id, wrapped data key, ciphertext). Times
are naive UTC. Ids that reach URLs are random strings, so they say nothing about how many rows exist.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .clock import now
from .crypto import Sealed

# Stable constraint names, so migrations can name what they change on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
DEFAULT_RETENTION_DAYS = 90
DEFAULT_DRAFT_DAYS = 30
DEFAULT_INVITATION_DAYS = 30


def new_id() -> str:
    """Return a random 24-character id for a row whose id appears in URLs."""
    return secrets.token_hex(12)


class Base(DeclarativeBase):
    """The declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class SealedColumns:
    """Mix in the three columns of sealed answers."""

    key_id: Mapped[str] = mapped_column(String(32))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)

    @property
    def sealed(self) -> Sealed:
        """Return the sealed answers of this row."""
        return Sealed(self.key_id, self.wrapped_key, self.ciphertext)

    @sealed.setter
    def sealed(self, value: Sealed) -> None:
        self.key_id, self.wrapped_key, self.ciphertext = value.key_id, value.wrapped_key, value.ciphertext


class Clinic(Base):
    """A clinic: its name and how long it keeps submissions and drafts."""

    __tablename__ = "clinics"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    retention_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_RETENTION_DAYS)
    draft_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_DRAFT_DAYS)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Clinician(Base):
    """A person who signs in to one clinic's inbox."""

    __tablename__ = "clinicians"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    clinic: Mapped[Clinic] = relationship(lazy="joined")


class ClinicianSession(Base):
    """A signed-in session, kept on the server so sign-out and idle time really end it."""

    __tablename__ = "clinician_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    clinician: Mapped[Clinician] = relationship(lazy="joined")


class Invitation(Base):
    """A link a clinic sends; only the token's hash is kept."""

    __tablename__ = "invitations"
    id: Mapped[str] = mapped_column(String(24), primary_key=True, default=new_id)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(120))
    visit_date: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    clinic: Mapped[Clinic] = relationship(lazy="joined")

    __table_args__ = (Index("ix_invitations_clinic_created", "clinic_id", "created_at"),)

    def state(self, at: datetime) -> str:
        """Return 'open', 'sent', 'revoked' or 'expired' (in that order of precedence)."""
        if self.submitted_at is not None:
            return "sent"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= at:
            return "expired"
        return "open"


class Draft(SealedColumns, Base):
    """The answers so far of an invited person, sealed, one row per invitation."""

    __tablename__ = "drafts"
    invitation_id: Mapped[str] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    delete_after: Mapped[datetime] = mapped_column(DateTime, index=True)


class Submission(SealedColumns, Base):
    """Answers a person chose to send to their clinic, sealed; kept until delete_after."""

    __tablename__ = "submissions"
    id: Mapped[str] = mapped_column(String(24), primary_key=True, default=new_id)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    invitation_id: Mapped[str | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"), unique=True)
    label: Mapped[str | None] = mapped_column(String(120))
    visit_date: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    urgent_tier: Mapped[str | None] = mapped_column(String(16))
    ruleset_version: Mapped[str] = mapped_column(String(40))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id", ondelete="SET NULL"))
    delete_after: Mapped[datetime] = mapped_column(DateTime, index=True)

    # The inbox's first page: one clinic, newest first (keyset pagination on submitted_at, id).
    __table_args__ = (Index("ix_submissions_inbox", "clinic_id", "submitted_at", "id"),)


class AuditEvent(Base):
    """Who did what to which submission or invitation, and when; never answers."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    # No foreign keys here: the record of a view outlives the submission it describes.
    submission_id: Mapped[str | None] = mapped_column(String(24))
    invitation_id: Mapped[str | None] = mapped_column(String(24))

    __table_args__ = (Index("ix_audit_events_clinic_at", "clinic_id", "at"),)
