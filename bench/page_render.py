"""Page render benchmark (issue 2): not a test; run `make bench` or this file directly.

1. Browser: time from navigation to fully drawn (app idle, no skeletons, charts and map
   drawn) in Debian Chromium, warm, median of 5, per page, and a one-line Streamlit page
   served the same way; the ratio page / one-line page is the figure to watch (target:
   each <= 1.5x). With BENCH_BEFORE=<git ref> the same pages as that commit serves them too,
   in the same run (before and after side by side).
2. Server: script time per page through AppTest, median of 5 (warm cache).
3. Memory: resident set size of the server process after every page was loaded.
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

from bench import before_tree  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    LAUNCH_ARGS,
    start_server,
    wait_until_drawn,
)

RUNS = 5
PAGES = {
    "overview": ("/", {"map": True}),
    "region": ("/wilayah?region=33.20", {"map": False}),
    "dimensions": ("/dimensi", {"map": False}),
}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_for_charts(page, timeout: int = 120_000) -> None:
    """Every chart on the page drawn: plotly's SVG in each plotly chart, and each server-drawn
    SVG image (lib.charts.svg) loaded."""
    plotly = page.locator('[data-testid="stPlotlyChart"]').count()
    if plotly:
        page.locator('[data-testid="stPlotlyChart"] .main-svg').nth(plotly - 1).wait_for(
            timeout=timeout
        )
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-testid=stHtml] img'))"
        ".every(img => img.complete && img.naturalWidth > 0)",
        timeout=timeout,
    )


def time_page(page, url: str, draws_map: bool) -> float:
    start = time.perf_counter()
    page.goto(url)
    wait_until_drawn(page)
    wait_for_charts(page)
    if draws_map:
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator("path.leaflet-interactive").nth(8).wait_for()
    return time.perf_counter() - start


def browser_figures(before_ref: str | None = None) -> dict:
    """Each page against the one-line page, and with before_ref (a git ref) the same pages as
    that commit serves them, interleaved page by page so both meet the same machine load."""
    from playwright.sync_api import sync_playwright

    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        # Block the network at DNS level: a Playwright route handler would add a Python round
        # trip to every request and penalise asset-heavy pages.
        offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH_ARGS, offline])
        app, app_url = start_server(Path(tmp) / "bench.db")
        baseline, baseline_url = start_server(
            Path(tmp) / "unused.db", script=str(ROOT / "bench" / "one_line_app.py")
        )
        servers = [app, baseline]
        try:
            targets = {"one_line": (baseline_url + "/", False)}
            if before_ref:
                tree = before_tree.extract(before_ref, Path(tmp) / "before")
                before, before_url = start_server(Path(tmp) / "before.db", cwd=tree)
                servers.append(before)
            for name, (path, expect) in PAGES.items():
                if before_ref:
                    targets[f"{name}_before"] = (before_url + path, expect["map"])
                targets[name] = (app_url + path, expect["map"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for name, (url, draws_map) in targets.items():
                time_page(page, url, draws_map)  # warm-up
                times = [time_page(page, url, draws_map) for _ in range(RUNS)]
                results[name] = {
                    "median_s": round(statistics.median(times), 3),
                    "runs_s": [round(t, 3) for t in times],
                }
            base = results["one_line"]["median_s"]
            for name in results:
                results[name]["ratio_to_one_line"] = round(results[name]["median_s"] / base, 2)
            results["server_rss_mb_after_all_pages"] = round(rss_mb(app.pid), 1)
            results["load_average"] = os.getloadavg()
        finally:
            for process in servers:
                process.terminate()
                process.wait(timeout=20)
            browser.close()
    return results


def script_figures() -> dict:
    from streamlit.testing.v1 import AppTest

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/script.db"
        for name, page in (
            ("overview", None),
            ("region", "pages/region.py"),
            ("dimensions", "pages/dimensions.py"),
        ):
            times = []
            for run in range(RUNS + 1):
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
                at.query_params["region"] = "33.20"
                at.run()
                if page:
                    at.switch_page(page)
                start = time.perf_counter()
                at.run()
                if run:  # the first run warms the caches
                    times.append(time.perf_counter() - start)
            results[name] = {"median_s": round(statistics.median(times), 3)}
    return results


if __name__ == "__main__":
    figures = {
        "browser": browser_figures(os.environ.get("BENCH_BEFORE")),
        "script": script_figures(),
    }
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "page_render.json").write_text(json.dumps(figures, indent=2))
