"""Versions: list them, compare any two, roll back to one (itself a new, recorded version)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from lib import store
from lib.diff import TableDiff, diff_table
from lib.schema import TABLES


def compare(engine: sa.Engine, older: int, newer: int) -> dict[str, TableDiff]:
    before = store.read_all(engine, older)
    after = store.read_all(engine, newer)
    return {name: diff_table(before[name], after[name], TABLES[name]) for name in TABLES}


def rollback(engine: sa.Engine, target: int, author: str, expected_version: int) -> int | None:
    """Make the data equal to version `target` again, as a new version. Nothing is deleted:
    the versions in between stay readable."""
    if not 1 <= target <= expected_version:
        raise ValueError(f"no version {target}")
    frames = store.read_all(engine, target)
    version, _ = store.write_version(
        engine,
        frames,
        author=author,
        action="rollback",
        expected_version=expected_version,
        file_name=f"v{target}",
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
