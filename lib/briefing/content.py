"""What a briefing says: a region's (or a scope's) figures as localized text, ready to lay out.

Every figure comes from lib.core.metrics and lib.views.tables, the functions the pages call, so a
printed briefing can never disagree with the screen for the same data version and reference date.
The layout (lib.briefing.pdf) only places these strings; it computes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from lib.core import evidence as core_evidence
from lib.core import metrics
from lib.core.i18n import enum_label, fmt_date, fmt_date_range, fmt_int, fmt_pct, t
from lib.core.plain_text import text_or_blank
from lib.core.schema import DIMENSIONS, HORIZONS, SAMPLE_SOURCE
from lib.ingest.dataset import Dataset, has_sample_rows
from lib.views.evidence import completeness_line
from lib.views.tables import source_label

QUICK_WIN_ROWS = 8
ATTENTION_ROWS = 6


@dataclass
class Figure:
    label: str
    value: str
    note: str = ""
    alert: bool = False


@dataclass
class StageLine:
    stage: int
    label: str
    deliverable: str
    status: str
    late: bool
    done: bool
    planned: str
    actual: str
    venue: str
    source: str


@dataclass
class RegionBrief:
    lang: str
    code: str
    name: str
    subtitle: str
    figures: list[Figure]
    stages: list[StageLine]
    dimension_rows: list[list[str]]
    quick_wins: list[list[str]]
    quick_wins_more: int
    attention: list[str]
    sources: list[str]
    footer: str
    sample: bool


@dataclass
class PackSummary:
    lang: str
    title: str
    scope_label: str
    figures: list[Figure]
    areas: list[list[str]]
    ranking: list[list[str]]
    grouped_by: str = "province"
    late_ranks: set[int] = field(default_factory=set)
    footer: str = ""
    sample: bool = False


def _version_line(dataset: Dataset, reference: dt.date, lang: str) -> str:
    written = fmt_date(dataset.info.created_at, lang) if dataset.info else "–"
    line = t(
        "brief_footer",
        lang,
        version=dataset.version,
        written=written,
        reference=fmt_date(reference, lang),
    )
    # Which data the file holds while change sets are pending (README, "Verified data").
    view = dataset.view_key[0] if dataset.view_key else None
    if view in VIEW_NOTES:
        line = f"{line} · {t(VIEW_NOTES[view], lang)}"
    return line


VIEW_NOTES = {"official": "brief_official", "with_pending": "brief_with_pending"}


def _progress_row(progress: pd.DataFrame, code: str):
    match = progress[progress["region_code"] == code]
    if match.empty:
        raise KeyError(code)
    return match.iloc[0]


def _current_stage(row, lang: str) -> str:
    if row.complete:
        return t("complete", lang)
    return enum_label("stage", int(row.current_stage), lang)


def _subtitle(regions: pd.DataFrame, code: str, lang: str) -> str:
    match = regions[regions["region_code"] == code]
    parts = [code]
    if not match.empty:
        region = match.iloc[0]
        parts.append(enum_label("kind", region["kind"], lang))
        for column in ("province", "area"):
            if column in match and text_or_blank(region[column]).strip():
                parts.append(text_or_blank(region[column]))
    return " · ".join(parts)


def _sources(stages: pd.DataFrame, programs: pd.DataFrame, lang: str) -> list[str]:
    """Every distinct source, in full (a printed page cannot be clicked): URLs stay whole."""
    seen: list[str] = []
    for value in list(stages.sort_values("stage")["source"]) + list(programs["source"]):
        text = text_or_blank(value).strip()
        if not text:
            continue
        label = t("brief_sample_source", lang) if text.lower() == SAMPLE_SOURCE else text
        if label not in seen:
            seen.append(label)
    return seen


def _attention(stages, quick, outlook, reference: dt.date, lang: str) -> list[str]:
    """The overview's "needs attention" for this region (metrics.attention), spelt out."""
    items = []
    for row in stages[stages["late"]].sort_values("stage").itertuples():
        items.append(
            t(
                "brief_late_stage",
                lang,
                stage=enum_label("stage", int(row.stage), lang),
                planned_end=fmt_date(row.planned_end, lang),
                status=enum_label("status", row.status, lang),
            )
        )
    if outlook is not None and outlook.projected_miss:
        target = fmt_date(outlook.target_date, lang)
        if pd.isna(outlook.projected_end):
            items.append(t("brief_target_passed", lang, target=target))
        else:
            projected = fmt_date(outlook.projected_end, lang)
            items.append(t("brief_projected_miss", lang, target=target, projected=projected))
    for row in quick[quick["status"] == "planned"].itertuples():
        items.append(t("brief_quick_win_not_started", lang, name=text_or_blank(row.name)))
    if len(items) > ATTENTION_ROWS:
        rest = len(items) - (ATTENTION_ROWS - 1)
        items = items[: ATTENTION_ROWS - 1] + [t("brief_more", lang, n=fmt_int(rest, lang))]
    if not items:
        items = [t("brief_nothing_late", lang, date=fmt_date(reference, lang))]
    return items


