"""Ringkasan / Overview: all nine regions at a glance, for ministry officials."""

import streamlit as st
from streamlit_folium import st_folium

from lib import charts, config, metrics, ui
from lib.i18n import fmt_date, fmt_int, t
from lib.mapview import MAP_HEIGHT, clicked_region, regions_map

lang = ui.lang()
dataset = ui.current_dataset()
if dataset is None:
    st.stop()

reference = ui.reference_date()
ui.page_header(t("overview_title", lang), dataset, dataset.stages, dataset.programs)
st.caption(t("overview_caption", lang))

progress = metrics.region_progress(dataset.regions, dataset.stages, reference)
figures = metrics.headline(
    dataset.regions, dataset.stages, dataset.programs, reference, progress=progress
)
cards = st.columns(6)
ui.metric(cards[0], t("regions", lang), fmt_int(figures["regions"], lang))
ui.metric(
    cards[1],
    t("stages_done", lang),
    fmt_int(figures["stages_done"], lang),
    t("of_n", lang, n=fmt_int(figures["stages_total"], lang)),
)
ui.metric(
    cards[2],
    t("masterplans_complete", lang),
    fmt_int(figures["masterplans_complete"], lang),
    t("of_n", lang, n=fmt_int(figures["regions"], lang)),
)
ui.metric(cards[3], t("programs", lang), fmt_int(figures["programs"], lang))
ui.metric(cards[4], t("quick_wins", lang), fmt_int(figures["quick_wins"], lang))
ui.metric(
    cards[5],
    t("stages_late", lang),
    fmt_int(figures["stages_late"], lang),
    t("in_n_regions", lang, n=fmt_int(figures["regions_late"], lang)),
    help=t("late_at", lang, date=fmt_date(reference, lang)),
)

boundaries = ui.boundaries()
map_column, progress_column = st.columns([1.1, 1])
with map_column:
    st.subheader(t("map_title", lang))
    st.caption(t("map_help", lang))
    clicked = st_folium(
        regions_map(progress, lang, config.leaflet_base_url(), config.map_tile_url(), boundaries),
        key="overview_map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    point = (clicked or {}).get("last_object_clicked")
    if point:
        code = clicked_region(progress, boundaries, point["lat"], point["lng"])
        if code:
            st.switch_page("pages/region.py", query_params={"region": code})
with progress_column:
    st.subheader(t("progress_title", lang))
    st.plotly_chart(charts.progress_chart(progress, lang), config={"displayModeBar": False})
    late = progress[progress["is_late"]]
    if late.empty:
        st.success(t("no_late", lang))
    else:
        names = ", ".join(f"{r.name} ({r.stages_late})" for r in late.itertuples())
        st.warning(f"**{t('late_regions', lang)}:** {names}")

st.subheader(t("dimension_counts_title", lang))
stack_by = st.segmented_control(
    t("stack_by", lang),
    ["status", "horizon"],
    default="status",
    key="overview_stack_by",
    format_func=lambda key: t(f"filter_{key}", lang),
    required=True,
)
counts = metrics.program_counts(dataset.programs, dataset.regions, stack_by)
st.plotly_chart(charts.dimension_chart(counts, stack_by, lang), config={"displayModeBar": False})
