"""The boundary import report as users read it (page and command line)."""

from __future__ import annotations

import pandas as pd

from lib.core.i18n import fmt_number, t
from lib.geo.boundaries import MatchReport


def summary(report: MatchReport, regions: pd.DataFrame, lang: str) -> str:
    text = t(
        "match_summary",
        lang,
        matched=len(report.codes()),
        regions=len(regions),
        ambiguous=report.count("ambiguous"),
        unmatched=report.count("unmatched"),
        non_admin=report.count("non_administrative"),
        tolerance=fmt_number(report.tolerance, lang, 4),
        size=fmt_number(report.web_bytes / 1000, lang, 0),
        crs=report.source_crs,
        repaired=report.repaired,
    )
    if report.over_budget:
        text += " " + t(
            "geo_over_budget",
            lang,
            budget=fmt_number(report.budget / 1000, lang, 0),
            size=fmt_number(report.web_bytes / 1000, lang, 0),
        )
    missing = regions[~regions["region_code"].isin(report.codes())]
    if len(missing):
        text += " " + t("missing_regions", lang, names=", ".join(missing["name"]))
    return text


METHODS = {"code": "geo_method_code", "name": "geo_method_name"}  # how a feature was matched


def rows(report: MatchReport, lang: str) -> pd.DataFrame:
    order = {"ambiguous": 0, "non_administrative": 1, "matched": 2, "unmatched": 3}
    data = report.rows.sort_values("status", key=lambda s: s.map(order), kind="stable")
    return pd.DataFrame(
        {
            t("col_feature", lang): data["name"],
            t("col_status", lang): [t(f"status_{v}", lang) for v in data["status"]],
            t("col_code", lang): data["region_code"].fillna(""),
            t("col_method", lang): [t(METHODS[v], lang) if v else "" for v in data["method"]],
        }
    ).reset_index(drop=True)
