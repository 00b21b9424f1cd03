"""Streamlit: the user's language and reference date, and the URL that carries them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.core.i18n import DEFAULT_LANG, LANGS, LANGUAGE_NAMES, t

LANG_KEY = "lang"
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


def language_picker() -> str:
    seed_from_query(LANG_KEY, "lang", LANGS)
    st.sidebar.radio(
        t("language", lang()),
        LANGS,
        key=LANG_KEY,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
    )
    sync_query("lang", lang(), DEFAULT_LANG)
    return lang()


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
