"""Versions: list them, compare any two, roll back to one (itself a new, recorded version)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from lib.core.schema import TABLES
from lib.storage import accounts, approval, store
from lib.storage.accounts import User
from lib.storage.diff import TableDiff, diff_table


class NoSuchVersion(LookupError):
    def __init__(self, target: int, latest: int):
        super().__init__(f"no version {target}")
        self.target, self.latest = target, latest


def compare(engine: sa.Engine, older: int, newer: int) -> dict[str, TableDiff]:
    return compare_frames(store.read_all(engine, older), store.read_all(engine, newer))


def compare_frames(
    before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]
) -> dict[str, TableDiff]:
    """What changed from `before` to `after`, table by table (frames as store.read_all gives)."""
    return {name: diff_table(before[name], after[name], TABLES[name]) for name in TABLES}


def rollback(
    engine: sa.Engine, target: int, user: User | None, expected_version: int
) -> int | None:
    """Make the data equal to version `target` again, as a new version. Nothing is deleted:
    the versions in between stay readable. A regional editor may only roll back changes that
    touch that editor's own regions (checked here, at the write). `expected_version` is the
    version the user's preview was made on: when the store is at another, StaleVersion is
    raised (and audited) in the write transaction, and nothing is written."""
    frames = _target_frames(engine, target, expected_version)
    diffs = rollback_diffs(engine, target, expected_version)
    try:
        accounts.check_rollback_regions(user, diffs)
    except accounts.NotAllowed as refusal:
        accounts.record(
            engine,
            user.username if user else "anonymous",
            "rollback_refused",
            False,
            target=target,
            reason=refusal.key,
        )
        raise
    try:
        version, _ = approval.guarded_write(
            engine,
            user,
            new_rows=frames,
            author=user.display_name,
            action="rollback",
            expected_version=expected_version,
            file_name=f"v{target}",
            audit=accounts.recorder(user.username, "rollback", target=target),
        )
    except store.StaleVersion as stale:
        # The preview was of a rollback from expected_version: from any other it would change
        # other rows than the ones shown.
        accounts.record(
            engine,
            user.username,
            "rollback_refused",
            False,
            target=target,
            reason="stale_version",
            made_on=stale.expected,
            current=stale.current,
        )
        raise
    except accounts.NotAllowed as refusal:
        accounts.record(
            engine,
            user.username,
            "rollback_refused",
            False,
            target=target,
            reason=refusal.key,
            **refusal.params,
        )
        raise
    return version


def _target_frames(engine: sa.Engine, target: int, current: int) -> dict[str, pd.DataFrame]:
    if not 1 <= target <= current:
        raise NoSuchVersion(target, current)
    return store.read_all(engine, target)


def rollback_diffs(engine: sa.Engine, target: int, current: int) -> dict[str, TableDiff]:
    """What rolling back from `current` to `target` would change: the preview before a
    rollback, the same view as an upload's."""
    frames = _target_frames(engine, target, current)
    return compare_frames(store.read_all(engine, current), frames)


def versions_frame(engine: sa.Engine) -> pd.DataFrame:
    rows = [
        {
            "version": v.id,
            "created_at": v.created_at,
            "author": v.author,
            "action": v.action,
            "file": v.file_name or "",
            "sha256": (v.sha256 or "")[:12],
            "summary": v.summary,
        }
        for v in store.list_versions(engine)
    ]
    return pd.DataFrame(rows)
