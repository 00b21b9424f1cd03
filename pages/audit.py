"""Audit: who signed in, uploaded, applied, rolled back, changed a user, and what was refused."""

import pandas as pd
import streamlit as st

from lib import accounts, export, i18n, ui_auth, ui_lang, ui_store
from lib.i18n import fmt_datetime, t

lang = ui_lang.lang()
ui_auth.require("view_audit")
engine = ui_store.engine()

st.title(t("audit_title", lang))
log = pd.DataFrame(accounts.audit_rows(ui_store.engine()))
if log.empty:
    st.stop()
left, middle, right = st.columns(3)
actors = left.multiselect(
    t("col_author", lang),
    sorted(log["actor"].unique()),
    key="audit_actor",
    placeholder=t("all", lang),
)
actions = middle.multiselect(
    t("col_action", lang),
    sorted(log["action"].unique()),
    key="audit_action",
    placeholder=t("all", lang),
)
failures_only = right.toggle(t("failures_only", lang), key="audit_failed")
keep = pd.Series(True, index=log.index)
if actors:
    keep &= log["actor"].isin(actors)
if actions:
    keep &= log["action"].isin(actions)
if failures_only:
    keep &= ~log["success"]
shown = log[keep]
table = pd.DataFrame(
    {
        t("col_when", lang): [fmt_datetime(v.astimezone(i18n.LOCAL_TZ), lang) for v in shown["at"]],
        t("col_author", lang): shown["actor"],
        t("col_action", lang): shown["action"],
        t("col_success", lang): [t("yes", lang) if v else t("no", lang) for v in shown["success"]],
        t("col_detail", lang): shown["detail"],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    t("download_audit", lang),
    export.csv_bytes(table),
    file_name="audit.csv",
    mime="text/csv",
    key="audit_csv",
)
