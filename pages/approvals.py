"""Persetujuan / Approvals: change sets waiting for verification or approval, their cell diff,
verify / return / approve one or many, and reopening approved data."""

import streamlit as st

from lib.core.i18n import t
from lib.core.plain_text import t_text
from lib.storage import accounts, approval, clock, store
from lib.ui import approval as ui_approval
from lib.ui import auth as ui_auth
from lib.ui import cache as ui_cache
from lib.ui import evidence as ui_evidence
from lib.ui import flash as ui_flash
from lib.ui import icons
from lib.ui import lang as ui_lang
from lib.ui import page as ui_page
from lib.ui import preview as ui_preview
from lib.ui import store as ui_store
from lib.ui.changes import render_diffs
from lib.views import approvals as view
from lib.views.refusals import refusal_text

lang = ui_lang.lang()
dataset = ui_page.current_dataset()
if dataset is None:
    st.stop()
engine = ui_store.engine()
user = ui_auth.require("view_history")

st.title(t("approvals_title", lang))
# The move a click asked for, made before anything is drawn (the queue then shows its outcome).
if asked := st.session_state.pop("cs_asked", None):
    move, ids, reason_key = asked  # the reason as typed when clicked (read now, not drawn then)
    reason = st.session_state.get(reason_key) if reason_key else None
    try:
        approval.move_many(engine, ids, user, move, reason)
    except accounts.NotAllowed as refusal:
        st.error(refusal_text(refusal, lang, markdown=True), icon=icons.LOCKED)
    else:
        ui_flash.flash(t("cs_moved", lang, count=len(ids), move=t(f"cs_move_{move}", lang)))
if asked_reopen := st.session_state.pop("cs_reopen", None):
    approval.reopen(engine, user, *asked_reopen)
    ui_flash.flash(t("cs_reopened", lang))
ui_flash.show_flash()

names = view.region_names_of(ui_store.load(store.current_version(engine)).regions)
people = {u["username"]: u["display_name"] for u in accounts.list_users(engine)}
now = clock.now()
everything = approval.list_change_sets(engine)
for returned in everything:
    if returned.state == "returned" and returned.submitted_by == user.username:
        st.error(
            t_text(
                "cs_returned_notice",
                lang,
                id=returned.id,
                by=people.get(returned.updated_by, returned.updated_by),
                reason=returned.reason or "–",
            ),
            icon=icons.RETURNED,
        )

reviewer = user.role in ("walidata", "ministry_admin")
mine_col, region_col, state_col, age_col = st.columns(4)
mine = mine_col.toggle(t("cs_filter_mine", lang), value=reviewer, key="cs_mine")
codes = sorted({code for c in everything for code in c.regions})
regions = region_col.multiselect(
    t("cs_filter_region", lang),
    codes,
    format_func=lambda code: names.get(code, code),
    placeholder=t("all", lang),
    key="cs_regions",
)
states = state_col.multiselect(
    t("cs_filter_state", lang),
    list(approval.STATES),
    default=[*approval.PENDING, "returned"],
    format_func=lambda s: view.state_label(s, lang),
    placeholder=t("all", lang),
    key="cs_states",
)
min_age = age_col.number_input(t("cs_filter_age", lang), min_value=0, value=0, key="cs_age")
shown = view.filter_queue(
    everything,
    user=user,
    mine_only=mine,
    regions=set(regions),
    states=set(states),
    min_age_days=int(min_age),
    now=now,
)
if not shown:
    st.info(t("cs_queue_empty", lang))
else:
    st.dataframe(view.queue_frame(shown, names, people, lang, now), hide_index=True)
    by_id = {c.id: c for c in shown}
    picked = by_id[
        st.selectbox(
            t("cs_pick", lang),
            list(by_id),
            format_func=lambda i: view.pending_list([by_id[i]], names, lang),
            key="cs_pick",
        )
    ]
    diffs = ui_cache.compare(picked.version - 1, picked.version)
    render_diffs(diffs, lang, key=f"cs_diff_{picked.id}", regions=names)
    ui_evidence.for_review(diffs, picked.regions, lang)
    moves = approval.moves_for(user, picked)
    if moves:
        st.text_area(t("cs_reason", lang), key=f"cs_reason_{picked.id}")
        for column, move in zip(st.columns(len(moves)), moves, strict=True):
            column.button(
                t(f"cs_move_{move}", lang),
                key=f"cs_{move}_{picked.id}",
                type="primary" if move != "return" else "secondary",
                on_click=ui_preview.remember_seen,
                args=("cs_asked", (move, [picked.id], f"cs_reason_{picked.id}")),
            )

if reviewer and shown:
    ui_approval.bulk_moves(shown, user, names, people, lang, now)
if accounts.allowed(user, "reopen"):
    ui_approval.reopen_locks(user, names, lang)
