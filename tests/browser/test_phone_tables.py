"""A 390x844 phone, both languages: each table's key column and the timeline's last stage are
on the screen, not cut off to the right (issue 29 items 1 and 2). And the uploader's words are
the page's language, for a screen reader too (item 3)."""

import pytest

from lib.core.i18n import t
from tests.browser.conftest import screenshot, sign_in, start_server, wait_until_drawn
from tests.conftest import ADMIN_PASSWORD, stage_workbook

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LANGS = ["id", "en"]
BAD_FILE = [["33.20", 9, "finished"]]
KUDUS_STAGE_2_DONE = [
    ["33.19", 1, "selesai"],
    ["33.19", 2, "selesai"],
    ["33.19", 3, "rencana"],
    ["33.19", 4, "rencana"],
]


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("phone") / "store.db"
    process, url = start_server(db, {"DASHBOARD_ADMIN_PASSWORD": ADMIN_PASSWORD})
    yield url
    process.terminate()
    process.wait(timeout=20)


def on_screen(page, selector: str) -> list[dict]:
    """The boxes of the visible elements `selector` finds, each scrolled into view first."""
    boxes = []
    for element in page.locator(selector).all():
        if not element.is_visible():
            continue
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        boxes.append({**box, "text": element.inner_text()})
    return boxes


def assert_cells_on_screen(page, label: str, at_least: int = 1) -> None:
    cells = on_screen(page, f'.kt td[data-label="{label}"]')
    assert len(cells) >= at_least, label
    for cell in cells:
        assert cell["x"] >= 0 and cell["x"] + cell["width"] <= PHONE["width"], (label, cell)
        assert cell["width"] > 200, (label, cell)  # a line of its own, not a squeezed column


def signed_in(page) -> None:
    """Signed in, with the session cookie set before the next page is opened."""
    with page.expect_response(lambda answer: answer.url.endswith("/auth/session")):
        sign_in(page, "admin", ADMIN_PASSWORD)


def open_phone(page, url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(url, timeout=120_000)
    wait_until_drawn(page)


@pytest.mark.parametrize("lang", LANGS)
def test_overview_and_region_tables_on_a_phone(phone_server, page, lang):
    open_phone(page, f"{phone_server}/?lang={lang}")
    page.locator('.kt td[data-label="{}"]'.format(t("br_col_reason", lang))).first.wait_for(
        timeout=30_000
    )
    assert_cells_on_screen(page, t("br_col_reason", lang), at_least=3)  # Perlu perhatian
    assert_cells_on_screen(page, t("br_col_target", lang), at_least=3)
    open_phone(page, f"{phone_server}/wilayah?region=33.20&lang={lang}")
    assert_cells_on_screen(page, t("col_source", lang), at_least=4)  # Rincian tahap
    timeline = page.locator(".st-key-timeline_phone img")
    timeline.scroll_into_view_if_needed()
    box = timeline.bounding_box()
    # The whole calendar is inside the screen, Bimtek 4's November bar included.
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert not page.locator(".st-key-timeline_desk img").is_visible()
    assert "Bimtek 4" in timeline.get_attribute("alt")
    screenshot(page, f"phone-region-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_problem_list_preview_and_history_on_a_phone(phone_server, page, tmp_path, lang):
    page.goto(phone_server, timeout=120_000)
    wait_until_drawn(page)
    signed_in(page)
    open_phone(page, f"{phone_server}/unggah?lang={lang}")
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    spoken = dropzone.aria_snapshot()
    for english in ("Upload", "per file •", "XLSX, CSV"):
        assert lang == "en" or english not in spoken, spoken
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(stage_workbook(BAD_FILE))
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.set_input_files(bad)
    page.locator(".kt td.kt-lead").first.wait_for(timeout=30_000)
    assert_cells_on_screen(page, t("col_message", lang), at_least=1)
    assert_cells_on_screen(page, t("col_value", lang), at_least=1)
    screenshot(page, f"phone-problems-{lang}")
    good = tmp_path / "kudus.xlsx"
    good.write_bytes(stage_workbook(KUDUS_STAGE_2_DONE))
    open_phone(page, f"{phone_server}/unggah?lang={lang}")  # an empty uploader again
    uploader.set_input_files(good)
    page.locator(f'.kt td[data-label="{t("col_new", lang)}"]').first.wait_for(timeout=30_000)
    for label in ("col_column", "col_old", "col_new"):
        assert_cells_on_screen(page, t(label, lang))
    screenshot(page, f"phone-preview-{lang}")
    open_phone(page, f"{phone_server}/riwayat?lang={lang}")
    page.locator(f'.kt td[data-label="{t("col_summary", lang)}"]').first.wait_for(timeout=30_000)
    assert_cells_on_screen(page, t("col_summary", lang))


def test_problem_messages_are_whole_on_a_desk(phone_server, page, tmp_path):
    # Issue 29 item 4: at 1440 px the Pesan column cut "Kolom yang dikenal: id_prog...".
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(phone_server, timeout=120_000)
    wait_until_drawn(page)
    signed_in(page)
    page.goto(f"{phone_server}/unggah", timeout=120_000)
    wait_until_drawn(page)
    bad = tmp_path / "warna.xlsx"
    bad.write_bytes(
        stage_workbook(
            [["33.20", 1, "selesai", "merah"]], ("kode_wilayah", "tahap", "status", "warna")
        )
    )
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(bad)
    message = page.locator('.kt td[data-label="Pesan"]').first
    message.wait_for(timeout=30_000)
    message.scroll_into_view_if_needed()
    box = message.bounding_box()
    assert box["x"] + box["width"] <= 1440
    assert message.inner_text().endswith("sumber, catatan.")  # the whole list of known columns
    assert message.evaluate("e => e.scrollWidth <= e.clientWidth")
