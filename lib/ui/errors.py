"""Streamlit: what a user sees when a page fails (serve.py's on_script_error handler)."""

from __future__ import annotations

import logging
import secrets

import streamlit as st

from lib.core.i18n import t
from lib.ui import icons
from lib.ui.lang import lang

log = logging.getLogger("kspn.server")


def show_incident(exc: BaseException) -> bool:
    """The trace goes to the server log under an incident code; the user sees only the code,
    in their language, to quote to the administrator. True: no Streamlit traceback box."""
    incident = secrets.token_hex(4).upper()
    log.error("incident %s", incident, exc_info=exc)
    st.error(t("server_error", lang(), incident=incident), icon=icons.WARNING)
    return True
