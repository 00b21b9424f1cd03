"""Charts a reader only reads, drawn on the server as SVG: no 4.7 MB plotly.js to load.

Each chart function takes the same tidy frames as lib.charts.palette and returns HTML for st.html:
SVG images as `data:` URLs in <img> tags (st.html's sanitiser keeps no inline SVG; an image
never runs script nor loads anything) in a CSS grid that wraps on a phone. Every text from the
data (names, provinces) goes through `_text`/`_attr` (XML/HTML escaping), so a region called
`<img src=x onerror=alert(1)>` is drawn as those characters. The figures behind each image are
also its `alt` and `title` text: read aloud, and shown on hover.
"""

from __future__ import annotations

import base64
import math
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from lib.charts.palette import (
    CATEGORY_COLOURS,
    LATE_COLOUR,
    STAGE_COLOURS,
    heat_colour,
    month_ticks,
    split_table,
)
from lib.core.i18n import enum_label, fmt_date, fmt_date_range, fmt_int, t
from lib.core.metrics import STAGE_COUNT
from lib.core.region_names import short_name
from lib.core.schema import DIMENSIONS, HORIZONS, STATUSES

FONT = "DejaVu Sans, Arial, sans-serif"
GRID = "#e5e5e5"
INK = "#262730"
MUTED = "#5f6368"


def _text(value: object) -> str:
    return escape("" if value is None or value is pd.NA else str(value))


def _attr(value: object) -> str:
    return quoteattr("" if value is None or value is pd.NA else str(value))


def _width(text: str, size: float) -> float:
    """Rough drawn width of DejaVu Sans text: enough to size label columns."""
    return len(text) * size * 0.6


def _clip(text: str, size: float, room: float) -> str:
    """Text cut with an ellipsis to fit room; the full text stays in the element's title."""
    if _width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * 0.6)) - 1)
    return text[:keep].rstrip() + "…"


def _svg(width: float, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="13" '
        f'fill="{INK}">' + "".join(body) + "</svg>"
    )


def _img(svg: str, words: str, css: str) -> str:
    data = base64.b64encode(svg.encode()).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt={_attr(words)} title={_attr(words)} '
        f'style="{css}">'
    )


def svg_of(markup_img: str) -> str:
    """The SVG text inside one of this module's <img> tags (tests read what is drawn)."""
    data = markup_img.split("data:image/svg+xml;base64,", 1)[1].split('"', 1)[0]
    return base64.b64decode(data).decode()


