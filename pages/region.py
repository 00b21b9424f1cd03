"""Wilayah / Region: one region's stages, programs and quick wins, for its regional head."""

import streamlit as st

from lib.charts import svg as svg_charts
from lib.core import metrics
from lib.core.i18n import enum_label, fmt_date, fmt_int, fmt_pct, t
from lib.core.plain_text import escape_markdown, markdown_safe_frame
from lib.core.schema import DIMENSIONS, HORIZONS, STATUSES
from lib.ingest import export
from lib.ui import cards as ui_cards
from lib.ui import evidence as ui_evidence
from lib.ui import lang as ui_lang
from lib.ui import layout as ui_layout
from lib.ui import page as ui_page
from lib.ui import scope as ui_scope
from lib.ui import widgets as ui_widgets
from lib.ui.briefing import region_buttons
from lib.views import tables

lang = ui_lang.lang()
scoped, _scope = ui_scope.scoped_dataset()
if scoped is None:
    st.stop()
dataset = ui_page.current_dataset()  # a region's own figures do not depend on the scope

reference = ui_lang.reference_date()
code = ui_scope.region_picker(scoped, lang)
if code is None:
    st.stop()
names = ui_scope.region_names(scoped)

stages = metrics.stages_with_late(dataset.stages[dataset.stages["region_code"] == code], reference)
programs = dataset.programs[dataset.programs["region_code"] == code]
ui_page.page_header(names[code], dataset, stages, programs)

region = dataset.regions[dataset.regions["region_code"] == code]
row = metrics.region_progress(region, stages, reference).iloc[0]
status_cols = ui_layout.headline_cards(4)
ui_widgets.metric(
    status_cols[0],
    t("progress_label", lang),
    f"{row.stages_done}/{metrics.STAGE_COUNT}",
    fmt_pct(row.progress, lang),
)
ui_widgets.metric(
    status_cols[1],
    t("current_stage", lang),
    t("complete", lang) if row.complete else enum_label("stage", int(row.current_stage), lang),
)
ui_widgets.metric(
    status_cols[2],
    t("stages_late", lang),
    str(row.stages_late),
    help=t("late_at", lang, date=fmt_date(reference, lang)),
)
ui_widgets.metric(status_cols[3], t("programs", lang), str(len(programs)))
region_buttons(dataset, code, reference, lang)

st.subheader(t("timeline_title", lang))
ui_cards.desk_and_phone(
    "timeline",
    lambda: ui_widgets.chart_markup(svg_charts.timeline_chart(stages, reference, lang)),
    lambda: ui_widgets.chart_markup(svg_charts.timeline_chart(stages, reference, lang, 360)),
)

st.subheader(t("stage_details", lang))
# Four rows: a static table shows every column (Deliverable, Notes) wrapped, none cut.
stage_rows = tables.stage_table(stages, lang)
ui_cards.grid_or_cards(
    "stages",
    stage_rows,
    t("col_stage", lang),
    lambda: st.table(markdown_safe_frame(stage_rows), hide_index=True),
)
links = tables.source_links(stages, lang)
if links:
    st.caption(
        f"{t('col_source', lang)}: "
        + "; ".join(f"[{escape_markdown(label)}]({url})" for label, url in links)
    )

left, right = st.columns(2)
with left:
    st.subheader(t("dimension_horizon", lang))
    matrix = metrics.dimension_by_horizon(programs)
    ui_widgets.chart_markup(svg_charts.dimension_horizon_chart(matrix, lang))
with right:
    st.subheader(t("quick_wins_title", lang))
    quick = metrics.filter_programs(programs, quick_win_only=True)
    if quick.empty:
        st.info(t("no_quick_wins", lang))
    else:
        st.table(markdown_safe_frame(tables.quick_win_table(quick, lang)), hide_index=True)

st.subheader(t("program_table", lang))
f1, f2, f3 = st.columns(3)
chosen_dimensions = ui_widgets.enum_filter(f1, "dimension", DIMENSIONS, "region_dim")
chosen_horizons = ui_widgets.enum_filter(f2, "horizon", HORIZONS, "region_horizon")
chosen_statuses = ui_widgets.enum_filter(f3, "status", STATUSES, "region_status")
shown = metrics.filter_programs(
    programs, dimensions=chosen_dimensions, horizons=chosen_horizons, statuses=chosen_statuses
)
st.caption(t("shown_n", lang, n=fmt_int(len(shown), lang), total=fmt_int(len(programs), lang)))
ui_layout.wide_table(
    tables.program_table(shown, lang),
    {t("col_program", lang): "large", t("col_agency", lang): "medium"},
)
st.download_button(
    t("download_csv", lang),
    data=export.csv_bytes(tables.program_export(shown, lang)),
    file_name=f"program_{code}.csv",
    mime="text/csv",
    key="region_download",
)

ui_evidence.section(region, stages, programs, lang)
