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
The dashboard is served from `git archive HEAD` (as deployed: Leaflet as real files), and with
BENCH_BEFORE=<git ref> that commit's dashboard too, in the same run (before/after side by
side). Medians of RUNS; prints a JSON summary with the ratios.
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


def main(before_ref: str | None = None) -> dict:
    """The dashboard as committed (HEAD, extracted like a deployment: real static files), the
    one-line page, and with before_ref the dashboard of that commit, all in one run."""
    from playwright.sync_api import sync_playwright

    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH_ARGS, offline])
        tree = before_tree.extract("HEAD", Path(tmp) / "after")
        app, app_url = start_server(
            Path(tmp) / "bench.db", {"DASHBOARD_STATIC_CACHE": f"{tmp}/after-cache"}, cwd=tree
        )
        baseline, baseline_url = start_server(
            Path(tmp) / "unused.db", script=str(ROOT / "bench" / "one_line_app.py")
        )
        servers = [app, baseline]
        targets = {"after": app_url}
        if before_ref:
            old = before_tree.extract(before_ref, Path(tmp) / "before")
            before, targets["before"] = start_server(
                Path(tmp) / "before.db", {"DASHBOARD_STATIC_CACHE": f"{tmp}/before-cache"}, cwd=old
            )
            servers.append(before)
        fast, slow = {}, {}
        try:
            for name, url in targets.items():
                visit(browser, url + "/", True, None)  # imports, first run, compressed copies
                fast[name] = [visit(browser, url + "/", True, None) for _ in range(RUNS)]
            visit(browser, baseline_url + "/", False, None)
            fast_base = [visit(browser, baseline_url + "/", False, None) for _ in range(RUNS)]
            # Slow 4G: interleaved, so a change in the machine's load meets every server alike.
            slow_base = []
            for _ in range(RUNS):
                for name, url in targets.items():
                    slow.setdefault(name, []).append(visit(browser, url + "/", True, SLOW_4G))
                slow_base.append(visit(browser, baseline_url + "/", False, SLOW_4G))
        finally:
            for process in servers:
                process.terminate()
                process.wait(timeout=30)
            browser.close()
    mb = 1_000_000
    base_s = median(slow_base, "drawn_s")
    figures = {
        "runs": RUNS,
        "before_ref": before_ref,
        "one_line_plain_first_visit_mb": round(median(fast_base, "bytes") / mb, 2),
        "slow4g_one_line_plain_drawn_s": round(base_s, 1),
        "slow4g_runs_one_line_s": [round(r["drawn_s"], 1) for r in slow_base],
        "load_average": os.getloadavg(),
    }
    for name in targets:
        figures[name] = {
            "overview_first_visit_mb": round(median(fast[name], "bytes") / mb, 2),
            "overview_drawn_unthrottled_s": round(median(fast[name], "drawn_s"), 1),
            "overview_headline_unthrottled_s": round(median(fast[name], "headline_s"), 1),
            "slow4g_overview_drawn_s": round(median(slow[name], "drawn_s"), 1),
            "slow4g_overview_headline_s": round(median(slow[name], "headline_s"), 1),
            "slow4g_runs_overview_s": [round(r["drawn_s"], 1) for r in slow[name]],
            "ratio_bytes_vs_target_2.5mb": round(median(fast[name], "bytes") / mb / 2.5, 2),
            "ratio_slow4g_drawn_vs_one_line": round(median(slow[name], "drawn_s") / base_s, 2),
        }
    return figures


if __name__ == "__main__":
    result = main(os.environ.get("BENCH_BEFORE"))
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "first_visit.json").write_text(json.dumps(result, indent=2))
