"""Accounts, roles, per-region rights, login throttling and the audit log (no Streamlit).

Rights are decided here, at the moment of writing, not by which buttons a page shows.
Passwords are stored only as argon2id hashes and never logged or put in exceptions.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lib.core.languages import LANGS
from lib.storage import clock, migrations, store

ROLES = ("ministry_admin", "walidata", "ministry_viewer", "regional_editor", "regional_viewer")
# Satu Data Indonesia's names (Perpres 39/2019) for the roles the store keeps: today's
# regional_editor is the produsen data, ministry_admin the pembina data; walidata is new.
SATU_DATA = {
    "ministry_admin": "pembina",
    "walidata": "walidata",
    "regional_editor": "produsen",
    "ministry_viewer": "viewer",
    "regional_viewer": "viewer",
}
ACTIONS = (
    "view",
    "view_history",
    "upload",
    "rollback",
    "manage_users",
    "view_audit",
    "import_boundaries",
    "verify",
    "approve",
    "reopen",
)
THROTTLE_AFTER = 3  # failures before each further try must wait
LOCK_AFTER = 6  # failures before the name is locked
LOCK_MINUTES = 15
HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters

users = sa.Table(
    "users",
    store.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(120), nullable=False, unique=True),
    sa.Column("email", sa.String(320), unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("regions", sa.Text, nullable=False, default=""),  # "33.20,33.19"
    sa.Column("lang", sa.String(8)),  # the language the account chose last; None: never chose
    sa.Column("password_hash", sa.Text),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Keyed by the name typed, whether or not it exists: the behaviour never reveals which.
login_throttle = sa.Table(
    "login_throttle",
    store.metadata,
    sa.Column("username", sa.String(120), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False, default=0),
    sa.Column("last_failure", sa.DateTime(timezone=True)),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
)

audit = sa.Table(
    "audit",
    store.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("success", sa.Boolean, nullable=False),
    sa.Column("detail", sa.Text, nullable=False, default="{}"),
)


class LoginRefused(PermissionError):
    """One message for every refusal: wrong name, wrong password, disabled, throttled, locked."""

    key = "login_refused"


class NotAllowed(PermissionError):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    regions: frozenset[str]
    lang: str | None = None  # the account's remembered language (issue 29)


def operator(name: str) -> User:
    """Whoever runs the command line on the server can already read and write the store: the
    CLI acts as an administrator, recorded under the name given."""
    return User(name, name, "ministry_admin", frozenset())


def _user(row) -> User:
    regions = frozenset(r for r in (row.regions or "").split(",") if r)
    return User(row.username, row.display_name, row.role, regions, row.lang)


# --- rights -----------------------------------------------------------------------------------


def allowed(user: User | None, action: str, region_code: str | None = None) -> bool:
    """The single rule table. Viewing needs no account unless configured otherwise."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "view":
        return True
    if user is None:
        return False
    if action == "view_history":
        return True
    if user.role == "ministry_admin":
        return True
    if user.role == "regional_editor" and action in ("upload", "rollback"):
        return region_code is None or region_code in user.regions
    if user.role == "walidata" and action == "verify":
        return region_code is None or covers(user, region_code)
    return False


def covers(user: User, region_code: str) -> bool:
    """A user's assignment holds region codes ("33.20") and province codes ("33"): a walidata
    assigned a province verifies every region in it."""
    return region_code in user.regions or region_code.split(".")[0] in user.regions


def require(user: User | None, action: str, region_code: str | None = None) -> None:
    if not allowed(user, action, region_code):
        raise NotAllowed("not_allowed_action", action=action, region=region_code or "")


def check_rollback_regions(user: User | None, diffs: dict) -> None:
    """A rollback by a regional editor may only change rows of that editor's regions."""
    require(user, "rollback")
    if user.role == "ministry_admin":
        return
    touched = set()
    for diff in diffs.values():
        for frame in (diff.added, diff.removed, diff.changed_new):
            touched |= set(frame["region_code"].dropna())
    outside = sorted(touched - user.regions)
    if outside:
        raise NotAllowed("rollback_other_regions", regions=", ".join(outside))


