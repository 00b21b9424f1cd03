"""Boundary benchmark (issues 5 and 11): import time and memory, map payload, draw time.

- import: prepare_boundaries (read, reproject, repair, match, simplify) of
  ../shared/geo/jateng_diy_adm2.geojson, median of 5;
- national: a national-size file generated from it by tiling (bench/national_geo.py: 546
  features, densified to ~55 MB), imported in a fresh process each time, median of 3; time
  and the process's peak memory (ru_maxrss). Targets: < 30 s, < 1 GB;
- payload: bytes of the map HTML the component sends (header + map script + html) for the
  nine KSPN Borobudur regions: with the shared file, with the national file (target <= 300 KB),
  and with seat markers only;
- draw: navigation to the nine regions drawn in Chromium (network blocked at DNS level), warm,
  median of 5.

    .venv/bin/python bench/boundaries_map.py [--skip-draw]
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

from bench.national_geo import ADM2, national_file  # noqa: E402
from lib.core import config  # noqa: E402
from lib.core.metrics import region_progress  # noqa: E402
from lib.geo.boundaries import prepare_boundaries, store_boundaries  # noqa: E402
from lib.geo.mapview import regions_map  # noqa: E402
from lib.ingest.dataset import ensure_seeded, load_shipped  # noqa: E402
from lib.storage import store  # noqa: E402
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, start_server, wait_until_drawn  # noqa: E402

RUNS = 5
NATIONAL_RUNS = 3
DENSIFY = 0.0008  # degrees between vertices: brings the tiled file to ~55 MB


def payload_bytes(fmap) -> int:
    fmap.get_root().render()
    parts = (sf._get_header(fmap), sf._get_map_string(fmap), sf._get_html(fmap))
    return sum(len(p.encode()) for p in parts)


def import_once(path: Path) -> dict:
    """Run in a fresh process, so its peak memory is the import's own."""
    import resource

    frames, _ = load_shipped(ROOT / "data")
    data = path.read_bytes()
    start = time.perf_counter()
    prepared = prepare_boundaries(path.name, data, frames["regions"])
    seconds = time.perf_counter() - start
    progress = region_progress(frames["regions"], frames["stages"], dt.date(2021, 11, 15))
    boundaries = {
        "web_geojson": json.dumps(prepared.web),
        "provinces_geojson": json.dumps(prepared.provinces),
        "attribution": "national test file",
    }
    fmap = regions_map(progress, "id", config.leaflet_base_url(), boundaries=boundaries)
    return {
        "seconds": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "features": len(prepared.web["features"]),
        "matched": len(prepared.report.codes()),
        "map_geometry_bytes": prepared.report.web_bytes,
        "over_budget": prepared.report.over_budget,
        "map_payload_bytes_nine": payload_bytes(fmap),
    }


def national() -> dict:
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        path = national_file(Path(tmp) / "national.geojson", tiles=13, densify=DENSIFY)
        runs = []
        for _ in range(NATIONAL_RUNS):
            out = subprocess.run(
                [sys.executable, __file__, "--import-once", str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        last = runs[-1]
        return {
            "national_file_mb": round(path.stat().st_size / 2**20, 1),
            "national_features": last["features"],
            "national_matched": last["matched"],
            "national_import_median_s": round(statistics.median(r["seconds"] for r in runs), 2),
            "national_peak_rss_mb_max": round(max(r["peak_rss_mb"] for r in runs)),
            "national_map_geometry_bytes": last["map_geometry_bytes"],
            "national_over_budget": last["over_budget"],
            "map_payload_bytes_nine_from_national": last["map_payload_bytes_nine"],
        }


def main(draw: bool = True) -> dict:
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
        if draw:
            results["draw_median_s"] = draw_time(db)
    results.update(national())
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
    if sys.argv[1:2] == ["--import-once"]:
        print(json.dumps(import_once(Path(sys.argv[2]))))
        sys.exit(0)
    figures = main(draw="--skip-draw" not in sys.argv)
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "boundaries_map.json").write_text(json.dumps(figures, indent=2))
