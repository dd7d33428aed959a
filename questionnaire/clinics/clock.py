"""Tell the time in one way for the whole storage layer: naive UTC, so SQLite and PostgreSQL agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now() -> datetime:
    """Return the current time in UTC without a time zone, the form every column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def days(count: int) -> timedelta:
    """Return a span of whole days."""
    return timedelta(days=count)