def _evidence_line(region, stages, programs, evidenced: set | None, lang: str) -> list[str]:
    if evidenced is None or region.empty:
        return []
    row = core_evidence.by_region(region, stages, programs, evidenced).iloc[0]
    return [completeness_line(row, lang, "evidence_briefing_line")]


def region_brief(
    dataset: Dataset,
    code: str,
    reference: dt.date,
    lang: str,
    progress: pd.DataFrame | None = None,
    evidenced: set | None = None,
) -> RegionBrief:
    """The one-page briefing of a region; pass region_progress's result when making many.
    `evidenced`: the rows evidence backs (lib/storage/evidence.evidenced_targets), for the
    evidence completeness line under what needs attention."""
    if progress is None:
        progress = metrics.region_progress(dataset.regions, dataset.stages, reference)
    row = _progress_row(progress, code)
    region = dataset.regions[dataset.regions["region_code"] == code]
    outlook = metrics.attention(
        region, dataset.stages, reference, progress[progress.region_code == code]
    )
    outlook = outlook.iloc[0] if len(outlook) else None
    stages = metrics.stages_with_late(dataset.stages, reference)
    stages = stages[stages["region_code"] == code]
    programs = dataset.programs[dataset.programs["region_code"] == code]
    quick = metrics.filter_programs(programs, quick_win_only=True)
    figures = [
        Figure(
            t("progress_label", lang),
            f"{row.stages_done}/{metrics.STAGE_COUNT}",
            fmt_pct(row.progress, lang),
        ),
        Figure(t("current_stage", lang), _current_stage(row, lang)),
        Figure(
            t("stages_late", lang),
            fmt_int(row.stages_late, lang),
            t("late_at", lang, date=fmt_date(reference, lang)),
            alert=bool(row.stages_late),
        ),
        Figure(t("programs", lang), fmt_int(len(programs), lang)),
        Figure(t("quick_wins", lang), fmt_int(len(quick), lang)),
    ]
    lines = [
        StageLine(
            stage=int(s.stage),
            label=enum_label("stage", int(s.stage), lang),
            deliverable=enum_label("deliverable", int(s.stage), lang),
            status=enum_label("status", s.status, lang),
            late=bool(s.late),
            done=s.status == "done",
            planned=fmt_date_range(s.planned_start, s.planned_end, lang),
            actual=fmt_date_range(s.actual_start, s.actual_end, lang),
            venue=text_or_blank(s.venue),
            source=source_label(s.source, lang),
        )
        for s in stages.sort_values("stage").itertuples()
    ]
    matrix = metrics.dimension_by_horizon(programs)
    dimension_rows = [
        [enum_label("dimension", d, lang)]
        + [fmt_int(matrix.loc[d, h], lang) for h in HORIZONS]
        + [fmt_int(matrix.loc[d].sum(), lang)]
        for d in DIMENSIONS
    ]
    dimension_rows.append(
        [t("brief_total", lang)]
        + [fmt_int(matrix[h].sum(), lang) for h in HORIZONS]
        + [fmt_int(matrix.to_numpy().sum(), lang)]
    )
    quick_rows = [
        [
            enum_label("dimension", q.dimension, lang),
            text_or_blank(q.name),
            text_or_blank(q.lead_agency),
            enum_label("status", q.status, lang),
        ]
        for q in quick.itertuples()
    ]
    return RegionBrief(
        lang=lang,
        code=code,
        name=text_or_blank(row["name"]),
        subtitle=_subtitle(dataset.regions, code, lang),
        figures=figures,
        stages=lines,
        dimension_rows=dimension_rows,
        quick_wins=quick_rows[:QUICK_WIN_ROWS],
        quick_wins_more=max(0, len(quick_rows) - QUICK_WIN_ROWS),
        attention=_attention(stages, quick, outlook, reference, lang)
        + _evidence_line(region, stages, programs, evidenced, lang),
        sources=_sources(stages, programs, lang),
        footer=_version_line(dataset, reference, lang),
        sample=has_sample_rows(stages, programs),
    )


