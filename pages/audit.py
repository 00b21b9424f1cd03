"""Audit: who signed in, uploaded, applied, rolled back, changed a user, and what was refused."""

import pandas as pd
import streamlit as st

from lib.core.i18n import t
from lib.ingest import export
from lib.storage import accounts
from lib.ui import auth as ui_auth
from lib.ui import lang as ui_lang
from lib.ui import page as ui_page
from lib.ui import store as ui_store
from lib.views import audit as audit_view

lang = ui_lang.lang()
ui_auth.require("view_audit")
dataset = ui_page.current_dataset()
if dataset is None:
    st.stop()
engine = ui_store.engine()

ui_page.page_header(t("audit_title", lang), dataset)
log = pd.DataFrame(accounts.audit_rows(engine))
if log.empty:
    st.stop()
names = {u["username"]: u["display_name"] for u in accounts.list_users(engine)}
left, middle, right = st.columns(3)
actors = left.multiselect(
    t("col_author", lang),
    sorted(log["actor"].unique(), key=lambda a: audit_view.person(a, names, lang).lower()),
    key="audit_actor",
    placeholder=t("all", lang),
    format_func=lambda a: audit_view.person(a, names, lang),
)
actions = middle.multiselect(
    t("col_action", lang),
    sorted(log["action"].unique(), key=lambda a: audit_view.action_label(a, lang)),
    key="audit_action",
    placeholder=t("all", lang),
    format_func=lambda a: audit_view.action_label(a, lang),
)
failures_only = right.toggle(t("failures_only", lang), key="audit_failed")
keep = pd.Series(True, index=log.index)
if actors:
    keep &= log["actor"].isin(actors)
if actions:
    keep &= log["action"].isin(actions)
if failures_only:
    keep &= ~log["success"]
table = audit_view.audit_table(log[keep], names, lang)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    t("download_audit", lang),
    export.csv_bytes(table),
    file_name="audit.csv",
    mime="text/csv",
    key="audit_csv",
)
