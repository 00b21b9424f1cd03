"""The spreadsheet round trip in Chromium: template, edit, upload, preview, apply, roll back."""

import openpyxl
import pytest

from tests.browser.conftest import screenshot, sign_in, wait_until_drawn
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser


def stages_done(page) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text="Tahap selesai")
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def test_round_trip(own_server, page, tmp_path):
    page.goto(own_server)
    wait_until_drawn(page)
    assert stages_done(page) == "23"
    sign_in(page, "admin", ADMIN_PASSWORD)

    page.get_by_role("link", name="Unggah data").click()
    wait_until_drawn(page)
    with page.expect_download() as download:
        page.get_by_text("Unduh templat + data saat ini (.xlsx)").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    book = openpyxl.load_workbook(template)
    sheet = book["tahap"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "33.19" and row[1].value == 2:  # Kudus, Bimtek 2
            row[2].value = "selesai"
    book.save(template)

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(template)
    page.get_by_text("Pratinjau perubahan").wait_for(timeout=30_000)
    page.get_by_text("tahap · 1 baris diubah").first.wait_for()
    screenshot(page, "upload-preview")
    page.get_by_role("button", name="Terapkan").click()
    page.get_by_text("Diterapkan sebagai versi 2.").wait_for(timeout=30_000)

    page.get_by_role("link", name="Ringkasan").click()
    wait_until_drawn(page)
    page.get_by_text("Data versi 2").wait_for()
    assert stages_done(page) == "24"

    page.get_by_role("link", name="Riwayat").click()
    wait_until_drawn(page)
    page.get_by_text("Saya sudah memeriksa perubahan di atas").click()  # rollback asks first
    wait_until_drawn(page)
    page.get_by_role("button", name="Kembalikan").click()
    page.get_by_text("Dikembalikan ke versi 1 sebagai versi 3.").wait_for(timeout=30_000)
    screenshot(page, "history-after-rollback")

    page.get_by_role("link", name="Ringkasan").click()
    wait_until_drawn(page)
    page.get_by_text("Data versi 3").wait_for()
    assert stages_done(page) == "23"
