"""The overview map as users meet it at 1440x900, 1920x1080 and a 390x844 phone: drawn offline
from the shipped boundary set, a real mouse click on a region opens it, labels stay inside
the map without covering each other, and no tooltip hides under the legend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, start_server, wait_until_drawn

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SIZES = [(1440, 900), (1920, 1080), (390, 844)]
SHOTS = Path("/tmp/shots/geo")
JEPARA = (-6.62, 110.72)  # on land inside Kabupaten Jepara, at the top of the map
WONOGIRI = (-7.95, 110.95)  # at the bottom of the map, above the legend


@pytest.fixture(scope="module")
def geo_server(tmp_path_factory):
    """A fresh store: the shipped boundary set is seeded on first start, nothing imported."""
    process, url = start_server(tmp_path_factory.mktemp("geo") / "store.db")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def open_overview(chromium, url: str, size, lang: str = "id"):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    blocked = []

    def route(request_route):
        if request_route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:")):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(url + ("/?lang=en" if lang == "en" else "/"))
    wait_until_drawn(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").nth(8).wait_for(state="attached", timeout=60_000)
    page.blocked = blocked
    return context, page


def screen_point(page, lat_lon) -> tuple[float, float]:
    """Where a user sees lat_lon on the screen, from Leaflet's own projection."""
    iframe = page.locator(MAP_FRAME)
    point = iframe.content_frame.locator("#map_div").evaluate(
        f"() => map_div.latLngToContainerPoint([{lat_lon[0]}, {lat_lon[1]}])"
    )
    box = iframe.bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def in_frame(page, script: str):
    return page.locator(MAP_FRAME).content_frame.locator("body").evaluate(script)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_mouse_click_on_a_region_opens_it(geo_server, chromium, size):
    context, page = open_overview(chromium, geo_server, size)
    try:
        x, y = screen_point(page, JEPARA)
        if y > size[1] - 40:
            # On a phone the map is further down: scroll as a user would, until the top of
            # the map shows and its bottom is still cut off (the case that used to fail).
            page.mouse.move(4, size[1] / 2)  # the page margin: a wheel there scrolls the page
            page.mouse.wheel(0, page.locator(MAP_FRAME).bounding_box()["y"] - (size[1] - 350))
            page.wait_for_function(
                "([sel, limit]) => document.querySelector(sel).getBoundingClientRect().top < limit",
                arg=[MAP_FRAME, size[1] - 300],
                timeout=10_000,
            )
            x, y = screen_point(page, JEPARA)
        iframe_box = page.locator(MAP_FRAME).bounding_box()
        assert iframe_box["y"] + iframe_box["height"] > size[1]  # the map is only partly visible
        assert 0 < y < size[1]
        page.mouse.click(x, y)
        page.wait_for_url("**/wilayah?region=33.20*", timeout=30_000)
        wait_until_drawn(page)
        assert page.locator("h1").first.inner_text() == "Kabupaten Jepara"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_labels_fit_inside_the_map_and_tooltips_clear_the_legend(geo_server, chromium, size, lang):
    context, page = open_overview(chromium, geo_server, size, lang)
    try:
        assert not [u for u in page.blocked if "leaflet" in u]
        frame = page.frame_locator(MAP_FRAME)
        assert frame.locator("path.leaflet-interactive").count() == 9
        assert frame.locator("path").count() > 20  # neighbours and province outlines
        assert "geoBoundaries" in frame.locator(".map-attribution").inner_text()
        boxes = in_frame(
            page,
            """() => {
              const map = document.getElementById('map_div').getBoundingClientRect();
              const legend = document.getElementById('map-legend').getBoundingClientRect();
              const labels = [...document.querySelectorAll('.region-label')]
                .filter(e => e.style.display !== 'none')
                .map(e => { const r = e.getBoundingClientRect();
                  return {text: e.textContent, x: r.x, y: r.y, r: r.right, b: r.bottom}; });
              return {map: {x: map.x, y: map.y, r: map.right, b: map.bottom},
                      legend: {y: legend.y, b: legend.bottom}, labels};
            }""",
        )
        area = boxes["map"]
        texts = sorted(label["text"] for label in boxes["labels"])
        assert texts == sorted(
            [
                "Kab. Temanggung",
                "Kab. Semarang",
                "Kab. Sleman",
                "Kab. Purworejo",
                "Kota Semarang",
                "Kab. Kudus",
                "Kab. Jepara",
                "Kab. Wonogiri",
                "Kab. Karanganyar",
            ]
        )  # all nine at area scope
        for label in boxes["labels"]:
            assert area["x"] <= label["x"] and label["r"] <= area["r"], label
            assert area["y"] <= label["y"] and label["b"] <= area["b"], label
        for i, a in enumerate(boxes["labels"]):
            for b in boxes["labels"][i + 1 :]:
                apart = a["r"] <= b["x"] or b["r"] <= a["x"] or a["b"] <= b["y"] or b["b"] <= a["y"]
                assert apart, (a, b)
        assert boxes["legend"]["y"] >= area["b"] - 1  # the legend sits under the map
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(MAP_FRAME).screenshot(path=str(SHOTS / f"map-{lang}-{size[0]}x{size[1]}.png"))
        # Hover the southernmost region: its tooltip shows whole, above the legend.
        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        page.mouse.move(*screen_point(page, WONOGIRI))
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=10_000)
        assert "Wonogiri" in tooltip.inner_text()
        tip = tooltip.bounding_box()
        legend = frame.locator("#map-legend").bounding_box()
        assert tip["y"] + tip["height"] <= legend["y"] + 1
        page.screenshot(path=str(SHOTS / f"overview-{lang}-{size[0]}x{size[1]}.png"))
    finally:
        context.close()
