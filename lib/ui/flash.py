"""Streamlit: a message that survives the rerun after a write."""

from __future__ import annotations

import streamlit as st

from lib.ui import icons

FLASH_KEY = "flash"


def flash(message: str) -> None:
    """Show message once, after the rerun that redraws the page with the new data."""
    st.session_state[FLASH_KEY] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=icons.DONE)
