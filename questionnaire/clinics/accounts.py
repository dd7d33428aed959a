"""Clinics and clinicians: set-up, argon2 passwords, and sign-in sessions kept on the server."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from .clock import now
from .models import Clinic, Clinician, ClinicianSession

MIN_PASSWORD = 12
#: Sign-in sessions write their last-seen time at most this often (not on every page view).
SEEN_EVERY = timedelta(seconds=60)


class AccountError(ValueError):
    """Say in plain words why a clinic or clinician cannot be set up."""


class Passwords:
    """Hash and check passwords with argon2id (RFC 9106 low-memory profile, or the cheapest for tests)."""

    def __init__(self, cheap: bool = False) -> None:
        profile = profiles.CHEAPEST if cheap else profiles.RFC_9106_LOW_MEMORY
        self.hasher = PasswordHasher.from_parameters(profile)
        # Checked when the email is unknown, so a wrong email takes as long as a wrong password.
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        """Return the argon2 hash of a password."""
        return self.hasher.hash(password)

    def check(self, stored: str | None, password: str) -> bool:
        """Tell whether the password matches; always does the same work."""
        try:
            return self.hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def hash_token(token: str) -> str:
    """Return the SHA-256 of a random token (tokens carry 256 bits, so no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_clinic(db: Session, name: str, retention_days: int | None = None, draft_days: int | None = None) -> Clinic:
    """Create a clinic; names are unique."""
    name = " ".join(name.split())
    if not name:
        raise AccountError("the clinic needs a name")
    if db.scalar(select(Clinic).where(Clinic.name == name)):
        raise AccountError(f"a clinic called '{name}' already exists")
    clinic = Clinic(name=name)
    set_retention(clinic, retention_days, draft_days)
    db.add(clinic)
    db.flush()
    return clinic


def set_retention(clinic: Clinic, retention_days: int | None, draft_days: int | None) -> None:
    """Change how long a clinic keeps submissions and drafts (1 to 3650 days)."""
    for value in (retention_days, draft_days):
        if value is not None and not 1 <= value <= 3650:
            raise AccountError("keep data for 1 to 3650 days")
    if retention_days is not None:
        clinic.retention_days = retention_days
    if draft_days is not None:
        clinic.draft_days = draft_days


def clinic_named(db: Session, name: str) -> Clinic:
    """Return the clinic with this name, or say which clinics there are."""
    clinic = db.scalar(select(Clinic).where(Clinic.name == " ".join(name.split())))
    if clinic is None:
        known = ", ".join(db.scalars(select(Clinic.name).order_by(Clinic.name).limit(10))) or "none yet"
        raise AccountError(f"no clinic called '{name}' (clinics: {known})")
    return clinic


def add_clinician(db: Session, passwords: Passwords, email: str, clinic: Clinic, password: str) -> Clinician:
    """Create a clinician of a clinic with a password of 12 characters or more."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise AccountError("give a valid email address")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if db.scalar(select(Clinician).where(Clinician.email == email)):
        raise AccountError(f"{email} already has an account")
    clinician = Clinician(email=email, clinic_id=clinic.id, password_hash=passwords.hash(password))
    db.add(clinician)
    db.flush()
    return clinician


def authenticate(db: Session, passwords: Passwords, email: str, password: str) -> Clinician | None:
    """Return the active clinician with this email and password, or None."""
    clinician = db.scalar(select(Clinician).where(Clinician.email == email.strip().lower()))
    stored = clinician.password_hash if clinician is not None and clinician.active else None
    if not passwords.check(stored, password):
        return None
    if passwords.hasher.check_needs_rehash(stored):  # type: ignore[arg-type]
        clinician.password_hash = passwords.hash(password)  # type: ignore[union-attr]
    return clinician


def start_session(db: Session, clinician: Clinician, at: datetime | None = None) -> str:
    """Record a new sign-in and return its token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    when = at or now()
    db.add(
        ClinicianSession(token_hash=hash_token(token), clinician_id=clinician.id, created_at=when, last_seen_at=when)
    )
    db.flush()
    return token


def resume_session(db: Session, token: str, idle: timedelta, at: datetime | None = None) -> Clinician | None:
    """Return the clinician of a live session and note the visit; end it if idle too long."""
    when = at or now()
    row = db.get(ClinicianSession, hash_token(token))
    if row is None:
        return None
    if when - row.last_seen_at > idle or not row.clinician.active:
        db.delete(row)
        db.flush()
        return None
    if when - row.last_seen_at > SEEN_EVERY:
        row.last_seen_at = when
    return row.clinician


def end_session(db: Session, token: str) -> None:
    """Forget a sign-in session, so its cookie no longer works anywhere."""
    db.execute(delete(ClinicianSession).where(ClinicianSession.token_hash == hash_token(token)))


def end_idle_sessions(db: Session, idle: timedelta, at: datetime | None = None) -> int:
    """Delete every session idle for longer than ``idle``; return how many."""
    cutoff = (at or now()) - idle
    return db.execute(delete(ClinicianSession).where(ClinicianSession.last_seen_at < cutoff)).rowcount or 0


def set_password(db: Session, passwords: Passwords, clinician: Clinician, password: str) -> None:
    """Change a password and end every session of that clinician."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    db.execute(update(Clinician).where(Clinician.id == clinician.id).values(password_hash=passwords.hash(password)))
    db.execute(delete(ClinicianSession).where(ClinicianSession.clinician_id == clinician.id))
