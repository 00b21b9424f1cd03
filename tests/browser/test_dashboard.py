"""The dashboard in Debian Chromium with the network blocked: map, charts, navigation."""

import csv

import pytest

from tests.browser.conftest import screenshot, wait_until_drawn
from tests.conftest import PROJECT

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
REGION_NAMES = {
    row["region_code"]: row["name"]
    for row in csv.DictReader((PROJECT / "data" / "regions.csv").open())
}


def charts_drawn(page, count: int):
    """The server-drawn chart images (lib.charts.svg) shown at this width, all loaded; no
    plotly on the page (a chart drawn twice, for a desk and a phone, counts once)."""
    charts = page.locator('[data-testid="stHtml"] img[src^="data:image/svg+xml"]:visible')
    charts.nth(count - 1).wait_for(timeout=30_000)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-testid=stHtml] img'))"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert charts.count() == count
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    return charts


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("lang", ["id", "en"])
def test_overview_draws_nine_markers_and_charts_offline(server, page, lang):
    page.goto(f"{server}/?lang={lang}")
    wait_until_drawn(page)
    markers = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")
    markers.nth(8).wait_for(timeout=30_000)
    assert markers.count() == 9
    # The two overview charts are images drawn on the server: loaded, with every region named.
    charts = charts_drawn(page, 10)  # the progress bars and one small panel per region
    for name in REGION_NAMES.values():
        assert name in charts.first.get_attribute("alt")
    heading = {"id": "Ringkasan kemajuan masterplan", "en": "Masterplan progress overview"}
    assert page.locator("h1").first.inner_text() == heading[lang]
    no_exception(page)
    screenshot(page, f"overview-{lang}")


def test_clicking_a_marker_opens_that_regions_page(server, page):
    page.goto(server)
    wait_until_drawn(page)
    marker = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").nth(4)
    marker.wait_for(timeout=30_000)
    marker.click()
    page.wait_for_url("**/wilayah?region=*", timeout=30_000)
    wait_until_drawn(page)
    code = page.url.split("region=")[1].split("&")[0]
    assert page.locator("h1").first.inner_text() == REGION_NAMES[code]
    no_exception(page)


@pytest.mark.parametrize("lang, label", [("id", "Tahap saat ini"), ("en", "Current stage")])
def test_region_page_from_shared_link(server, page, lang, label):
    page.goto(f"{server}/wilayah?region=33.20&lang={lang}")
    wait_until_drawn(page)
    assert page.locator("h1").first.inner_text() == "Kabupaten Jepara"
    assert page.get_by_text(label).count() >= 1
    charts_drawn(page, 2)  # the stage timeline, programs per dimension x horizon
    timeline = page.locator('[data-testid="stHtml"] img').first.get_attribute("alt")
    assert {"id": "Bimtek 4 · Realisasi: ", "en": "Bimtek 4 · Actual: "}[lang] in timeline
    no_exception(page)
    screenshot(page, f"region-jepara-{lang}")


def test_dimensions_page(server, page):
    page.goto(f"{server}/dimensi")
    wait_until_drawn(page)
    # The region x dimension heatmap: a chart a reader explores (plotly; see
    # test_dimensions_chart.py), its text equivalent what a screen reader reads.
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=30_000)
    heatmap = page.locator('[data-testid="stPlotlyChart"]').get_attribute("aria-label")
    assert "Kabupaten Jepara · Tata kelola: " in heatmap
    assert page.locator("h1").first.inner_text() == "Program per wilayah dan dimensi"
    no_exception(page)
    screenshot(page, "dimensions-id")