# --- accounts ---------------------------------------------------------------------------------


def add_user(
    engine: sa.Engine,
    username: str,
    password: str | None,
    role: str,
    *,
    display_name: str = "",
    regions: set[str] | None = None,
    email: str | None = None,
    actor: str = "system",
) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    with store.write_transaction(engine) as connection:
        connection.execute(
            users.insert().values(
                username=username,
                email=email,
                display_name=display_name or username,
                role=role,
                regions=",".join(sorted(regions or ())),
                password_hash=HASHER.hash(password) if password else None,
                active=True,
                created_at=clock.now(),
            )
        )
        _log(
            connection,
            actor,
            "user_added",
            True,
            {"username": username, "role": role, "regions": sorted(regions or ())},
        )


def set_role(engine, username: str, role: str, regions: set[str], actor: str = "system") -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    _guard(engine, username, actor, "user_role_set", keeps_admin=role == "ministry_admin")
    _update(engine, username, actor, "user_role_set", role=role, regions=",".join(sorted(regions)))


def reset_password(engine, username: str, password: str, actor: str = "system") -> None:
    _update(engine, username, actor, "password_reset", password_hash=HASHER.hash(password))


def disable(engine, username: str, actor: str = "system") -> None:
    _guard(engine, username, actor, "user_disabled", keeps_admin=False)
    _update(engine, username, actor, "user_disabled", active=False)


def _guard(engine, username: str, actor: str, action: str, keeps_admin: bool) -> None:
    """The rules every front end shares (Users page, command line): nobody changes their own
    rights (no one raises them), and the last active admin is never demoted or disabled.
    A refusal is audited."""
    key = None
    if actor == username:
        key = "user_own_rights"
    elif not keeps_admin:
        with engine.connect() as connection:
            admins = {
                r.username
                for r in connection.execute(
                    sa.select(users.c.username).where(
                        users.c.role == "ministry_admin", users.c.active.is_(True)
                    )
                )
            }
        if admins == {username}:
            key = "user_last_admin"
    if key:
        record(engine, actor, "user_change_refused", False, username=username, reason=key)
        raise NotAllowed(key, name=username)


def generated_password() -> str:
    """A password made for a reset or a new account, shown once to the admin."""
    return secrets.token_urlsafe(12)


def _update(engine, username: str, actor: str, action: str, **values) -> None:
    with store.write_transaction(engine) as connection:
        changed = connection.execute(
            users.update().where(users.c.username == username).values(**values)
        ).rowcount
        if not changed:
            raise ValueError(f"no user {username!r}")
        shown = {k: v for k, v in values.items() if k != "password_hash"}
        _log(connection, actor, action, True, {"username": username, **shown})


