"""Riwayat / History: every version, comparison of any two, rollback, view as of a version."""

import streamlit as st

from lib.core.i18n import t
from lib.storage import accounts, history, store
from lib.ui import auth as ui_auth
from lib.ui import cache as ui_cache
from lib.ui import flash as ui_flash
from lib.ui import icons
from lib.ui import lang as ui_lang
from lib.ui import page as ui_page
from lib.ui import preview as ui_preview
from lib.ui import store as ui_store
from lib.ui.cards import grid_or_cards
from lib.ui.changes import render_diffs
from lib.views import versions as versions_view
from lib.views.change_text import region_names
from lib.views.refusals import refusal_text

lang = ui_lang.lang()
dataset = ui_page.current_dataset()
if dataset is None:
    st.stop()
engine = ui_store.engine()
ui_auth.require("view_history")

ui_page.page_header(t("history_title", lang), dataset)
ui_flash.show_flash()
versions = store.list_versions(engine)
latest = versions[0].id
labels = {v.id: versions_view.version_label(v, lang) for v in versions}
table = history.versions_frame(engine)
shown = versions_view.localized_versions(table, lang)
grid_or_cards(
    "versions", shown, None, lambda: st.dataframe(shown, hide_index=True, width="stretch")
)
names = region_names(ui_store.load(latest).regions)

# Pickers are keyed by the newest version: after an upload or rollback they start from the
# current data again instead of keeping a choice made among the old list.
chosen = st.selectbox(
    t("col_version", lang), list(labels), format_func=labels.get, key=f"history_view_{latest}"
)
st.button(t("view_as_of", lang), on_click=ui_store.pin_version, args=(chosen,), key="pin")

st.subheader(t("compare_title", lang))
first, second = st.columns(2)
older = first.selectbox(
    t("from_version", lang),
    list(labels),
    index=min(1, len(labels) - 1),
    format_func=labels.get,
    key=f"compare_from_{latest}",
)
newer = second.selectbox(
    t("to_version", lang),
    list(labels),
    index=0,
    format_func=labels.get,
    key=f"compare_to_{latest}",
)
render_diffs(ui_cache.compare(older, newer), lang, key="compare", regions=names)

user = ui_auth.current_user()
if not accounts.allowed(user, "rollback"):
    st.stop()
st.subheader(t("rollback_title", lang))
st.caption(t("rollback_help", lang))
# The rollback the click asked for, before anything is drawn: a refused one then shows its
# target previewed again against the current data, with fresh pickers and an unticked box.
refused = None
if seen := st.session_state.pop("rollback_seen", None):
    seen_version, seen_target = seen
    try:
        version = history.rollback(engine, seen_target, user, seen_version)
    except store.StaleVersion as error:
        refused = seen_target
        st.warning(
            t("stale_preview", lang, made_on=error.expected, current=error.current),
            icon=icons.STALE,
        )
    except accounts.NotAllowed as refusal:
        st.error(refusal_text(refusal, lang, markdown=True), icon=icons.LOCKED)
    else:
        done = t("rolled_back", lang, target=seen_target, version=version)
        ui_flash.flash(ui_preview.applied_text(engine, version, lang, official=done))
choices = list(labels)[1:] or list(labels)
target = st.selectbox(
    t("col_version", lang),
    choices,
    index=choices.index(refused) if refused in choices else 0,
    format_func=labels.get,
    key=f"rollback_target_{latest}",
)
diffs = ui_cache.compare(latest, target)  # what a rollback to target would change
if not any(d.has_changes for d in diffs.values()):
    st.info(t("rollback_nothing", lang, target=target))
    st.stop()
st.markdown(f"**{t('rollback_preview', lang, target=target)}**")
render_diffs(diffs, lang, key="rollback_preview", regions=names)
confirmed = st.checkbox(t("rollback_confirm", lang, target=target), key=f"rollback_ok_{latest}")
# The click's own rerun reads the data again: the callback keeps the version and target of the
# preview the user saw, and the rollback carries them. It runs even when that rerun would draw
# the button disabled (the data moved on): the click is refused and said, not lost.
st.button(
    t("rollback_button", lang),
    key="rollback",
    type="primary",
    disabled=not confirmed,
    on_click=ui_preview.remember_seen,
    args=("rollback_seen", (latest, target)),
)
