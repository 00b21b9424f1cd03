"""An upload merged with what others applied since, as people read it: where the file came
from, the newer values kept, and the conflicts side by side (file, then, now)."""

from __future__ import annotations

import pandas as pd

from lib.core.i18n import t
from lib.ingest.merge import (
    ADDED_SINCE,
    CELL,
    CHANGED_REMOVED,
    CHANGED_SINCE,
    REMOVED_CHANGED,
    REMOVED_SINCE,
    Conflict,
    Kept,
)
from lib.views.change_text import column_label, region_text, row_text, shown_value

KEPT_WHY = {
    CHANGED_SINCE: "kept_changed_since",
    ADDED_SINCE: "kept_added_since",
    REMOVED_SINCE: "kept_removed_since",
}
# A whole-row conflict: what the file did, what others did since.
ROW_CONFLICT = {
    CHANGED_REMOVED: ("conflict_changed_removed_file", "conflict_changed_removed_now"),
    REMOVED_CHANGED: ("conflict_removed_changed_file", "conflict_removed_changed_now"),
}


def made_from_notes(made_from: dict[str, int | None], current: int) -> list[tuple[str, dict]]:
    """(message id, parameters) per file that did not come from the current version: an older
    template (merged), a file without a recorded version (compared with the current data), or
    one recording a version this store does not have. Said through t or, in Markdown, t_text."""
    notes = []
    for file, version in made_from.items():
        if version is None:
            notes.append(("made_from_none", {"file": file, "current": current}))
        elif version != current:
            key = "made_from_older" if version < current else "made_from_unknown"
            notes.append((key, {"file": file, "made_on": version, "current": current}))
    return notes


def _where(
    table: str, item: Kept | Conflict, regions: dict[str, str], names: dict, lang: str
) -> list[str]:
    column = column_label(table, item.column, lang) if item.column else "–"
    return [region_text(item.region, regions), row_text(table, item.key, lang, names), column]


def kept_frame(
    kept: dict[str, list[Kept]], regions: dict[str, str], lang: str, names: dict | None = None
) -> pd.DataFrame:
    """names: program key -> name (change_text.program_names), so a row reads as in the preview."""
    rows = [
        [
            *_where(table, item, regions, names or {}, lang),
            t(KEPT_WHY[item.reason], lang),
            shown_value(item.column, item.now, lang) if item.column else "–",
        ]
        for table, items in kept.items()
        for item in items
    ]
    headers = ("change_region", "change_row", "col_column", "col_why", "col_kept")
    return pd.DataFrame(rows, columns=[t(h, lang) for h in headers])


def conflict_values(conflict: Conflict, lang: str) -> tuple[str, str, str]:
    """(the file's, then, now) as shown; a whole-row conflict in words."""
    if conflict.kind != CELL:
        file_words, now_words = ROW_CONFLICT[conflict.kind]
        return (t(file_words, lang), "–", t(now_words, lang))
    return tuple(shown_value(conflict.column, v, lang) for v in conflict.values)


def conflicts_frame(
    conflicts: dict[str, list[Conflict]],
    regions: dict[str, str],
    made_on: int,
    current: int,
    lang: str,
    names: dict | None = None,
) -> pd.DataFrame:
    rows = [
        [n, *_where(table, c, regions, names or {}, lang), *conflict_values(c, lang)]
        for n, (table, c) in enumerate(
            ((table, c) for table, found in conflicts.items() for c in found), start=1
        )
    ]
    headers = [
        t("col_conflict", lang),
        *(t(h, lang) for h in ("change_region", "change_row", "col_column")),
        t("col_file_value", lang),
        t("col_then_value", lang, version=made_on),
        t("col_now_value", lang, version=current),
    ]
    return pd.DataFrame(rows, columns=headers)
