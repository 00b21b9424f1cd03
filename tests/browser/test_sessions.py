"""Sign-in that holds across reloads, new tabs and typed admin URLs, until logout (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import READY, screenshot, sign_in, wait_until_drawn
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/server")
VIEWPORTS = [(1440, 900), (1920, 1080), (390, 844)]


def local_only(context) -> None:
    # The machine is shared and loaded: generous waits, never sleeps.
    context.set_default_timeout(120_000)
    context.set_default_navigation_timeout(120_000)

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            request_route.abort()

    context.route("**/*", route)


def open_sidebar(page) -> None:
    """On a phone the sidebar starts folded: open it as a user would, with a tap."""
    page.wait_for_selector(READY, timeout=60_000)
    button = page.locator('[data-testid="stExpandSidebarButton"]')
    if button.count() and button.is_visible():
        box = button.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text("Bahasa Indonesia").wait_for(timeout=30_000)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_sign_in_survives_reload_new_tab_and_typed_admin_url_until_logout(
    browser, own_server, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    local_only(context)
    size = f"{width}x{height}"
    try:
        page = context.new_page()
        # The history page: signed out it asks for a sign-in, and it holds no map whose first
        # drawing reruns the app while the form is typed into.
        page.goto(f"{own_server}/riwayat")
        wait_until_drawn(page)
        open_sidebar(page)
        with page.expect_response(lambda r: r.url.endswith("/auth/session")) as exchanged:
            sign_in(page, "admin", ADMIN_PASSWORD)
        assert exchanged.value.status == 204
        cookie = next(c for c in context.cookies() if c["name"] == "kspn_session")
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Strict", False)

        page.reload()
        open_sidebar(page)
        page.get_by_text("Masuk sebagai").wait_for(timeout=60_000)
        shot(page, f"signed-in-after-reload-{size}")

        tab = context.new_page()
        tab.goto(f"{own_server}/audit")
        tab.get_by_role("heading", name="Catatan audit").wait_for(timeout=60_000)
        wait_until_drawn(tab)
        shot(tab, f"audit-typed-url-new-tab-{size}")

        open_sidebar(tab)
        logout = tab.get_by_role("button", name="Keluar")
        box = logout.bounding_box()
        tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tab.get_by_label("Nama pengguna").wait_for(timeout=60_000)

        # The cookie the first tab still holds is revoked: a reload there is signed out too.
        page.reload()
        page.get_by_text("Masuk dulu untuk membuka halaman ini").wait_for(timeout=60_000)
        page.goto(f"{own_server}/audit")
        page.get_by_text("Masuk dulu untuk membuka halaman ini").wait_for(timeout=60_000)
        assert page.get_by_text("Catatan audit").count() == 0
    except Exception:
        screenshot(page, f"session-{size}")
        raise
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "prompt"),
    [
        ("/audit", "Masuk dulu untuk membuka halaman ini (panel kiri)."),
        ("/batas?lang=en", "Sign in first to open this page (left panel)."),
    ],
)
@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_signed_out_admin_url_prompts_in_the_visitors_language(
    browser, server, path, prompt, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    local_only(context)
    try:
        page = context.new_page()
        page.goto(server + path)
        page.get_by_text(prompt).wait_for(timeout=60_000)
        assert page.get_by_text("Page not found").count() == 0
        shot(page, f"prompt-{path.strip('/').replace('?', '-')}-{width}x{height}")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/wilayah?region=33.20", "Kabupaten Jepara"),
        ("/audit", "Masuk dulu untuk membuka halaman ini (panel kiri)."),
    ],
)
def test_a_deep_link_is_the_first_visit_after_a_start(browser, own_server, path, expected):
    """Streamlit learns the pages from the first script run in the process; the server runs
    the main page once at start, so even the first visitor's bookmark opens its page."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    local_only(context)
    try:
        page = context.new_page()
        page.goto(own_server + path)
        wait_until_drawn(page)
        page.get_by_text(expected).first.wait_for(timeout=60_000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.url.endswith(path)
    finally:
        context.close()
