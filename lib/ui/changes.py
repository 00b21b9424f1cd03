"""Streamlit rendering of changes between versions (upload preview, version comparison)."""

from __future__ import annotations

import streamlit as st

from lib.core.i18n import t
from lib.core.plain_text import t_text
from lib.core.schema import TABLES, sheet_name
from lib.ingest.xlsx import DEFAULT_LIMITS
from lib.storage.diff import TableDiff
from lib.ui import icons
from lib.ui.cards import grid_or_cards
from lib.ui.uploader import dropzone_words
from lib.views.change_text import cell_changes_frame, counts_text, done_without_dates, rows_frame

MAX_UPLOAD_MB = DEFAULT_LIMITS.max_bytes // (1024 * 1024)
REMOVED_STYLE = "background-color: #fde0dc; color: #8a1c12"


def render_diffs(diffs: dict[str, TableDiff], lang: str, key: str, regions: dict[str, str]) -> None:
    """Per table: what changes in words, then changed cells (old -> new), added rows and
    removed rows (highlighted red); a warning for stages set to done without actual dates.
    `regions` names each region code."""
    for name, diff in diffs.items():
        label = sheet_name(TABLES[name], lang)
        st.markdown(f"**{label}** · {counts_text(diff.counts(), lang)}")
    late_dates = done_without_dates(diffs, regions, lang)
    if late_dates:
        st.warning(
            t_text("done_without_dates", lang, stages="; ".join(late_dates)), icon=icons.WARNING
        )
    for name, diff in diffs.items():
        if not diff.has_changes:
            continue
        label = sheet_name(TABLES[name], lang)
        counts = diff.counts()
        if diff.cells:
            words = t("rows_changed", lang, count=counts["changed"], n=counts["changed"])
            with st.expander(f"{label} · {words}", expanded=True):
                cells = cell_changes_frame(diff, regions, lang)
                grid_or_cards(
                    f"{key}_{name}_changed",
                    cells,
                    t("change_region", lang),
                    lambda cells=cells, grid=f"{key}_{name}_changed": st.dataframe(
                        cells, hide_index=True, width="stretch", key=grid
                    ),
                )
        if len(diff.added):
            words = t("rows_added", lang, count=counts["added"], n=counts["added"])
            with st.expander(f"{label} · {words}", expanded=True):  # open as "diubah" is
                added = rows_frame(diff.added, name, lang)
                grid_or_cards(
                    f"{key}_{name}_added",
                    added,
                    None,
                    lambda added=added, grid=f"{key}_{name}_added": st.dataframe(
                        added, hide_index=True, key=grid
                    ),
                )
        if len(diff.removed):
            words = t("rows_removed", lang, count=counts["removed"], n=counts["removed"])
            st.markdown(f"**:red[{label} · {words}]**")
            removed = rows_frame(diff.removed, name, lang)
            grid_or_cards(
                f"{key}_{name}_removed",
                removed,
                None,
                lambda removed=removed, grid=f"{key}_{name}_removed": st.dataframe(
                    removed.style.map(lambda _: REMOVED_STYLE), hide_index=True, key=grid
                ),
            )


ACCEPTED_TYPES = ("xlsx", "csv")


def file_uploader(lang: str, key: str):
    """The upload box offering only the types the reader accepts, its words in the user's
    language (lib/ui/uploader)."""
    dropzone_words(lang, ACCEPTED_TYPES, MAX_UPLOAD_MB)
    return st.file_uploader(
        t("choose_files", lang),
        type=list(ACCEPTED_TYPES),
        accept_multiple_files=True,
        help=t("uploader_help", lang, mb=MAX_UPLOAD_MB),
        max_upload_size=MAX_UPLOAD_MB,
        key=key,
    )
