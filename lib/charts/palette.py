"""What every chart shares: colours (from lib/core/vocab.toml), when a scope is small enough for one
panel per region, month ticks (short region names: lib.core.region_names), the heatmap's scale
and the split of counts by category every kind of chart draws from."""

from __future__ import annotations

import pandas as pd

from lib.core import vocab
from lib.core.i18n import SHORT_MONTHS
from lib.core.schema import DIMENSIONS

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


HEAT_LOW, HEAT_HIGH = (0xC6, 0xDB, 0xEF), (0x08, 0x30, 0x6B)  # a heatmap's 1 and its largest


def _hex(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def heat_colour(value: float, top: float) -> str:
    """The heatmap's scale: a grey of its own for 0, then light to dark blue up to top."""
    if value <= 0 or top <= 0:
        return ZERO_COLOUR
    share = 0.0 if top <= 1 else (value - 1) / (top - 1)
    return _hex(round(a + (b - a) * share) for a, b in zip(HEAT_LOW, HEAT_HIGH, strict=True))


def heat_scale(top: int) -> list[list]:
    """The same scale as a plotly colourscale over 0..top (counts are whole numbers: 0 alone
    gets the grey, 1 the lightest blue)."""
    low, high = _hex(HEAT_LOW), _hex(HEAT_HIGH)
    if top <= 1:
        return [[0, ZERO_COLOUR], [0.5, ZERO_COLOUR], [0.5, low], [1, low]]
    edge, one = 0.5 / top, 1 / top  # 1 is the lightest blue, as heat_colour draws it
    return [[0, ZERO_COLOUR], [edge, ZERO_COLOUR], [edge, low], [one, low], [1, high]]


def split_table(counts: pd.DataFrame, by: str, categories: list[str]) -> pd.DataFrame:
    """counts (name, dimension, by, count) as one row per (name, dimension) in the order the
    names come, a column per category, zeros filled."""
    names = list(dict.fromkeys(counts["name"]))
    return (
        counts.pivot_table(
            index=["name", "dimension"], columns=by, values="count", aggfunc="sum", fill_value=0
        )
        .reindex(
            index=pd.MultiIndex.from_product([names, DIMENSIONS]),
            columns=categories,
            fill_value=0,
        )
        .astype(int)
    )
