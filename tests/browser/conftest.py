"""A real server and a real browser: Debian's Chromium driven by Playwright, network blocked."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, PROJECT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = PROJECT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]
READY = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    db_path: Path, extra_env: dict | None = None, script: str = "serve.py", cwd: Path = PROJECT
) -> tuple[subprocess.Popen, str]:
    """The server as `make run` starts it: serve.py, the ASGI stack around app.py (cwd: another
    tree of the project, e.g. an older commit for a benchmark's "before")."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": f"sqlite:///{db_path}",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Wait on the server's own "ready" line rather than sleeping and polling. Raw reads: a
    # buffered readline may swallow the ready line with the blank one before it, and select
    # then waits for output that never comes.
    deadline = time.monotonic() + 60
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            break
        seen += chunk
        # serve.py runs the main page once at start (serve.py); a visitor before
        # that could still meet Streamlit's "Page not found" on a deep link.
        markers = (b"Pages ready",) if script == "serve.py" else (b"server started", b"can now")
        if any(marker in seen for marker in markers):
            # Keep reading the log, so a full pipe never stalls the server.
            process.log = [seen.decode(errors="replace")]
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return process, f"http://127.0.0.1:{port}"
    process.kill()
    raise RuntimeError("streamlit did not start:\n" + seen.decode(errors="replace"))


def _drain(process: subprocess.Popen) -> None:
    while chunk := os.read(process.stdout.fileno(), 65536):
        process.log.append(chunk.decode(errors="replace"))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    process, url = start_server(tmp_path_factory.mktemp("browser") / "store.db")
    yield url
    process.terminate()
    process.wait(timeout=20)


# One browser per module, not per session: sync Playwright keeps an event loop running in the
# main thread while it is open, which would break every later test that calls asyncio.run().
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make test` (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page that can reach only this machine: the map must draw with no internet."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="id-ID")
    blocked: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.blocked_requests = blocked
    yield page
    context.close()


def wait_until_drawn(page) -> None:
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=30_000
    )


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username: str, password: str) -> None:
    # Type only once the page has settled: the map component's first value makes the app
    # rerun once, and a form typed into during that rerun loses its input.
    maps = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    if page.locator('iframe[title="streamlit_folium.st_folium"]').count():
        maps.locator("path").first.wait_for(timeout=30_000)
    page.wait_for_selector(READY)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=30_000
    )
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    # Enter submits the form; a click can land while the map component's first rerun
    # replaces the form, and is then lost.
    page.get_by_label("Kata sandi").press("Enter")
    try:
        page.get_by_text("Masuk sebagai").wait_for(timeout=30_000)
    except Exception:
        screenshot(page, "sign-in-failed")
        raise


@pytest.fixture
def own_server(tmp_path):
    """A server with a store of its own, for tests that change the data."""
    process, url = start_server(tmp_path / "own.db", {"DASHBOARD_ADMIN_PASSWORD": ADMIN_PASSWORD})
    yield url
    process.terminate()
    process.wait(timeout=20)
