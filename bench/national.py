"""National benchmark (issue 10): not a test; `.venv/bin/python bench/national.py`.

The shipped nine regions and a generated national store (514 regions x 4 stages, 50,000
programs) side by side, in one run:
1. Script: server-side run time per page through AppTest, median of RUNS warm runs, and a
   filter change on the Dimensions page (the fragment's upper bound: the whole page rerun).
2. Browser: the overview fully drawn in Chromium (app idle, no skeletons, charts and map drawn),
   warm, median of RUNS loads.
3. Memory: resident set size of the server process after every page was loaded once.
Prints the ratios national / nine against the targets of issue 10.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.national_data import generate, write_csv  # noqa: E402
from bench.page_render import rss_mb, wait_for_charts  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    LAUNCH_ARGS,
    READY,
    start_server,
    wait_until_drawn,
)

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PASSWORD = "Bench-Nasional-2021"
PAGES = {
    "overview": None,
    "region": "pages/region.py",
    "dimensions": "pages/dimensions.py",
    "upload": "pages/upload.py",
    "history": "pages/history.py",
}
BROWSER_PAGES = ["/", "/wilayah?region=33.20", "/dimensi", "/riwayat"]
TARGETS = {"script": 2.0, "overview_drawn": 1.5, "memory": 1.5, "upload_s": 0.5}


def script_figures(data_dir: Path, db: Path) -> dict:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import sign_in

    os.environ.update(
        DATABASE_URL=f"sqlite:///{db}",
        DASHBOARD_DATA_DIR=str(data_dir),
        DASHBOARD_ADMIN_PASSWORD=PASSWORD,
    )
    results = {}
    for name, page in PAGES.items():
        times = []
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.query_params["region"] = "33.20"
        at.run()
        if name in ("upload", "history"):
            sign_in(at, password=PASSWORD)
        if page:
            at.switch_page(page)
        for run in range(RUNS + 1):
            start = time.perf_counter()
            at.run()
            if run:  # the first run warms the caches
                times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
        results[name] = round(statistics.median(times), 3)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    at.switch_page("pages/dimensions.py").run()
    times = []
    for run in range(RUNS):
        at.toggle(key="dim_quick").set_value(run % 2 == 0)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    results["dimensions_filter_change"] = round(statistics.median(times), 3)
    return results


def browser_figures(data_dir: Path, db: Path) -> dict:
    from playwright.sync_api import sync_playwright

    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    env = {"DASHBOARD_DATA_DIR": str(data_dir), "DASHBOARD_ADMIN_PASSWORD": PASSWORD}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH_ARGS, offline])
        app, url = start_server(db, env)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(600_000)

            def overview() -> float:
                start = time.perf_counter()
                page.goto(url + "/")
                wait_until_drawn(page)
                wait_for_charts(page)  # server-drawn SVG charts (no plotly on the overview)
                frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
                frame.locator(".leaflet-interactive").first.wait_for()
                return time.perf_counter() - start

            page.goto(url + "/")  # the first start seeds the store: minutes at national size
            page.wait_for_selector(READY, timeout=1_800_000)
            overview()  # warms the caches
            drawn = [overview() for _ in range(RUNS)]
            for path in BROWSER_PAGES[1:]:
                page.goto(url + path)
                wait_until_drawn(page)
            return {
                "overview_drawn_s": round(statistics.median(drawn), 3),
                "server_rss_mb": round(rss_mb(app.pid), 1),
            }
        finally:
            app.terminate()
            app.wait(timeout=30)
            browser.close()


def main() -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        national = write_csv(generate(514, 50_000), Path(tmp) / "national")
        sets = {"nine": ROOT / "data", "national": national}
        for name, data_dir in sets.items():
            figures[name] = {
                "script_s": script_figures(data_dir, Path(tmp) / f"{name}-script.db"),
                **browser_figures(data_dir, Path(tmp) / f"{name}-browser.db"),
            }
    nine, national = figures["nine"], figures["national"]
    figures["ratios"] = {
        **{
            f"script_{page}": round(national["script_s"][page] / nine["script_s"][page], 2)
            for page in nine["script_s"]
        },
        "overview_drawn": round(national["overview_drawn_s"] / nine["overview_drawn_s"], 2),
        "memory": round(national["server_rss_mb"] / nine["server_rss_mb"], 2),
    }
    figures["targets"] = TARGETS
    return figures


if __name__ == "__main__":
    result = main()
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "national.json").write_text(json.dumps(result, indent=2))
