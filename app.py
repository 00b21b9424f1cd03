"""Entry point: page config, language, shared sidebar, navigation."""

import streamlit as st

from lib import ui
from lib.i18n import t

st.set_page_config(page_title="KSPN Borobudur Smart City", page_icon="🏛️", layout="wide")

lang = ui.language_picker()
pages = [
    st.Page(
        "pages/overview.py", title=t("page_overview", lang), url_path="ringkasan", default=True
    ),
    st.Page("pages/region.py", title=t("page_region", lang), url_path="wilayah"),
    st.Page("pages/dimensions.py", title=t("page_dimensions", lang), url_path="dimensi"),
    st.Page("pages/upload.py", title=t("page_upload", lang), url_path="unggah"),
    st.Page("pages/history.py", title=t("page_history", lang), url_path="riwayat"),
    st.Page("pages/boundaries.py", title=t("page_boundaries", lang), url_path="batas"),
]
navigation = st.navigation(pages)
st.sidebar.markdown(f"**{t('app_title', lang)}**")
ui.reference_date_picker(lang)
navigation.run()
