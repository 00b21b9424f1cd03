"""Three-way merge of an upload made from an older version, the way version control merges.

base = the stored data at the version the file was made from, now = the current data, file =
the upload. Only what the file changed against its own version is a change. What others
changed since, and the file left as it was, keeps the newer value (listed as kept). A cell the
file and others both changed, to different values, is a conflict: nothing is applied until it
is chosen (the file's value or the current one).

Rows, decided so that nobody's applied edit disappears unseen:
- added since by others, absent from the file: kept;
- removed since by others, left as it was by the file: stays removed (kept);
- removed since by others, changed by the file: a conflict (restore with the file's values, or
  leave removed);
- removed by the file, unchanged since: removed;
- removed by the file, changed since by others: a conflict (remove, or keep the current row);
- added by the file and, under the same key, by others since: their cells merge as a cell
  conflict without a base value.
Columns the file leaves out are taken from the current data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from lib.core.parse import is_missing
from lib.core.schema import Table, coerce_frame

FILE, NOW = "file", "now"

# Kept.reason / Conflict.kind
CHANGED_SINCE = "changed_since"  # a cell others changed, the file left as it was
ADDED_SINCE = "added_since"  # a row others added, absent from the file
REMOVED_SINCE = "removed_since"  # a row others removed, the file left as it was
CELL = "cell"  # both changed a cell, to different values
CHANGED_REMOVED = "changed_removed"  # the file changed a row others removed since
REMOVED_CHANGED = "removed_changed"  # the file removed a row others changed since


@dataclass(frozen=True)
class Kept:
    """A newer value the old file would have undone, kept."""

    key: tuple
    region: str | None
    reason: str
    column: str | None = None
    file: object = None
    now: object = None


@dataclass(frozen=True)
class Conflict:
    key: tuple
    region: str | None
    kind: str
    column: str | None = None
    file: object = None
    then: object = None
    now: object = None
    chosen: str | None = None

    @property
    def values(self) -> tuple:
        return (self.file, self.then, self.now)

    @property
    def id(self) -> str:
        """Stable across previews of the same files: what a choice is remembered by."""
        return "|".join(map(str, (*self.key, self.column or "")))


@dataclass
class Merge:
    frame: pd.DataFrame  # the rows to write for the file's regions (with _row where known)
    kept: list[Kept]
    conflicts: list[Conflict]

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.chosen is None]


def same(a: object, b: object) -> bool:
    a_missing, b_missing = is_missing(a), is_missing(b)
    if a_missing or b_missing:
        return a_missing and b_missing
    return a == b


def _rows(frame: pd.DataFrame, table: Table, scope: set[str] | None) -> dict[tuple, dict]:
    if scope is not None:
        frame = frame[frame["region_code"].isin(scope)]
    key = list(table.key)
    return {tuple(record[k] for k in key): record for record in frame.to_dict("records")}


def merge_three_way(
    base: pd.DataFrame,
    now: pd.DataFrame,
    file: pd.DataFrame,
    table: Table,
    present: set[str] | None = None,
    choices: Mapping[str, str] | None = None,
) -> Merge:
    """Merge `file` (made from `base`) onto `now`, for the regions the file holds. `present`:
    the columns the file has (None: all). `choices`: conflict id -> "file" | "now"."""
    choices = choices or {}
    columns = table.columns
    present = set(columns) if present is None else set(present) & set(columns)
    scope = set(file["region_code"].dropna())
    mine = _rows(file, table, None)
    then = _rows(base, table, scope)
    current = _rows(now, table, scope)
    merged: list[dict] = []
    kept: list[Kept] = []
    conflicts: list[Conflict] = []

    def conflict(key, region, kind, **values) -> str | None:
        found = Conflict(key, region, kind, **values)
        chosen = choices.get(found.id)
        conflicts.append(Conflict(key, region, kind, **values, chosen=chosen))
        return chosen

    for key in [*mine, *(k for k in current if k not in mine)]:
        m, b, n = mine.get(key), then.get(key), current.get(key)
        region = (m or n or b)["region_code"]
        if m is not None and n is not None:
            row = {"_row": m.get("_row", 0)}
            for column in columns:
                mv, nv = m.get(column), n[column]
                bv = b[column] if b is not None else None
                if column not in present or same(mv, nv):
                    row[column] = nv if column not in present else mv
                elif b is not None and same(mv, bv):
                    row[column] = nv
                    kept.append(Kept(key, region, CHANGED_SINCE, column, mv, nv))
                elif b is not None and same(nv, bv):
                    row[column] = mv
                else:
                    chosen = conflict(key, region, CELL, column=column, file=mv, then=bv, now=nv)
                    row[column] = mv if chosen == FILE else nv
            merged.append(row)
        elif m is not None and b is None:
            merged.append(m)  # added by the file
        elif m is not None:  # removed since by others
            if all(same(m.get(c), b[c]) for c in present):
                kept.append(Kept(key, region, REMOVED_SINCE))
            elif conflict(key, region, CHANGED_REMOVED) == FILE:
                merged.append({**b, **{c: m.get(c) for c in present}, "_row": m.get("_row", 0)})
        elif b is None:
            merged.append({**n, "_row": 0})
            kept.append(Kept(key, region, ADDED_SINCE))
        elif (
            not all(same(n[c], b[c]) for c in columns)  # the file removed a changed row
            and conflict(key, region, REMOVED_CHANGED) != FILE
        ):
            merged.append({**n, "_row": 0})
    frame = pd.DataFrame.from_records(merged, columns=[*columns, "_row"])
    frame["_row"] = frame["_row"].fillna(0).astype(int)
    frame = coerce_frame(frame, table)
    return Merge(frame.reset_index(drop=True), kept, conflicts)
