"""Streamlit: tables that read on a phone (lib/views/cards). A desk keeps its data grid (sort,
search, download) where the grid shows every column well; a phone gets cards instead."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib.views.cards import PHONE, cards_html


def wrapped_table(frame: pd.DataFrame, lead: str | None = None, limit: int = 1000, more: str = ""):
    """A table whose long texts wrap on a desk and which turns into cards on a phone."""
    st.html(cards_html(frame, lead, limit, more))


def grid_or_cards(
    key: str, frame: pd.DataFrame, lead: str | None, desk: Callable[[], None], limit: int = 200
) -> None:
    """`desk()` draws the desk view (a data grid, a static table); on a phone it is hidden and
    the rows are shown as cards, the `lead` column first."""
    desk_and_phone(key, desk, lambda: st.html(cards_html(frame, lead, limit)))


def desk_and_phone(key: str, desk: Callable[[], None], phone: Callable[[], None]) -> None:
    """Two drawings of one thing; CSS shows the one that fits the screen's width."""
    st.html(
        f"<style>@media (max-width: {PHONE}px) {{ .st-key-{key}_desk {{ display: none; }} }}"
        f"@media (min-width: {PHONE + 1}px) {{ .st-key-{key}_phone {{ display: none; }} }}"
        "</style>"
    )
    with st.container(key=f"{key}_desk"):
        desk()
    with st.container(key=f"{key}_phone"):
        phone()
