"""Dimensi / Dimensions: programs per region x smart-city dimension, with filters."""

import streamlit as st

from lib import metrics, svg_charts, tables, ui_lang, ui_page, ui_scope, ui_widgets
from lib.i18n import t
from lib.schema import HORIZONS, STATUSES

lang = ui_lang.lang()
dataset, _scope = ui_scope.scoped_dataset()
if dataset is None:
    st.stop()

ui_page.page_header(t("dimensions_title", lang), dataset, dataset.programs)


@st.fragment
def filtered_view() -> None:
    """Its own fragment: a filter or toggle change redraws only the heatmap and the table."""
    f1, f2, f3 = st.columns([2, 2, 1])
    horizons = ui_widgets.enum_filter(f1, "horizon", HORIZONS, "dim_horizon")
    statuses = ui_widgets.enum_filter(f2, "status", STATUSES, "dim_status")
    f3.write("")
    quick_only = f3.toggle(t("filter_quick_win", lang), key="dim_quick")

    chosen = metrics.filter_programs(
        dataset.programs, horizons=horizons, statuses=statuses, quick_win_only=quick_only
    )
    st.caption(t("shown_n", lang, n=len(chosen), total=len(dataset.programs)))
    if chosen.empty:
        st.info(t("heatmap_empty", lang))
        return
    counts = metrics.program_counts(chosen, dataset.regions, "status")
    if len(dataset.regions) > 60:
        st.caption(t("br_heatmap_provinces", lang))
        counts = metrics.counts_by_province(counts, dataset.regions)
    # Drawn on the server: this page's ratio to a one-line page went 4.6x -> 3.5x without
    # plotly.js (bench/README.md); each cell's split by status is in the image's text.
    ui_widgets.chart_markup(svg_charts.category_heatmap(counts, "status", lang))
    st.subheader(t("top_agencies", lang))
    st.dataframe(
        tables.agency_table(metrics.top_agencies(chosen), lang), hide_index=True, width="stretch"
    )


filtered_view()
