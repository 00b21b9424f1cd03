"""Streamlit: an upload made from an older version, merged: where it came from, the newer values
kept, and a choice for each conflict (nothing is applied before every one is chosen)."""

from __future__ import annotations

import streamlit as st

from lib.core.i18n import t
from lib.core.plain_text import escape_markdown, t_text
from lib.ingest.merge import FILE, NOW
from lib.ingest.upload import UploadPreview, with_choices
from lib.ui import icons
from lib.ui.cards import grid_or_cards
from lib.views.change_text import program_names
from lib.views.merge_text import conflict_values, conflicts_frame, kept_frame, made_from_notes


def render_merge(preview: UploadPreview, lang: str, regions: dict[str, str]) -> UploadPreview:
    """Returns the preview with the conflicts chosen so far."""
    current = preview.base_version
    names = program_names(preview.frames.get("programs"))
    for key, params in made_from_notes(preview.made_from, current):
        st.info(t_text(key, lang, **params), icon=icons.PINNED)
    kept = sum(len(found) for found in preview.kept.values())
    if kept:
        with st.expander(t("kept_title", lang, count=kept, n=kept)):
            frame = kept_frame(preview.kept, regions, lang, names)
            lead = t("change_row", lang)
            grid_or_cards("kept", frame, lead, lambda: st.dataframe(frame, hide_index=True))
    found = [c for listed in preview.conflicts.values() for c in listed]
    if not found:
        return preview
    made_on = min(v for v in preview.made_from.values() if v is not None)
    st.warning(t("conflicts_title", lang, count=len(found), n=len(found)), icon=icons.WARNING)
    table = conflicts_frame(preview.conflicts, regions, made_on, current, lang, names)
    grid_or_cards(
        "conflicts",
        table,
        t("change_row", lang),
        lambda: st.dataframe(table, hide_index=True, width="stretch", key="conflicts"),
    )
    choices = {}
    for n, conflict in enumerate(found, start=1):
        mine, _, now = conflict_values(conflict, lang)
        words = {
            FILE: t("choose_file", lang, value=escape_markdown(mine)),
            NOW: t("choose_now", lang, value=escape_markdown(now)),
        }
        choice = st.radio(
            t("conflict_choice", lang, n=n),
            [FILE, NOW],
            index=None,
            format_func=words.get,
            horizontal=True,
            # keyed by the data version too: a preview made again asks again
            key=f"conflict_{current}_{conflict.id}",
        )
        if choice is not None:
            choices[conflict.id] = choice
    return with_choices(preview, choices) if choices else preview
