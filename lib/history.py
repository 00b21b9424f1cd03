"""Versions: list them, compare any two, roll back to one (itself a new, recorded version)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from lib import accounts, store
from lib.accounts import User
from lib.diff import TableDiff, diff_table
from lib.schema import TABLES


def compare(engine: sa.Engine, older: int, newer: int) -> dict[str, TableDiff]:
    before = store.read_all(engine, older)
    after = store.read_all(engine, newer)
    return {name: diff_table(before[name], after[name], TABLES[name]) for name in TABLES}


def rollback(
    engine: sa.Engine, target: int, user: User | None, expected_version: int
) -> int | None:
    """Make the data equal to version `target` again, as a new version. Nothing is deleted:
    the versions in between stay readable. A regional editor may only roll back changes that
    touch that editor's own regions (checked here, at the write)."""
    if not 1 <= target <= expected_version:
        raise ValueError(f"no version {target}")
    frames = store.read_all(engine, target)
    current = store.read_all(engine, expected_version)
    diffs = {name: diff_table(current[name], frames[name], TABLES[name]) for name in TABLES}
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
    version, _ = store.write_version(
        engine,
        frames,
        author=user.display_name,
        action="rollback",
        expected_version=expected_version,
        file_name=f"v{target}",
        audit=accounts.recorder(user.username, "rollback", target=target),
    )
    return version


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
