"""Tables as the pages show them: localized headers and values, one place per table."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pandas as pd

from lib.i18n import enum_label, fmt_date_range, fmt_int, t
from lib.parse import is_missing
from lib.schema import SAMPLE_SOURCE


def _yes_no(value, lang: str) -> str:
    return t("yes", lang) if bool(value) and value is not pd.NA else t("no", lang)


def _text(value) -> str:
    return "" if is_missing(value) else str(value)


def source_label(value, lang: str) -> str:
    """Short enough for a table cell: the site of a public source, or "contoh"/"sample"."""
    text = _text(value)
    if text.strip().lower() == SAMPLE_SOURCE:
        return t("sample", lang)
    if re.match(r"https?://", text):
        return urlsplit(text).netloc.removeprefix("www.")
    return text


def source_links(stages: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(stage label, safe URL) for each stage whose source is a web address."""
    links = []
    for row in stages.sort_values("stage").itertuples():
        text = _text(row.source)
        if re.match(r"https?://[^\s]+$", text):
            safe = quote(text, safe=":/?&=#%.-_~+")
            links.append((enum_label("stage", int(row.stage), lang), safe))
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
                t("col_venue", lang): _text(row.venue),
                t("col_source", lang): source_label(row.source, lang),
                t("col_deliverable", lang): enum_label("deliverable", int(row.stage), lang),
                t("col_notes", lang): _text(row.notes),
            }
        )
    return pd.DataFrame(rows)


def program_table(programs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For the screen: budgets formatted the user's way."""
    frame = program_export(programs, lang)
    budget = t("col_budget", lang)
    frame[budget] = [fmt_int(v, lang) if pd.notna(v) else "" for v in frame[budget]]
    return frame


def program_export(programs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For downloads: the same columns, numbers left as numbers."""
    return pd.DataFrame(
        {
            t("col_program_id", lang): programs["program_id"].map(_text),
            t("col_program", lang): programs["name"].map(_text),
            t("col_dimension", lang): [
                enum_label("dimension", v, lang) for v in programs["dimension"]
            ],
            t("col_horizon", lang): [enum_label("horizon", v, lang) for v in programs["horizon"]],
            t("col_quick_win", lang): [_yes_no(v, lang) for v in programs["quick_win"]],
            t("col_status", lang): [enum_label("status", v, lang) for v in programs["status"]],
            t("col_agency", lang): programs["lead_agency"].map(_text),
            t("col_budget", lang): programs["budget_idr"].astype("Int64"),
            t("col_years", lang): [
                "–" if pd.isna(a) else (f"{a}" if a == b or pd.isna(b) else f"{a}–{b}")
                for a, b in zip(programs["start_year"], programs["end_year"], strict=True)
            ],
            t("col_source", lang): programs["source"].map(_text),
        }
    ).reset_index(drop=True)


def quick_win_table(programs: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_dimension", lang): [
                enum_label("dimension", v, lang) for v in programs["dimension"]
            ],
            t("col_program", lang): programs["name"].map(_text),
            t("col_agency", lang): programs["lead_agency"].map(_text),
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
