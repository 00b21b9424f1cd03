"""Lay a briefing out as PDF with fpdf2: an A4 page per region, or a phone-shaped page.

fpdf2 is pure Python (no browser, no system libraries) and embeds a subset of the TrueType
fonts it is given; DejaVu Sans (Debian's fonts-dejavu-core) covers Indonesian text. Data text
is drawn as text: fpdf2's markdown is never switched on, so "**" or "<b>" in a name prints as is.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from lib.briefing.content import Figure, PackSummary, RegionBrief
from lib.core.i18n import DEFAULT_LANG, REGISTRY, enum_label, fmt_int, t
from lib.core.schema import HORIZONS

FONT_DIR = Path(os.environ.get("BRIEFING_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT = "DejaVu"

INK = (31, 41, 55)
MUTED = (90, 99, 112)
RULE = (209, 213, 219)
BAND = (15, 76, 92)
CARD = (243, 246, 248)
HEAD = (226, 236, 240)
LATE = (180, 35, 24)
DONE = (21, 127, 61)
GOING = (181, 71, 8)
PLANNED = (156, 163, 175)
SAMPLE_INK = (122, 46, 14)
SAMPLE_FILL = (254, 240, 199)


@dataclass(frozen=True)
class Layout:
    """Page geometry and type sizes; the phone layout is one column and grows to fit."""

    width: float
    height: float | None
    margin: float
    base: float
    title: float
    cards_per_row: int
    two_columns: bool


A4 = Layout(210, 297, 13, 8, 17, 5, True)
PHONE = Layout(100, None, 5, 8.5, 15, 3, False)


class FontsMissing(RuntimeError):
    pass


class _Document(FPDF):
    numbered = False

    def footer(self):
        if not self.numbered:
            return
        self.set_y(-9)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        text = t("brief_page_of", self.lang_code, page=self.page_no(), pages="{nb}")
        self.cell(0, 4, text, align="R")


def _document(lang: str, title: str) -> _Document:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        raise FontsMissing(f"{regular} / {bold} (Debian package fonts-dejavu-core)")
    pdf = _Document(unit="mm", format="A4")
    pdf.lang_code = lang
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_lang(REGISTRY[lang].tag)
    pdf.set_title(title)
    pdf.set_author("KSPN smart-city dashboard")
    pdf.set_creator("fpdf2")
    pdf.set_creation_date(dt.datetime.now(dt.UTC))
    pdf.c_margin = 0  # text starts where a cell starts: our own wrapping measures the full width
    return pdf


def _start_page(pdf: FPDF, layout: Layout, height: float) -> None:
    pdf.set_margins(layout.margin, layout.margin, layout.margin)
    pdf.set_auto_page_break(layout.height is not None, margin=layout.margin + 4)
    pdf.add_page(format=(layout.width, height))


def _text_line(pdf: FPDF, text: str, size: float, *, bold=False, color=INK, gap=0.0, wrap=None):
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(
        0,
        size * 0.45,
        text,
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        wrapmode=wrap or WrapMode.WORD,
    )
    if gap:
        pdf.ln(gap)


def _section(pdf: FPDF, title: str, layout: Layout) -> None:
    pdf.ln(2.2)
    _text_line(pdf, title, layout.base + 2.5, bold=True, color=BAND, gap=0.8)


def _sample_badge(pdf: FPDF, lang: str, layout: Layout) -> None:
    """Top right, before the title: visible at a glance on paper and in a chat thumbnail."""
    label = t("brief_sample_mark", lang)
    pdf.set_font(FONT, "B", layout.base + 1)
    width = pdf.get_string_width(label) + 5
    x = layout.width - layout.margin - width
    pdf.set_fill_color(*SAMPLE_FILL)
    pdf.set_draw_color(*SAMPLE_INK)
    pdf.set_text_color(*SAMPLE_INK)
    pdf.set_line_width(0.3)
    pdf.set_xy(x, layout.margin - 1)
    pdf.cell(width, layout.base * 0.7, label, border=1, align="C", fill=True)
    pdf.set_xy(layout.margin, layout.margin - 1)


def _header(pdf, layout, lang, kicker, title, subtitle, footer, sample) -> None:
    if sample:
        _sample_badge(pdf, lang, layout)
    pdf.set_font(FONT, "", layout.base)
    pdf.set_text_color(*MUTED)
    kicker_width = layout.width - 2 * layout.margin - (40 if sample else 0)
    pdf.multi_cell(kicker_width, layout.base * 0.7, kicker, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.5)
    size = layout.title
    pdf.set_font(FONT, "B", size)
    # A very long name gets smaller type (down to a floor) before it takes over the page.
    while size > layout.base + 3 and len(_wrap(pdf, title, pdf.epw)) > 2:
        size -= 1
        pdf.set_font_size(size)
    _text_line(pdf, title, size, bold=True, wrap=WrapMode.WORD, gap=0.8)
    _text_line(pdf, subtitle, layout.base + 1.5, color=MUTED, gap=0.4)
    _text_line(pdf, footer, layout.base - 0.5, color=MUTED, gap=1.5)
    pdf.set_draw_color(*BAND)
    pdf.set_line_width(0.6)
    pdf.line(layout.margin, pdf.get_y(), layout.width - layout.margin, pdf.get_y())
    pdf.ln(2.5)


def _cards(pdf: FPDF, figures: list[Figure], layout: Layout) -> None:
    per_row = layout.cards_per_row
    gap = 2.5
    usable = layout.width - 2 * layout.margin
    width = (usable - gap * (per_row - 1)) / per_row
    note_line = layout.base * 0.38
    for start in range(0, len(figures), per_row):
        row = figures[start : start + per_row]
        pdf.set_font(FONT, "", layout.base - 1)
        notes = [_wrap(pdf, f.note, width - 4) if f.note else [] for f in row]
        height = layout.base * 1.75 + max(1, max(len(n) for n in notes)) * note_line
        top = pdf.get_y()
        for index, figure in enumerate(row):
            x = layout.margin + index * (width + gap)
            pdf.set_fill_color(*CARD)
            pdf.set_draw_color(*(LATE if figure.alert else RULE))
            pdf.set_line_width(0.5 if figure.alert else 0.2)
            pdf.rect(x, top, width, height, style="DF", round_corners=True, corner_radius=1.2)
            pdf.set_xy(x + 2, top + 1.4)
            pdf.set_font(FONT, "", layout.base - 0.5)
            pdf.set_text_color(*MUTED)
            pdf.cell(width - 4, layout.base * 0.45, _fit(pdf, figure.label, width - 4))
            pdf.set_xy(x + 2, top + 1.6 + layout.base * 0.5)
            pdf.set_font(FONT, "B", layout.base + 5)
            pdf.set_text_color(*(LATE if figure.alert else INK))
            pdf.cell(width - 4, layout.base * 0.75, _fit(pdf, figure.value, width - 4))
            pdf.set_font(FONT, "", layout.base - 1)
            pdf.set_text_color(*MUTED)
            for number, text in enumerate(notes[index]):
                pdf.set_xy(x + 2, top + 2.0 + layout.base * 1.3 + number * note_line)
                pdf.cell(width - 4, note_line, text)
        pdf.set_xy(layout.margin, top + height + gap)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shrink the current font until a card's one-line text fits (figures never wrap)."""
    size = pdf.font_size_pt
    while pdf.get_string_width(text) > width and size > 5:
        size -= 0.5
        pdf.set_font_size(size)
    return text


