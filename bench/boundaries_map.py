"""Boundary benchmark (issue 5): import time of the shared test file, map payload, draw time.

- import: prepare_boundaries (read, reproject, repair, match, simplify) of
  ../shared/geo/jateng_diy_adm2.geojson, median of 5;
- payload: bytes of the map HTML the component sends (header + map script + html), with
  boundaries and with seat markers only;
- draw: navigation to the nine regions drawn in Chromium (network blocked at DNS level), warm,
  median of 5. Target: payload under 300 KB.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit_folium as sf  # noqa: E402

from lib import config, store  # noqa: E402
from lib.boundaries import prepare_boundaries, store_boundaries  # noqa: E402
from lib.dataset import ensure_seeded, load_shipped  # noqa: E402
from lib.mapview import regions_map  # noqa: E402
from lib.metrics import region_progress  # noqa: E402
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, start_server, wait_until_drawn  # noqa: E402

ADM2 = ROOT.parent / "shared" / "geo" / "jateng_diy_adm2.geojson"
RUNS = 5


def payload_bytes(fmap) -> int:
    fmap.get_root().render()
    parts = (sf._get_header(fmap), sf._get_map_string(fmap), sf._get_html(fmap))
    return sum(len(p.encode()) for p in parts)


def main() -> dict:
    frames, _ = load_shipped(ROOT / "data")
    data = ADM2.read_bytes()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        prepared = prepare_boundaries(ADM2.name, data, frames["regions"])
        times.append(time.perf_counter() - start)
    progress = region_progress(frames["regions"], frames["stages"], dt.date(2021, 11, 15))
    results = {
        "import_median_s": round(statistics.median(times), 3),
        "tolerance_deg": round(prepared.report.tolerance, 5),
        "web_geojson_bytes": prepared.report.web_bytes,
        "source_file_bytes": len(data),
    }
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "geo.db"
        engine = store.make_engine(f"sqlite:///{db}")
        ensure_seeded(engine, ROOT / "data")
        store_boundaries(
            engine,
            prepared,
            file_name=ADM2.name,
            data=data,
            author="bench",
            attribution="geoBoundaries, CC BY 3.0 IGO",
        )
        boundaries = store.latest_boundaries(engine)
        base = config.leaflet_base_url()
        results["map_payload_bytes_choropleth"] = payload_bytes(
            regions_map(progress, "id", base, boundaries=boundaries)
        )
        results["map_payload_bytes_markers"] = payload_bytes(regions_map(progress, "id", base))
        results["draw_median_s"] = draw_time(db)
    return results


def draw_time(db: Path) -> float:
    from playwright.sync_api import sync_playwright

    process, url = start_server(db)
    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*LAUNCH_ARGS, offline]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            times = []
            for run in range(RUNS + 1):
                start = time.perf_counter()
                page.goto(url)
                wait_until_drawn(page)
                frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
                frame.locator("path.leaflet-interactive").nth(8).wait_for()
                if run:
                    times.append(time.perf_counter() - start)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    return round(statistics.median(times), 3)


if __name__ == "__main__":
    figures = main()
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "boundaries_map.json").write_text(json.dumps(figures, indent=2))
