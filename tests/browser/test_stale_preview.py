"""Two signed-in people upload at once: an Apply writes the preview its user saw, or nothing."""

import pytest

from lib.storage import store
from tests.browser.conftest import sign_in, wait_until_drawn
from tests.conftest import ADMIN_PASSWORD, stage_workbook

pytestmark = pytest.mark.browser

KUDUS = [
    ["33.19", 1, "selesai"],
    ["33.19", 2, "selesai"],
    ["33.19", 3, "rencana"],
    ["33.19", 4, "rencana"],
]
B_ROWS = [KUDUS[0], ["33.19", 2, "rencana"], *KUDUS[2:]]  # only stage 2 changes


def open_upload(page, url: str) -> None:
    page.goto(url, timeout=120_000)
    wait_until_drawn(page)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Unggah data").click()
    wait_until_drawn(page)


def choose(page, path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(path)
    page.get_by_text("Pratinjau perubahan").wait_for(timeout=60_000)
    wait_until_drawn(page)


@pytest.mark.parametrize("removal", [False, True], ids=["change", "removal"])
def test_a_stale_apply_writes_nothing_then_the_preview_made_again_applies(
    own_server, page, browser, tmp_path, removal
):
    other = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="id-ID")
    page_b = other.new_page()
    a_file, b_file = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a_file.write_bytes(stage_workbook(KUDUS[:3] if removal else KUDUS))
    b_file.write_bytes(stage_workbook(B_ROWS))
    engine = store.make_engine(f"sqlite:///{tmp_path / 'own.db'}")
    try:
        open_upload(page, own_server)
        choose(page, a_file)
        apply_a = page.get_by_role("button", name="Terapkan")
        if removal:
            page.get_by_text("Saya paham 1 baris akan dihapus.").click()
        apply_a.wait_for()

        open_upload(page_b, own_server)
        choose(page_b, b_file)
        page_b.get_by_role("button", name="Terapkan").click()
        page_b.get_by_text("Diterapkan sebagai versi 2").wait_for(timeout=60_000)

        apply_a.click()
        page.get_by_text("Pratinjau dibuat pada versi 1; data kini versi 2.").wait_for(
            timeout=60_000
        )
        wait_until_drawn(page)
        assert store.current_version(engine) == 2  # A's click wrote nothing
        # the preview made again starts from B's value
        # (the grid draws on a canvas; its cells are also in the DOM for screen readers)
        cells = page.locator('[data-testid="stDataFrame"] td')
        cells.filter(has_text="Rencana").first.wait_for(state="attached", timeout=30_000)
        if removal:  # the tick is asked again before anything can be applied
            assert page.get_by_role("button", name="Terapkan").is_disabled()
            page.get_by_text("Saya paham 1 baris akan dihapus.").click()
        page.get_by_role("button", name="Terapkan").click()
        page.get_by_text("Diterapkan sebagai versi 3").wait_for(timeout=60_000)
        assert store.current_version(engine) == 3
    finally:
        other.close()
        engine.dispose()
