"""Batas wilayah / Boundaries: import a boundary file, read the match report, then save."""

import hashlib

import streamlit as st

from lib.core.i18n import problem_message, t
from lib.core.plain_text import escape_markdown
from lib.geo import boundaries
from lib.geo.boundaries import MAX_MB, BoundaryError, store_boundaries
from lib.storage import store
from lib.ui import auth as ui_auth
from lib.ui import flash as ui_flash
from lib.ui import icons
from lib.ui import lang as ui_lang
from lib.ui import page as ui_page
from lib.ui import store as ui_store
from lib.ui.uploader import dropzone_words
from lib.views.boundary_report import rows, summary

BOUNDARY_TYPES = ("geojson", "json", "gpkg", "zip")

# (file digest, boundary set id, data version, prepared set, regions) of the last check
CHECKED = "boundary_checked"
STALE = "boundary_stale"  # why the last Save was refused

lang = ui_lang.lang()
dataset = ui_page.current_dataset()
if dataset is None:
    st.stop()
engine = ui_store.engine()
user = ui_auth.require("import_boundaries")

ui_page.page_header(t("boundaries_title", lang), dataset)
ui_flash.show_flash()
st.markdown(t("boundaries_intro", lang))
dropzone_words(lang, BOUNDARY_TYPES, MAX_MB)
upload = st.file_uploader(
    t("boundary_file", lang),
    type=list(BOUNDARY_TYPES),
    key="boundary_file",
    max_upload_size=MAX_MB,
)
current = ui_store.boundaries()
attribution = st.text_input(
    t("attribution", lang),
    value=current["attribution"] if current else "",
    key="boundary_attribution",
    max_chars=500,
    help=t("attribution_help", lang),
)
if upload is None:
    st.session_state.pop(CHECKED, None)
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()
checked = st.session_state.get(CHECKED)
if checked is None or checked[0] != digest:
    # A check takes seconds for a national file: once per file, so Save stores the result
    # shown instead of importing again, and says so when the store moved on since.
    seen = (store.latest_boundary_id(engine), store.current_version(engine))
    regions = store.read_all(engine, seen[1])["regions"]
    try:
        with st.spinner(t("checking", lang)):
            prepared = boundaries.prepare_boundaries(upload.name, data, regions)
    except BoundaryError as error:
        st.error(
            escape_markdown(f"{upload.name}: {problem_message(error.key, lang, error.params)}"),
            icon=icons.WARNING,
        )
        st.stop()
    checked = st.session_state[CHECKED] = (digest, *seen, prepared, regions)
prepared, regions = checked[3], checked[4]

if stale := st.session_state.pop(STALE, None):
    st.warning(t("boundaries_stale", lang, **stale), icon=icons.STALE)
all_matched = prepared.report.codes() == set(regions["region_code"])
ok = all_matched and not prepared.report.over_budget
(st.success if ok else st.warning)(escape_markdown(summary(prepared.report, regions, lang)))
st.dataframe(rows(prepared.report, lang), hide_index=True, width="stretch")
st.caption(t("geo_saved_without_reimport", lang))
if st.button(t("save_boundaries", lang), type="primary", key="save_boundaries"):
    try:
        saved = store_boundaries(
            engine,
            prepared,
            file_name=upload.name,
            data=data,
            author=user.username,
            attribution=attribution,
            expected=checked[1:3],
        )
    except store.StaleBoundaries as error:
        st.session_state.pop(CHECKED, None)
        st.session_state[STALE] = {
            "made_on": error.expected,
            "data_made_on": error.expected_version,
            "current": error.current,
            "data_current": error.current_version,
        }
        st.rerun()
    except BoundaryError as error:
        st.error(problem_message(error.key, lang, error.params), icon=icons.WARNING)
    else:
        ui_flash.flash(t("boundaries_saved", lang, id=saved))
