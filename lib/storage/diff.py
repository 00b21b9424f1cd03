"""Row and cell differences between two versions of a table, keyed by the table's key."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.core.parse import is_missing
from lib.core.schema import Table


@dataclass
class CellChange:
    key: tuple
    column: str
    old: object
    new: object


@dataclass
class TableDiff:
    table: str
    added: pd.DataFrame
    removed: pd.DataFrame
    changed_old: pd.DataFrame
    changed_new: pd.DataFrame
    cells: list[CellChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(len(self.added) or len(self.removed) or len(self.changed_new))

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed_new),
            "removed": len(self.removed),
        }


def _same(a: object, b: object) -> bool:
    a_missing, b_missing = is_missing(a), is_missing(b)
    if a_missing or b_missing:
        return a_missing and b_missing
    return a == b


def diff_table(
    current: pd.DataFrame, new: pd.DataFrame, spec: Table, region_scope: set[str] | None = None
) -> TableDiff:
    """What replacing current's rows (within region_scope, or all) by new's rows would change."""
    columns = spec.columns
    old = current[columns]
    if region_scope is not None:
        old = old[old["region_code"].isin(region_scope)]
    new = new[columns]
    key = list(spec.key)
    old_keyed = old.set_index(key, drop=False)
    new_keyed = new.set_index(key, drop=False)
    added_keys = new_keyed.index.difference(old_keyed.index)
    removed_keys = old_keyed.index.difference(new_keyed.index)
    common = new_keyed.index.intersection(old_keyed.index)
    cells: list[CellChange] = []
    changed: list = []
    old_common = old_keyed.loc[common]
    new_common = new_keyed.loc[common]
    for k, old_row, new_row in zip(
        common, old_common.itertuples(index=False), new_common.itertuples(index=False), strict=True
    ):
        row_changed = False
        for column, a, b in zip(columns, old_row, new_row, strict=True):
            if not _same(a, b):
                cells.append(CellChange(k if isinstance(k, tuple) else (k,), column, a, b))
                row_changed = True
        if row_changed:
            changed.append(k)
    changed_index = (
        pd.Index(changed)
        if not isinstance(common, pd.MultiIndex)
        else (pd.MultiIndex.from_tuples(changed, names=key) if changed else common[:0])
    )
    return TableDiff(
        table=spec.name,
        added=new_keyed.loc[added_keys].reset_index(drop=True),
        removed=old_keyed.loc[removed_keys].reset_index(drop=True),
        changed_old=old_keyed.loc[changed_index].reset_index(drop=True),
        changed_new=new_keyed.loc[changed_index].reset_index(drop=True),
        cells=cells,
    )
