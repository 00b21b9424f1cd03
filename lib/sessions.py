"""Sign-in sessions that outlive one browser tab: random tokens, stored only as SHA-256 hashes.

A Streamlit script cannot set cookies, so signing in takes two steps. The script, having
checked the password, creates a session holding a one-time ticket (valid TICKET_SECONDS). The
browser posts the ticket to a route of the ASGI layer (lib/web_auth.py), which exchanges it for
the session token and sends that as an HttpOnly cookie. Neither the ticket nor the token is
stored in clear: a copy of the store does not let anyone in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from contextlib import contextmanager

import sqlalchemy as sa

from lib import accounts, store

TICKET_SECONDS = 120
TOUCH_SECONDS = 60  # last_seen is written at most this often: a rerun must not always write

sessions = sa.Table(
    "sessions",
    store.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("token_hash", sa.String(64), unique=True),
    sa.Column("ticket_hash", sa.String(64), unique=True),
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)


@contextmanager
def _write(engine: sa.Engine):
    """A short write of its own: sessions must not wait on (or block) a data upload's lock."""
    with engine.connect() as connection:
        connection = connection.execution_options(sqlite_immediate=True)
        with connection.begin():
            yield connection


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def start(engine: sa.Engine, username: str, now: dt.datetime | None = None) -> str:
    """A new session for an authenticated user; returns the one-time ticket."""
    now = now or _now()
    ticket = secrets.token_urlsafe(32)
    with _write(engine) as connection:
        connection.execute(
            sessions.insert().values(
                ticket_hash=_hash(ticket), username=username, created_at=now, last_seen=now
            )
        )
    return ticket


def redeem(engine: sa.Engine, ticket: str, now: dt.datetime | None = None) -> str | None:
    """Exchange a fresh, unused ticket for the session token (None if spent, old or unknown)."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with _write(engine) as connection:
        row = connection.execute(
            sa.select(sessions.c.id, sessions.c.created_at).where(
                sessions.c.ticket_hash == _hash(ticket), sessions.c.revoked_at.is_(None)
            )
        ).first()
        if row is None or now - _aware(row.created_at) > dt.timedelta(seconds=TICKET_SECONDS):
            return None
        connection.execute(
            sessions.update()
            .where(sessions.c.id == row.id)
            .values(ticket_hash=None, token_hash=_hash(token), last_seen=now)
        )
    return token


def user_for_token(
    engine: sa.Engine, token: str | None, idle_minutes: int, now: dt.datetime | None = None
) -> accounts.User | None:
    """The active account behind a live token; a token idle too long is revoked on sight."""
    if not token:
        return None
    now = now or _now()
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(
                sessions.c.id.label("session_id"),
                sessions.c.last_seen,
                accounts.users.c.username,
                accounts.users.c.display_name,
                accounts.users.c.role,
                accounts.users.c.regions,
                accounts.users.c.active,
            )
            .select_from(sessions)
            .join(accounts.users, accounts.users.c.username == sessions.c.username)
            .where(sessions.c.token_hash == _hash(token), sessions.c.revoked_at.is_(None))
        ).first()
    if row is None or not row.active:
        return None
    idle = now - _aware(row.last_seen)
    if idle > dt.timedelta(minutes=idle_minutes):
        revoke(engine, token, now)
        return None
    if idle > dt.timedelta(seconds=TOUCH_SECONDS):
        with _write(engine) as connection:
            connection.execute(
                sessions.update().where(sessions.c.id == row.session_id).values(last_seen=now)
            )
    return accounts._user(row)


def revoke(engine: sa.Engine, token: str | None, now: dt.datetime | None = None) -> bool:
    """End a session (logout); True when a live session was ended."""
    if not token:
        return False
    with _write(engine) as connection:
        ended = connection.execute(
            sessions.update()
            .where(sessions.c.token_hash == _hash(token), sessions.c.revoked_at.is_(None))
            .values(revoked_at=now or _now())
        ).rowcount
    return bool(ended)


def revoke_ticket(engine: sa.Engine, ticket: str | None) -> None:
    """Logout before the browser exchanged its ticket: the ticket must not open a session."""
    if not ticket:
        return
    with _write(engine) as connection:
        connection.execute(
            sessions.update()
            .where(sessions.c.ticket_hash == _hash(ticket))
            .values(ticket_hash=None, revoked_at=_now())
        )
