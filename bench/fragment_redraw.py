"""Fragment redraw benchmark (issue 13 item 4): not a test; run this file directly.

At national size (bench/national_data.py: 514 regions, 50,000 programs, scope "all"):
1. Browser: from a user's click on a control inside an `st.fragment` to the affected part
   redrawn (new content in the DOM, app idle again), in Chromium served by serve.py; median of
   RUNS clicks. Two controls: the Dimensions page's "quick wins only" toggle (heatmap + agency
   table) and the Overview's "stack by" control (program counts). This is an upper bound of the
   server time (it includes the websocket and the browser's drawing).
2. Server: the fragment's own work at national size (the lib calls the fragment body makes),
   median of RUNS, in this process.
Target: <= 0.3 s of server time per redraw. Prints JSON.
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
from bench.page_render import wait_for_charts  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    LAUNCH_ARGS,
    READY,
    start_server,
    wait_until_drawn,
)

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
TARGET_S = 0.3


def idle_with(page, script: str, timeout: int = 120_000) -> None:
    page.wait_for_function(script, timeout=timeout)
    page.wait_for_selector(READY, timeout=timeout)
    wait_for_charts(page, timeout)


def dimensions_toggle(page, url: str) -> list[float]:
    page.goto(url + "/dimensi?scope=all")
    wait_until_drawn(page)
    wait_for_charts(page)
    caption = "Array.from(document.querySelectorAll('[data-testid=stCaptionContainer]'))"
    toggle = page.get_by_text("Hanya quick win")
    times = []
    for i in range(RUNS + 1):
        before = page.evaluate(f"{caption}.map(e => e.innerText).join('|')")
        toggle.scroll_into_view_if_needed()
        box = toggle.bounding_box()
        start = time.perf_counter()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        idle_with(page, f"{caption}.map(e => e.innerText).join('|') !== {json.dumps(before)}")
        if i:  # the first click warms the caches of the filtered view
            times.append(time.perf_counter() - start)
    return times


def overview_stack_by(page, url: str) -> list[float]:
    page.goto(url + "/?scope=all")
    wait_until_drawn(page)
    wait_for_charts(page)
    times = []
    for i in range(RUNS + 1):
        label, legend = ("Jangka", "Pendek (1 th)") if i % 2 == 0 else ("Status", "Rencana")
        button = page.locator('[data-testid="stButtonGroup"] button', has_text=label)
        button.scroll_into_view_if_needed()  # below the fold: the reader scrolls to it first
        box = button.bounding_box()
        start = time.perf_counter()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        idle_with(
            page,
            "Array.from(document.querySelectorAll('[data-testid=stHtml] img'))"
            f".some(img => (img.alt || '').includes({json.dumps(legend)}))",
        )
        if i:
            times.append(time.perf_counter() - start)
    return times


def browser_figures(data_dir: Path, db: Path) -> dict:
    from playwright.sync_api import sync_playwright

    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH_ARGS, offline])
        app, url = start_server(db, {"DASHBOARD_DATA_DIR": str(data_dir)})
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="id-ID")
            page.set_default_timeout(600_000)
            toggle = dimensions_toggle(page, url)
            stack = overview_stack_by(page, url)
        finally:
            app.terminate()
            app.wait(timeout=30)
            browser.close()
    return {
        "dimensions_quick_win_toggle_s": round(statistics.median(toggle), 3),
        "dimensions_runs_s": [round(t, 3) for t in toggle],
        "overview_stack_by_s": round(statistics.median(stack), 3),
        "overview_runs_s": [round(t, 3) for t in stack],
    }


def server_figures(frames: dict) -> dict:
    """The fragments' bodies (pages/dimensions.py filtered_view, pages/overview.py
    dimension_counts) at national size, lib calls only."""
    from lib.charts import svg as svg_charts
    from lib.core import metrics
    from lib.views import tables

    programs, regions = frames["programs"], frames["regions"]

    def dimensions(quick: bool) -> None:
        chosen = metrics.filter_programs(programs, quick_win_only=quick)
        counts = metrics.program_counts(chosen, regions, "status")
        counts = metrics.counts_by_province(counts, regions)
        svg_charts.category_heatmap(counts, "status", "id")
        tables.agency_table(metrics.top_agencies(chosen), "id")

    def overview(by: str) -> None:
        counts = metrics.program_counts(programs, regions, by)
        by_province = metrics.counts_by_province(counts, regions)
        svg_charts.category_heatmap(by_province, by, "id")

    def timed(work, *args) -> float:
        start = time.perf_counter()
        work(*args)
        return time.perf_counter() - start

    dimensions(True)
    overview("horizon")
    return {
        "dimensions_quick_win_s": round(
            statistics.median(timed(dimensions, i % 2 == 0) for i in range(RUNS)), 3
        ),
        "overview_stack_by_s": round(
            statistics.median(
                timed(overview, "horizon" if i % 2 else "status") for i in range(RUNS)
            ),
            3,
        ),
    }


def main() -> dict:
    from lib.ingest.dataset import ensure_seeded, open_dataset
    from lib.storage import store

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = write_csv(generate(514, 50_000), Path(tmp) / "national")
        db = Path(tmp) / "national.db"
        start = time.perf_counter()
        engine = store.make_engine(f"sqlite:///{db}")
        problems = ensure_seeded(engine, data_dir)
        assert problems == [], problems[:3]
        seeded_s = time.perf_counter() - start
        dataset = open_dataset(engine, store.current_version(engine))
        engine.dispose()
        frames = {"programs": dataset.programs, "regions": dataset.regions}
        figures = {
            "regions": len(frames["regions"]),
            "programs": len(frames["programs"]),
            "seed_s": round(seeded_s, 1),
            "server_work_s": server_figures(frames),
            "browser_click_to_redrawn_s": browser_figures(data_dir, db),
            "target_s": TARGET_S,
            "load_average": os.getloadavg(),
        }
    return figures


if __name__ == "__main__":
    result = main()
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "fragment_redraw.json").write_text(json.dumps(result, indent=2))
