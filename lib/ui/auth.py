"""Streamlit: sign-in (form or single sign-on), session expiry, and the rights check.

A sign-in lives in the store (lib/storage/sessions.py), not only in this browser tab's session: the
tab keeps the session id, and the browser gets an HttpOnly cookie (set by serve.py's route,
since a script cannot set cookies) that signs in every reload, new tab and typed URL until
logout or idle expiry.
"""

from __future__ import annotations

import json

import streamlit as st

from lib.core import config
from lib.core.i18n import t
from lib.core.plain_text import t_text
from lib.storage import accounts, sessions
from lib.ui import icons
from lib.ui.lang import lang, use_account_language
from lib.ui.store import engine

USER_KEY = "user"


def _sso_available() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml: no single sign-on
        return False


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # no browser request behind this run (AppTest)
        return None
    return token if isinstance(token, str) else None


def current_user() -> accounts.User | None:
    """The signed-in account: this tab's session, the browser's session cookie (both expire
    after the configured minutes of inactivity and end at logout), or single sign-on mapped
    through the accounts table."""
    idle = config.session_minutes()
    entry = st.session_state.get(USER_KEY)
    if entry:
        found = sessions.find(engine(), session_id=entry["session"], idle_minutes=idle)
        if found is None:
            st.session_state.pop(USER_KEY, None)
            st.session_state["session_expired"] = True
            return None
        return found.user
    found = sessions.find(engine(), token=_cookie_token(), idle_minutes=idle)
    if found is not None:
        st.session_state[USER_KEY] = {"session": found.id}
        return found.user
    if _sso_available() and getattr(st.user, "is_logged_in", False):
        return accounts.user_for_email(engine(), st.user.get("email"))
    return None


def _sign_in(user: accounts.User) -> None:
    session_id, ticket = sessions.start(engine(), user.username)
    st.session_state[USER_KEY] = {"session": session_id, "ticket": ticket}


def save_language(user: accounts.User | None, chosen: str) -> None:
    """A signed-in reader's language choice is kept for the account too."""
    if user is not None and user.lang != chosen:
        accounts.set_language(engine(), user.username, chosen)


def sign_out() -> None:
    entry = st.session_state.pop(USER_KEY, None)
    if entry:
        found = sessions.find(
            engine(), session_id=entry["session"], idle_minutes=config.session_minutes()
        )
        sessions.end(engine(), entry["session"])
        if found:
            accounts.record(engine(), found.user.username, "logout", True)
        st.session_state["clear_cookie"] = True


def _browser_call(route: str, headers: dict[str, str] | None = None) -> None:
    """One same-origin POST from the browser to a serve.py route; its answer sets or clears
    the HttpOnly cookie. Only values made here (a random ticket) go into the script."""
    options = json.dumps({"method": "POST", "credentials": "same-origin", "headers": headers or {}})
    st.html(
        f"<script>fetch({json.dumps(route)}, {options});</script>",
        unsafe_allow_javascript=True,
    )


def login_sidebar(current_lang: str) -> accounts.User | None:
    user = current_user()
    box = st.sidebar.container(border=True)
    if user:
        ticket = st.session_state.get(USER_KEY, {}).pop("ticket", None)
        if ticket:
            with box:
                _browser_call("/auth/session", {"X-Session-Ticket": ticket})
        role = t(f"role_{user.role}", current_lang)
        box.markdown(t_text("signed_in_as", current_lang, name=user.display_name, role=role))
        box.button(t("logout", current_lang), on_click=sign_out, key="logout")
        return user
    if st.session_state.pop("clear_cookie", False):
        with box:
            _browser_call("/auth/logout")
    if st.session_state.pop("session_expired", False):
        box.info(t("session_expired", current_lang))
    if _sso_available() and getattr(st.user, "is_logged_in", False):
        box.warning(t_text("sso_no_account", current_lang, email=st.user.get("email", "")))
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
            use_account_language(user.lang)
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
        st.info(t("login_needed", lang()), icon=icons.LOCKED)
        st.stop()
    if not accounts.allowed(user, action):
        st.warning(t("no_right", lang()), icon=icons.LOCKED)
        st.stop()
    return user
