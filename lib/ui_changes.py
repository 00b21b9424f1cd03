"""Streamlit rendering of changes between versions (upload preview, version comparison)."""

from __future__ import annotations

import streamlit as st

from lib.diff import TableDiff
from lib.i18n import t
from lib.report import cell_changes_frame, rows_frame
from lib.schema import TABLES, sheet_name

REMOVED_STYLE = "background-color: #fde0dc; color: #8a1c12"


def render_diffs(diffs: dict[str, TableDiff], lang: str, key: str) -> None:
    """Counts per table, then added rows, changed cells (old -> new) and removed rows,
    removals highlighted in red."""
    columns = st.columns(len(diffs) or 1)
    for column, (name, diff) in zip(columns, diffs.items(), strict=False):
        counts = diff.counts()
        column.metric(
            sheet_name(TABLES[name], lang),
            f"+{counts['added']}  ~{counts['changed']}  −{counts['removed']}",
            border=True,
        )
    for name, diff in diffs.items():
        if not diff.has_changes:
            continue
        label = sheet_name(TABLES[name], lang)
        if len(diff.added):
            with st.expander(f"{label} · {t('added', lang)}: {len(diff.added)}"):
                st.dataframe(
                    rows_frame(diff.added, name, lang), hide_index=True, key=f"{key}_{name}_added"
                )
        if diff.cells:
            with st.expander(
                f"{label} · {t('changed', lang)}: {len(diff.changed_new)}", expanded=True
            ):
                st.dataframe(
                    cell_changes_frame(diff, lang),
                    hide_index=True,
                    width="stretch",
                    key=f"{key}_{name}_changed",
                )
        if len(diff.removed):
            st.markdown(f"**:red[{label} · {t('removed', lang)}: {len(diff.removed)}]**")
            removed = rows_frame(diff.removed, name, lang)
            st.dataframe(
                removed.style.map(lambda _: REMOVED_STYLE),
                hide_index=True,
                key=f"{key}_{name}_removed",
            )
