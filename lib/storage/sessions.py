"""Sign-in sessions that outlive one browser tab: random tokens, stored only as SHA-256 hashes.

A Streamlit script cannot set cookies, so signing in takes two steps. The script, having
checked the password, creates a session holding a one-time ticket (valid TICKET_SECONDS). The
browser posts the ticket to a route of the ASGI layer (lib/web/auth.py), which exchanges it for
the session token and sends that as an HttpOnly cookie. Neither the ticket nor the token is
stored in clear: a copy of the store does not let anyone in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa

from lib.storage import accounts, clock, store

COOKIE = "kspn_session"
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


def start(engine: sa.Engine, username: str, now: dt.datetime | None = None) -> tuple[int, str]:
    """A new session for an authenticated user; returns its id and the one-time ticket."""
    now = now or clock.now()
    ticket = secrets.token_urlsafe(32)
    with _write(engine) as connection:
        session_id = connection.execute(
            sessions.insert().values(
                ticket_hash=_hash(ticket), username=username, created_at=now, last_seen=now
            )
        ).inserted_primary_key[0]
    return session_id, ticket


def redeem(engine: sa.Engine, ticket: str, now: dt.datetime | None = None) -> str | None:
    """Exchange a fresh, unused ticket for the session token (None if spent, old or unknown)."""
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    with _write(engine) as connection:
        row = connection.execute(
            sa.select(sessions.c.id, sessions.c.created_at).where(
                sessions.c.ticket_hash == _hash(ticket), sessions.c.revoked_at.is_(None)
            )
        ).first()
        if row is None or now - clock.aware(row.created_at) > dt.timedelta(seconds=TICKET_SECONDS):
            return None
        connection.execute(
            sessions.update()
            .where(sessions.c.id == row.id)
            .values(ticket_hash=None, token_hash=_hash(token), last_seen=now)
        )
    return token


@dataclass(frozen=True)
class Session:
    id: int
    user: accounts.User


def find(
    engine: sa.Engine,
    *,
    token: str | None = None,
    session_id: int | None = None,
    idle_minutes: int,
    now: dt.datetime | None = None,
) -> Session | None:
    """The live session (by cookie token or by id) of an active account; one idle too long is
    revoked on sight, and use keeps it alive."""
    if token:
        where = sessions.c.token_hash == _hash(token)
    elif session_id is not None:
        where = sessions.c.id == session_id
    else:
        return None
    now = now or clock.now()
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(
                sessions.c.id.label("session_id"),
                sessions.c.last_seen,
                accounts.users.c.username,
                accounts.users.c.display_name,
                accounts.users.c.role,
                accounts.users.c.regions,
                accounts.users.c.lang,
                accounts.users.c.active,
            )
            .select_from(sessions)
            .join(accounts.users, accounts.users.c.username == sessions.c.username)
            .where(where, sessions.c.revoked_at.is_(None))
        ).first()
    if row is None or not row.active:
        return None
    idle = now - clock.aware(row.last_seen)
    if idle > dt.timedelta(minutes=idle_minutes):
        end(engine, row.session_id, now)
        return None
    if idle > dt.timedelta(seconds=TOUCH_SECONDS):
        with _write(engine) as connection:
            connection.execute(
                sessions.update().where(sessions.c.id == row.session_id).values(last_seen=now)
            )
    return Session(row.session_id, accounts._user(row))


def user_for_token(
    engine: sa.Engine, token: str | None, idle_minutes: int, now: dt.datetime | None = None
) -> accounts.User | None:
    found = find(engine, token=token, idle_minutes=idle_minutes, now=now)
    return found.user if found else None


def end(engine: sa.Engine, session_id: int, now: dt.datetime | None = None) -> bool:
    """Logout: the session's cookie (and a ticket not yet exchanged) opens nothing any more."""
    with _write(engine) as connection:
        ended = connection.execute(
            sessions.update()
            .where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None))
            .values(revoked_at=now or clock.now(), ticket_hash=None)
        ).rowcount
    return bool(ended)


def revoke(engine: sa.Engine, token: str | None, now: dt.datetime | None = None) -> bool:
    """End a session (logout); True when a live session was ended."""
    if not token:
        return False
    with _write(engine) as connection:
        ended = connection.execute(
            sessions.update()
            .where(sessions.c.token_hash == _hash(token), sessions.c.revoked_at.is_(None))
            .values(revoked_at=now or clock.now())
        ).rowcount
    return bool(ended)
