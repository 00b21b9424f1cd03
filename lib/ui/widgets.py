"""Streamlit widgets shared by the pages: problem tables, enum filters, headline metrics."""

from __future__ import annotations

import streamlit as st

from lib.core.i18n import enum_label, t
from lib.ingest.validate import Problem
from lib.ui import icons
from lib.ui.lang import lang
from lib.views.report import problems_frame


def show_problems(problems: list[Problem], message: str, error: bool) -> None:
    (st.error if error else st.warning)(message, icon=icons.WARNING)
    st.dataframe(problems_frame(problems, lang()), hide_index=True, width="stretch")


def enum_filter(column, kind: str, options, key: str) -> list:
    """A multiselect over coded values shown in the user's language; empty means all."""
    current = lang()
    return column.multiselect(
        t(f"filter_{kind}", current),
        options,
        key=key,
        placeholder=t("all", current),
        format_func=lambda v: enum_label(kind, v, current),
    )


def metric(column, label: str, value: str, note: str | None = None, help: str | None = None):
    column.metric(
        label,
        value,
        note,
        delta_color="off",
        delta_arrow="off",
        help=help,
        border=True,
        height="stretch",  # cards of one row share a height, whether or not they carry a note
    )


def chart_markup(markup: str) -> None:
    """A chart built by lib.charts.svg: markup the app wrote itself with every data text
    escaped; st.html adds DOMPurify and runs no script."""
    st.html(markup)
