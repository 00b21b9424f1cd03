"""Riwayat / History: every version, comparison of any two, rollback, view as of a version."""

import streamlit as st

from lib import (
    accounts,
    history,
    store,
    ui_auth,
    ui_flash,
    ui_lang,
    ui_page,
    ui_store,
    versions_view,
)
from lib.i18n import problem_message, t
from lib.ui_changes import render_diffs

lang = ui_lang.lang()
dataset = ui_page.current_dataset()
if dataset is None:
    st.stop()
engine = ui_store.engine()
ui_auth.require("view_history")

st.title(t("history_title", lang))
ui_flash.show_flash()
versions = store.list_versions(engine)
labels = {v.id: versions_view.version_label(v, lang) for v in versions}
table = history.versions_frame(engine)
st.dataframe(versions_view.localized_versions(table, lang), hide_index=True, width="stretch")

chosen = st.selectbox(
    t("col_version", lang), list(labels), format_func=labels.get, key="history_view"
)
st.button(t("view_as_of", lang), on_click=ui_store.pin_version, args=(chosen,), key="pin")

st.subheader(t("compare_title", lang))
first, second = st.columns(2)
older = first.selectbox(
    t("from_version", lang),
    list(labels),
    index=min(1, len(labels) - 1),
    format_func=labels.get,
    key="compare_from",
)
newer = second.selectbox(
    t("to_version", lang), list(labels), index=0, format_func=labels.get, key="compare_to"
)
render_diffs(history.compare(engine, older, newer), lang, key="compare")

user = ui_auth.current_user()
if not accounts.allowed(user, "rollback"):
    st.stop()
st.subheader(t("rollback_title", lang))
st.caption(t("rollback_help", lang))
target = st.selectbox(
    t("col_version", lang),
    list(labels)[1:] or list(labels),
    format_func=labels.get,
    key="rollback_target",
)
if st.button(t("rollback_button", lang), key="rollback"):
    try:
        version = history.rollback(engine, target, user, versions[0].id)
    except store.StaleVersion as error:
        st.warning(t("stale", lang, version=error.current), icon="🔄")
    except accounts.NotAllowed as refusal:
        st.error(problem_message(refusal.key, lang, refusal.params), icon="🔒")
    else:
        ui_flash.flash(
            t("rolled_back", lang, target=target, version=version)
            if version
            else t("no_changes", lang)
        )
