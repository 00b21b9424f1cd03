"""Layout that reads at 1440x900, 1920x1080 and on a 390x844 phone: headline labels that wrap
instead of being cut, cards of equal height, compact cards two to a row on a phone, tables that
show every column."""

from __future__ import annotations

import streamlit as st

HEADLINE_KEY = "headline"

_CSS = """<style>
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
@media (max-width: 640px) {
  .st-key-headline [data-testid="stHorizontalBlock"] {
    flex-wrap: wrap !important; gap: 0.4rem !important;
  }
  .st-key-headline [data-testid="stColumn"] {
    flex: 1 1 40% !important; min-width: 40% !important; width: auto !important;
  }
  .st-key-headline [data-testid="stMetric"] { padding: 0.35rem 0.5rem !important; }
  .st-key-headline [data-testid="stMetricValue"] { font-size: 1.35rem !important; }
  .st-key-headline [data-testid="stMetricLabel"] p { font-size: 0.8rem !important; }
  .st-key-headline [data-testid="stMetricDelta"],
  .st-key-headline [data-testid="stMetricDelta"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  }
}
</style>"""


def page_style() -> None:
    # Drawn by the pages, not app.py: an st.html there made the first run of a deep link
    # (/wilayah?region=...) report "Page not found" and stall.
    st.markdown(_CSS, unsafe_allow_html=True)


def headline_cards(count: int):
    """count columns for st.metric cards, wrapped two to a row on a phone (three left
    "Tahap terlambat" broken mid-word and "di 450 wilayah" cut at national size)."""
    page_style()
    return st.container(key=HEADLINE_KEY).columns(count)


def wide_table(frame, sizes: dict[str, str] | None = None, **kwargs) -> None:
    """A dataframe whose columns share the width instead of running off its right edge."""
    config = {name: st.column_config.Column(width=size) for name, size in (sizes or {}).items()}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, **kwargs)
