"""What every chart shares: colours (from lib/core/vocab.toml), when a scope is small enough for one
panel per region, and month ticks (short region names: lib.core.region_names). The charts
themselves are drawn on the server as SVG (lib/charts/svg.py): no page loads plotly.js."""

from __future__ import annotations

import pandas as pd

from lib.core import vocab
from lib.core.i18n import SHORT_MONTHS

STAGE_COLOURS = {0: vocab.SETTINGS["stage"]["none_colour"], **vocab.colours("stage")}
LATE_COLOUR = "#c62828"
CATEGORY_COLOURS = {**vocab.colours("status"), **vocab.colours("horizon")}
ZERO_COLOUR = "#f4f4f4"  # a heatmap's 0 has a grey of its own: "none" must not look like "a few"
SMALL_MULTIPLES_MAX = 12


def month_ticks(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> tuple[list, list]:
    """First days of the months from start to end (at most ~12) and their labels: "Okt 2021"."""
    months = pd.date_range(start.to_period("M").start_time, end, freq="MS")
    if len(months) > 12:
        months = months[:: (len(months) + 11) // 12]
    return list(months), [f"{SHORT_MONTHS[lang][m.month - 1]} {m.year}" for m in months]
