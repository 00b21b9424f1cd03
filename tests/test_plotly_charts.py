"""Charts a reader explores (lib.charts plotly kind): the plotly.js locale built from Babel, the
layout defaults that make a chart fit a phone, and the Dimensi heatmap (cells, hover, text
equivalent, table) in both languages, with data text that stays text however hostile."""

import json
import re

import pandas as pd
import pytest

from lib.charts import heatmap, palette, plotly_locale
from lib.core import metrics
from lib.core.schema import DIMENSIONS, STATUSES

HOSTILE = ["<img src=x onerror=alert(1)>", '<a href="http://evil">Kota</a>', "A & <b>B</b>"]


def text_cells(alt: str) -> dict[tuple[str, str], int]:
    """(row, dimension) -> the count a chart's text equivalent gives for that cell (its lines
    "Jawa Tengah · Ekonomi: 1.200 (Rencana 1.000, ...)")."""
    cells = {}
    for line in alt.splitlines()[1:]:
        head, number = re.match(r"(.*): ([\d.,]+) \(", line).groups()
        row, dimension = head.rsplit(" · ", 1)
        cells[(row, dimension)] = int(number.replace(".", "").replace(",", ""))
    return cells


def spec_of(element) -> dict:
    """An AppTest plotly_chart's figure as plotly.js receives it."""
    return json.loads(element.proto.spec)


@pytest.mark.parametrize(
    "lang, month, short_month, sunday, decimal, thousands",
    [("id", "Oktober", "Okt", "Minggu", ",", "."), ("en", "October", "Oct", "Sunday", ".", ",")],
)
def test_locale_from_babel(lang, month, short_month, sunday, decimal, thousands):
    shape = plotly_locale.locale(lang)["format"]
    assert shape["months"][9] == month and shape["shortMonths"][9] == short_month
    assert shape["days"][0] == sunday and len(shape["shortDays"]) == 7
    assert (shape["decimal"], shape["thousands"]) == (decimal, thousands)
    assert plotly_locale.separators(lang) == decimal + thousands
    config = plotly_locale.config(lang)
    assert config["locale"] == lang and config["locales"][lang]["format"] == shape


def test_every_mode_bar_word_is_indonesian_on_an_indonesian_page():
    dictionary = plotly_locale.locale("id")["dictionary"]
    assert set(dictionary) == set(plotly_locale.MODEBAR_WORDS)
    assert [english for english, said in dictionary.items() if said == english] == []
    assert plotly_locale.locale("en")["dictionary"]["Reset axes"] == "Reset axes"


def test_dates_read_day_month_year_at_every_zoom():
    axis = plotly_locale.date_axis()
    for stop in axis["tickformatstops"]:
        order = [p for p in re.findall(r"%-?([dbY])", stop["value"])]
        assert order == [p for p in "dbY" if p in order], stop
    assert axis["hoverformat"] == "%-d %b %Y"


def counts_of(names: list[str], big: int = 0) -> pd.DataFrame:
    rows = [
        {"region_code": f"33.{i:02d}", "name": n, "dimension": d, "status": s, "count": 0}
        for i, n in enumerate(names)
        for d in DIMENSIONS
        for s in STATUSES
    ]
    counts = pd.DataFrame(rows)
    counts.loc[0, "count"] = big
    counts.loc[1, "count"] = 1
    return counts


@pytest.mark.parametrize(
    "lang, dims, thousands, count_word",
    [
        ("id", ["Tata kelola", "Branding", "Ekonomi"], "1.200", "Jumlah program"),
        ("en", ["Governance", "Branding", "Economy"], "1,200", "Programs"),
    ],
)
def test_heatmap_speaks_the_page_language(lang, dims, thousands, count_word):
    counts = counts_of(["Kabupaten Magelang", "Kota Magelang"], big=1200)
    fig = heatmap.figure(counts, "status", lang).to_plotly_json()
    colours, points = fig["data"]
    assert list(colours["x"])[:3] == dims and len(colours["x"]) == 6
    assert list(colours["y"]) == ["Kab. Magelang", "Kota Magelang"]
    assert colours["z"][0][0] == 1201 and sum(map(sum, colours["z"])) == 1201
    # The hover (and the click) is the unseen point at each cell's centre.
    assert colours["hoverinfo"] == "skip" and points["marker"]["opacity"] == 0
    assert len(points["x"]) == 12 and (points["x"][0], points["y"][0]) == (dims[0], "Kab. Magelang")
    assert count_word in points["hovertemplate"]
    planned = {"id": "Rencana", "en": "Planned"}[lang]
    name, split, code, count = points["customdata"][0]
    assert (name, code, count) == (
        "Kabupaten Magelang",
        "33.00",
        {"id": "1.201", "en": "1,201"}[lang],
    )
    assert f"{planned}: " in split
    assert fig["layout"]["separators"] == plotly_locale.separators(lang)
    alt = heatmap.text(counts, "status", lang)
    assert thousands in alt and text_cells(alt)[("Kabupaten Magelang", dims[0])] == 1201


