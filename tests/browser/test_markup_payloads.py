"""Hostile Markdown in every text field: Chromium loads nothing from it and draws no link."""

import pytest

from tests.browser.conftest import screenshot, sign_in, start_server, wait_until_drawn
from tests.conftest import ADMIN_PASSWORD
from tests.test_markup_payloads import PAYLOADS, hostile_store

pytestmark = pytest.mark.browser


@pytest.fixture
def hostile_server(tmp_path):
    db = tmp_path / "hostile.db"
    hostile_store(f"sqlite:///{db}", f"{PAYLOADS['image']} {PAYLOADS['link']}")
    process, url = start_server(db, {"DASHBOARD_ADMIN_PASSWORD": ADMIN_PASSWORD})
    yield url
    process.terminate()
    process.wait(timeout=20)


def markup_from_data(page) -> int:
    selector = 'img[src*="//host"], a[href*="//host"]'  # not Streamlit's own #anchors
    count = page.locator(selector).count()
    for frame in page.frames:
        count += frame.locator(selector).count()
    return count


def test_no_request_leaves_for_the_payload_host(hostile_server, page):
    page.goto(hostile_server, timeout=120_000)
    wait_until_drawn(page)
    sign_in(page, "hostile", "Sandi-Uji-12345")
    shown_as_text = page.locator('[data-testid="stMarkdownContainer"]', has_text="http://host/x")
    for link in ("Ringkasan", "Wilayah", "Riwayat"):
        page.get_by_role("link", name=link, exact=True).click()
        wait_until_drawn(page)
        shown_as_text.first.wait_for(timeout=30_000)  # the signed-in name, at least
        assert markup_from_data(page) == 0, link
        screenshot(page, f"markup-payloads-{link.lower()}")
    assert [u for u in page.blocked_requests if "host/" in u] == []


@pytest.fixture
def script_named_server(tmp_path):
    db = tmp_path / "script.db"
    hostile_store(f"sqlite:///{db}", "<img src=x onerror=alert(1)> ![](http://evil/x)")
    process, url = start_server(db, {"DASHBOARD_ADMIN_PASSWORD": ADMIN_PASSWORD})
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_overview_charts_draw_hostile_names_as_text(script_named_server, page):
    """The server-drawn charts carry region names in SVG images and their alt text: a name
    that is HTML or Markdown is drawn and read as its characters, and nothing runs or loads."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(script_named_server, timeout=120_000)
    wait_until_drawn(page)
    charts = page.locator('[data-testid="stHtml"] img[src^="data:image/svg+xml"]')
    charts.nth(9).wait_for(timeout=30_000)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-testid=stHtml] img'))"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert "<img src=x onerror=alert(1)> ![](http://evil/x) 0" in charts.first.get_attribute("alt")
    assert page.locator('[data-testid="stHtml"] img:not([src^="data:image/svg+xml"])').count() == 0
    assert page.locator('[data-testid="stHtml"] a').count() == 0
    charts.first.scroll_into_view_if_needed()
    screenshot(page, "overview-hostile-names")
    assert dialogs == []
    assert [u for u in page.blocked_requests if "evil" in u or u.endswith("/x")] == []
