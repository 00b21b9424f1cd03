"""Streamlit: the frame every data page starts with (its data version and header)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.core.i18n import LOCAL_TZ, fmt_datetime, t
from lib.core.plain_text import escape_markdown
from lib.ingest.dataset import Dataset, has_sample_rows
from lib.storage import store
from lib.ui import approval as ui_approval
from lib.ui import icons
from lib.ui.auth import require
from lib.ui.lang import lang
from lib.ui.store import engine, pinned_version, startup_problems, unpin_version
from lib.ui.widgets import show_problems


def current_dataset() -> Dataset | None:
    """The current version, cached by version number: another session's write shows on the
    next rerun because the version is read from the store every time."""
    problems = startup_problems()
    if problems:
        show_problems(problems, t("data_unreadable", lang()), error=True)
        return None
    require("view")
    latest = store.current_version(engine())
    pinned = pinned_version()
    version = pinned if pinned and pinned <= latest else latest
    dataset = ui_approval.dataset(version, latest)
    st.session_state.setdefault("loaded_at", {})[version] = st.session_state.get(
        "loaded_at", {}
    ).get(version, dt.datetime.now(LOCAL_TZ))
    return dataset


def page_header(title: str, dataset: Dataset, *shown_frames) -> None:
    current = lang()
    st.title(escape_markdown(title))
    info = dataset.info
    when = fmt_datetime(info.created_at.astimezone(LOCAL_TZ), current) if info else "–"
    loaded = fmt_datetime(st.session_state["loaded_at"][dataset.version], current)
    st.caption(t("data_version", current, version=dataset.version, when=when, loaded=loaded))
    latest = store.current_version(engine())
    ui_approval.data_status(dataset, latest, current)
    if dataset.version != latest:
        st.warning(t("pinned", current, version=dataset.version, latest=latest), icon=icons.PINNED)
        st.button(t("back_to_latest", current), on_click=unpin_version, key="unpin")
    if dataset.problems:
        show_problems(
            dataset.problems,
            t("data_inconsistent", current, count=len(dataset.problems)),
            error=False,
        )
    if has_sample_rows(*shown_frames):
        st.info(t("sample_notice", current), icon=icons.INFO)
