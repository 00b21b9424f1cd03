"""Changes (an upload preview, two versions compared) as people read them: localized column
labels, formatted values, counts in words, and each key with its region and stage/program name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.core.i18n import enum_label, fmt_date, fmt_int, fmt_number, t
from lib.core.parse import is_missing
from lib.core.schema import ENUM_FIELDS, SAMPLE_SOURCE, TABLES, sheet_name
from lib.storage.diff import TableDiff

KINDS = ("added", "changed", "removed")


def column_label(table: str, column: str, lang: str) -> str:
    return t(f"field_{table}_{column}", lang)


def shown_value(column: str, value, lang: str) -> str:
    """A stored value as the dashboard shows it: 1.250.000.000, 20 September 2021, Selesai."""
    if is_missing(value):
        return "–"
    if column in ENUM_FIELDS:
        return enum_label(column, value, lang)
    if column == "budget_idr":
        return fmt_int(value, lang)
    if column in ("lat", "lon"):
        return fmt_number(value, lang, 3)
    if column == "source" and str(value).strip().lower() == SAMPLE_SOURCE:
        return t("sample", lang)
    if isinstance(value, bool | np.bool_):  # a frame's booleans are numpy's, not Python's
        return t("flows_yes" if value else "flows_no", lang)
    if isinstance(value, pd.Timestamp) or column.endswith(("_start", "_end", "_date")):
        return fmt_date(pd.Timestamp(value), lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def counts_text(counts: dict[str, int], lang: str) -> str:
    """{"added": 0, "changed": 1, "removed": 0} -> "1 baris diubah"; nothing -> "tidak ada"."""
    parts = [
        t(f"rows_{kind}", lang, count=counts[kind], n=fmt_int(counts[kind], lang))
        for kind in KINDS
        if counts.get(kind)
    ]
    return ", ".join(parts) if parts else t("rows_none", lang)


def summary_words(summary: dict[str, dict[str, int]], lang: str) -> str:
    """A version's summary: "program: 1 baris diubah; tahap: 2 baris ditambah"."""
    parts = [
        f"{sheet_name(TABLES[name], lang)}: {counts_text(counts, lang)}"
        for name, counts in summary.items()
        if any(counts.get(kind) for kind in KINDS)
    ]
    return "; ".join(parts) or t("rows_none", lang)


def region_names(*frames: pd.DataFrame) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame in frames:
        if frame is not None and "name" in frame:
            names.update(zip(frame["region_code"], frame["name"], strict=True))
    return names


def program_names(*frames: pd.DataFrame | None) -> dict[tuple, str]:
    """Program key -> program name, from any frames of programs (a diff's rows, an upload's)."""
    names: dict[tuple, str] = {}
    for frame in frames:
        if frame is not None and {"program_id", "name"} <= set(frame.columns):
            pairs = zip(frame["program_id"], frame["name"], strict=True)
            names.update(((pid,), name) for pid, name in pairs)
    return names


def _row_names(diff: TableDiff) -> dict[tuple, str]:
    """Program key -> program name, from the rows of the diff itself."""
    if diff.table != "programs":
        return {}
    return program_names(diff.removed, diff.changed_old, diff.added, diff.changed_new)


def row_text(table: str, key: tuple, lang: str, names: dict | None = None) -> str:
    """The row within its region: "Bimtek 2", "JPR-GOV-01 · Aplikasi dukcapil daring"."""
    if table == "stages":
        return enum_label("stage", int(key[1]), lang)
    if table == "regions":
        return "–"
    name = (names or {}).get(key)
    return f"{key[0]} · {name}" if name else str(key[0])


def region_text(code: str | None, regions: dict[str, str]) -> str:
    if not code:
        return "–"
    return f"{regions[code]} ({code})" if regions.get(code) else code


def key_text(table: str, key: tuple, regions: dict[str, str], lang: str) -> str:
    """33.19 / 2 -> "Kabupaten Kudus (33.19) · Bimtek 2"."""
    region = region_text(key[0], regions)
    return region if table == "regions" else f"{region} · {row_text(table, key, lang)}"


def _program_regions(diff: TableDiff) -> dict[str, str]:
    """Program id -> region code, built once per diff (a lookup per changed cell scanned the
    frames each time: changes x rows). A changed program's new row wins over an added one,
    which wins over a removed one; within a frame, the first row."""
    regions: dict[str, str] = {}
    for frame in (diff.removed, diff.added, diff.changed_new):
        first = frame[frame["program_id"].notna()].drop_duplicates("program_id")
        regions.update(zip(first["program_id"], first["region_code"], strict=True))
    return regions


def cell_changes_frame(diff: TableDiff, regions: dict[str, str], lang: str) -> pd.DataFrame:
    """Changed rows cell by cell: region, row (stage/program with name), column, old, new."""
    names = _row_names(diff)
    program_regions = _program_regions(diff) if diff.table == "programs" else {}
    rows = []
    for change in diff.cells:
        code = program_regions.get(change.key[0]) if diff.table == "programs" else change.key[0]
        rows.append(
            [
                region_text(code, regions),
                row_text(diff.table, change.key, lang, names),
                column_label(diff.table, change.column, lang),
                shown_value(change.column, change.old, lang),
                shown_value(change.column, change.new, lang),
            ]
        )
    headers = ("change_region", "change_row", "col_column", "col_old", "col_new")
    return pd.DataFrame(rows, columns=[t(h, lang) for h in headers])


def rows_frame(frame: pd.DataFrame, table_name: str, lang: str) -> pd.DataFrame:
    """Whole rows (added or removed) with localized labels and formatted values."""
    table = TABLES[table_name]
    return pd.DataFrame(
        {
            column_label(table_name, f.name, lang): [
                shown_value(f.name, v, lang) for v in frame[f.name]
            ]
            for f in table.fields
        }
    )


def done_without_dates(
    diffs: dict[str, TableDiff], regions: dict[str, str], lang: str
) -> list[str]:
    """Stages this change sets to done with no actual end date: worth a second look."""
    diff = diffs.get("stages")
    if diff is None:
        return []
    new = pd.concat([diff.added, diff.changed_new], ignore_index=True)
    if new.empty:
        return []
    flagged = new[(new["status"] == "done") & new["actual_end"].map(is_missing)]
    return [
        key_text("stages", (r.region_code, r.stage), regions, lang)
        for r in flagged.itertuples(index=False)
    ]
