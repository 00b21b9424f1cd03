"""Plotly figures. Each takes tidy frames from lib.metrics and a language; nothing else."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from lib import vocab
from lib.i18n import LOCALES, MONTHS, enum_label, fmt_date, fmt_date_range, fmt_int, t
from lib.metrics import STAGE_COUNT
from lib.schema import DIMENSIONS, HORIZONS, STATUSES

STAGE_COLOURS = {0: vocab.SETTINGS["stage"]["none_colour"], **vocab.colours("stage")}
LATE_COLOUR = "#c62828"
CATEGORY_COLOURS = {**vocab.colours("status"), **vocab.colours("horizon")}
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=13)


def _separators(lang: str) -> str:
    # plotly: first character is the decimal mark, second the thousands separator
    symbols = LOCALES[lang].number_symbols["latn"]
    return symbols["decimal"] + symbols["group"]


def _layout(fig: go.Figure, lang: str, height: int) -> go.Figure:
    fig.update_layout(
        separators=_separators(lang),
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=FONT,
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title=None),
        hoverlabel=dict(font=FONT),
    )
    return fig


def _escape(text: object) -> str:
    """Plotly renders hover and tick text as HTML-ish markup: data text must stay text."""
    return html.escape("" if text is None or text is pd.NA else str(text))


def progress_chart(progress: pd.DataFrame, lang: str) -> go.Figure:
    """Stages done (0-4) per region; late regions get a red outline and a note."""
    data = progress.iloc[::-1]  # plotly draws the first row at the bottom
    labels = [_escape(n) for n in data["name"]]
    texts = []
    for row in data.itertuples():
        # Short enough to stay inside a phone-wide chart; the hover says "late" in words.
        text = f"{row.stages_done}/{STAGE_COUNT}"
        if row.stages_late:
            text += f" ⚠{row.stages_late}"
        texts.append(text)
    fig = go.Figure(
        go.Bar(
            x=data["stages_done"],
            y=labels,
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker=dict(
                color=[STAGE_COLOURS[int(s)] for s in data["stages_done"]],
                line=dict(
                    color=[LATE_COLOUR if late else "rgba(0,0,0,0)" for late in data["is_late"]],
                    width=2.5,
                ),
            ),
            customdata=[t("br_late_n", lang, n=int(n)) if n else "" for n in data["stages_late"]],
            hovertemplate=f"%{{y}}: %{{x}}/{STAGE_COUNT} %{{customdata}}<extra></extra>",
        )
    )
    fig.update_xaxes(
        range=[0, 5.4],
        tickvals=[0, 1, 2, 3, 4],
        title=t("col_stages_done", lang),
        gridcolor="#e5e5e5",
    )
    fig.update_yaxes(automargin=True)
    return _layout(fig, lang, height=70 + 34 * len(data))


def _small_multiples(
    titles: list[str], cols: int, x_props: dict, y_props: dict, gap_x=0.04, gap_y=0.12
) -> tuple[dict, int]:
    """Axis domains and title annotations for a grid of panels, as one layout dict.

    Building it by hand is ~10x faster than make_subplots plus update_xaxes/update_yaxes.
    """
    rows = max(1, (len(titles) + cols - 1) // cols)
    # A fixed share per gap left negative panel heights from 10 rows up: keep gaps <= 35 %.
    gap_y = min(gap_y, 0.35 / (rows - 1)) if rows > 1 else gap_y
    width = (1 - gap_x * (cols - 1)) / cols
    height = (1 - gap_y * (rows - 1)) / rows
    layout: dict = {"annotations": []}
    for i, title in enumerate(titles):
        row, col = divmod(i, cols)
        suffix = "" if i == 0 else str(i + 1)
        x0 = round(col * (width + gap_x), 6)
        y1 = round(1 - row * (height + gap_y), 6)
        layout[f"xaxis{suffix}"] = {
            **x_props,
            "domain": [x0, min(1, x0 + width)],
            "anchor": f"y{suffix}",
        }
        layout[f"yaxis{suffix}"] = {
            **y_props,
            "domain": [max(0, round(y1 - height, 6)), y1],
            "anchor": f"x{suffix}",
        }
        if i:
            layout[f"yaxis{suffix}"]["matches"] = "y"
        layout["annotations"].append(
            {
                "text": title,
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    return layout, rows


SMALL_MULTIPLES_MAX = 12


def short_name(name: str) -> str:
    """ "Kab. Karanganyar": panel titles of a phone-wide grid must not run into each other."""
    text = str(name)
    for long, short in (("Kabupaten ", "Kab. "), ("Kota Administrasi ", "Kota Adm. ")):
        if text.startswith(long):
            return short + text[len(long) :]
    return text


def dimension_chart(counts: pd.DataFrame, by: str, lang: str) -> go.Figure:
    """Small multiples: one panel per region, six dimension bars stacked by status/horizon."""
    names = list(dict.fromkeys(counts["name"]))
    grid, rows = _small_multiples(
        [_escape(short_name(n)) for n in names],
        cols=3,
        x_props={"tickangle": -45, "tickfont": {"size": 10}},
        y_props={"gridcolor": "#e5e5e5", "rangemode": "tozero", "dtick": 1},
    )
    dim_labels = [enum_label("dimension", d, lang) for d in DIMENSIONS]
    categories = STATUSES if by == "status" else HORIZONS
    table = counts.pivot_table(
        index=["name", by], columns="dimension", values="count", aggfunc="sum", fill_value=0
    ).reindex(columns=list(DIMENSIONS), fill_value=0)
    traces = []
    for i, name in enumerate(names):
        suffix = "" if i == 0 else str(i + 1)
        for category in categories:
            label = enum_label(by, category, lang)
            values = (
                table.loc[(name, category)].tolist()
                if (name, category) in table.index
                else [0] * len(DIMENSIONS)
            )
            traces.append(
                {
                    "type": "bar",
                    "x": dim_labels,
                    "y": values,
                    "name": label,
                    "legendgroup": category,
                    "showlegend": i == 0,
                    "marker": {"color": CATEGORY_COLOURS[category]},
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "hovertemplate": f"{_escape(name)}<br>%{{x}} · {label}: %{{y}}<extra></extra>",
                }
            )
    grid.update(barmode="stack", bargap=0.25)
    return _layout(go.Figure(data=traces, layout=grid), lang, height=260 * rows + 60)


def _month_ticks(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> tuple[list, list]:
    months = pd.date_range(start.to_period("M").start_time, end, freq="MS")
    if len(months) > 12:
        months = months[:: (len(months) + 11) // 12]
    return list(months), [f"{MONTHS[lang][m.month - 1][:3]} {m.year}" for m in months]


def timeline_chart(stages: pd.DataFrame, lang: str) -> go.Figure:
    """Planned (light) vs actual (solid) bars per stage; a one-day event still shows."""
    fig = go.Figure()
    one_day = pd.Timedelta(days=1)
    kinds = (
        ("planned", "planned_start", "planned_end", "#c6dbef", 0.65, "col_planned"),
        ("actual", "actual_start", "actual_end", "#1f5f8b", 0.3, "col_actual"),
    )
    all_dates = []
    for _kind, start_col, end_col, colour, width, label_key in kinds:
        rows = stages.dropna(subset=[start_col, end_col], how="all")
        starts = rows[start_col].fillna(rows[end_col])
        ends = rows[end_col].fillna(rows[start_col]) + one_day
        all_dates += list(starts) + list(ends)
        labels = [enum_label("stage", int(s), lang) for s in rows["stage"]]
        hover = [
            f"{lab} · {t(label_key, lang)}: {fmt_date_range(a, b, lang)}"
            for lab, a, b in zip(labels, rows[start_col], rows[end_col], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                base=starts,
                x=(ends - starts).dt.total_seconds() * 1000,
                y=labels,
                orientation="h",
                width=width,
                marker_color=colour,
                name=t(label_key, lang),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[enum_label("stage", s, lang) for s in (4, 3, 2, 1)],
    )
    if all_dates:
        start, end = min(all_dates), max(all_dates)
        tickvals, ticktext = _month_ticks(start, end, lang)
        fig.update_xaxes(
            type="date",
            tickvals=tickvals,
            ticktext=ticktext,
            range=[start - pd.Timedelta(days=7), end + pd.Timedelta(days=7)],
            gridcolor="#e5e5e5",
        )
    return _layout(fig, lang, height=280)


def reference_line(fig: go.Figure, reference_date: dt.date, lang: str) -> go.Figure:
    x = pd.Timestamp(reference_date)
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=LATE_COLOUR))
    fig.add_annotation(
        x=x, y=1, yref="paper", text=fmt_date(reference_date, lang), showarrow=False, yshift=10
    )
    return fig


def dimension_horizon_chart(matrix: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    dim_labels = [enum_label("dimension", d, lang) for d in matrix.index]
    for horizon in matrix.columns:
        fig.add_trace(
            go.Bar(
                x=dim_labels,
                y=matrix[horizon],
                name=enum_label("horizon", horizon, lang),
                marker_color=CATEGORY_COLOURS[horizon],
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("col_count", lang), gridcolor="#e5e5e5", dtick=1)
    return _layout(fig, lang, height=330)


ZERO_COLOUR = "#f4f4f4"


def _zero_colourscale(zmax: float) -> list:
    """Blues for 1 and up, a grey of its own for 0: "none" must not look like "a few"."""
    if zmax <= 0:
        return [[0, ZERO_COLOUR], [1, ZERO_COLOUR]]
    edge = 0.5 / zmax
    return [
        [0, ZERO_COLOUR],
        [edge, ZERO_COLOUR],
        [edge, "#c6dbef"],
        [1, "#08306b"],
    ]


def heatmap_chart(
    matrix: pd.DataFrame, lang: str, hover: list[list[str]] | None = None
) -> go.Figure:
    """Rows x dimensions of counts; numbers in the cells while rows are few enough to read."""
    dim_labels = [enum_label("dimension", d, lang) for d in matrix.columns]
    names = [_escape(n) for n in matrix.index]
    values = matrix.values
    zmax = float(values.max()) if values.size else 0.0
    dense = len(names) > 60
    row_px = 16 if dense else (34 if len(names) <= 20 else 22)
    fig = go.Figure(
        go.Heatmap(
            z=values.tolist(),
            x=dim_labels,
            y=names,
            text=None if dense else [[fmt_int(v, lang) for v in row] for row in values],
            texttemplate=None if dense else "%{text}",
            customdata=hover,
            colorscale=_zero_colourscale(zmax),
            zmin=0,
            zmax=max(zmax, 1),
            xgap=1,
            ygap=1,
            hovertemplate=(
                "%{y} · %{x}: %{z}" + ("<br>%{customdata}" if hover else "") + "<extra></extra>"
            ),
            colorbar=dict(title=dict(text=t("col_count", lang)), thickness=12),
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont=dict(size=11))
    fig.update_xaxes(side="top")
    return _layout(fig, lang, height=90 + row_px * len(names))


def category_heatmap(counts: pd.DataFrame, by: str, lang: str) -> go.Figure:
    """The small multiples' figures for many rows: total per row x dimension, the split by
    status or horizon in the hover."""
    categories = list(STATUSES if by == "status" else HORIZONS)
    names = list(dict.fromkeys(counts["name"]))
    grid = pd.MultiIndex.from_product([names, DIMENSIONS], names=["name", "dimension"])
    table = (
        counts.pivot_table(
            index=["name", "dimension"], columns=by, values="count", aggfunc="sum", fill_value=0
        )
        .reindex(index=grid, columns=categories, fill_value=0)
        .fillna(0)
        .astype(int)
    )
    matrix = table.sum(axis=1).unstack("dimension").reindex(index=names, columns=list(DIMENSIONS))
    hover = pd.Series("", index=table.index)
    for i, category in enumerate(categories):
        numbers = table[category].map(lambda v: fmt_int(v, lang))
        hover = hover + ("" if i == 0 else " · ") + enum_label(by, category, lang) + " " + numbers
    hover = hover.unstack("dimension").reindex(index=names, columns=list(DIMENSIONS))
    return heatmap_chart(matrix, lang, hover=hover.values.tolist())
