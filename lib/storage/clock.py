"""Times the store writes and reads: always with their zone, always UTC."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time with its zone: SQLite hands timestamps back without one (they were
    written in UTC); PostgreSQL keeps it."""
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value
