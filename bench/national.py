"""National benchmark (issue 10): not a test; `.venv/bin/python bench/national.py`.

The shipped nine regions and a generated national store (514 regions x 4 stages, 50,000
programs, bench/national_data.py) side by side, in one run (a few minutes):
Both stores are measured turn about (nine, national, nine, ...), so a load swing on the shared
machine hits both sides alike.
1. Script: the server's time running the script (app.py and the page, as Streamlit's script
   runner times it, driven through AppTest), median of RUNS warm reruns (the first run fills
   the caches; a rerun is what every click costs), at the scope a store opens
   on (the nine: KSPN Borobudur; national: all 514 regions); plus two interactions: a filter
   change on Dimensions and a rerun of the Upload page after a click in it.
2. Browser: the overview fully drawn in Chromium (app idle, no skeletons, every chart, plotly
   or server-drawn SVG, and the map's regions drawn), warm, median of RUNS loads, network
   blocked at DNS level.
3. Memory: resident set size of the server process after every page was loaded once.
4. The Upload page's template for the whole scope, built when its button is pressed.
Prints the figures and the ratios national / nine against the targets of issue 10, and writes
bench/out/national.json. BENCH_RUNS (default 5) sets the number of timed runs.
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
    start_server,
    wait_until_drawn,
)

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PASSWORD = "Bench-Nasional-2021"
PAGES = {
    "overview": "pages/overview.py",
    "region": "pages/region.py",
    "dimensions": "pages/dimensions.py",
    "upload": "pages/upload.py",
    "history": "pages/history.py",
    "audit": "pages/audit.py",
}
SIGNED_IN = {"upload", "history", "audit"}
BROWSER_PAGES = ["/wilayah?region=33.20", "/dimensi", "/riwayat", "/unggah"]
TARGETS = {"script": 2.0, "overview_drawn": 1.5, "memory": 1.5, "upload_s": 0.5}


SCRIPT_TIMES: list[float] = []


def _time_scripts() -> None:
    """Record how long the server spends running each script (app.py with its page), as
    Streamlit's script runner sees it: AppTest's own parsing and polling are not included."""
    from streamlit.runtime.scriptrunner import script_runner

    real = script_runner.exec_func_with_error_handling
    if getattr(real, "timed", False):
        return

    def timed(func, ctx):
        start = time.perf_counter()
        try:
            return real(func, ctx)
        finally:
            SCRIPT_TIMES.append(time.perf_counter() - start)

    timed.timed = True
    script_runner.exec_func_with_error_handling = timed


def _use(store: dict) -> None:
    """Point the app at one of the two stores (read by the app on every run)."""
    os.environ.update(
        DATABASE_URL=store["url"],
        DASHBOARD_DATA_DIR=str(store["data"]),
        DASHBOARD_ADMIN_PASSWORD=PASSWORD,
    )


def _interleaved(apps: dict, change=None) -> dict:
    """Median script time per store, the two stores' reruns taking turns: a load swing on the
    shared machine then hits both sides alike."""
    times: dict = {name: [] for name in apps}
    for run in range(RUNS):
        for name, (store, at) in apps.items():
            _use(store)
            if change:
                change(at, run)
            SCRIPT_TIMES.clear()
            at.run()
            assert not at.exception, at.exception
            times[name].append(sum(SCRIPT_TIMES))
    return {name: round(statistics.median(values), 3) for name, values in times.items()}


def _open(store: dict, page: str, signed_in: bool):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import sign_in

    _use(store)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["region"] = "33.20"
    at.run()
    if signed_in:
        sign_in(at, password=PASSWORD)
    at.switch_page(page).run()  # fills the caches
    assert not at.exception, at.exception
    return at


def script_figures(stores: dict) -> dict:
    _time_scripts()
    results: dict = {name: {} for name in stores}

    def record(figure: str, medians: dict) -> None:
        for name, value in medians.items():
            results[name][figure] = value

    for figure, page in PAGES.items():
        apps = {name: (s, _open(s, page, figure in SIGNED_IN)) for name, s in stores.items()}
        record(figure, _interleaved(apps))
        if figure == "dimensions":
            toggle = lambda at, run: at.toggle(key="dim_quick").set_value(run % 2 == 0)  # noqa: E731
            record("dimensions_filter_change", _interleaved(apps, toggle))
        if figure == "upload":
            # A click in the page (the language switch): the rerun is the reader's wait.
            switch = lambda at, run: at.radio(key="lang").set_value(("en", "id")[run % 2])  # noqa: E731
            record("upload_interaction", _interleaved(apps, switch))
    return results


def template_figures(store: dict) -> dict:
    """The whole scope's template, built as the Upload page's buttons build it when pressed."""
    from lib.ingest.workbook import csv_zip_bytes, workbook_bytes
    from lib.storage import store as stores

    engine = stores.make_engine(store["url"])
    frames = stores.read_all(engine, stores.current_version(engine))
    out = {}
    for name, build in (("template_xlsx_s", workbook_bytes), ("template_csv_zip_s", csv_zip_bytes)):
        start = time.perf_counter()
        build(frames, "id")
        out[name] = round(time.perf_counter() - start, 3)
    engine.dispose()
    return out


def _overview_drawn(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url + "/")
    wait_until_drawn(page)
    wait_for_charts(page)  # plotly charts and server-drawn SVG charts alike
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    frame.locator(".leaflet-interactive").last.wait_for()
    return time.perf_counter() - start


def browser_figures(stores: dict, tmp: Path) -> dict:
    """Both servers up at once, their overview loads taking turns."""
    from playwright.sync_api import sync_playwright

    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    servers = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*LAUNCH_ARGS, offline])
        try:
            for name, store in stores.items():
                env = {
                    "DASHBOARD_DATA_DIR": str(store["data"]),
                    "DASHBOARD_ADMIN_PASSWORD": PASSWORD,
                }
                # serve.py seeds the store and runs the overview once before it says ready.
                servers[name] = start_server(tmp / f"{name}-browser.db", env)
            pages = {}
            for name, (_app, url) in servers.items():
                pages[name] = browser.new_page(viewport={"width": 1440, "height": 900})
                pages[name].set_default_timeout(300_000)
                _overview_drawn(pages[name], url)  # warms the browser cache and server caches
            drawn: dict = {name: [] for name in servers}
            for _ in range(RUNS):
                for name, (_app, url) in servers.items():
                    drawn[name].append(_overview_drawn(pages[name], url))
            out = {}
            for name, (app, url) in servers.items():
                for path in BROWSER_PAGES:
                    pages[name].goto(url + path)
                    wait_until_drawn(pages[name])
                out[name] = {
                    "overview_drawn_s": round(statistics.median(drawn[name]), 3),
                    "overview_drawn_runs_s": [round(t, 3) for t in drawn[name]],
                    "server_rss_mb": round(rss_mb(app.pid), 1),
                }
            return out
        finally:
            for app, _url in servers.values():
                app.terminate()
                app.wait(timeout=30)
            browser.close()


def main() -> dict:
    started = time.perf_counter()
    figures: dict = {"load_average_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        national = write_csv(generate(514, 50_000), tmp / "national")
        stores = {
            name: {"url": f"sqlite:///{tmp / f'{name}-script.db'}", "data": data}
            for name, data in (("nine", ROOT / "data"), ("national", national))
        }
        scripts = script_figures(stores)
        drawn = browser_figures(stores, tmp)
        for name, store in stores.items():
            figures[name] = {
                "script_s": scripts[name],
                **template_figures(store),
                **drawn[name],
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
    figures["load_average_end"] = os.getloadavg()
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def summary(figures: dict) -> str:
    nine, national, ratios = figures["nine"], figures["national"], figures["ratios"]
    lines = ["| figure | nine | 514 regions | ratio | target |", "|---|---|---|---|---|"]
    for page, seconds in nine["script_s"].items():
        target = (
            f"<= {TARGETS['upload_s']} s"
            if page == "upload_interaction"
            else f"<= {TARGETS['script']}x"
        )
        lines.append(
            f"| script: {page} | {seconds:.3f} s | {national['script_s'][page]:.3f} s "
            f"| {ratios['script_' + page]:.2f}x | {target} |"
        )
    lines.append(
        f"| overview fully drawn | {nine['overview_drawn_s']:.3f} s "
        f"| {national['overview_drawn_s']:.3f} s | {ratios['overview_drawn']:.2f}x "
        f"| <= {TARGETS['overview_drawn']}x |"
    )
    lines.append(
        f"| server RSS | {nine['server_rss_mb']:.1f} MB | {national['server_rss_mb']:.1f} MB "
        f"| {ratios['memory']:.2f}x | <= {TARGETS['memory']}x |"
    )
    for key in ("template_xlsx_s", "template_csv_zip_s"):
        lines.append(f"| {key} (on click) | {nine[key]:.3f} s | {national[key]:.3f} s | | |")
    return "\n".join(lines)


if __name__ == "__main__":
    result = main()
    print(json.dumps(result, indent=2))
    print(summary(result))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "national.json").write_text(json.dumps(result, indent=2))