def test_heatmap_fits_a_phone():
    fig = heatmap.figure(counts_of(["A", "B"]), "status", "id").to_plotly_json()
    layout = fig["layout"]
    assert layout["xaxis"]["dtick"] == 1 and layout["yaxis"]["dtick"] == 1  # every label
    assert fig["data"][0]["colorbar"]["orientation"] == "h"  # across, below
    assert fig["data"][0]["colorbar"]["tickvals"] == [0, 1]  # whole programs
    assert layout["margin"]["t"] >= 30  # the mode bar sits above the plot, not on a label
    assert layout["dragmode"] is False  # a finger scrolls the page


@pytest.mark.parametrize("top", [1, 2, 3, 40])
def test_the_colour_scale_draws_each_count_as_the_svg_heatmap_does(top):
    """0 in its own grey, 1 the lightest blue, top the darkest: plotly's scale at a count's
    position gives heat_colour's colour."""
    scale = palette.heat_scale(top)

    def colour_at(value: int) -> str:
        position = value / max(top, 1)
        below = [(stop, colour) for stop, colour in scale if stop <= position][-1]
        above = [(stop, colour) for stop, colour in scale if stop >= position][0]
        if below[0] == above[0]:
            return below[1]
        share = (position - below[0]) / (above[0] - below[0])
        rgb = [int(c[i : i + 2], 16) for c in (below[1], above[1]) for i in (1, 3, 5)]
        return palette._hex(
            round(a + (b - a) * share) for a, b in zip(rgb[:3], rgb[3:], strict=True)
        )

    for value in range(top + 1):
        assert colour_at(value) == palette.heat_colour(value, top), value


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_text_in_ticks_and_hover(mini_frames, name):
    regions = mini_frames["regions"].assign(name=[name, "B", "C"])
    counts = metrics.program_counts(mini_frames["programs"], regions, "status")
    fig = heatmap.figure(counts, "status", "en").to_plotly_json()
    colours, points = fig["data"]
    shown = [*colours["y"], *points["y"], *(cell[0] for cell in points["customdata"])]
    assert not [text for text in shown if "<" in text or '"' in text]
    assert any("&lt;" in text for text in shown)


def test_the_table_holds_every_program_split_by_status(mini_frames):
    counts = metrics.program_counts(mini_frames["programs"], mini_frames["regions"], "status")
    frame = heatmap.table(counts, "status", "id", "Wilayah")
    assert list(frame.columns[:3]) == ["Wilayah", "Dimensi", "Jumlah program"]
    assert frame["Jumlah program"].sum() == len(mini_frames["programs"])
    assert (frame[["Rencana", "Berjalan", "Selesai"]].sum(axis=1) == frame["Jumlah program"]).all()
    assert len(frame) == 6 * len(mini_frames["regions"])


@pytest.mark.parametrize(
    "top, ticks", [(0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (12, [0, 3, 6, 9, 12])]
)
def test_colour_bar_ticks_are_whole_programs(top, ticks):
    assert heatmap.whole_ticks(top) == ticks


@pytest.mark.parametrize("rows, on_top", [(9, False), (13, True), (40, True)])
def test_many_rows_name_the_dimensions_above_them_too(rows, on_top):
    fig = heatmap.figure(counts_of([f"Provinsi {i}" for i in range(rows)]), "status", "id")
    layout = fig.to_plotly_json()["layout"]
    assert ("xaxis2" in layout) is on_top
    if on_top:
        assert layout["xaxis2"]["side"] == "top" and layout["xaxis2"]["matches"] == "x"
        assert layout["margin"]["t"] >= 100  # room for upright labels on a phone
