"""Versions: list them, compare any two, roll back to one (itself a new, recorded version)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from lib import accounts, store
from lib.accounts import User
from lib.change_text import summary_words
from lib.diff import TableDiff, diff_table
from lib.i18n import fmt_datetime, t
from lib.schema import TABLES

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


class NoSuchVersion(LookupError):
    def __init__(self, target: int, latest: int):
        super().__init__(f"no version {target}")
        self.target, self.latest = target, latest


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
    version, _ = store.write_version(
        engine,
        frames,
        author=user.display_name,
        action="rollback",
        expected_version=expected_version,
        file_name=f"v{target}",
    )
    accounts.record(engine, user.username, "rollback", True, target=target, version=version)
    return version


def _target_frames(engine: sa.Engine, target: int, current: int) -> dict[str, pd.DataFrame]:
    if not 1 <= target <= current:
        raise NoSuchVersion(target, current)
    return store.read_all(engine, target)


def rollback_diffs(engine: sa.Engine, target: int, current: int) -> dict[str, TableDiff]:
    """What rolling back from `current` to `target` would change: the preview before a
    rollback, the same view as an upload's."""
    frames = _target_frames(engine, target, current)
    now = store.read_all(engine, current)
    return {name: diff_table(now[name], frames[name], TABLES[name]) for name in TABLES}


def file_text(action: str, file_name: str | None, lang: str) -> str:
    """The file column: uploaded file names, or which version a rollback restored."""
    if action == "rollback" and file_name and file_name.startswith("v"):
        return t("rollback_file", lang, target=file_name[1:])
    return file_name or "–"


def versions_table(engine: sa.Engine, lang: str) -> pd.DataFrame:
    """Every version, newest first, as people read it: local time (WIB), action and file in
    words, changes counted in words."""
    columns = ("col_version", "col_when", "col_author", "col_action", "col_file", "col_summary")
    rows = [
        [
            v.id,
            fmt_datetime(v.created_at.astimezone(WIB), lang),
            v.author,
            t(f"action_{v.action}", lang),
            file_text(v.action, v.file_name, lang),
            summary_words(v.summary, lang),
        ]
        for v in store.list_versions(engine)
    ]
    return pd.DataFrame(rows, columns=[t(c, lang) for c in columns])


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
