"""The Dimensi heatmap as a chart a reader explores (plotly): rows (regions or provinces) x the
six dimensions, the total in each cell, its split by status or horizon on hover, a click on a
region's cell naming the region. Every text from the data is HTML-escaped: plotly.js draws a few
tags (<b>, <a href>, <br>) in hover text and tick labels."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from lib.charts import plotly_locale
from lib.charts.palette import heat_scale, split_table
from lib.core.i18n import enum_label, fmt_int, t
from lib.core.region_names import short_name
from lib.core.schema import DIMENSIONS, HORIZONS, STATUSES

ROW_PX, FRAME_PX = 26, 150
TALL_ROWS = 12  # per row; the axis labels, the colour bar and the mode bar's room


def _categories(by: str, lang: str) -> list[tuple[str, str]]:
    codes = STATUSES if by == "status" else HORIZONS
    return [(code, enum_label(by, code, lang)) for code in codes]


def whole_ticks(top: int, most: int = 6) -> list[int]:
    """Colour bar ticks at whole counts (plotly's own read "0,5" programs)."""
    step = max(1, -(-top // (most - 1)))
    return list(range(0, max(top, 1) + 1, step))


def row_labels(names: list[str]) -> list[str]:
    """Short names ("Kab. Magelang") unless two rows would then read alike."""
    short = [short_name(n) for n in names]
    return short if len(set(short)) == len(short) else [str(n) for n in names]


def figure(counts: pd.DataFrame, by: str, lang: str) -> go.Figure:
    """counts: name, dimension, `by`, count (and region_code for regions: a click's target)."""
    categories = _categories(by, lang)
    table = split_table(counts, by, [code for code, _ in categories])
    names = list(dict.fromkeys(counts["name"]))
    codes = (
        counts.drop_duplicates("name").set_index("name")["region_code"].reindex(names).fillna("")
        if "region_code" in counts
        else pd.Series("", index=names)
    )
    dims = [enum_label("dimension", d, lang) for d in DIMENSIONS]
    rows = [escape(label) for label in row_labels(names)]
    z = [[int(table.loc[(name, d)].sum()) for d in DIMENSIONS] for name in names]
    top = max((max(row) for row in z), default=0)
    cells = pd.DataFrame(
        [
            {
                "x": dims[j],
                "y": rows[i],
                "name": escape(str(name)),
                "split": "<br>".join(
                    f"{escape(label)}: {fmt_int(table.loc[(name, d), code], lang)}"
                    for code, label in categories
                ),
                "code": str(codes[name]),
                "count": fmt_int(z[i][j], lang),
            }
            for i, name in enumerate(names)
            for j, d in enumerate(DIMENSIONS)
        ]
    )
    colours = go.Heatmap(
        z=z,
        x=dims,
        y=rows,
        zmin=0,
        zmax=max(top, 1),
        colorscale=heat_scale(top),
        texttemplate="%{z:,d}",
        hoverinfo="skip",
        xgap=1,
        ygap=1,
        colorbar={**plotly_locale.colour_bar(), "tickvals": whole_ticks(top)},
    )
    # Streamlit 1.67 reports no click on a heatmap cell (a scatter point it does): an unseen
    # point at each cell's centre carries the hover text and the click.
    count_word = escape(t("col_count", lang))
    hidden = {"marker": {"opacity": 0}}
    points = go.Scatter(
        x=cells["x"],
        y=cells["y"],
        mode="markers",
        marker={"size": 24, "symbol": "square", "opacity": 0},
        selected=hidden,
        unselected=hidden,
        customdata=cells[["name", "split", "code", "count"]].values.tolist(),
        hovertemplate=(
            f"<b>%{{customdata[0]}}</b><br>%{{x}} · {count_word}: %{{customdata[3]}}"
            "<br>%{customdata[1]}<extra></extra>"
        ),
        showlegend=False,
    )
    fig = go.Figure([colours, points], plotly_locale.layout(lang))
    # No drag-to-zoom: on a phone a finger on the chart must still scroll the page. Hover
    # finds the nearest cell however far from its centre.
    fig.update_layout(height=FRAME_PX + ROW_PX * len(names), dragmode=False, hoverdistance=-1)
    # The cells' edges, not the unseen points' padding, bound the plot.
    edges = {"showgrid": False, "zeroline": False}
    fig.update_xaxes(plotly_locale.category_axis(), range=[-0.5, len(dims) - 0.5], **edges)
    if len(rows) > TALL_ROWS:
        # Many rows (provinces): the dimension names above them too, not only a long scroll
        # away. plotly.js makes no room for an overlaying axis's labels; upright on a phone
        # they take up to ~100 px ("Environment").
        room = 110
        fig.update_layout(
            height=fig.layout.height + room,
            margin_t=plotly_locale.layout(lang)["margin"]["t"] + room,
        )
        fig.update_layout(
            xaxis2={
                **plotly_locale.category_axis(),
                "side": "top",
                "overlaying": "x",
                "matches": "x",
                "showgrid": False,
                "zeroline": False,
            }
        )
        fig.add_trace(
            go.Scatter(
                x=dims,
                y=[rows[0]] * len(dims),
                xaxis="x2",
                mode="markers",
                marker={"opacity": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.update_yaxes(plotly_locale.category_axis(), range=[len(rows) - 0.5, -0.5], **edges)
    return fig


def text(counts: pd.DataFrame, by: str, lang: str) -> str:
    """What the chart shows, as text a screen reader reads: one line per cell."""
    return "\n".join(
        [t("col_count", lang)]
        + [
            f"{row[0]} · {row[1]}: {row[2]} ({', '.join(row[3:])})"
            for row in _rows(counts, by, lang, formatted=True)
        ]
    )


def _rows(counts: pd.DataFrame, by: str, lang: str, formatted: bool) -> list[list]:
    categories = _categories(by, lang)
    table = split_table(counts, by, [code for code, _ in categories])
    out = []
    for (name, dimension), split in table.iterrows():
        values = [int(split[code]) for code, _ in categories]
        if formatted:
            parts = [fmt_int(sum(values), lang)]
            parts += [
                f"{label} {fmt_int(v, lang)}"
                for (_, label), v in zip(categories, values, strict=True)
            ]
        else:
            parts = [sum(values), *values]
        out.append([name, enum_label("dimension", dimension, lang), *parts])
    return out


def table(counts: pd.DataFrame, by: str, lang: str, place_word: str) -> pd.DataFrame:
    """The chart's figures as a table a reader can open: place, dimension, total, the split."""
    columns = [place_word, t("col_dimension", lang), t("col_count", lang)]
    columns += [label for _, label in _categories(by, lang)]
    return pd.DataFrame(_rows(counts, by, lang, formatted=False), columns=columns)


def build(counts: pd.DataFrame, lang: str) -> dict:
    """What the Dimensi page draws, split by status: the figure, its text and its table."""
    place = t("br_col_region", lang)
    return {
        "figure": figure(counts, "status", lang),
        "text": text(counts, "status", lang),
        "table": table(counts, "status", lang, place),
    }
