"""Dimensi / Dimensions: programs per region x smart-city dimension, with filters."""

import streamlit as st

from lib.charts import heatmap
from lib.core.i18n import fmt_int, t
from lib.core.schema import HORIZONS, STATUSES
from lib.ui import cache as ui_cache
from lib.ui import explore as ui_explore
from lib.ui import lang as ui_lang
from lib.ui import page as ui_page
from lib.ui import scope as ui_scope
from lib.ui import widgets as ui_widgets
from lib.views import tables

lang = ui_lang.lang()
dataset, scope = ui_scope.scoped_dataset()
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

    # Cached per data version, scope and filters: a rerun recomputes nothing unchanged.
    view = ui_cache.dimension_view(dataset, scope, horizons, statuses, quick_only)
    shown, total = fmt_int(view["shown"], lang), fmt_int(len(dataset.programs), lang)
    st.caption(t("shown_n", lang, n=shown, total=total))
    if not view["shown"]:
        st.info(t("heatmap_empty", lang))
        return
    if len(dataset.regions) > ui_cache.PROVINCE_ROWS_FROM:
        st.caption(t("br_heatmap_provinces", lang))
    key = ("dimensions", *ui_cache.data_key(dataset, scope), *map(tuple, (horizons, statuses)))
    # plotly: a reader explores here (hover for a cell's split, many rows); ~1 MB of plotly.js
    # once, the headline not delayed (bench/README.md). The overview stays SVG.
    chart = ui_cache.figure((*key, quick_only, lang), lambda: heatmap.build(view["counts"], lang))
    by_region = len(dataset.regions) <= ui_cache.PROVINCE_ROWS_FROM
    if by_region:
        st.caption(t("chart_opens_region", lang))
    points = ui_explore.chart(chart["figure"], lang, chart["text"], "dim_heatmap", by_region)
    code = ui_explore.clicked(points, column=2)
    if code:
        st.switch_page("pages/region.py", query_params={"region": code})
    ui_explore.figures_table(chart["table"], lang)
    st.subheader(t("top_agencies", lang))
    st.dataframe(tables.agency_table(view["agencies"], lang), hide_index=True, width="stretch")


filtered_view()