def _ticks(top: int, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least top, at most `most` + 1 of them."""
    top = max(1, int(top))
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if math.ceil(top / candidate) <= most:
            break
    return list(range(0, step * math.ceil(top / step) + 1, step))


def progress_chart(progress: pd.DataFrame, lang: str) -> str:
    """Stages done (0-4) per region in ranked order; late regions ringed red with "⚠n"."""
    size, row_h, bar_h = 13, 30, 20
    names = [short_name(n) for n in progress["name"]]
    label_w = min(160.0, max([_width(n, size) for n in names] + [60.0])) + 12
    width = 420
    left, right = label_w, width - 62
    scale = (right - left) / STAGE_COUNT
    top = 8
    height = top + row_h * len(names) + 46
    body, lines = [], []
    for tick in range(STAGE_COUNT + 1):
        x = left + tick * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + row_h * len(names)}" '
            f'stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{top + row_h * len(names) + 16}" text-anchor="middle" '
            f'font-size="12" fill="{MUTED}">{fmt_int(tick, lang)}</text>'
        )
    body.append(
        f'<text x="{(left + right) / 2:.1f}" y="{height - 6}" text-anchor="middle" '
        f'font-size="12" fill="{MUTED}">{_text(t("col_stages_done", lang))}</text>'
    )
    for i, row in enumerate(progress.itertuples()):
        y = top + i * row_h + (row_h - bar_h) / 2
        done, late = int(row.stages_done), int(row.stages_late)
        value = f"{done}/{STAGE_COUNT}" + (f" ⚠{late}" if late else "")
        late_words = t("br_late_n", lang, n=late) if late else ""
        stroke = f' stroke="{LATE_COLOUR}" stroke-width="2.5"' if late else ""
        name = str(row.name)
        lines.append(f"{name}: {done}/{STAGE_COUNT} {late_words}".strip())
        body.append(
            "<g>"
            f'<text x="{left - 8:.1f}" y="{y + bar_h / 2 + 4.5:.1f}" text-anchor="end">'
            f"{_text(_clip(short_name(name), size, label_w - 10))}</text>"
            f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(done * scale, 0):.1f}" '
            f'height="{bar_h}" fill="{STAGE_COLOURS[done]}"{stroke}/>'
            f'<text x="{left + done * scale + 6:.1f}" y="{y + bar_h / 2 + 4.5:.1f}" '
            f'fill="{LATE_COLOUR if late else INK}">{_text(value)}</text></g>'
        )
    words = "\n".join([t("progress_title", lang), *lines])
    return _img(_svg(width, height, body), words, "width:100%;max-width:480px;height:auto")


def legend(categories: list[tuple[str, str]]) -> str:
    """Coloured squares with their labels, as one line of markup (wraps on a phone)."""
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px;'
        f'white-space:nowrap"><span style="display:inline-block;width:12px;height:12px;'
        f'background:{colour};margin-right:5px"></span>{_text(label)}</span>'
        for label, colour in categories
    )
    return f'<div style="font-size:13px;line-height:1.8;margin:2px 0 6px 0">{items}</div>'


def _categories(by: str, lang: str) -> list[tuple[str, str, str]]:
    codes = STATUSES if by == "status" else HORIZONS
    return [(code, enum_label(by, code, lang), CATEGORY_COLOURS[code]) for code in codes]


def dimension_chart(counts: pd.DataFrame, by: str, lang: str) -> str:
    """One panel per region: the six dimensions as bars stacked by status or horizon, one scale
    for every panel so panels compare; a grid that wraps to one column on a phone."""
    categories = _categories(by, lang)
    names = list(dict.fromkeys(counts["name"]))
    table = counts.pivot_table(
        index=["name", "dimension"], columns=by, values="count", aggfunc="sum", fill_value=0
    ).reindex(
        index=pd.MultiIndex.from_product([names, DIMENSIONS]),
        columns=[c for c, _, _ in categories],
        fill_value=0,
    )
    ticks = _ticks(int(table.sum(axis=1).max()) if len(table) else 0, most=4)
    dim_labels = {d: enum_label("dimension", d, lang) for d in DIMENSIONS}
    panels = []
    for name in names:
        panels.append(_panel(name, table.loc[name], ticks, dim_labels, categories, lang))
    grid = (
        '<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));'
        'gap:10px 18px">' + "".join(panels) + "</div>"
    )
    return legend([(label, colour) for _, label, colour in categories]) + grid


def _panel(name, rows: pd.DataFrame, ticks, dim_labels, categories, lang) -> str:
    width, size = 330, 12
    label_w = max(_width(v, size) for v in dim_labels.values()) + 10
    left, right = label_w, width - 34
    scale = (right - left) / ticks[-1]
    title_h, row_h, bar_h = (24 if name else 4), 22, 15
    height = title_h + row_h * len(DIMENSIONS) + 20
    body = [
        f'<text x="{width / 2:.0f}" y="15" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{_text(_clip(short_name(name), 13, width - 10))}</text>'
    ]
    lines = [str(name)] if name else []
    bottom = title_h + row_h * len(DIMENSIONS)
    for tick in ticks:
        x = left + tick * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{title_h}" y2="{bottom}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{fmt_int(tick, lang)}</text>'
        )
    for i, dimension in enumerate(DIMENSIONS):
        y = title_h + i * row_h + (row_h - bar_h) / 2
        body.append(
            f'<text x="{left - 6:.1f}" y="{y + bar_h / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="{size}">{_text(dim_labels[dimension])}</text>'
        )
        x = left
        total = 0
        split = []
        for code, label, colour in categories:
            n = int(rows.loc[dimension, code])
            total += n
            split.append(f"{label} {fmt_int(n, lang)}")
            if n:
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{n * scale:.1f}" height="{bar_h}" '
                    f'fill="{colour}"/>'
                )
                x += n * scale
        lines.append(f"{dim_labels[dimension]}: {fmt_int(total, lang)} ({', '.join(split)})")
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + bar_h / 2 + 4:.1f}" font-size="11" '
            f'fill="{MUTED}">{fmt_int(total, lang)}</text>'
        )
    return _img(_svg(width, height, body), "\n".join(lines), "width:100%;height:auto")


def category_heatmap(counts: pd.DataFrame, by: str, lang: str) -> str:
    """Rows (regions or provinces) x dimensions: the total in each cell, the split by status or
    horizon in its tooltip; for the many rows the small multiples cannot hold."""
    categories = _categories(by, lang)
    names = list(dict.fromkeys(counts["name"]))
    table = split_table(counts, by, [c for c, _, _ in categories])
    totals = table.sum(axis=1)
    top = int(totals.max()) if len(totals) else 0
    dim_labels = [enum_label("dimension", d, lang) for d in DIMENSIONS]
    size, cell_w, row_h, head_h = 12, 92, 24, 26
    label_w = min(230.0, max([_width(short_name(n), size) for n in names] + [60.0])) + 14
    width = label_w + cell_w * len(DIMENSIONS)
    height = head_h + row_h * len(names) + 34
    body, lines = [], [t("col_count", lang)]
    for j, label in enumerate(dim_labels):
        body.append(
            f'<text x="{label_w + (j + 0.5) * cell_w:.1f}" y="17" text-anchor="middle" '
            f'font-size="{size}">{_text(label)}</text>'
        )
    for i, name in enumerate(names):
        y = head_h + i * row_h
        body.append(
            f'<text x="{label_w - 8:.1f}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="{size}">{_text(_clip(short_name(name), size, label_w - 12))}</text>'
        )
        for j, dimension in enumerate(DIMENSIONS):
            value = int(totals.loc[(name, dimension)])
            split = " · ".join(
                f"{label} {fmt_int(table.loc[(name, dimension), code], lang)}"
                for code, label, _ in categories
            )
            lines.append(f"{name} · {dim_labels[j]}: {fmt_int(value, lang)} ({split})")
            fill = heat_colour(value, top)
            ink = "#ffffff" if value and top > 1 and (value - 1) / (top - 1) > 0.5 else INK
            x = label_w + j * cell_w
            body.append(
                f'<rect x="{x + 0.5:.1f}" y="{y + 0.5:.1f}" width="{cell_w - 1}" '
                f'height="{row_h - 1}" fill="{fill}"/>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + row_h / 2 + 4:.1f}" '
                f'text-anchor="middle" font-size="{size}" fill="{ink}">'
                f"{fmt_int(value, lang)}</text>"
            )
    body.append(_scale_key(label_w, head_h + row_h * len(names) + 12, top, lang))
    image = _img(
        _svg(width, height, body),
        "\n".join(lines),
        f"width:100%;min-width:{min(width, 560):.0f}px;max-width:{width * 1.3:.0f}px;height:auto",
    )
    # A phone scrolls the table sideways rather than shrinking its numbers out of reach.
    return f'<div style="overflow-x:auto">{image}</div>'


def _scale_key(x: float, y: float, top: int, lang: str) -> str:
    """The colour key: 0 in its grey, then the blues from 1 to the largest count."""
    steps = 6
    parts = [
        f'<text x="{x:.1f}" y="{y + 11}" font-size="11" fill="{MUTED}">'
        f"{_text(t('col_count', lang))}:</text>"
    ]
    x += _width(t("col_count", lang) + ": ", 11) + 4
    values = [0] + sorted({max(1, round(1 + (top - 1) * k / (steps - 1))) for k in range(steps)})
    for value in values if top else [0]:
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="26" height="14" fill="{heat_colour(value, top)}" '
            f'stroke="{GRID}"/><text x="{x + 30:.1f}" y="{y + 11}" font-size="11" '
            f'fill="{MUTED}">{fmt_int(value, lang)}</text>'
        )
        x += 34 + _width(fmt_int(value, lang), 11)
    return "".join(parts)


def dimension_horizon_chart(matrix: pd.DataFrame, lang: str) -> str:
    """One region's programs per dimension, stacked by horizon (metrics.dimension_by_horizon)."""
    categories = _categories("horizon", lang)
    rows = matrix.reindex(index=list(DIMENSIONS), columns=list(HORIZONS), fill_value=0)
    ticks = _ticks(int(rows.sum(axis=1).max()) if len(rows) else 0, most=5)
    dim_labels = {d: enum_label("dimension", d, lang) for d in DIMENSIONS}
    image = _panel("", rows, ticks, dim_labels, categories, lang)
    image = image.replace('style="width:100%;height:auto"', 'style="width:100%;max-width:420px"')
    return legend([(label, colour) for _, label, colour in categories]) + image


PLANNED_COLOUR, ACTUAL_COLOUR = "#c6dbef", "#1f5f8b"


def timeline_chart(stages: pd.DataFrame, reference_date, lang: str, width: int = 600) -> str:
    """Planned (wide, light) and actual (narrow, dark) bars per stage on a calendar; a one-day
    event still shows; the reference date as a red line when it falls inside the range.
    `width` 360 draws it for a phone: the whole range fits, nothing to scroll."""
    one_day = pd.Timedelta(days=1)
    kinds = (
        ("planned_start", "planned_end", PLANNED_COLOUR, 0.65, t("col_planned", lang)),
        ("actual_start", "actual_end", ACTUAL_COLOUR, 0.3, t("col_actual", lang)),
    )
    bars, lines = [], []
    for start_col, end_col, colour, share, label in kinds:
        rows = stages.dropna(subset=[start_col, end_col], how="all")
        for row in rows.itertuples():
            start, end = getattr(row, start_col), getattr(row, end_col)
            first = pd.Timestamp(start if not pd.isna(start) else end)
            last = pd.Timestamp(end if not pd.isna(end) else start) + one_day
            stage = enum_label("stage", int(row.stage), lang)
            bars.append((int(row.stage), first, last, colour, share))
            lines.append(f"{stage} · {label}: {fmt_date_range(start, end, lang)}")
    left, right, top, row_h = 84, width - 20, 26, 44
    height = top + row_h * 4 + 28
    body = []
    for stage in (1, 2, 3, 4):
        y = top + (stage - 1) * row_h + row_h / 2
        body.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="13">'
            f"{_text(enum_label('stage', stage, lang))}</text>"
        )
    if bars:
        low = min(b[1] for b in bars) - pd.Timedelta(days=7)
        high = max(b[2] for b in bars) + pd.Timedelta(days=7)
        span = (high - low).total_seconds() or 1.0

        def x_of(when) -> float:
            return left + (pd.Timestamp(when) - low).total_seconds() / span * (right - left)

        tickvals, ticktext = month_ticks(low + pd.Timedelta(days=7), high, lang)
        for when, label in zip(tickvals, ticktext, strict=True):
            if low <= when <= high:
                x = x_of(when)
                body.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + row_h * 4}" '
                    f'stroke="{GRID}"/><text x="{x:.1f}" y="{top + row_h * 4 + 16}" '
                    f'text-anchor="middle" font-size="12" fill="{MUTED}">{_text(label)}</text>'
                )
        for stage, first, last, colour, share in bars:
            h = row_h * share
            y = top + (stage - 1) * row_h + (row_h - h) / 2
            x0 = x_of(first)
            body.append(
                f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x_of(last) - x0, 2):.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        reference = pd.Timestamp(reference_date)
        if low <= reference <= high:
            x = x_of(reference)
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{top + row_h * 4}" '
                f'stroke="{LATE_COLOUR}" stroke-width="1.5"/><text x="{x:.1f}" y="{top - 8}" '
                f'text-anchor="middle" font-size="11" fill="{LATE_COLOUR}">'
                f"{_text(fmt_date(reference_date, lang))}</text>"
            )
    words = "\n".join(lines) or "–"
    image = _img(
        _svg(width, height, body),
        words,
        f"width:100%;min-width:{min(width, 480)}px;max-width:760px;height:auto",
    )
    key = legend([(label, colour) for _, _, colour, _, label in kinds])
    return key + f'<div style="overflow-x:auto">{image}</div>'
