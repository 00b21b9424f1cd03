"""Ringkasan / Overview: every region of the chosen scope at a glance, for ministry officials."""

import streamlit as st

from lib.charts import palette
from lib.charts import svg as svg_charts
from lib.core import scope as scopes
from lib.core.i18n import fmt_date, fmt_int, t
from lib.core.plain_text import t_text
from lib.ui import cache as ui_cache
from lib.ui import evidence as ui_evidence
from lib.ui import lang as ui_lang
from lib.ui import layout as ui_layout
from lib.ui import map as ui_map
from lib.ui import page as ui_page
from lib.ui import scope as ui_scope
from lib.ui import widgets as ui_widgets
from lib.ui.briefing import pack_button
from lib.views import tables

lang = ui_lang.lang()
dataset, scope = ui_scope.scoped_dataset()
if dataset is None:
    st.stop()

reference = ui_lang.reference_date()
ui_page.page_header(t("overview_title", lang), dataset, dataset.stages, dataset.programs)
label = scopes.label(scope, lang)
# The area or province name comes from the data: shown as typed, never as Markdown.
st.caption(t_text("br_overview_caption", lang, scope=label, n=len(dataset.regions)))
pack_button(dataset, reference, lang, label, scopes.file_part(scope))

derived = ui_cache.overview(dataset, scope, reference)
progress, figures = derived["progress"], derived["headline"]
cards = ui_layout.headline_cards(6)
ui_widgets.metric(cards[0], t("regions", lang), fmt_int(figures["regions"], lang))
ui_widgets.metric(
    cards[1],
    t("stages_done", lang),
    fmt_int(figures["stages_done"], lang),
    t("of_n", lang, n=fmt_int(figures["stages_total"], lang)),
)
ui_widgets.metric(
    cards[2],
    t("masterplans_complete", lang),
    fmt_int(figures["masterplans_complete"], lang),
    t("of_n", lang, n=fmt_int(figures["regions"], lang)),
)
ui_widgets.metric(cards[3], t("programs", lang), fmt_int(figures["programs"], lang))
ui_widgets.metric(cards[4], t("quick_wins", lang), fmt_int(figures["quick_wins"], lang))
ui_widgets.metric(
    cards[5],
    t("stages_late", lang),
    fmt_int(figures["stages_late"], lang),
    t("in_n_regions", lang, n=fmt_int(figures["regions_late"], lang)),
    help=t("late_at", lang, date=fmt_date(reference, lang)),
)

map_column, progress_column = st.columns([1.1, 1])
with map_column:
    st.subheader(t("map_title", lang))
    st.caption(t("map_help", lang))
    code = ui_map.regions(progress, ui_cache.data_key(dataset, scope), reference, lang)
    if code:
        st.switch_page("pages/region.py", query_params={"region": code})
with progress_column:
    st.subheader(t("progress_title", lang))
    if len(progress) <= palette.SMALL_MULTIPLES_MAX:
        ui_widgets.chart_markup(svg_charts.progress_chart(progress, lang))
    else:
        st.caption(t("br_progress_table_help", lang))
        ui_scope.progress_table(tables.progress_table(progress, lang), lang, height=460)

ui_scope.attention_section(derived["attention"], lang)
ui_evidence.missing_section(dataset, lang)

comparison = derived["areas"]
if comparison is not None and len(comparison) > 1:
    st.subheader(t("br_areas_title", lang))
    ui_scope.progress_table(tables.area_table(comparison, lang), lang)


@st.fragment
def dimension_counts() -> None:
    """Its own fragment: changing what the bars are stacked by redraws only this part."""
    st.subheader(t("dimension_counts_title", lang))
    stack_by = st.segmented_control(
        t("stack_by", lang),
        ["status", "horizon"],
        default="status",
        key="overview_stack_by",
        format_func=lambda key: t(f"filter_{key}", lang),
        required=True,
    )
    if len(dataset.regions) <= palette.SMALL_MULTIPLES_MAX:
        counts = ui_cache.program_counts(dataset, scope, stack_by)
        markup = svg_charts.dimension_chart(counts, stack_by, lang)
    else:
        by_province = len(dataset.regions) > ui_cache.PROVINCE_ROWS_FROM
        st.caption(t("br_heatmap_provinces" if by_province else "br_heatmap_regions", lang))
        counts = ui_cache.program_counts(dataset, scope, stack_by, by_province)
        markup = ui_cache.figure(
            ("overview", *ui_cache.data_key(dataset, scope), stack_by, lang),
            lambda: svg_charts.category_heatmap(counts, stack_by, lang),
        )
    ui_widgets.chart_markup(markup)


dimension_counts()
