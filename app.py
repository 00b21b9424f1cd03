"""Entry point: page config, language, shared sidebar, navigation."""

import streamlit as st

from lib.core.i18n import t
from lib.storage import accounts
from lib.ui import auth as ui_auth
from lib.ui import lang as ui_lang
from lib.ui import scope as ui_scope
from lib.ui import store as ui_store

st.set_page_config(page_title="KSPN Borobudur Smart City", page_icon="🏛️", layout="wide")

lang = ui_lang.language_picker()
ui_store.startup_problems()  # seeds the store and creates the first admin before anyone signs in
user = ui_auth.current_user()
pages = [
    st.Page(
        "pages/overview.py", title=t("page_overview", lang), url_path="ringkasan", default=True
    ),
    st.Page("pages/region.py", title=t("page_region", lang), url_path="wilayah"),
    st.Page("pages/dimensions.py", title=t("page_dimensions", lang), url_path="dimensi"),
    st.Page("pages/upload.py", title=t("page_upload", lang), url_path="unggah"),
    st.Page("pages/history.py", title=t("page_history", lang), url_path="riwayat"),
]
# Admin pages always exist, so a bookmarked /audit or /batas opens (a signed-out visitor gets the
# sign-in prompt there, in their language); the menu lists them only for those allowed in.
for script, key, url_path, action in (
    ("pages/approvals.py", "page_approvals", "persetujuan", "view_history"),
    ("pages/boundaries.py", "page_boundaries", "batas", "import_boundaries"),
    ("pages/audit.py", "page_audit", "audit", "view_audit"),
    ("pages/users.py", "page_users", "pengguna", "manage_users"),
):
    shown = "visible" if accounts.allowed(user, action) else "hidden"
    pages.append(st.Page(script, title=t(key, lang), url_path=url_path, visibility=shown))
navigation = st.navigation(pages)
# The login box comes after the navigation: placed before it, the first run of a new server
# shifted it when the menu appeared, and the first sign-in lost what was typed.
ui_auth.login_sidebar(lang)
if ui_lang.remember_choice():
    ui_auth.save_language(ui_auth.current_user(), lang)
st.sidebar.markdown(f"**{t('app_title', lang)}**")
ui_lang.reference_date_picker(lang)
ui_scope.sidebar_picker(lang)
navigation.run()