def set_language(engine: sa.Engine, username: str, lang: str) -> None:
    """Remember the language an account chose, so a sign-in in another browser opens in it.
    A preference, not a right: not audited."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    with store.write_transaction(engine) as connection:
        connection.execute(users.update().where(users.c.username == username).values(lang=lang))


def list_users(engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(users).order_by(users.c.username)).all()
    return [
        {
            "username": r.username,
            "display_name": r.display_name,
            "role": r.role,
            "regions": r.regions,
            "email": r.email or "",
            "active": r.active,
        }
        for r in rows
    ]


def ensure_admin(engine: sa.Engine, password_from_env: str | None) -> str | None:
    """On a store with no active admin, create "admin". Returns a generated password (to be
    shown once in the server log) when none was given in the environment."""
    migrations.upgrade(engine)
    with engine.connect() as connection:
        exists = connection.execute(
            sa.select(users.c.id).where(users.c.role == "ministry_admin", users.c.active.is_(True))
        ).first()
    if exists:
        return None
    generated = None if password_from_env else secrets.token_urlsafe(12)
    try:
        add_user(
            engine,
            "admin",
            password_from_env or generated,
            "ministry_admin",
            display_name="Administrator",
        )
    except sa.exc.IntegrityError:
        return None  # another app process starting at the same moment created it first
    return generated


# --- login ------------------------------------------------------------------------------------


def authenticate(
    engine: sa.Engine, username: str, password: str, now: dt.datetime | None = None
) -> User:
    """Slowed down after THROTTLE_AFTER failures, locked after LOCK_AFTER; the refusal is the
    same whatever the reason, so it never tells whether the name exists."""
    now = now or clock.now()
    name = username.strip().lower()
    with store.write_transaction(engine) as connection:
        throttle = connection.execute(
            sa.select(login_throttle).where(login_throttle.c.username == name)
        ).first()
        failures = throttle.failures if throttle else 0
        locked_until = clock.aware(throttle.locked_until) if throttle else None
        last = clock.aware(throttle.last_failure) if throttle else None
        # Refusals are logged, then raised after the commit so the audit entry stays.
        if locked_until and now < locked_until:
            _log(connection, name, "login_locked", False, {})
            user = None
        elif failures >= THROTTLE_AFTER and last and now < last + _wait(failures):
            _log(connection, name, "login_throttled", False, {})
            user = None
        else:
            user = _check_password(connection, name, password, throttle, failures, now)
    if user is None:
        raise LoginRefused()
    return user


def _check_password(
    connection, name: str, password: str, throttle, failures: int, now: dt.datetime
) -> User | None:
    row = connection.execute(
        sa.select(users).where(sa.func.lower(users.c.username) == name)
    ).first()
    if _password_ok(row.password_hash if row else None, password) and row.active:
        connection.execute(login_throttle.delete().where(login_throttle.c.username == name))
        _log(connection, row.username, "login", True, {})
        return _user(row)
    failures += 1
    values = {
        "failures": failures,
        "last_failure": now,
        "locked_until": now + dt.timedelta(minutes=LOCK_MINUTES)
        if failures >= LOCK_AFTER
        else None,
    }
    if throttle:
        connection.execute(
            login_throttle.update().where(login_throttle.c.username == name).values(**values)
        )
    else:
        connection.execute(login_throttle.insert().values(username=name, **values))
    _log(connection, name, "login_failed", False, {"failures": failures})
    return None


def _wait(failures: int) -> dt.timedelta:
    return dt.timedelta(seconds=2 ** (failures - THROTTLE_AFTER + 1))


_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


def _password_ok(stored_hash: str | None, password: str) -> bool:
    # An unknown name still costs one verification, so timing does not reveal it either.
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def user_for_email(engine: sa.Engine, email: str | None) -> User | None:
    """Single sign-on: a signed-in email maps to an account; unknown emails get no rights."""
    if not email:
        return None
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(users).where(
                sa.func.lower(users.c.email) == email.strip().lower(), users.c.active.is_(True)
            )
        ).first()
    return _user(row) if row else None


# --- audit ------------------------------------------------------------------------------------


def _log(connection, actor: str, action: str, success: bool, detail: dict) -> None:
    connection.execute(
        audit.insert().values(
            at=clock.now(), actor=actor, action=action, success=success, detail=json.dumps(detail)
        )
    )


def recorder(actor: str, action: str, **detail):
    """An audit row for store.write_version to write inside its transaction, with the version."""

    def write(connection, version: int | None) -> None:
        _log(connection, actor, action, True, {**detail, "version": version})

    return write


def record(engine: sa.Engine, actor: str, action: str, success: bool, **detail) -> None:
    with store.write_transaction(engine) as connection:
        _log(connection, actor, action, success, detail)


def audit_rows(engine: sa.Engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(audit).order_by(audit.c.id.desc())).all()
    return [
        {
            "at": clock.aware(r.at),
            "actor": r.actor,
            "action": r.action,
            "success": r.success,
            "detail": r.detail,
        }
        for r in rows
    ]
