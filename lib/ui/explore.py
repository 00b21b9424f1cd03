"""Charts a reader explores (lib.charts plotly figures) on a page: in the page language (the
plotly.js locale inline), described for a screen reader, their figures in a table to open."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.charts import plotly_locale
from lib.core.i18n import t

# Streamlit adds its own "Fullscreen" button to plotly's mode bar, titled in English whatever
# the locale (plotly.js's dictionary does not reach it): hidden where English is not the page's.
_NO_FULLSCREEN = (
    '<style>[data-testid="stPlotlyChart"] .modebar-btn[data-title="Fullscreen"]'
    "{display:none !important}</style>"
)


def chart(figure, lang: str, alt: str, key: str, clickable: bool = False) -> list[dict]:
    """Draw figure; with clickable, the points a click selected (a rerun per click)."""
    options = {"on_select": "rerun", "selection_mode": "points"} if clickable else {}
    if lang != "en":
        st.markdown(_NO_FULLSCREEN, unsafe_allow_html=True)  # the app's own text, no data
    state = st.plotly_chart(
        figure,
        width="stretch",
        theme=None,  # the palette's colours, not Streamlit's
        key=key,
        config=plotly_locale.config(lang),
        alt=alt,
        **options,
    )
    return list(state.selection.points) if clickable else []


def figures_table(frame: pd.DataFrame, lang: str) -> None:
    """The chart's figures, for a reader who wants the numbers (or cannot see the colours)."""
    with st.expander(t("chart_table", lang)):
        st.dataframe(frame, hide_index=True, width="stretch")


def clicked(points: list[dict], column: int) -> str:
    """The value a clicked point carries in customdata[column] ("" when nothing was clicked)."""
    for point in points:
        custom = point.get("customdata") or []
        if len(custom) > column and custom[column]:
            return str(custom[column])
    return ""
