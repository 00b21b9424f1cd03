"""Verified data (issue 20): change sets move submitted -> verified -> approved along the Satu
Data roles, by one table of transitions (no Streamlit).

Model (README, "Verified data"): every write is still one version of the store. A write by a
produsen (regional_editor) while approval is on is also a *change set* in state "submitted":
its rows are stored, but not official. The official data is the store with only official
versions' rows: a row counts when the version that wrote it is official (no change set, or an
approved one) and it has not been replaced by a version other than a pending one. Two rules keep
this sound:
- a (table, region) with a pending change set takes no other write until it is decided (the
  write is refused, naming the change set): pending rows never sit under anyone else's;
- a return writes, in the same transaction, a version putting the change set's rows back as
  they were before it ("revert"): the latest data is always the official data plus the pending
  change sets, each on its own (table, region)s.
Approving locks the change set's (table, region)s against produsen writes until a pembina
reopens them. Every move, and every refused move, is in the audit log; a refused move writes
nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from lib.core import config
from lib.storage import accounts, clock, store
from lib.storage.accounts import NotAllowed, User
from lib.storage.diff import TableDiff

STATES = ("submitted", "verified", "returned", "approved", "replaced")
PENDING = ("submitted", "verified")
MOVES = ("verify", "return", "approve", "resubmit")

# (role, from state, move) -> to state. Everything not listed is refused; a move not in MOVES
# raises. "resubmit" is made by the store when a produsen's new change set covers the regions of
# one of their returned ones: the returned one is then "replaced" and links to the new one.
TRANSITIONS = {
    ("walidata", "submitted", "verify"): "verified",
    ("walidata", "submitted", "return"): "returned",
    ("ministry_admin", "submitted", "verify"): "verified",
    ("ministry_admin", "submitted", "approve"): "approved",
    ("ministry_admin", "verified", "approve"): "approved",
    ("ministry_admin", "submitted", "return"): "returned",
    ("ministry_admin", "verified", "return"): "returned",
    ("regional_editor", "returned", "resubmit"): "replaced",
}
# The right each move needs besides the table (accounts.allowed decides per region).
MOVE_RIGHT = {"verify": "verify", "return": "verify", "approve": "approve", "resubmit": "upload"}

change_sets = sa.Table(
    "change_sets",
    store.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.id"), nullable=False, unique=True),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("submitted_by", sa.String(120), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("regions", sa.Text, nullable=False),  # "33.19,33.20": every region it touches
    sa.Column("area", sa.Text, nullable=False),  # JSON {table: [region codes]}
    sa.Column("replaces", sa.Integer, nullable=True),
    sa.Column("replaced_by", sa.Integer, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),  # the last return's reason
    sa.Column("revert_version", sa.Integer, nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(120), nullable=False),
    sa.Index("ix_change_sets_state", "state"),
)

change_set_events = sa.Table(
    "change_set_events",
    store.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("change_set_id", sa.Integer, sa.ForeignKey("change_sets.id"), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("move", sa.String(20), nullable=False),
    sa.Column("from_state", sa.String(20), nullable=True),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
)

approval_locks = sa.Table(
    "approval_locks",
    store.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("region_code", sa.String(16), nullable=False),
    sa.Column("change_set_id", sa.Integer, sa.ForeignKey("change_sets.id"), nullable=False),
    sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reopened_by", sa.String(120), nullable=True),
    sa.Index("ix_approval_locks_open", "table_name", "region_code", "reopened_at"),
)


class NoSuchChangeSet(LookupError):
    def __init__(self, change_set_id: int):
        super().__init__(f"no change set {change_set_id}")
        self.change_set_id = change_set_id


@dataclass(frozen=True)
class ChangeSet:
    id: int
    version: int
    state: str
    submitted_by: str
    submitted_at: dt.datetime
    regions: tuple[str, ...]
    area: dict[str, list[str]]
    replaces: int | None
    replaced_by: int | None
    reason: str | None
    updated_at: dt.datetime
    updated_by: str


def enabled() -> bool:
    return config.approval_enabled()


def _change_set(row) -> ChangeSet:
    return ChangeSet(
        row.id,
        row.version,
        row.state,
        row.submitted_by,
        clock.aware(row.submitted_at),
        tuple(r for r in row.regions.split(",") if r),
        json.loads(row.area),
        row.replaces,
        row.replaced_by,
        row.reason,
        clock.aware(row.updated_at),
        row.updated_by,
    )


# --- the official view ------------------------------------------------------------------------


def official_rows(table: sa.Table, version: int) -> sa.ColumnElement:
    """Rows of the official data as of `version`: written by an official version, and not
    replaced by one that is not pending (a returned change set's rows were replaced by its
    revert, whose copies are the ones that count)."""
    not_official = sa.select(change_sets.c.version).where(change_sets.c.state != "approved")
    pending = sa.select(change_sets.c.version).where(change_sets.c.state.in_(PENDING))
    return sa.and_(
        table.c.valid_from <= version,
        table.c.valid_from.not_in(not_official),
        sa.or_(
            table.c.valid_to.is_(None), table.c.valid_to > version, table.c.valid_to.in_(pending)
        ),
    )


def read_official(engine: sa.Engine, version: int) -> dict[str, pd.DataFrame]:
    return store.read_all(engine, version, official_rows)


def state_token(engine: sa.Engine) -> int:
    """Changes whenever a change set is made or moves: with the data version, the cache key of
    the official view (an approval changes the official data without a new version)."""
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.max(change_set_events.c.id))).scalar() or 0


# --- listing ----------------------------------------------------------------------------------


def list_change_sets(engine: sa.Engine, states: tuple[str, ...] | None = None) -> list[ChangeSet]:
    query = sa.select(change_sets).order_by(change_sets.c.id.desc())
    if states:
        query = query.where(change_sets.c.state.in_(states))
    with engine.connect() as connection:
        return [_change_set(r) for r in connection.execute(query).all()]


def get(engine: sa.Engine, change_set_id: int) -> ChangeSet:
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(change_sets).where(change_sets.c.id == change_set_id)
        ).first()
    if row is None:
        raise NoSuchChangeSet(change_set_id)
    return _change_set(row)


def for_version(engine: sa.Engine, version: int) -> ChangeSet | None:
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(change_sets).where(change_sets.c.version == version)
        ).first()
    return _change_set(row) if row else None


def events(engine: sa.Engine, change_set_id: int | None = None) -> list[dict]:
    query = sa.select(change_set_events).order_by(change_set_events.c.id)
    if change_set_id is not None:
        query = query.where(change_set_events.c.change_set_id == change_set_id)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [{**r._mapping, "at": clock.aware(r.at)} for r in rows]


def waiting_for(user: User | None, change_set: ChangeSet) -> bool:
    """Whether the change set waits for this user's move (the queue's "for me")."""
    if user is None:
        return False
    return any(
        (user.role, change_set.state, move) in TRANSITIONS and _covers(user, move, change_set)
        for move in ("verify", "approve")
    )


def moves_for(user: User | None, change_set: ChangeSet) -> list[str]:
    if user is None:
        return []
    return [
        move
        for move in MOVES
        if move != "resubmit"
        and (user.role, change_set.state, move) in TRANSITIONS
        and _covers(user, move, change_set)
    ]


def _covers(user: User, move: str, change_set: ChangeSet) -> bool:
    right = MOVE_RIGHT[move]
    return all(accounts.allowed(user, right, code) for code in change_set.regions)


# --- moves ------------------------------------------------------------------------------------


def move(
    engine: sa.Engine,
    change_set_id: int,
    user: User | None,
    action: str,
    reason: str | None = None,
) -> str:
    """Move one change set; returns its new state. A refusal (NotAllowed) is audited and
    writes nothing else; a move that is not in MOVES raises ValueError."""
    return move_many(engine, [change_set_id], user, action, reason)[change_set_id]


def move_many(
    engine: sa.Engine,
    change_set_ids: list[int],
    user: User | None,
    action: str,
    reason: str | None = None,
) -> dict[int, str]:
    """Move many change sets in one transaction (the queue's bulk verify/approve): all or
    nothing. The first refusal stops the batch; it is audited and nothing else is written."""
    if action not in MOVES or action == "resubmit":
        raise ValueError(f"unknown move {action!r}; moves: verify, return, approve")
    actor = user.username if user else "anonymous"
    try:
        with store.write_transaction(engine) as connection:
            done = {}
            for change_set_id in change_set_ids:
                done[change_set_id] = _move_in(connection, change_set_id, user, action, reason)
            return done
    except NotAllowed as refusal:
        accounts.record(
            engine,
            actor,
            "change_set_refused",
            False,
            **{
                **refusal.params,
                "move": action,
                "change_sets": list(change_set_ids),
                "reason": refusal.key,
            },
        )
        raise


def _move_in(connection, change_set_id: int, user: User | None, action: str, reason) -> str:
    row = connection.execute(
        sa.select(change_sets).where(change_sets.c.id == change_set_id)
    ).first()
    if row is None:
        raise NotAllowed("change_set_missing", id=change_set_id)
    current = _change_set(row)
    if user is None:
        raise NotAllowed("change_set_move_not_allowed", id=change_set_id, move=action)
    to_state = TRANSITIONS.get((user.role, current.state, action))
    if to_state is None:
        if any(role == user.role and a == action for role, _s, a in TRANSITIONS):
            raise NotAllowed(
                "change_set_wrong_state",
                id=change_set_id,
                state=current.state,
                by=current.updated_by,
                move=action,
            )
        raise NotAllowed("change_set_move_not_allowed", id=change_set_id, move=action)
    if not _covers(user, action, current):
        raise NotAllowed(
            "change_set_other_regions", id=change_set_id, regions=", ".join(current.regions)
        )
    reason = (reason or "").strip()
    if action == "return" and not reason:
        raise NotAllowed("change_set_reason_required", id=change_set_id)
    now = clock.now()
    moved = connection.execute(
        change_sets.update()
        .where(change_sets.c.id == change_set_id, change_sets.c.state == current.state)
        .values(
            state=to_state,
            updated_at=now,
            updated_by=user.username,
            reason=reason or current.reason,
        )
    ).rowcount
    if moved != 1:  # another transaction moved it first (cannot happen under the write lock)
        raise NotAllowed("change_set_wrong_state", id=change_set_id, state="?", by="?", move=action)
    _event(connection, change_set_id, user.username, action, current.state, to_state, reason)
    if to_state == "approved":
        connection.execute(
            approval_locks.insert(),
            [
                {
                    "table_name": table,
                    "region_code": code,
                    "change_set_id": change_set_id,
                    "locked_at": now,
                }
                for table, codes in current.area.items()
                for code in codes
            ],
        )
    if to_state == "returned":
        revert = _revert(connection, current, user)
        connection.execute(
            change_sets.update()
            .where(change_sets.c.id == change_set_id)
            .values(revert_version=revert)
        )
    accounts._log(
        connection,
        user.username,
        f"change_set_{action}",
        True,
        {"change_set": change_set_id, "from": current.state, "to": to_state, "reason": reason},
    )
    return to_state


def _event(connection, change_set_id, actor, move_name, from_state, to_state, reason=None):
    connection.execute(
        change_set_events.insert().values(
            change_set_id=change_set_id,
            at=clock.now(),
            actor=actor,
            move=move_name,
            from_state=from_state,
            to_state=to_state,
            reason=reason or None,
        )
    )


def _revert(connection, change_set: ChangeSet, user: User) -> int | None:
    """Put the change set's (table, region)s back as they were before it, as a new (official)
    version: nobody else wrote there since (the pending lock), so that is the official data."""
    latest = connection.execute(sa.select(sa.func.max(store.versions.c.id))).scalar() or 0
    frames, scope = {}, {}
    for table, codes in change_set.area.items():
        before = store.read_table(connection, table, change_set.version - 1)
        frames[table] = before[before["region_code"].isin(codes)]
        scope[table] = set(codes)
    version, _ = store.write_in(
        connection,
        latest,
        frames,
        author=user.display_name,
        action="revert",
        scope=scope,
        file_name=f"#{change_set.id}",
    )
    return version


def reopen(engine: sa.Engine, user: User | None, table: str, region_code: str) -> int:
    """A pembina opens an approved (table, region) to produsen writes again (audited).
    Returns how many locks were opened."""
    actor = user.username if user else "anonymous"
    if not accounts.allowed(user, "reopen"):
        accounts.record(engine, actor, "reopen_refused", False, table=table, region=region_code)
        raise NotAllowed("reopen_not_allowed")
    with store.write_transaction(engine) as connection:
        opened = connection.execute(
            approval_locks.update()
            .where(
                approval_locks.c.table_name == table,
                approval_locks.c.region_code == region_code,
                approval_locks.c.reopened_at.is_(None),
            )
            .values(reopened_at=clock.now(), reopened_by=actor)
        ).rowcount
        accounts._log(
            connection,
            actor,
            "approval_reopened",
            True,
            {"table": table, "region": region_code, "locks": opened},
        )
    return opened


def open_locks(engine: sa.Engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(approval_locks)
            .where(approval_locks.c.reopened_at.is_(None))
            .order_by(approval_locks.c.table_name, approval_locks.c.region_code)
        ).all()
    return [dict(r._mapping) for r in rows]


# --- writes: the hook store.write_version runs ------------------------------------------------


def area_of(diffs: dict[str, TableDiff]) -> dict[str, list[str]]:
    """The (table, region)s a write touches."""
    area = {}
    for name, diff in diffs.items():
        codes = set()
        for frame in (diff.added, diff.removed, diff.changed_old, diff.changed_new):
            codes |= {c for c in frame["region_code"].dropna()}
        if codes:
            area[name] = sorted(codes)
    return area


class Submission:
    """What approval asks of one write: `check` (under the write lock, before anything is
    written) refuses a write into a pending change set's (table, region)s, and a produsen's into
    approved ones; `record` makes the produsen's write a submitted change set."""

    def __init__(self, user: User | None, approval_on: bool | None = None):
        self.user = user
        self.on = enabled() if approval_on is None else approval_on
        self.submits = self.on and user is not None and user.role == "regional_editor"
        self.area: dict[str, list[str]] = {}
        self.change_set_id: int | None = None

    def check(self, connection, diffs: dict[str, TableDiff]) -> None:
        self.area = area_of(diffs)
        touched = {(t, c) for t, codes in self.area.items() for c in codes}
        for row in connection.execute(
            sa.select(change_sets.c.id, change_sets.c.area).where(change_sets.c.state.in_(PENDING))
        ).all():
            theirs = {(t, c) for t, codes in json.loads(row.area).items() for c in codes}
            overlap = touched & theirs
            if overlap:
                raise NotAllowed(
                    "change_set_pending_area",
                    id=row.id,
                    regions=", ".join(sorted({c for _t, c in overlap})),
                )
        if not self.submits:
            return
        locked = connection.execute(
            sa.select(approval_locks.c.table_name, approval_locks.c.region_code).where(
                approval_locks.c.reopened_at.is_(None)
            )
        ).all()
        overlap = touched & {(r.table_name, r.region_code) for r in locked}
        if overlap:
            raise NotAllowed(
                "approved_locked",
                regions=", ".join(sorted({c for _t, c in overlap})),
                who=", ".join(_pembina_names(connection)) or "–",
            )

    def record(self, connection, version: int | None) -> None:
        if not self.submits or version is None:
            return
        now = clock.now()
        regions = sorted({c for codes in self.area.values() for c in codes})
        new_id = connection.execute(
            change_sets.insert().values(
                version=version,
                state="submitted",
                submitted_by=self.user.username,
                submitted_at=now,
                regions=",".join(regions),
                area=json.dumps(self.area),
                updated_at=now,
                updated_by=self.user.username,
            )
        ).inserted_primary_key[0]
        _event(connection, new_id, self.user.username, "submit", None, "submitted")
        replaced = connection.execute(
            sa.select(change_sets.c.id, change_sets.c.regions).where(
                change_sets.c.state == "returned", change_sets.c.replaced_by.is_(None)
            )
        ).all()
        replaces = None
        for row in replaced:
            if set(row.regions.split(",")) & set(regions):
                to_state = TRANSITIONS[(self.user.role, "returned", "resubmit")]
                connection.execute(
                    change_sets.update()
                    .where(change_sets.c.id == row.id)
                    .values(state=to_state, replaced_by=new_id, updated_at=now)
                )
                _event(connection, row.id, self.user.username, "resubmit", "returned", to_state)
                replaces = max(replaces or 0, row.id)
        if replaces:
            connection.execute(
                change_sets.update().where(change_sets.c.id == new_id).values(replaces=replaces)
            )
        self.change_set_id = new_id
        accounts._log(
            connection,
            self.user.username,
            "change_set_submitted",
            True,
            {"change_set": new_id, "version": version, "replaces": replaces},
        )

    def audit(self, audit):
        """store.write_version's audit hook, with the change set recorded in the same
        transaction."""

        def write(connection, version):
            if audit is not None:
                audit(connection, version)
            self.record(connection, version)

        return write


def _pembina_names(connection) -> list[str]:
    rows = connection.execute(
        sa.select(accounts.users.c.display_name)
        .where(accounts.users.c.role == "ministry_admin", accounts.users.c.active.is_(True))
        .order_by(accounts.users.c.display_name)
    ).all()
    return [r.display_name for r in rows]


def guarded_write(engine: sa.Engine, user: User | None, **write_args):
    """store.write_version with approval's check and record; returns (version, submission)."""
    submission = Submission(user)
    version, _ = store.write_version(
        engine,
        check=submission.check,
        **{**write_args, "audit": submission.audit(write_args.get("audit"))},
    )
    return version, submission
