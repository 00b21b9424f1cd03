"""Two app processes on one PostgreSQL behind nginx, as deploy/ sets them up: each browser stays
with one process (websocket included), and a write through one shows on the other."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.browser.conftest import READY, screenshot, sign_in
from tests.conftest import ADMIN_PASSWORD, stage_workbook
from tests.replicas import start_replicas

pytestmark = pytest.mark.browser

KUDUS = [
    ["33.19", 1, "selesai"],
    ["33.19", 2, "selesai"],
    ["33.19", 3, "rencana"],
    ["33.19", 4, "rencana"],
]


@pytest.fixture(scope="module")
def replicas(pg_cluster):
    """Started once for this file; only the last test writes."""
    url = pg_cluster.new_database("replicas")
    running = start_replicas(url, 2, {"DASHBOARD_ADMIN_PASSWORD": ADMIN_PASSWORD})
    yield running
    running.stop()
    pg_cluster.drop_database(url)


def routes_to_each(replicas) -> dict[str, str]:
    """A route cookie value per app process, found by asking nginx (as a new browser would)."""
    found: dict[str, str] = {}
    for n in itertools.count():
        route = f"uji{n:04d}"
        found.setdefault(replicas.upstream_of(route), route)
        if len(found) == len(replicas.app_ports) or n > 200:
            break
    assert sorted(found) == sorted(f"127.0.0.1:{p}" for p in replicas.app_ports)
    return found


def browser_on(browser, replicas, route: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="id-ID")
    context.set_default_timeout(120_000)
    context.add_cookies([{"name": "kspn_route", "value": route, "url": replicas.url}])
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
            else r.abort()
        ),
    )
    return context


def wait_until_drawn(page) -> None:
    # Two app processes, nginx and PostgreSQL on a shared, loaded machine: generous waits.
    page.wait_for_selector(READY, timeout=180_000)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=120_000
    )


def stages_done(page) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text="Tahap selesai")
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def test_nginx_sends_security_headers_once_and_compresses_scripts(replicas):
    page = replicas.get("/")
    assert page.status == 200
    for name in ("X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy"):
        assert len(page.headers.get_all(name)) == 1, name
    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', page.body.decode()).group(1)
    answer = replicas.get(f"/{script}", {"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] in ("gzip", "br")


def test_two_replicas_behind_nginx_share_the_store_and_keep_each_browser(
    replicas, browser, tmp_path
):
    first, second = routes_to_each(replicas).items()
    contexts = [browser_on(browser, replicas, route) for _, route in (first, second)]
    writer, viewer = (context.new_page() for context in contexts)

    viewer.goto(replicas.url)
    wait_until_drawn(viewer)
    viewer.get_by_text("Data versi 1").wait_for()
    assert stages_done(viewer) == "23"

    writer.goto(replicas.url)
    wait_until_drawn(writer)
    sign_in(writer, "admin", ADMIN_PASSWORD)
    writer.get_by_role("link", name="Unggah data").click()
    wait_until_drawn(writer)
    upload = tmp_path / "kudus.xlsx"
    upload.write_bytes(stage_workbook(KUDUS))
    writer.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(upload)
    writer.get_by_text("Pratinjau perubahan").wait_for(timeout=60_000)
    writer.get_by_role("button", name="Terapkan").click()
    writer.get_by_text("Diterapkan sebagai versi 2.").wait_for(timeout=60_000)

    # the sign-in lives in the store: the same browser sent to the other process is still in
    contexts[0].add_cookies([{"name": "kspn_route", "value": second[1], "url": replicas.url}])
    writer.goto(replicas.url)
    try:
        writer.get_by_text("Masuk sebagai").wait_for(timeout=60_000)
    except Exception:
        screenshot(writer, "replica-writer-on-the-other-process")
        raise
    screenshot(writer, "replica-writer-signed-in-on-the-other-process")

    # the viewer's next rerun (a click in the menu) reads the new version from the store
    viewer.get_by_role("link", name="Ringkasan").click()
    viewer.get_by_text("Data versi 2").wait_for(timeout=60_000)
    wait_until_drawn(viewer)
    assert stages_done(viewer) == "24"
    screenshot(viewer, "replica-viewer-after-write")

    for context in contexts:
        context.close()
    replicas.stop_nginx()
    # sticky: every request of each route, websocket and upload included, went to its process
    for upstream, route in (first, second):
        lines = replicas.log_lines(route)
        # the first process tried (nginx may retry a failed GET on the other one: failover)
        served = {re.search(r"upstream=([^,\s]+)", line).group(1) for line in lines}
        assert served == {upstream}, lines
        assert any('"GET /_stcore/stream' in line and " 101 " in line for line in lines)
    writer_lines = replicas.log_lines(first[1])
    assert any('"PUT /_stcore/upload_file' in line for line in writer_lines), writer_lines
