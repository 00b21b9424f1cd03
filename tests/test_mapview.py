"""The map is built from data that users upload: its text must never run as HTML or JS; and it
reads from 1 to 514 regions (labels are placed in the browser, only where they fit)."""

import datetime as dt
import json
import re

import pandas as pd
import pytest

from lib.core import metrics
from lib.geo.mapview import clicked_region, escape_text, regions_map, script_json
from lib.storage import store
from tests.conftest import PROJECT

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "`); alert(1); (`",
    "${alert(document.cookie)}",
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
]
NINE = {"33.23", "33.22", "34.04", "33.06", "33.74", "33.19", "33.20", "33.12", "33.13"}


def progress_of(frames, regions=None):
    regions = frames["regions"] if regions is None else regions
    return metrics.region_progress(regions, frames["stages"], dt.date(2021, 10, 15))


def build_map(frames, lang="id", name=None, boundaries=None):
    regions = frames["regions"].copy()
    if name is not None:
        regions.loc[0, "name"] = name
    progress = progress_of(frames, regions)
    fmap = regions_map(progress, lang, "/app/static/vendor/leaflet", boundaries=boundaries)
    return fmap.get_root().render()


def labels_of(html: str) -> list[dict]:
    return json.loads(re.search(r"var labels = (\[.*?\]), bounds", html).group(1))


@pytest.fixture
def shipped_boundaries(seeded_engine):
    """The boundary set seeded on first start from data/boundaries.geojson."""
    return store.latest_boundaries(seeded_engine)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_region_names_render_as_text(mini_frames, name):
    html = build_map(mini_frames, name=name)
    assert name not in html
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "${alert" not in html and "`); alert" not in html
    assert name in [label["text"] for label in labels_of(html)]  # shown as text, unchanged


def test_escape_text_neutralises_template_literals():
    assert escape_text("a`b${c}<d>&") == "a&#96;b&#36;{c}&lt;d&gt;&amp;"
    assert script_json("</script>`${x}&") == '"\\u003c/script\\u003e\\u0060\\u0024{x}\\u0026"'


def test_map_needs_no_internet(mini_frames):
    html = build_map(mini_frames)
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "code.jquery" not in html
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "tile.openstreetmap" not in html


def test_without_boundaries_each_region_is_a_dot_with_a_label(mini_frames):
    html = build_map(mini_frames, lang="en")
    assert {label["text"] for label in labels_of(html)} >= {"Kab. Semarang", "Kota Semarang"}
    assert len(labels_of(html)) == len(mini_frames["regions"])
    assert "1 late" in html
    assert "Current stage: Complete" in html


def test_tooltip_language(mini_frames):
    assert "Tahap saat ini" in build_map(mini_frames, lang="id")
    assert "Current stage" in build_map(mini_frames, lang="en")


def test_shipped_boundaries_colour_the_nine_and_name_their_source(shipped_boundaries):
    from lib.ingest.dataset import load_shipped

    frames, _ = load_shipped(PROJECT / "data")
    html = build_map(frames, "en", boundaries=shipped_boundaries)
    assert "geoBoundaries (Runfola et al. 2020)" in html and "CC BY 3.0 IGO" in html
    assert "Boyolali" in html  # a neighbour, drawn for context
    assert len(labels_of(html)) == 9
    assert len(html.encode()) < 300_000
    progress = progress_of(frames)
    # a click inside Kota Semarang's outline opens Kota, not Kabupaten, Semarang
    assert clicked_region(progress, shipped_boundaries, -7.0, 110.42) == "33.74"
    assert clicked_region(progress, shipped_boundaries, -7.25, 110.45) == "33.22"


def national_regions(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n regions spread over Indonesia (the first nine are the shipped ones), and stages."""
    from lib.ingest.dataset import load_shipped

    shipped, _ = load_shipped(PROJECT / "data")
    nine = shipped["regions"]
    extra = pd.DataFrame(
        {
            "region_code": [f"{11 + i // 90}.{i % 90 + 1:02d}" for i in range(max(0, n - 9))],
            "name": [f"Kabupaten Uji {i}" for i in range(max(0, n - 9))],
            "kind": "kabupaten",
            "lat": [-8 + (i % 23) * 0.6 for i in range(max(0, n - 9))],
            "lon": [96 + (i // 23) * 1.8 for i in range(max(0, n - 9))],
        }
    )
    regions = pd.concat([nine, extra], ignore_index=True).head(n)
    stages = shipped["stages"][shipped["stages"]["region_code"].isin(regions["region_code"])]
    return regions, stages


@pytest.mark.parametrize("n", [1, 9, 28, 60, 514])
def test_the_map_reads_from_one_to_514_regions(shipped_boundaries, n):
    regions, stages = national_regions(n)
    progress = metrics.region_progress(regions, stages, dt.date(2021, 10, 15))
    html = (
        regions_map(progress, "id", "/app/static/vendor/leaflet", boundaries=shipped_boundaries)
        .get_root()
        .render()
    )
    labels = labels_of(html)
    assert len(labels) == n  # one candidate each; the browser shows only those that fit
    outlined = {c for c in regions["region_code"] if c in NINE}
    seats = n - len(outlined)
    assert html.count('"type":"Point"') + html.count('"type": "Point"') == seats
    assert len(html.encode()) < 300_000 + 450 * n  # context stays clipped to the view
    bounds = json.loads(re.search(r"bounds = (\[\[.*?\]\]|null);", html).group(1))
    if n > 9:
        assert bounds[0][1] < 100 and bounds[1][1] > 110  # the view holds every region