def _stage_bar(pdf: FPDF, brief: RegionBrief, layout: Layout) -> None:
    """The four stages as four blocks: green done, red late, amber under way, grey planned."""
    usable = layout.width - 2 * layout.margin
    gap = 1.5
    width = (usable - 3 * gap) / 4
    height = layout.base * 0.85
    top = pdf.get_y()
    by_stage = {line.stage: line for line in brief.stages}
    for index, stage in enumerate((1, 2, 3, 4)):
        line = by_stage.get(stage)
        colour = PLANNED
        if line is not None:
            colour = DONE if line.done else LATE if line.late else GOING
            if line.status == enum_label("status", "planned", brief.lang) and not line.late:
                colour = PLANNED
        x = layout.margin + index * (width + gap)
        pdf.set_fill_color(*colour)
        pdf.rect(x, top, width, height, style="F")
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", layout.base - 0.5)
        pdf.set_text_color(255, 255, 255)
        label = enum_label("stage", stage, brief.lang)
        if line is not None and layout.two_columns:
            label = f"{label} · {line.status}"
        pdf.cell(width, height, _fit(pdf, label, width - 2), align="C")
    pdf.set_xy(layout.margin, top + height + 2)


@dataclass(frozen=True)
class Style:
    bold: bool = False
    color: tuple[int, int, int] = INK


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap with the current font; a word wider than the cell breaks by characters.

    Drawn line by line with cell(): fpdf2's table() measures every cell twice and was five
    times slower, which a 514-region pack feels.
    """
    lines: list[str] = []
    space = pdf.get_string_width(" ")
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            size = pdf.get_string_width(word)
            while size > width:
                cut = max(1, int(len(word) * width / size))
                while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                    cut -= 1
                if line:
                    lines.append(line)
                    line, used = "", 0.0
                lines.append(word[:cut])
                word = word[cut:]
                size = pdf.get_string_width(word)
            if not word:
                continue
            if line and used + space + size > width:
                lines.append(line)
                line, used = word, size
            else:
                line, used = (f"{line} {word}", used + space + size) if line else (word, size)
        lines.append(line)
    return lines or [""]


def _table(pdf, layout, headings, rows, widths, *, aligns=None, styles=None, size=None):
    """A ruled table whose cells wrap; a row never splits across pages."""
    size = size or layout.base - 0.5
    line = size * 0.45
    pad_x, pad_y = 1.2, 0.9
    total = sum(widths)
    widths = [w * pdf.epw / total for w in widths]
    aligns = aligns or ["LEFT"] * len(widths)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*RULE)

    def draw(values, style: Style, fill=None):
        pdf.set_font(FONT, "B" if style.bold else "", size)
        wrapped = [_wrap(pdf, v, w - 2 * pad_x) for v, w in zip(values, widths, strict=True)]
        height = max(len(c) for c in wrapped) * line + 2 * pad_y
        if pdf.auto_page_break and pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top, x = pdf.get_y(), pdf.l_margin
        if fill:
            pdf.set_fill_color(*fill)
            pdf.rect(x, top, pdf.epw, height, style="F")
        pdf.set_text_color(*style.color)
        for cell_lines, width, align in zip(wrapped, widths, aligns, strict=True):
            for index, text in enumerate(cell_lines):
                pdf.set_xy(x + pad_x, top + pad_y + index * line)
                pdf.cell(width - 2 * pad_x, line, text, align="R" if align == "RIGHT" else "L")
            x += width
        pdf.line(pdf.l_margin, top + height, pdf.l_margin + pdf.epw, top + height)
        pdf.set_xy(pdf.l_margin, top + height)

    draw(headings, Style(True, BAND), fill=HEAD)
    for index, values in enumerate(rows):
        draw(values, (styles or {}).get(index, Style()))
    pdf.ln(0.5)


def _stage_table(pdf: FPDF, brief: RegionBrief, layout: Layout) -> None:
    lang = brief.lang
    late = t("late_flag", lang)
    styles = {i: Style(True, LATE) for i, s in enumerate(brief.stages) if s.late}
    if layout.two_columns:
        headings = [
            t(k, lang)
            for k in (
                "col_stage",
                "col_deliverable",
                "col_status",
                "col_planned",
                "col_actual",
                "col_venue",
                "col_source",
            )
        ]
        rows = [
            [
                s.label,
                s.deliverable,
                f"⚠ {s.status} ({late})" if s.late else s.status,
                s.planned,
                s.actual,
                s.venue or "–",
                s.source or "–",
            ]
            for s in brief.stages
        ]
        widths = (16, 30, 22, 26, 26, 29, 33)
    else:
        headings = [t(k, lang) for k in ("col_stage", "col_status", "col_planned", "col_actual")]
        rows = [
            [
                "\n".join(x for x in (s.label, s.deliverable, s.venue) if x),
                f"⚠ {s.status} ({late})" if s.late else s.status,
                s.planned,
                s.actual,
            ]
            for s in brief.stages
        ]
        widths = (27, 22, 22, 20)
    _table(pdf, layout, headings, rows, widths, styles=styles)


def _dimension_table(pdf: FPDF, brief: RegionBrief, layout: Layout) -> None:
    lang = brief.lang
    # "Pendek (1 th)" as two lines: the bracket never splits from its number.
    horizons = [enum_label("horizon", h, lang).replace(" (", "\n(") for h in HORIZONS]
    headings = [t("col_dimension", lang), *horizons]
    headings.append(t("brief_total", lang))
    bold = {len(brief.dimension_rows) - 1: Style(bold=True)}
    aligns = ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    _table(
        pdf,
        layout,
        headings,
        brief.dimension_rows,
        (24, 17, 21, 17, 14),
        aligns=aligns,
        styles=bold,
    )


def _quick_win_table(pdf: FPDF, brief: RegionBrief, layout: Layout) -> None:
    lang = brief.lang
    if not brief.quick_wins:
        _text_line(pdf, t("brief_no_quick_wins", lang), layout.base, color=MUTED)
        return
    headings = [t(k, lang) for k in ("col_dimension", "col_program", "col_agency", "col_status")]
    _table(pdf, layout, headings, brief.quick_wins, (22, 31, 23, 15))
    if brief.quick_wins_more:
        _text_line(pdf, t("brief_more", lang, n=brief.quick_wins_more), layout.base, color=MUTED)


def _columns(pdf: FPDF, layout: Layout, left, right) -> None:
    """Two blocks side by side on A4, one under the other on a phone."""
    if not layout.two_columns:
        left()
        right()
        return
    gap = 6
    half = (layout.width - 2 * layout.margin - gap) / 2
    top = pdf.get_y()
    page = pdf.page
    pdf.set_right_margin(layout.width - layout.margin - half)
    left()
    left_end = (pdf.page, pdf.get_y())
    pdf.page = page
    pdf.set_y(top)
    pdf.set_left_margin(layout.margin + half + gap)
    pdf.set_right_margin(layout.margin)
    pdf.set_x(layout.margin + half + gap)
    right()
    right_end = (pdf.page, pdf.get_y())
    pdf.set_left_margin(layout.margin)
    end = max(left_end, right_end)
    pdf.page = end[0]
    pdf.set_xy(layout.margin, end[1])


def _bullets(pdf: FPDF, items: list[str], layout: Layout, color=INK, size=None) -> None:
    size = size or layout.base
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*color)
    for item in items:
        pdf.set_x(layout.margin)
        pdf.cell(3.5, size * 0.47, "•")
        pdf.multi_cell(0, size * 0.47, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.4)


def _region_body(pdf: FPDF, brief: RegionBrief, layout: Layout) -> None:
    lang = brief.lang
    _header(
        pdf,
        layout,
        lang,
        t("brief_kicker", lang),
        brief.name,
        brief.subtitle,
        brief.footer,
        brief.sample,
    )
    _cards(pdf, brief.figures, layout)
    _section(pdf, t("brief_stages_title", lang), layout)
    _stage_bar(pdf, brief, layout)
    _stage_table(pdf, brief, layout)

    def left():
        _section(pdf, t("brief_dimensions_title", lang), layout)
        _dimension_table(pdf, brief, layout)

    def right():
        _section(pdf, t("brief_quick_wins_title", lang), layout)
        _quick_win_table(pdf, brief, layout)

    _columns(pdf, layout, left, right)
    _section(pdf, t("brief_attention_title", lang), layout)
    late = any(s.late for s in brief.stages)
    _bullets(pdf, brief.attention, layout, color=LATE if late else INK)
    _section(pdf, t("brief_sources_title", lang), layout)
    _bullets(pdf, brief.sources, layout, color=MUTED, size=layout.base - 1)
    if brief.sample:
        pdf.ln(1)
        _sample_note(pdf, lang, layout)


def _sample_note(pdf: FPDF, lang: str, layout: Layout) -> None:
    pdf.set_fill_color(*SAMPLE_FILL)
    pdf.set_text_color(*SAMPLE_INK)
    pdf.set_font(FONT, "B", layout.base - 0.5)
    text = f"{t('brief_sample_mark', lang)}: {t('brief_sample_note', lang)}"
    pdf.multi_cell(
        0, layout.base * 0.5, text, fill=True, padding=1.2, align="L", new_x=XPos.LMARGIN
    )


_LOCAL = threading.local()


def _scratch() -> FPDF:
    """A document to lay pages out on before drawing them for real, one per thread (Streamlit
    serves sessions from threads): loading the two fonts costs more than laying out a page."""
    pdf = getattr(_LOCAL, "scratch", None)
    if pdf is None or pdf.page > 200:
        pdf = _LOCAL.scratch = _document(DEFAULT_LANG, "")
    return pdf


def _phone_height(draw) -> float:
    """Lay the page out once on a very tall sheet to learn how tall the share image must be."""
    pdf = _scratch()
    _start_page(pdf, PHONE, 3000)
    draw(pdf)
    return pdf.get_y() + PHONE.margin


COMPACT_STEPS = (1.0, 0.92, 0.84, 0.76)


def _fitting(brief: RegionBrief, layout: Layout, scratch: FPDF) -> Layout:
    """The largest type at which the region's page holds everything on one sheet.

    Laid out on a scratch document first: nothing is cut, a long page just gets smaller type
    (and, past the last step, a second sheet rather than lost lines).
    """
    for step in COMPACT_STEPS:
        candidate = replace(layout, base=layout.base * step, title=layout.title * step)
        first = scratch.page + 1
        _start_page(scratch, candidate, candidate.height)
        _region_body(scratch, brief, candidate)
        if scratch.page == first:
            return candidate
    return candidate


def region_pdf(brief: RegionBrief, layout: Layout = A4) -> bytes:
    title = f"{t('brief_kicker', brief.lang)} · {brief.name}"
    pdf = _document(brief.lang, title)
    if layout.height is None:
        height = _phone_height(lambda p: _region_body(p, brief, layout))
    else:
        layout = _fitting(brief, layout, _scratch())
        height = layout.height
    _start_page(pdf, layout, height)
    _region_body(pdf, brief, layout)
    return bytes(pdf.output())


AREA_ROWS = 12


def _summary_body(pdf: FPDF, summary: PackSummary, layout: Layout, ranking_rows: int) -> None:
    lang = summary.lang
    _header(
        pdf,
        layout,
        lang,
        t("brief_kicker", lang),
        summary.title,
        t("brief_scope", lang, scope=summary.scope_label),
        summary.footer,
        summary.sample,
    )
    figures = summary.figures
    _cards(pdf, figures, replace(layout, cards_per_row=3))
    by_area = summary.grouped_by == "area"
    _section(pdf, t("brief_areas_title" if by_area else "brief_provinces_title", lang), layout)
    headings = [
        t("brief_col_area", lang),
        t("regions", lang),
        t("stages_done", lang),
        t("masterplans_complete", lang),
        t("brief_col_regions_late", lang),
        t("programs", lang),
    ]
    aligns = ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    areas = summary.areas
    if len(areas) > AREA_ROWS:  # 38 provinces would push the ranking off the page
        more = t("brief_more", lang, n=fmt_int(len(areas) - AREA_ROWS + 1, lang))
        areas = [*areas[: AREA_ROWS - 1], [more, "", "", "", "", ""]]
    _table(pdf, layout, headings, areas, (52, 22, 30, 30, 26, 24), aligns=aligns)
    _section(pdf, t("brief_ranking_title", lang), layout)
    headings = [
        t("brief_col_rank", lang),
        t("brief_col_region", lang),
        t("col_stages_done", lang),
        t("progress_label", lang),
        t("current_stage", lang),
        t("stages_late", lang),
    ]
    rows, styles = _ranking_rows(summary, ranking_rows)
    aligns = ("RIGHT", "LEFT", "RIGHT", "RIGHT", "LEFT", "RIGHT")
    _table(pdf, layout, headings, rows, (10, 80, 22, 20, 26, 24), aligns=aligns, styles=styles)
    if summary.sample:
        pdf.ln(1)
        _sample_note(pdf, lang, layout)


def _ranking_rows(summary: PackSummary, fits: int):
    """All regions when they fit; else the top and the bottom with the count left out between.

    The summary stays one page whatever the scope; every region still has its own page after it.
    """
    rows = summary.ranking
    late = Style(color=LATE)
    if len(rows) <= fits:
        return rows, {i: late for i in summary.late_ranks}
    head = (fits - 1) // 2
    tail = fits - 1 - head
    hidden = len(rows) - head - tail
    gap = ["", t("brief_ranking_gap", summary.lang, n=fmt_int(hidden, summary.lang))]
    kept = [*range(head), None, *range(len(rows) - tail, len(rows))]
    picked = [gap + [""] * 4 if i is None else rows[i] for i in kept]
    styles = {at: late for at, i in enumerate(kept) if i in summary.late_ranks}
    styles[head] = Style(color=MUTED)
    return picked, styles


def _summary_rows(summary: PackSummary) -> int:
    """How many ranking rows the summary page holds: the most that still leave it one page,
    found by bisection on a scratch document (an A4 page holds fewer than 60 rows)."""
    scratch = _scratch()

    def one_page(fits: int) -> bool:
        first = scratch.page + 1
        _start_page(scratch, A4, A4.height)
        _summary_body(scratch, summary, A4, fits)
        return scratch.page == first

    low, high = 3, min(len(summary.ranking), 60)
    if one_page(high):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if one_page(middle) else (low, middle)
    return low


def pack_pdf(summary: PackSummary, briefs: list[RegionBrief]) -> bytes:
    pdf = _document(summary.lang, f"{summary.title} · {summary.scope_label}")
    pdf.numbered = True
    _start_page(pdf, A4, A4.height)
    _summary_body(pdf, summary, A4, _summary_rows(summary))
    scratch = _scratch()
    for brief in briefs:
        layout = _fitting(brief, A4, scratch)
        _start_page(pdf, layout, A4.height)
        _region_body(pdf, brief, layout)
    return bytes(pdf.output())
