"""Streamlit: the user's language and reference date, and the URL that carries them."""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from lib.core.i18n import DEFAULT_LANG, LANGS, LANGUAGE_NAMES, t
from lib.core.languages import LANG_COOKIE

LANG_KEY = "lang"
REMEMBER_KEY = "_remember_lang"
ACCOUNT_LANG_KEY = "_account_lang"  # set at sign-in; taken before the picker is drawn
CHOSEN_KEY = "_lang_chosen"  # this session's language came from its link or the picker
REFERENCE_DATE_KEY = "reference_date"


def lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def seed_from_query(key: str, param: str, valid) -> None:
    """Start a widget from the URL (?region=33.20), so a link opens what its sender saw.

    Streamlit's own bind="query-params" matches the formatted label, not the code, hence this.
    """
    requested = st.query_params.get(param)
    if key not in st.session_state and requested in valid:
        st.session_state[key] = requested


def sync_query(param: str, value: str | None, default: str | None = None) -> None:
    if value is None or value == default:
        st.query_params.pop(param, None)
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def first_language(link: str | None, remembered: str | None) -> str:
    """A session's language: a link's ?lang wins, then what this browser chose before (its
    cookie), then the default."""
    for choice in (link, remembered):
        if choice in LANGS:
            return choice
    return DEFAULT_LANG


def language_picker() -> str:
    if (account_lang := st.session_state.pop(ACCOUNT_LANG_KEY, None)) in LANGS:
        st.session_state[LANG_KEY] = account_lang
        st.session_state[REMEMBER_KEY] = True  # this browser takes it too
    if LANG_KEY not in st.session_state:
        st.session_state[CHOSEN_KEY] = st.query_params.get("lang") in LANGS
        remembered = st.context.cookies.get(LANG_COOKIE) if st.context.cookies else None
        st.session_state[LANG_KEY] = first_language(st.query_params.get("lang"), remembered)
    st.sidebar.radio(
        t("language", lang()),
        LANGS,
        key=LANG_KEY,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
        on_change=_chosen,
    )
    sync_query("lang", lang(), DEFAULT_LANG)
    return lang()


def _chosen() -> None:
    st.session_state[REMEMBER_KEY] = True
    st.session_state[CHOSEN_KEY] = True


def language_at_sign_in(account_lang: str | None, current: str, chosen: bool) -> str | None:
    """The language a sign-in switches to: the account's, over the default and this browser's
    cookie, never over one this session's link named or its reader picked."""
    if chosen or account_lang not in LANGS or account_lang == current:
        return None
    return account_lang


def use_account_language(account_lang: str | None) -> None:
    switch = language_at_sign_in(account_lang, lang(), st.session_state.get(CHOSEN_KEY, False))
    if switch:
        st.session_state[ACCOUNT_LANG_KEY] = switch


def remember_choice() -> bool:
    """After the reader picked a language: the browser asks serve.py's /prefs/lang to keep it
    in a cookie (lib/web/prefs), so a typed or bookmarked link opens in it next time. Drawn
    after the navigation: an st.html before it broke the first run of a deep link. True when
    a choice was just made (the caller keeps it for a signed-in account too)."""
    chosen = st.session_state.pop(REMEMBER_KEY, False)
    if chosen:
        headers = json.dumps({"X-Lang": lang()})
        st.html(
            "<script>fetch('/prefs/lang', {method: 'POST', credentials: 'same-origin', "
            f"headers: {headers}}});</script>",
            unsafe_allow_javascript=True,
        )
    return chosen


def reference_date_picker(current_lang: str) -> dt.date:
    return st.sidebar.date_input(
        t("reference_date", current_lang),
        value=dt.date.today(),
        key=REFERENCE_DATE_KEY,
        help=t("reference_date_help", current_lang),
        format="DD/MM/YYYY",
    )


def reference_date() -> dt.date:
    return st.session_state.get(REFERENCE_DATE_KEY) or dt.date.today()
