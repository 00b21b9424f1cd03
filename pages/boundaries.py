"""Batas wilayah / Boundaries: import a boundary file, read the match report, then save."""

import streamlit as st

from lib import store, ui_auth, ui_flash, ui_lang, ui_page, ui_store
from lib.boundaries import BoundaryError, prepare_boundaries, store_boundaries
from lib.boundary_report import rows, summary
from lib.i18n import problem_message, t

lang = ui_lang.lang()
dataset = ui_page.current_dataset()
if dataset is None:
    st.stop()
engine = ui_store.engine()
user = ui_auth.require("import_boundaries")

st.title(t("boundaries_title", lang))
ui_flash.show_flash()
st.markdown(t("boundaries_intro", lang))
upload = st.file_uploader(
    t("boundary_file", lang), type=["geojson", "json", "gpkg", "zip"], key="boundary_file"
)
attribution = st.text_input(t("attribution", lang), key="boundary_attribution", max_chars=500)
if upload is None:
    st.stop()

regions = store.read_all(engine, store.current_version(engine))["regions"]
try:
    with st.spinner(t("checking", lang)):
        prepared = prepare_boundaries(upload.name, upload.getvalue(), regions)
except BoundaryError as error:
    st.error(f"{upload.name}: {problem_message(error.key, lang, error.params)}", icon="⚠️")
    st.stop()

all_matched = prepared.report.codes() == set(regions["region_code"])
(st.success if all_matched else st.warning)(summary(prepared.report, regions, lang))
st.dataframe(rows(prepared.report, lang), hide_index=True, width="stretch")
if st.button(t("save_boundaries", lang), type="primary", key="save_boundaries"):
    saved = store_boundaries(
        engine,
        prepared,
        file_name=upload.name,
        data=upload.getvalue(),
        author=user.username,
        attribution=attribution.strip(),
    )
    ui_flash.flash(t("boundaries_saved", lang, id=saved))