def _headline_figures(figures: dict[str, int], reference: dt.date, lang: str) -> list[Figure]:
    """The overview's six cards, worded as the overview words them."""
    return [
        Figure(t("regions", lang), fmt_int(figures["regions"], lang)),
        Figure(
            t("stages_done", lang),
            fmt_int(figures["stages_done"], lang),
            t("of_n", lang, n=fmt_int(figures["stages_total"], lang)),
        ),
        Figure(
            t("masterplans_complete", lang),
            fmt_int(figures["masterplans_complete"], lang),
            t("of_n", lang, n=fmt_int(figures["regions"], lang)),
        ),
        Figure(t("programs", lang), fmt_int(figures["programs"], lang)),
        Figure(t("quick_wins", lang), fmt_int(figures["quick_wins"], lang)),
        Figure(
            t("stages_late", lang),
            fmt_int(figures["stages_late"], lang),
            t("in_n_regions", lang, n=fmt_int(figures["regions_late"], lang)),
            alert=bool(figures["stages_late"]),
        ),
    ]


def _area_column(regions: pd.DataFrame) -> str:
    """Group the summary by area (kawasan) once regions carry one, else by province."""
    if "area" in regions and regions["area"].map(text_or_blank).str.strip().ne("").any():
        return "area"
    return "province"


def pack_summary(
    dataset: Dataset,
    reference: dt.date,
    lang: str,
    scope_label: str,
    progress: pd.DataFrame | None = None,
) -> PackSummary:
    """The pack's first page: headline figures, the areas, and the ranked progress."""
    regions, stages, programs = dataset.regions, dataset.stages, dataset.programs
    if progress is None:
        progress = metrics.region_progress(regions, stages, reference)
    figures = metrics.headline(regions, stages, programs, reference, progress=progress)
    column = _area_column(regions)
    grouped = regions if column == "area" else regions.assign(area=regions["province"])
    areas = [
        [
            text_or_blank(row.area) or "–",
            fmt_int(row.regions, lang),
            f"{fmt_int(row.stages_done, lang)} / {fmt_int(row.stages_total, lang)}",
            fmt_int(row.masterplans_complete, lang),
            fmt_int(row.regions_late, lang),
            fmt_int(row.programs, lang),
        ]
        for row in metrics.area_comparison(grouped, programs, progress).itertuples()
    ]
    ranking = []
    late_ranks = set()
    for rank, row in enumerate(progress.itertuples(), start=1):
        ranking.append(
            [
                fmt_int(rank, lang),
                f"{text_or_blank(row.name)} ({row.region_code})",
                f"{row.stages_done}/{metrics.STAGE_COUNT}",
                fmt_pct(row.progress, lang),
                _current_stage(row, lang),
                fmt_int(row.stages_late, lang) if row.stages_late else "",
            ]
        )
        if row.is_late:
            late_ranks.add(rank - 1)
    return PackSummary(
        lang=lang,
        title=t("brief_pack_title", lang),
        scope_label=scope_label,
        figures=_headline_figures(figures, reference, lang),
        areas=areas,
        ranking=ranking,
        grouped_by=column,
        late_ranks=late_ranks,
        footer=_version_line(dataset, reference, lang),
        sample=has_sample_rows(stages, programs),
    )


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z._]+", "-", text).strip("-").lower() or "all"


def file_name(
    subject: str, version: int, reference: dt.date, lang: str, extension: str = "pdf"
) -> str:
    """briefing_33.20_id_v3_2021-10-15.pdf: region (or scope), language, version, reference."""
    return f"briefing_{_slug(subject)}_{lang}_v{version}_{reference.isoformat()}.{extension}"
