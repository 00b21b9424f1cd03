"""A page with one plotly chart over months, drawn as every page draws a plotly chart (lib.ui
explore): the browser test reads its month names (tests/browser/test_dimensions_chart.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402

from lib.charts import plotly_locale  # noqa: E402
from lib.ui import explore  # noqa: E402

lang = st.query_params.get("lang", "id")
months = pd.date_range("2024-07-01", "2025-06-01", freq="MS")
figure = go.Figure(
    go.Scatter(x=months, y=[1_000_000 + 50_000.5 * i for i in range(len(months))]),
    plotly_locale.layout(lang),
)
figure.update_xaxes(plotly_locale.date_axis())
figure.update_yaxes(tickformat=",.1f")
explore.chart(figure, lang, "months", "months")
