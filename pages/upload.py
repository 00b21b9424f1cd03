"""Unggah data / Upload: template, upload, validation report, preview, apply."""

import streamlit as st

from lib.core import scope as scopes
from lib.core.i18n import fmt_int, t
from lib.ingest import export
from lib.ingest.upload import apply_upload, audited_rights, inspect_upload
from lib.ingest.workbook import csv_zip_bytes, workbook_bytes
from lib.storage import accounts, approval, store
from lib.ui import auth as ui_auth
from lib.ui import cards as ui_cards
from lib.ui import flash as ui_flash
from lib.ui import icons
from lib.ui import lang as ui_lang
from lib.ui import page as ui_page
from lib.ui import preview as ui_preview
from lib.ui import scope as ui_scope
from lib.ui import store as ui_store
from lib.ui.changes import file_uploader, render_diffs
from lib.ui.merge import render_merge
from lib.views.change_text import region_names
from lib.views.refusals import refusal_text
from lib.views.report import problems_frame

lang = ui_lang.lang()
dataset = ui_page.current_dataset()
if dataset is None:
    st.stop()
engine = ui_store.engine()
user = ui_auth.require("upload")

ui_page.page_header(t("upload_title", lang), dataset)
ui_flash.show_flash()
st.markdown(t("upload_intro", lang))
# Built only when a button is pressed, for the reader's scope: rebuilding the whole workbook on
# every rerun took 20 s per interaction at national size. A regional editor's template holds only
# the regions that editor may change.
scope = ui_scope.current_scope(dataset)
editable = None if user.role == "ministry_admin" else set(user.regions)
template = ui_scope.template_builder(engine, scope, editable, lang)
left, right = st.columns(2)
left.download_button(
    t("template_xlsx", lang),
    template(workbook_bytes),
    file_name=f"{scopes.file_part(scope)}_{lang}.xlsx",
    key="template_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)
right.download_button(
    t("template_csv", lang),
    template(csv_zip_bytes),
    file_name=f"{scopes.file_part(scope)}_{lang}_csv.zip",
    mime="application/zip",
    key="template_csv",
    on_click="ignore",
)
if pending := approval.list_change_sets(engine, approval.PENDING):
    st.caption(t("export_pending", lang, ids=", ".join(f"#{c.id}" for c in pending)))

files = file_uploader(lang, key=f"upload_files_{st.session_state.get('upload_round', 0)}")
if not files:
    st.stop()

uploads = [(f.name, f.getvalue()) for f in files]
preview = ui_preview.cached_preview(uploads)
fresh = preview is None
if fresh:
    with st.spinner(t("checking", lang)):
        preview = inspect_upload(engine, uploads)
    ui_preview.keep_preview(uploads, preview)
    accounts.record(
        engine,
        user.username,
        "upload_checked",
        preview.ok,
        files=preview.files,
        problems=len(preview.problems),
        sha256=preview.sha256,
    )

if not preview.ok:
    found = len(preview.problems)
    st.error(t("problems_found", lang, count=found, n=fmt_int(found, lang)), icon=icons.WARNING)
    report = problems_frame(preview.problems, lang)
    ui_cards.wrapped_table(report, lead=t("col_message", lang))  # messages wrap, none cut
    st.download_button(
        t("download_problems", lang),
        export.csv_bytes(report),
        file_name=t("file_upload_problems", lang),
        mime="text/csv",
        key="problems_csv",
    )
    st.stop()
if not preview.has_changes and not preview.unresolved:
    st.info(t("no_changes", lang))
    st.stop()

try:  # shown before anything else; apply_upload checks it again at the write
    audited_rights(engine, preview, user, audit=fresh)
except accounts.NotAllowed as refusal:
    st.error(refusal_text(refusal, lang, markdown=True), icon=icons.LOCKED)
    st.stop()

latest_regions = ui_store.load(store.current_version(engine)).regions
names = region_names(latest_regions, preview.frames.get("regions"))
preview = render_merge(preview, lang, names)
stale = ui_preview.stale_notice()
if stale:
    st.warning(t("stale_preview", lang, made_on=stale[0], current=stale[1]), icon=icons.STALE)
if preview.notices:
    st.info(t("notices_title", lang), icon=icons.INFO)
    st.dataframe(problems_frame(preview.notices, lang), hide_index=True, width="stretch")
st.subheader(t("preview_title", lang))
render_diffs(preview.diffs, lang, key="preview", regions=names)
confirmed = True
if preview.removals:
    # Keyed by the preview's version: a preview made again asks for the tick again.
    confirmed = st.checkbox(
        t("confirm_removals", lang, n=preview.removals),
        key=f"confirm_removals_{preview.base_version}",
    )
if preview.unresolved:
    st.caption(t("conflicts_open", lang, count=preview.unresolved, n=preview.unresolved))
ready = confirmed and not preview.unresolved
if st.button(t("apply", lang), type="primary", disabled=not ready, key="apply"):
    try:
        with st.spinner(t("applying", lang)):
            version = apply_upload(engine, preview, user, confirm_removals=confirmed)
    except store.StaleVersion as error:
        ui_preview.refuse_stale(error.expected, error.current)
        st.rerun()
    except accounts.NotAllowed as refusal:  # approval's locks, said with who can open them
        st.error(refusal_text(refusal, lang, markdown=True), icon=icons.LOCKED)
    else:
        # A fresh uploader key empties it: the applied file is not previewed again.
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        ui_flash.flash(ui_preview.applied_text(engine, version, lang))
