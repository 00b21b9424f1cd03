"""Streamlit: sign-in (form or single sign-on), session expiry, and the rights check."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib import accounts, config
from lib.i18n import t
from lib.ui_lang import lang
from lib.ui_store import engine

USER_KEY = "user"


def _sso_available() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml: no single sign-on
        return False


def current_user() -> accounts.User | None:
    """The signed-in account: from the login form (expires after the configured minutes of
    inactivity) or from single sign-on mapped through the accounts table."""
    entry = st.session_state.get(USER_KEY)
    now = dt.datetime.now(dt.UTC)
    if entry:
        if now - entry["seen"] > dt.timedelta(minutes=config.session_minutes()):
            st.session_state.pop(USER_KEY, None)
            st.session_state["session_expired"] = True
            return None
        entry["seen"] = now
        return entry["user"]
    if _sso_available() and getattr(st.user, "is_logged_in", False):
        return accounts.user_for_email(engine(), st.user.get("email"))
    return None


def _sign_in(user: accounts.User) -> None:
    now = dt.datetime.now(dt.UTC)
    st.session_state[USER_KEY] = {"user": user, "seen": now}


def sign_out() -> None:
    user = st.session_state.pop(USER_KEY, {}).get("user")
    if user:
        accounts.record(engine(), user.username, "logout", True)


def login_sidebar(current_lang: str) -> accounts.User | None:
    user = current_user()
    box = st.sidebar.container(border=True)
    if user:
        role = t(f"role_{user.role}", current_lang)
        box.markdown(t("signed_in_as", current_lang, name=user.display_name, role=role))
        box.button(t("logout", current_lang), on_click=sign_out, key="logout")
        return user
    if st.session_state.pop("session_expired", False):
        box.info(t("session_expired", current_lang))
    if _sso_available() and getattr(st.user, "is_logged_in", False):
        box.warning(t("sso_no_account", current_lang, email=st.user.get("email", "")))
    with box.form("login", border=False):
        st.markdown(f"**{t('login_title', current_lang)}**")
        name = st.text_input(t("username", current_lang), key="login_user")
        password = st.text_input(t("password", current_lang), type="password", key="login_password")
        submitted = st.form_submit_button(t("login", current_lang), key="login_submit")
    if submitted:
        try:
            user = accounts.authenticate(engine(), name, password)
        except accounts.LoginRefused:
            box.error(t("login_refused", current_lang))
        else:
            _sign_in(user)
            st.rerun()
    if _sso_available():
        box.button(t("login_sso", current_lang), on_click=st.login, key="login_sso")
    return None


def require(action: str) -> accounts.User | None:
    """Stop the page with a clear message unless the signed-in user may do `action`."""
    user = current_user()
    if action == "view" and not config.require_login_to_view():
        return user
    if user is None:
        st.info(t("login_needed", lang()), icon="🔒")
        st.stop()
    if not accounts.allowed(user, action):
        st.warning(t("no_right", lang()), icon="🔒")
        st.stop()
    return user
