"""Charts drawn on the server (lib.charts.svg): what a reader sees in the images, in both
languages, and data text that stays text however hostile."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pandas as pd
import pytest

from lib.charts import palette
from lib.charts import svg as svg_charts
from lib.core import metrics
from lib.core.i18n import enum_label
from lib.core.schema import DIMENSIONS, STATUSES
from tests.conftest import MINI_REFERENCE

HOSTILE = ["<img src=x onerror=alert(1)>", "![](http://evil/x)", 'Kota "A" & <b>B</b>']


class Tags(HTMLParser):
    """Every tag of the markup st.html receives, with its attributes."""

    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def images(markup: str) -> list[dict]:
    tags = Tags(markup).tags
    assert {tag for tag, _ in tags} <= {"div", "span", "img"}, tags
    return [attrs for tag, attrs in tags if tag == "img"]


def drawn_texts(markup: str) -> list[list[str]]:
    """The text elements of each image, as the SVG parser reads them (a name that were not
    escaped would add elements or break the parse)."""
    out = []
    for attrs in images(markup):
        assert attrs["src"].startswith("data:image/svg+xml;base64,")
        root = ET.fromstring(svg_charts.svg_of(f'src="{attrs["src"]}"'))
        out.append(["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")])
    return out


def heatmap_cells(markup: str) -> dict[tuple[str, str], int]:
    """(row, dimension) -> the count a reader sees in that heatmap cell, from the image's text
    (its lines "Jawa Tengah · Economy: 1,200 (Planned 1,000 · ...)")."""
    (image,) = images(markup)
    cells = {}
    for line in image["alt"].splitlines()[1:]:
        head, number = re.match(r"(.*): ([\d.,]+) \(", line).groups()
        row, dimension = head.rsplit(" · ", 1)
        cells[(row, dimension)] = int(number.replace(".", "").replace(",", ""))
    return cells


@pytest.fixture
def progress(mini_frames):
    return metrics.region_progress(mini_frames["regions"], mini_frames["stages"], MINI_REFERENCE)


@pytest.mark.parametrize(
    "lang, axis, late",
    [("id", "Tahap selesai", "1 tahap terlambat"), ("en", "Stages done", "1 stage late")],
)
def test_progress_chart_shows_ranked_regions_values_and_late_marks(progress, lang, axis, late):
    markup = svg_charts.progress_chart(progress, lang)
    (texts,) = drawn_texts(markup)
    names = [t for t in texts if t.startswith(("Kab.", "Kota"))]
    assert names == ["Kota Semarang", "Kab. Semarang", "Kab. Jepara"]  # most advanced first
    assert [t for t in texts if "/4" in t] == ["4/4", "1/4 ⚠1", "0/4 ⚠1"]
    assert axis in texts and {"0", "1", "2", "3", "4"} <= set(texts)
    (image,) = images(markup)
    assert f"Kabupaten Jepara: 0/4 · {late}" in image["alt"]  # read aloud, and on hover
    svg = svg_charts.svg_of(markup)
    assert svg.count(f'stroke="{svg_charts.LATE_COLOUR}"') == 2  # late regions ringed red


@pytest.mark.parametrize(
    "by, lang, legend",
    [
        ("status", "id", ["Rencana", "Berjalan", "Selesai"]),
        ("horizon", "en", ["Short (1 yr)", "Medium (5 yrs)", "Long (10 yrs)"]),
    ],
)
def test_dimension_small_multiples(mini_frames, by, lang, legend):
    counts = metrics.program_counts(mini_frames["programs"], mini_frames["regions"], by)
    markup = svg_charts.dimension_chart(counts, by, lang)
    assert re.findall(r"</span>([^<]+)</span>", markup) == legend
    panels = drawn_texts(markup)
    assert len(panels) == 3  # one panel per region
    dimension = "Tata kelola" if lang == "id" else "Governance"
    assert all(dimension in texts for texts in panels)
    # every program is in exactly one bar: the totals at the bar ends add up
    totals = [
        int(texts[i + 1])
        for texts in panels
        for i, text in enumerate(texts)
        if i + 1 < len(texts) and text in {enum_label("dimension", d, lang) for d in DIMENSIONS}
    ]
    assert sum(totals) == len(mini_frames["programs"])


@pytest.mark.parametrize("lang, thousands", [("id", "1.200"), ("en", "1,200")])
def test_heatmap_numbers_in_the_users_format_and_zero_grey(lang, thousands):
    rows = [
        {"region_code": n, "name": n, "dimension": d, "status": s, "count": 0}
        for n in ("Jawa Tengah", "DI Yogyakarta")
        for d in DIMENSIONS
        for s in STATUSES
    ]
    counts = pd.DataFrame(rows)
    counts.loc[0, "count"] = 1200
    markup = svg_charts.category_heatmap(counts, "status", lang)
    (texts,) = drawn_texts(markup)
    assert thousands in texts and "Jawa Tengah" in texts and "DI Yogyakarta" in texts
    cells = heatmap_cells(markup)
    assert len(cells) == 12 and sum(cells.values()) == 1200
    assert palette.ZERO_COLOUR in svg_charts.svg_of(markup)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_drawn_as_text(mini_frames, name):
    regions = mini_frames["regions"].assign(name=[name, "B", "C"])
    progress = metrics.region_progress(regions, mini_frames["stages"], MINI_REFERENCE)
    counts = metrics.program_counts(mini_frames["programs"], regions, "status")
    for markup in (
        svg_charts.progress_chart(progress, "en"),
        svg_charts.dimension_chart(counts, "status", "en"),
        svg_charts.category_heatmap(counts, "status", "en"),
    ):
        texts = [text for image in drawn_texts(markup) for text in image]
        # the name, or its start cut with an ellipsis where the label column is narrow
        assert any(
            name == text or (text.endswith("…") and name.startswith(text[:-1])) for text in texts
        )
        assert any(name in attrs["alt"] for attrs in images(markup))
        assert "<img src=x" not in markup


@pytest.mark.parametrize(
    "lang, month, planned", [("id", "Okt 2021", "Rencana"), ("en", "Oct 2021", "Planned")]
)
def test_timeline_months_in_the_users_language(mini_frames, lang, month, planned):
    stages = mini_frames["stages"][mini_frames["stages"].region_code == "33.22"]
    markup = svg_charts.timeline_chart(stages, MINI_REFERENCE, lang)
    (texts,) = drawn_texts(markup)
    assert month in texts
    assert [t for t in texts if t.startswith("Bimtek")] == [f"Bimtek {n}" for n in (1, 2, 3, 4)]
    assert f"Bimtek 1 · {planned}: " in images(markup)[0]["alt"]
    assert re.findall(r"</span>([^<]+)</span>", markup)[0] == planned


@pytest.mark.parametrize("lang", ["id", "en"])
def test_dimension_horizon_bars_count_every_program(mini_frames, lang):
    programs = mini_frames["programs"]
    markup = svg_charts.dimension_horizon_chart(metrics.dimension_by_horizon(programs), lang)
    (texts,) = drawn_texts(markup)
    labels = {enum_label("dimension", d, lang) for d in DIMENSIONS}
    totals = [int(texts[i + 1]) for i, text in enumerate(texts[:-1]) if text in labels]
    assert sum(totals) == len(programs)
