"""Tables as the pages show them: localized headers and values, one place per table."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pandas as pd

from lib.core.i18n import enum_label, fmt_date, fmt_date_range, fmt_int, t
from lib.core.metrics import STAGE_COUNT
from lib.core.plain_text import text_or_blank
from lib.core.schema import SAMPLE_SOURCE


def _yes_no(value, lang: str) -> str:
    return t("yes", lang) if bool(value) and value is not pd.NA else t("no", lang)


def source_label(value, lang: str) -> str:
    """Short enough for a table cell: the site of a public source, or "contoh"/"sample"."""
    text = text_or_blank(value)
    if text.strip().lower() == SAMPLE_SOURCE:
        return t("sample", lang)
    if re.match(r"https?://", text):
        return urlsplit(text).netloc.removeprefix("www.")
    return text


def source_links(stages: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(link text, safe URL) for each stage whose source is a web address."""
    links = []
    for row in stages.sort_values("stage").itertuples():
        text = text_or_blank(row.source)
        if re.match(r"https?://[^\s]+$", text):
            safe = quote(text, safe=":/?&=#%.-_~+")
            # Named by stage and site ("Bimtek 4 · suryamedia.id"): a link called only
            # "Bimtek 4" did not say where it leads.
            stage = enum_label("stage", int(row.stage), lang)
            links.append((f"{stage} · {source_label(text, lang)}", safe))
    return links


def stage_table(stages: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = []
    for row in stages.sort_values("stage").itertuples():
        status = enum_label("status", row.status, lang)
        if getattr(row, "late", False):
            status = f"⚠ {status} ({t('late_flag', lang)})"
        rows.append(
            {
                t("col_stage", lang): enum_label("stage", int(row.stage), lang),
                t("col_status", lang): status,
                t("col_planned", lang): fmt_date_range(row.planned_start, row.planned_end, lang),
                t("col_actual", lang): fmt_date_range(row.actual_start, row.actual_end, lang),
                t("col_venue", lang): text_or_blank(row.venue),
                t("col_source", lang): source_label(row.source, lang),
                t("col_deliverable", lang): enum_label("deliverable", int(row.stage), lang),
                t("col_notes", lang): text_or_blank(row.notes),
            }
        )
    return pd.DataFrame(rows)


def program_table(programs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For the screen: budgets formatted the user's way."""
    frame = program_export(programs, lang)
    budget = t("col_budget", lang)
    frame[budget] = [fmt_int(v, lang) if pd.notna(v) else "" for v in frame[budget]]
    frame[t("col_source", lang)] = [source_label(v, lang) for v in programs["source"]]
    return frame


def program_export(programs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For downloads: the same columns, numbers left as numbers."""
    return pd.DataFrame(
        {
            t("col_program_id", lang): programs["program_id"].map(text_or_blank),
            t("col_program", lang): programs["name"].map(text_or_blank),
            t("col_dimension", lang): [
                enum_label("dimension", v, lang) for v in programs["dimension"]
            ],
            t("col_horizon", lang): [enum_label("horizon", v, lang) for v in programs["horizon"]],
            t("col_quick_win", lang): [_yes_no(v, lang) for v in programs["quick_win"]],
            t("col_status", lang): [enum_label("status", v, lang) for v in programs["status"]],
            t("col_agency", lang): programs["lead_agency"].map(text_or_blank),
            t("col_budget", lang): programs["budget_idr"].astype("Int64"),
            t("col_years", lang): [
                "–" if pd.isna(a) else (f"{a}" if a == b or pd.isna(b) else f"{a}–{b}")
                for a, b in zip(programs["start_year"], programs["end_year"], strict=True)
            ],
            t("col_source", lang): programs["source"].map(text_or_blank),
        }
    ).reset_index(drop=True)


def quick_win_table(programs: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_dimension", lang): [
                enum_label("dimension", v, lang) for v in programs["dimension"]
            ],
            t("col_program", lang): programs["name"].map(text_or_blank),
            t("col_agency", lang): programs["lead_agency"].map(text_or_blank),
            t("col_status", lang): [enum_label("status", v, lang) for v in programs["status"]],
        }
    ).reset_index(drop=True)


def agency_table(top: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per dimension: "1. Diskominfo (6)", "2. Bappeda (4)", ..."""
    rows = []
    for dimension, group in top.groupby("dimension", sort=False):
        row = {t("col_dimension", lang): enum_label("dimension", dimension, lang)}
        for item in group.itertuples():
            row[f"#{item.rank}"] = f"{item.lead_agency} ({item.count})"
        rows.append(row)
    return pd.DataFrame(rows).fillna("")


def progress_table(progress: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Ranked progress for many regions: one compact row each (the page shows "progress" as a
    bar column)."""
    return pd.DataFrame(
        {
            t("br_col_rank", lang): range(1, len(progress) + 1),
            t("br_col_region", lang): progress["name"].map(text_or_blank),
            t("br_col_progress", lang): progress["progress"].astype(float),
            t("col_stages_done", lang): [f"{d}/{STAGE_COUNT}" for d in progress["stages_done"]],
            t("br_col_stages_late", lang): progress["stages_late"].astype(int),
        }
    )


def attention_table(attention: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Regions needing attention with why: late stages now, or a projected finish too late."""
    rows = attention[attention["needs_attention"]]
    reasons = []
    for row in rows.itertuples():
        parts = []
        if row.stages_late:
            parts.append(t("br_reason_late", lang, n=int(row.stages_late)))
        if row.projected_miss:
            parts.append(
                t("br_reason_past_target", lang)
                if pd.isna(row.projected_end)
                else t("br_reason_projected", lang, date=fmt_date(row.projected_end, lang))
            )
        reasons.append("; ".join(parts))
    return pd.DataFrame(
        {
            t("br_col_region", lang): rows["name"].map(text_or_blank),
            t("col_stages_done", lang): [f"{d}/{STAGE_COUNT}" for d in rows["stages_done"]],
            t("br_col_target", lang): [fmt_date(v, lang) for v in rows["target_date"]],
            t("br_col_reason", lang): reasons,
        }
    ).reset_index(drop=True)


def area_table(comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("br_col_area", lang): [a or t("br_no_area", lang) for a in comparison["area"]],
            t("regions", lang): comparison["regions"].astype(int),
            t("br_col_progress", lang): comparison["progress"].astype(float),
            t("stages_done", lang): [
                f"{fmt_int(d, lang)} / {fmt_int(n, lang)}"
                for d, n in zip(comparison["stages_done"], comparison["stages_total"], strict=True)
            ],
            t("masterplans_complete", lang): comparison["masterplans_complete"].astype(int),
            t("br_col_regions_late", lang): comparison["regions_late"].astype(int),
            t("programs", lang): comparison["programs"].astype(int),
        }
    )
