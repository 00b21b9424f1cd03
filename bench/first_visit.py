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
3. Issue 31: the Dimensi page (plotly heatmap) on a first visit (bytes, title, heatmap drawn),
   warm (a second visit in the same browser, slow 4G), at 390 px (does the heatmap fit?), and
   the path a reader takes: the overview, then a click on Dimensi in the menu (bytes added,
   title, heatmap drawn). Every visit records whether plotly's chunk was fetched: the overview
   must never fetch it.
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

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 200_000,  # bytes/s: 1.6 Mbit/s
    "uploadThroughput": 93_750,  # 750 kbit/s
}
VIEWPORT = {"width": 1400, "height": 1800}  # the whole overview, map included, in view
WAIT_MS = 300_000


DIMENSI_TITLE = "Program per wilayah dan dimensi"
PHONE = {"width": 390, "height": 844}


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


def _heatmap_drawn(page) -> None:
    """The Dimensi heatmap drawn, whichever kind: plotly's cells, or the server-drawn image."""
    page.wait_for_selector(READY, timeout=WAIT_MS)
    page.locator(
        '[data-testid="stPlotlyChart"] .main-svg .hm, [data-testid="stHtml"] img'
    ).first.wait_for(timeout=WAIT_MS)
    wait_for_charts(page, WAIT_MS)


def _heatmap_right_edge(page) -> float:
    """Where the heatmap's drawing ends on screen (px): beyond the viewport it is cut."""
    return page.evaluate(
        "() => { const e = document.querySelector("
        "'[data-testid=stPlotlyChart] .main-svg, [data-testid=stHtml] img');"
        " return e.getBoundingClientRect().right; }"
    )


class Recorder:
    """Bytes on the wire and the URLs fetched, from CDP, for one page."""

    def __init__(self, context, page, throttle: dict | None):
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if throttle:
            cdp.send("Network.emulateNetworkConditions", throttle)
        self.wire: list[int] = []
        self.urls: list[str] = []
        cdp.on("Network.loadingFinished", lambda e: self.wire.append(e["encodedDataLength"]))
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.append(e["request"]["url"]))

    def reset(self) -> None:
        self.wire.clear()
        self.urls.clear()

    @property
    def plotly_fetched(self) -> bool:
        return any("PlotlyChart." in url for url in self.urls)


def visit(browser, url: str, overview: bool, throttle: dict | None) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    try:
        page = context.new_page()
        record = Recorder(context, page, throttle)
        start = time.perf_counter()
        page.goto(url, timeout=WAIT_MS)
        headline = None
        if overview:
            page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=WAIT_MS)
            headline = time.perf_counter() - start
        _drawn(page, overview)
        drawn = time.perf_counter() - start
        return {
            "bytes": sum(record.wire),
            "drawn_s": drawn,
            "headline_s": headline,
            "plotly_fetched": record.plotly_fetched,
        }
    finally:
        context.close()


def visit_dimensi(browser, url: str, throttle: dict | None) -> dict:
    """A first visit to Dimensi, then a warm one (same browser, its cache), then a phone."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    try:
        page = context.new_page()
        record = Recorder(context, page, throttle)
        start = time.perf_counter()
        page.goto(f"{url}/dimensi", timeout=WAIT_MS)
        page.get_by_role("heading", name=DIMENSI_TITLE).wait_for(timeout=WAIT_MS)
        title = time.perf_counter() - start
        _heatmap_drawn(page)
        drawn = time.perf_counter() - start
        first_bytes, plotly = sum(record.wire), record.plotly_fetched
        record.reset()
        start = time.perf_counter()
        page.goto(f"{url}/dimensi", timeout=WAIT_MS)
        _heatmap_drawn(page)
        warm = time.perf_counter() - start
    finally:
        context.close()
    return {
        "bytes": first_bytes,
        "headline_s": title,
        "drawn_s": drawn,
        "warm_s": warm,
        "plotly_fetched": plotly,
    }


def phone_fits(browser, url: str) -> bool:
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    try:
        page = context.new_page()
        page.goto(f"{url}/dimensi", timeout=WAIT_MS)
        _heatmap_drawn(page)
        return _heatmap_right_edge(page) <= PHONE["width"]
    finally:
        context.close()


def overview_then_dimensi(browser, url: str, throttle: dict | None) -> dict:
    """The overview drawn, then a click on Dimensi in the menu: what that click costs."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    try:
        page = context.new_page()
        record = Recorder(context, page, throttle)
        page.goto(url + "/", timeout=WAIT_MS)
        _drawn(page, True)
        overview_plotly = record.plotly_fetched
        record.reset()
        start = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"] a', has_text="Dimensi").click()
        page.get_by_role("heading", name=DIMENSI_TITLE).wait_for(timeout=WAIT_MS)
        title = time.perf_counter() - start
        _heatmap_drawn(page)
        drawn = time.perf_counter() - start
        return {
            "bytes": sum(record.wire),
            "headline_s": title,
            "drawn_s": drawn,
            "plotly_fetched": overview_plotly,  # by the overview, before the click
        }
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
        fast, slow, dim, path, fits = {}, {}, {}, {}, {}
        try:
            for name, url in targets.items():
                visit(browser, url + "/", True, None)  # imports, first run, compressed copies
                visit_dimensi(browser, url, None)
                fast[name] = [visit(browser, url + "/", True, None) for _ in range(RUNS)]
                fits[name] = phone_fits(browser, url)
            visit(browser, baseline_url + "/", False, None)
            fast_base = [visit(browser, baseline_url + "/", False, None) for _ in range(RUNS)]
            # Slow 4G: interleaved, so a change in the machine's load meets every server alike.
            slow_base = []
            for _ in range(RUNS):
                for name, url in targets.items():
                    slow.setdefault(name, []).append(visit(browser, url + "/", True, SLOW_4G))
                    dim.setdefault(name, []).append(visit_dimensi(browser, url, SLOW_4G))
                    path.setdefault(name, []).append(overview_then_dimensi(browser, url, SLOW_4G))
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
            "overview_visits_fetching_plotly": sum(
                r["plotly_fetched"] for r in [*fast[name], *slow[name], *path[name]]
            ),
            "slow4g_dimensi": {
                "first_visit_mb": round(median(dim[name], "bytes") / mb, 2),
                "title_s": round(median(dim[name], "headline_s"), 1),
                "heatmap_drawn_s": round(median(dim[name], "drawn_s"), 1),
                "warm_s": round(median(dim[name], "warm_s"), 1),
                "runs_drawn_s": [round(r["drawn_s"], 1) for r in dim[name]],
                "fetched_plotly": [r["plotly_fetched"] for r in dim[name]],
                "phone_390_fits": fits[name],
            },
            "slow4g_overview_then_dimensi": {
                "added_mb": round(median(path[name], "bytes") / mb, 2),
                "title_s": round(median(path[name], "headline_s"), 1),
                "heatmap_drawn_s": round(median(path[name], "drawn_s"), 1),
                "runs_drawn_s": [round(r["drawn_s"], 1) for r in path[name]],
            },
        }
    return figures


if __name__ == "__main__":
    result = main(os.environ.get("BENCH_BEFORE"))
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "first_visit.json").write_text(json.dumps(result, indent=2))
