"""With boundaries stored, the overview map is a choropleth, drawn with the network blocked."""

import pytest

from lib import store
from lib.boundaries import prepare_boundaries, store_boundaries
from lib.dataset import ensure_seeded
from tests.browser.conftest import screenshot, start_server, wait_until_drawn
from tests.conftest import PROJECT

pytestmark = pytest.mark.browser
ADM2 = PROJECT.parent / "shared" / "geo" / "jateng_diy_adm2.geojson"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture
def choropleth_server(tmp_path):
    if not ADM2.exists():
        pytest.skip("../shared/geo is not beside the repo")
    db = tmp_path / "geo.db"
    engine = store.make_engine(f"sqlite:///{db}")
    ensure_seeded(engine, PROJECT / "data")
    regions = store.read_all(engine, 1)["regions"]
    prepared = prepare_boundaries(ADM2.name, ADM2.read_bytes(), regions)
    store_boundaries(
        engine,
        prepared,
        file_name=ADM2.name,
        data=ADM2.read_bytes(),
        author="test",
        attribution="geoBoundaries (Runfola et al. 2020), CC BY 3.0 IGO",
    )
    engine.dispose()
    process, url = start_server(db)
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_choropleth_draws_offline_and_a_click_opens_the_region(choropleth_server, page):
    page.goto(choropleth_server)
    wait_until_drawn(page)
    frame = page.frame_locator(MAP_FRAME)
    regions = frame.locator("path.leaflet-interactive")
    regions.nth(8).wait_for(timeout=30_000)
    assert regions.count() == 9  # the nine regions; neighbours and provinces are not clickable
    assert frame.locator("path").count() > 40  # plus neighbours and province outlines
    assert "geoBoundaries (Runfola et al. 2020)" in frame.locator(".map-attribution").inner_text()
    assert not [u for u in page.blocked_requests if "leaflet" in u]
    screenshot(page, "overview-choropleth")
    # Click on land inside Wonogiri, at the screen point Leaflet itself computes for it.
    iframe = page.locator(MAP_FRAME)
    point = iframe.content_frame.locator("#map_div").evaluate(
        "() => map_div.latLngToContainerPoint([-7.95, 110.95])"
    )
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url("**/wilayah?region=33.12*", timeout=30_000)
    wait_until_drawn(page)
    assert page.locator("h1").first.inner_text() == "Kabupaten Wonogiri"
    assert page.locator('[data-testid="stException"]').count() == 0
