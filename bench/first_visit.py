"""First-visit benchmark (issue 13 items 1-2): not a test; run `make bench` or this file.

A first visit means an empty browser cache: a new Chromium context per run. Two servers:
the dashboard as the README's run command serves it (`streamlit run serve.py`: precompressed
bundles), and a one-line page served by plain `streamlit run` (the baseline the issue names).
1. Bytes on the wire of a first visit to the overview, unthrottled (CDP Network.loadingFinished
   encodedDataLength, summed); target <= 2.5 MB.
2. Slow 4G (CDP emulation: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up): time until the
   overview is fully drawn (app idle, no skeletons, the map's nine regions and every chart
   drawn) against the one-line page under the same profile (target <= 1.5x), and time until
   the headline figures (the metric cards) are visible (target <= 5 s).
Medians of RUNS; prints a JSON summary with the ratios.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.page_render import wait_for_charts  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    LAUNCH_ARGS,
    READY,
    start_server,
)

RUNS = 3
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 200_000,  # bytes/s: 1.6 Mbit/s
    "uploadThroughput": 93_750,  # 750 kbit/s
}
VIEWPORT = {"width": 1400, "height": 1800}  # the whole overview, map included, in view
WAIT_MS = 300_000


def _drawn(page, overview: bool) -> None:
    page.wait_for_selector(READY, timeout=WAIT_MS)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=WAIT_MS
    )
    if not overview:
        return
    wait_for_charts(page, WAIT_MS)
    if page.locator('iframe[title="streamlit_folium.st_folium"]').count():
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator("path.leaflet-interactive").nth(8).wait_for(timeout=WAIT_MS)


def visit(browser, url: str, overview: bool, throttle: dict | None) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if throttle:
            cdp.send("Network.emulateNetworkConditions", throttle)
        wire = []
        cdp.on("Network.loadingFinished", lambda event: wire.append(event["encodedDataLength"]))
        start = time.perf_counter()
        page.goto(url, timeout=WAIT_MS)
        headline = None
        if overview:
            page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=WAIT_MS)
            headline = time.perf_counter() - start
        _drawn(page, overview)
        drawn = time.perf_counter() - start
        return {"bytes": sum(wire), "drawn_s": drawn, "headline_s": headline}
    finally:
        context.close()


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> dict:
    from playwright.sync_api import sync_playwright

    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH_ARGS, offline])
        app, app_url = start_server(Path(tmp) / "bench.db")
        baseline, baseline_url = start_server(
            Path(tmp) / "unused.db", script=str(ROOT / "bench" / "one_line_app.py")
        )
        # Before: the same dashboard served by plain `streamlit run app.py` (no serve.py).
        before, before_url = start_server(Path(tmp) / "before.db", script="app.py")
        try:
            # Warm the servers (imports, first script run, compressed copies made at start).
            visit(browser, app_url + "/", True, None)
            visit(browser, baseline_url + "/", False, None)
            fast = [visit(browser, app_url + "/", True, None) for _ in range(RUNS)]
            fast_base = [visit(browser, baseline_url + "/", False, None) for _ in range(RUNS)]
            visit(browser, before_url + "/", True, None)
            fast_before = [visit(browser, before_url + "/", True, None) for _ in range(RUNS)]
            slow = [visit(browser, app_url + "/", True, SLOW_4G) for _ in range(RUNS)]
            slow_base = [visit(browser, baseline_url + "/", False, SLOW_4G) for _ in range(RUNS)]
        finally:
            for process in (app, baseline, before):
                process.terminate()
                process.wait(timeout=30)
            browser.close()
    mb = 1_000_000
    figures = {
        "runs": RUNS,
        "overview_first_visit_mb": round(median(fast, "bytes") / mb, 2),
        "one_line_plain_first_visit_mb": round(median(fast_base, "bytes") / mb, 2),
        "overview_before_plain_app_py_mb": round(median(fast_before, "bytes") / mb, 2),
        "overview_drawn_unthrottled_s": round(median(fast, "drawn_s"), 1),
        "slow4g_overview_drawn_s": round(median(slow, "drawn_s"), 1),
        "slow4g_one_line_plain_drawn_s": round(median(slow_base, "drawn_s"), 1),
        "slow4g_overview_headline_s": round(median(slow, "headline_s"), 1),
        "slow4g_runs_overview_s": [round(r["drawn_s"], 1) for r in slow],
        "slow4g_runs_one_line_s": [round(r["drawn_s"], 1) for r in slow_base],
    }
    figures["ratio_bytes_vs_target_2.5mb"] = round(figures["overview_first_visit_mb"] / 2.5, 2)
    figures["ratio_slow4g_drawn_vs_one_line"] = round(
        figures["slow4g_overview_drawn_s"] / figures["slow4g_one_line_plain_drawn_s"], 2
    )
    return figures


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
