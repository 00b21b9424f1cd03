"""The map is built from data that users upload: its text must never run as HTML or JS."""

import datetime as dt

import pytest

from lib import metrics
from lib.mapview import escape_text, regions_map

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "`); alert(1); (`",
    "${alert(document.cookie)}",
    "<script>alert(1)</script>",
]


def build_map(frames, lang="id", name=None):
    regions = frames["regions"].copy()
    if name is not None:
        regions.loc[0, "name"] = name
    progress = metrics.region_progress(regions, frames["stages"], dt.date(2021, 10, 15))
    return regions_map(progress, lang, "/app/static/vendor/leaflet").get_root().render()


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_region_names_render_as_text(mini_frames, name):
    html = build_map(mini_frames, name=name)
    assert name not in html
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "${alert" not in html and "`); alert" not in html
    assert escape_text(name) in html


def test_escape_text_neutralises_template_literals():
    assert escape_text("a`b${c}<d>&") == "a&#96;b&#36;{c}&lt;d&gt;&amp;"


def test_map_needs_no_internet(mini_frames):
    html = build_map(mini_frames)
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "code.jquery" not in html
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "tile.openstreetmap" not in html


def test_one_marker_and_one_label_per_region_with_late_flag(mini_frames):
    html = build_map(mini_frames, lang="en")
    assert html.count("L.circleMarker(") == 2 * len(mini_frames["regions"])
    assert "Kab. Semarang" in html and "Kota Semarang" in html
    assert "1 late" in html
    assert "Current stage: Complete" in html


def test_tooltip_language(mini_frames):
    assert "Tahap saat ini" in build_map(mini_frames, lang="id")
    assert "Current stage" in build_map(mini_frames, lang="en")
