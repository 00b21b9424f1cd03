"""The language a reader picks is remembered by the browser (issue 29 item 9): a typed or
bookmarked link without ?lang opens in it again; a link's ?lang still wins."""

import pytest

from tests.browser.conftest import wait_until_drawn

pytestmark = pytest.mark.browser


def test_the_chosen_language_is_remembered_and_a_link_still_wins(server, page):
    page.goto(server, timeout=120_000)
    wait_until_drawn(page)
    english = page.get_by_text("English", exact=True)
    box = english.bounding_box()
    with page.expect_response(lambda answer: answer.url.endswith("/prefs/lang")) as asked:
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert asked.value.status == 204
    page.get_by_text("Reference date").wait_for(timeout=30_000)
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get("kspn_lang") == "en"

    later = page.context.new_page()  # a bookmark typed in a new tab: no ?lang
    later.goto(f"{server}/dimensi", timeout=120_000)
    wait_until_drawn(later)
    later.get_by_text("Reference date").wait_for(timeout=30_000)
    assert "lang=en" in later.url

    shared = page.context.new_page()  # a link someone sent in Indonesian
    shared.goto(f"{server}/dimensi?lang=id", timeout=120_000)
    wait_until_drawn(shared)
    shared.get_by_text("Tanggal acuan").wait_for(timeout=30_000)


def test_a_sign_in_in_a_new_browser_opens_in_the_accounts_language(own_server, browser, tmp_path):
    """Per account (item 9): the editor chose English on another computer; signing in here, in
    a browser that never chose, the dashboard turns English, and this browser keeps it."""
    from lib.storage import accounts, store

    engine = store.make_engine(f"sqlite:///{tmp_path / 'own.db'}")
    accounts.add_user(engine, "editor.jepara", "Kata-Sandi-1", "regional_editor", regions={"33.20"})
    accounts.set_language(engine, "editor.jepara", "en")
    engine.dispose()
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(own_server, timeout=120_000)
    wait_until_drawn(page)
    page.get_by_label("Nama pengguna").fill("editor.jepara")
    page.get_by_label("Kata sandi").fill("Kata-Sandi-1")
    with page.expect_response(lambda r: r.url.endswith("/prefs/lang"), timeout=60_000) as asked:
        page.get_by_label("Kata sandi").press("Enter")
        page.get_by_text("Signed in as").wait_for(timeout=60_000)
    assert asked.value.status == 204
    page.get_by_text("Reference date").wait_for(timeout=30_000)
    assert {c["name"]: c["value"] for c in context.cookies()}.get("kspn_lang") == "en"
    context.close()
