"""Streamlit: which data a page shows, official (the default) or including pending change sets
(the toggle, kept in the URL as ?pending=1), and saying so on every data page."""

from __future__ import annotations

import dataclasses

import streamlit as st

from lib.core.i18n import t
from lib.core.plain_text import t_text
from lib.ingest.dataset import Dataset
from lib.storage import approval
from lib.ui import icons
from lib.ui import store as ui_store
from lib.ui.preview import remember_seen
from lib.views import approvals as approvals_view

PARAM = "pending"
TOGGLE_KEY = "pending_toggle"


def with_pending() -> bool:
    return st.query_params.get(PARAM) == "1"


def dataset(version: int, latest: int) -> Dataset:
    """The latest version's official view while change sets are pending (unless the reader
    asked for pending too); an older version (viewed from History) as it was stored."""
    if version == latest:
        engine = ui_store.engine()
        if approval.list_change_sets(engine, approval.PENDING):
            token = approval.state_token(engine)
            if not with_pending():
                return ui_store.load_official(version, token)
            # the same shared frames, told apart in every cache key and in briefings
            return dataclasses.replace(ui_store.load(version), view_key=("with_pending", token))
    return ui_store.load(version)


def _toggled() -> None:
    if st.session_state.get(TOGGLE_KEY):
        st.query_params[PARAM] = "1"
    else:
        st.query_params.pop(PARAM, None)


def data_status(shown: Dataset, latest: int, lang: str) -> None:
    """Official or including pending, said on the page; pending change sets named with their
    regions and state (the figures they touch)."""
    if shown.version != latest:
        return
    engine = ui_store.engine()
    pending = approval.list_change_sets(engine, approval.PENDING)
    if not pending and not approval.enabled():
        return
    if with_pending() and pending:
        names = approvals_view.region_names_of(shown.regions)
        st.warning(
            t_text(
                "data_with_pending",
                lang,
                items=approvals_view.pending_list(pending, names, lang),
            ),
            icon=icons.PENDING,
        )
    else:
        st.caption(t("data_official", lang, count=len(pending)))
    if pending:
        st.session_state[TOGGLE_KEY] = with_pending()
        st.toggle(t("data_with_pending_toggle", lang), key=TOGGLE_KEY, on_change=_toggled)


def bulk_moves(shown, user, names: dict, people: dict, lang: str, now) -> None:
    """Verify or approve every change set the queue shows that this user may move, after a
    preview of the whole batch (how many, which regions, the list; who cannot be moved)."""
    bulk = [
        m for m in ("verify", "approve") if any(m in approval.moves_for(user, c) for c in shown)
    ]
    if not bulk:
        return
    st.subheader(t("cs_bulk_title", lang))
    move = st.radio(
        t("cs_bulk_move", lang),
        bulk,
        format_func=lambda m: t(f"cs_move_{m}", lang),
        horizontal=True,
        key="cs_bulk_move",
    )
    batch = approvals_view.batch_summary(shown, user, move, names, lang)
    st.markdown(batch["text"])
    if batch["blocked"]:
        st.caption(t_text("cs_batch_blocked", lang, items=batch["blocked_text"]))
    with st.expander(t("cs_batch_list", lang)):
        frame = approvals_view.queue_frame(batch["movable"], names, people, lang, now)
        st.dataframe(frame, hide_index=True)
    ids = [c.id for c in batch["movable"]]
    confirmed = st.checkbox(t("cs_bulk_confirm", lang), key=f"cs_bulk_ok_{move}_{len(ids)}")
    st.button(
        t("cs_bulk_button", lang, move=t(f"cs_move_{move}", lang)),
        disabled=not (confirmed and ids),
        key="cs_bulk",
        on_click=remember_seen,
        args=("cs_asked", (move, ids, None)),
    )


def reopen_locks(user, names: dict, lang: str) -> None:
    """A pembina opens approved (table, region)s to produsen uploads again (audited)."""
    locks = approval.open_locks(ui_store.engine())
    if not locks:
        return
    st.subheader(t("cs_locks_title", lang))
    pairs = sorted({(lock["table_name"], lock["region_code"]) for lock in locks})
    pair = st.selectbox(
        t("cs_locks_pick", lang),
        pairs,
        format_func=lambda p: f"{t(f'file_sheet_{p[0]}', lang)} · {names.get(p[1], p[1])}",
        key="cs_lock",
    )
    st.button(
        t("cs_reopen", lang),
        key="cs_reopen_button",
        on_click=remember_seen,
        args=("cs_reopen", pair),
    )
