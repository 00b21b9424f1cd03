"""A regional editor signs in and cannot change another region, in Chromium."""

import openpyxl
import pytest

from lib.ingest.dataset import ensure_seeded
from lib.storage import accounts, store
from tests.browser.conftest import screenshot, sign_in, start_server, wait_until_drawn
from tests.conftest import PROJECT
from tests.test_upload_rights import change_budget, region_codes_per_sheet

pytestmark = pytest.mark.browser
PASSWORD = "Editor-Jepara-Kuat-1"


@pytest.fixture
def editor_server(tmp_path):
    db = tmp_path / "editor.db"
    engine = store.make_engine(f"sqlite:///{db}")
    ensure_seeded(engine, PROJECT / "data")
    accounts.add_user(
        engine,
        "editor.jepara",
        PASSWORD,
        "regional_editor",
        regions={"33.20"},
        display_name="Editor Jepara",
    )
    engine.dispose()
    process, url = start_server(db, {"DASHBOARD_ADMIN_PASSWORD": "Admin-Lain-1"})
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_editor_cannot_touch_another_region(editor_server, page, tmp_path):
    page.goto(editor_server, timeout=120_000)
    wait_until_drawn(page)
    sign_in(page, "editor.jepara", PASSWORD)
    assert page.get_by_role("link", name="Audit").count() == 0  # admins only
    page.get_by_role("link", name="Unggah data").click()
    wait_until_drawn(page)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "tahap"
    sheet.append(["kode_wilayah", "tahap", "status"])
    sheet.append(["33.20", 1, "selesai"])
    sheet.append(["33.19", 2, "selesai"])  # Kudus: not this editor's region
    path = tmp_path / "campur.xlsx"
    book.save(path)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(path)
    page.get_by_text("Ditolak seluruhnya").wait_for(timeout=30_000)
    refusal = page.get_by_text("Ditolak seluruhnya").inner_text()
    assert "Bimtek 2 · Kabupaten Kudus (tahap baris 3)" in refusal
    assert page.get_by_role("button", name="Terapkan").count() == 0
    screenshot(page, "editor-refused")


def test_editor_downloads_changes_one_jepara_budget_and_applies(editor_server, page, tmp_path):
    page.goto(editor_server, timeout=120_000)
    wait_until_drawn(page)
    sign_in(page, "editor.jepara", PASSWORD)
    page.get_by_role("link", name="Unggah data").click()
    wait_until_drawn(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Unduh templat").click()
    template = download.value.path().read_bytes()
    assert region_codes_per_sheet(template) == {
        "regions": {"33.20"},
        "stages": {"33.20"},
        "programs": {"33.20"},
    }
    path = tmp_path / "jepara.xlsx"
    path.write_bytes(change_budget(template, "33.20"))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(path)
    page.get_by_text("Pratinjau perubahan").wait_for(timeout=60_000)
    # the preview's table headings draw after its title: wait for the count, do not sample it
    page.get_by_text("1 baris diubah").first.wait_for(timeout=60_000)
    wait_until_drawn(page)
    screenshot(page, "editor-one-budget-preview")
    page.get_by_role("button", name="Terapkan").click()
    page.get_by_text("Diterapkan sebagai versi 2").wait_for(timeout=60_000)
