"""What every plotly chart is given so it speaks the page language and fits a phone: the
plotly.js locale, built from Babel and passed inline (Streamlit's bundle carries only `en`), the
mode bar's tooltips in the page language, and layout defaults (separators, dates in
day-month-year order, colour bars across, every category labelled)."""

from __future__ import annotations

from babel.numbers import get_decimal_symbol, get_group_symbol

from lib.core.i18n import LOCALES, MONTHS, SHORT_MONTHS, t

# plotly.js's own English words (the keys of a locale's "dictionary") -> message ids.
MODEBAR_WORDS = {
    "Zoom": "modebar_zoom",
    "Pan": "modebar_pan",
    "Zoom in": "modebar_zoom_in",
    "Zoom out": "modebar_zoom_out",
    "Autoscale": "modebar_autoscale",
    "Reset axes": "modebar_reset_axes",
    "Reset view": "modebar_reset_view",
    "Box Select": "modebar_box_select",
    "Lasso Select": "modebar_lasso_select",
    "Download plot as a PNG": "modebar_download_png",
    "Download plot": "modebar_download",
    "Toggle Spike Lines": "modebar_spikes",
    "Show closest data on hover": "modebar_hover_closest",
    "Compare data on hover": "modebar_hover_compare",
    "Double-click to zoom back out": "modebar_double_click",
    "Double-click on legend to isolate one trace": "modebar_legend_isolate",
}
# d3 formats: day before month, as both languages write dates here ("1 Okt 2024").
DATE_TICKS = [
    {"dtickrange": [None, 86_400_000], "value": "%-d %b %Y %H:%M"},
    {"dtickrange": [86_400_000, "M1"], "value": "%-d %b\n%Y"},
    {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]
DATE_HOVER = "%-d %b %Y"


def _sunday_first(names: dict) -> list[str]:
    """Babel numbers days from Monday (0); plotly.js (d3) lists them from Sunday."""
    return [names[6], *(names[i] for i in range(6))]


def locale(lang: str) -> dict:
    """plotly.js's locale object for lang: format (names, separators) and dictionary."""
    babel_locale = LOCALES[lang]
    days = babel_locale.days["format"]
    return {
        "format": {
            "days": _sunday_first(days["wide"]),
            "shortDays": _sunday_first(days["abbreviated"]),
            "months": MONTHS[lang],
            "shortMonths": SHORT_MONTHS[lang],
            "decimal": get_decimal_symbol(babel_locale),
            "thousands": get_group_symbol(babel_locale),
        },
        "dictionary": {english: t(key, lang) for english, key in MODEBAR_WORDS.items()},
    }


def config(lang: str) -> dict:
    """st.plotly_chart's config: the locale inline, no plotly logo, the mode bar only on hover
    (a tap on a phone) with the buttons a reader of these charts uses."""
    return {
        "locale": lang,
        "locales": {lang: locale(lang)},
        "displaylogo": False,
        "displayModeBar": "hover",
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "toggleSpikelines"],
        "responsive": True,
    }


def separators(lang: str) -> str:
    """layout.separators: the decimal mark then the thousands mark ("," "." in Indonesian)."""
    babel_locale = LOCALES[lang]
    return get_decimal_symbol(babel_locale) + get_group_symbol(babel_locale)


def layout(lang: str, top_margin: int = 36) -> dict:
    """Layout defaults: the page's separators, room above the plot for the mode bar so it never
    covers a label, a plain font and white background."""
    return {
        "separators": separators(lang),
        "margin": {"l": 8, "r": 8, "t": top_margin, "b": 8, "autoexpand": True},
        "font": {"size": 12},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
    }


def date_axis() -> dict:
    """A date axis: ticks and hover in day-month-year order at every zoom."""
    return {"type": "date", "tickformatstops": DATE_TICKS, "hoverformat": DATE_HOVER}


def category_axis() -> dict:
    """A category axis: every category labelled (plotly skips some when crowded), across when
    they fit (a desk), upright when not (a phone: at 30 degrees they ran into each other)."""
    return {"type": "category", "dtick": 1, "automargin": True, "autotickangles": [0, 90]}


def colour_bar() -> dict:
    """A colour bar lying across below the plot: upright it took 40 % of a phone's width. No
    title: plotly.js drew it across the bar (the hover and every cell's number name the count)."""
    return {
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "yref": "container",
        "y": 0,
        "yanchor": "bottom",
        "thickness": 10,
        "len": 1,
        "lenmode": "fraction",
        "outlinewidth": 0,
    }
