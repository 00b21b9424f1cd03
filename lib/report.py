"""Problems and changes as tables a user can read (and download), in their language."""

from __future__ import annotations

import pandas as pd

from lib.diff import TableDiff
from lib.i18n import problem_message, problem_title, t
from lib.parse import is_missing
from lib.schema import TABLES, header, sheet_name, written_value
from lib.validate import Problem


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    columns = [
        "col_file",
        "col_sheet",
        "col_row",
        "col_column",
        "col_problem",
        "col_code",
        "col_value",
        "col_message",
    ]
    rows = [
        [
            p.file,
            p.sheet or "",
            "" if p.row is None else str(p.row),
            p.column or "",
            problem_title(p.code, lang),
            p.code,
            p.value,
            problem_message(p.key, lang, p.params),
        ]
        for p in problems
    ]
    return pd.DataFrame(rows, columns=[t(c, lang) for c in columns])


def _shown(value) -> str:
    if is_missing(value):
        return "–"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def cell_changes_frame(diff: TableDiff, lang: str) -> pd.DataFrame:
    """Changed rows, cell by cell: key, column, old -> new."""
    table = TABLES[diff.table]
    rows = [
        [
            " / ".join(map(str, c.key)),
            header(table.field(c.column), lang),
            _shown(written_value(c.column, c.old, lang)),
            _shown(written_value(c.column, c.new, lang)),
        ]
        for c in diff.cells
    ]
    return pd.DataFrame(
        rows, columns=[t(k, lang) for k in ("col_key", "col_column", "col_old", "col_new")]
    )


def rows_frame(frame: pd.DataFrame, table_name: str, lang: str) -> pd.DataFrame:
    """Rows as the user's spreadsheet shows them: their headers, their coded values."""
    table = TABLES[table_name]
    return pd.DataFrame(
        {
            header(f, lang): [_shown(written_value(f.name, v, lang)) for v in frame[f.name]]
            for f in table.fields
        }
    )


def summary_text(summary: dict[str, dict[str, int]], lang: str) -> str:
    """{"stages": {"added": 0, "changed": 1, "removed": 0}} -> "tahap ~1"."""
    parts = []
    for name, counts in summary.items():
        marks = [
            f"{sign}{counts[kind]}"
            for sign, kind in (("+", "added"), ("~", "changed"), ("−", "removed"))
            if counts.get(kind)
        ]
        if marks:
            parts.append(f"{sheet_name(TABLES[name], lang)} {' '.join(marks)}")
    return "; ".join(parts) or "–"
