"""The overview map at national size, as a reader meets it: 514 seat dots (the generated regions
have no outlines), every dot whole inside the map and clear of the scale bar and attribution,
and no label covering a dot; at one area's scope all nine labels still fit."""

from __future__ import annotations

import pytest

from bench.national_data import generate, write_csv
from tests.browser.conftest import start_server, wait_until_drawn
from tests.browser.test_choropleth import MAP_FRAME, chromium, in_frame  # noqa: F401

pytestmark = pytest.mark.browser
SIZES = [(1440, 900), (390, 844)]

GEOMETRY = """() => {
  const rect = e => { const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, r: r.right, b: r.bottom, text: e.textContent}; };
  const map = rect(document.getElementById('map_div'));
  const dots = [...document.querySelectorAll('path.leaflet-interactive')].map(rect);
  const labels = [...document.querySelectorAll('.region-label')]
    .filter(e => e.style.display !== 'none').map(rect);
  const controls = [...document.querySelectorAll(
    '.leaflet-control-scale, .leaflet-control-attribution')].map(rect);
  return {map, dots, labels, controls};
}"""


def apart(a, b) -> bool:
    return a["r"] <= b["x"] or b["r"] <= a["x"] or a["b"] <= b["y"] or b["b"] <= a["y"]


@pytest.fixture(scope="module")
def national_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("national-map")
    data = write_csv(generate(514, 600), folder / "data")
    process, url = start_server(folder / "store.db", {"DASHBOARD_DATA_DIR": str(data)})
    yield url
    process.terminate()
    process.wait(timeout=20)


def map_geometry(chromium, url: str, size, query: str, dots: int) -> dict:  # noqa: F811
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto(f"{url}/?{query}")
        wait_until_drawn(page)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.leaflet-interactive").nth(dots - 1).wait_for(
            state="attached", timeout=120_000
        )
        return in_frame(page, GEOMETRY)
    finally:
        context.close()


@pytest.mark.parametrize(
    "query, dots", [("scope=all", 514), ("area=KSPN+Borobudur", 9)], ids=["all", "area"]
)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_dot_shows_whole_and_no_label_covers_one(
    national_server,
    chromium,  # noqa: F811
    size,
    query,
    dots,
):
    shown = map_geometry(chromium, national_server, size, query, dots)
    assert len(shown["dots"]) == dots
    area = shown["map"]
    for dot in shown["dots"]:
        assert area["x"] <= dot["x"] and dot["r"] <= area["r"], dot
        assert area["y"] <= dot["y"] and dot["b"] <= area["b"], dot
        assert all(apart(dot, control) for control in shown["controls"]), dot
    for label in shown["labels"]:
        assert all(apart(label, dot) for dot in shown["dots"]), label["text"]
    if dots == 9:
        assert len(shown["labels"]) == 9  # at one area's scope every region is named
