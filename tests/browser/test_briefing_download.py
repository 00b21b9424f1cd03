"""Briefings downloaded the way a user gets them: a real click in Chromium, the file saved."""

import datetime as dt
import subprocess

import pytest

from tests.browser.conftest import screenshot, wait_until_drawn

pytestmark = pytest.mark.browser


def dismiss_dialogs(page) -> None:
    """A start-up notice (e.g. Streamlit's "Page not found" on a deep link) makes the page
    inert until closed; a user closes it first, so does this test."""
    close = page.locator('[role="dialog"] button[aria-label="Close"]')
    if close.count():
        close.first.click()
        close.first.wait_for(state="detached", timeout=30_000)


def click_download(page, label: str, tmp_path):
    dismiss_dialogs(page)
    button = page.get_by_role("button", name=label)
    button.wait_for(timeout=60_000)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    with page.expect_download(timeout=120_000) as event:
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    download = event.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return " ".join(out.split())


@pytest.mark.parametrize(
    "lang, pdf, png, heading",
    [
        ("id", "Unduh briefing (PDF)", "Unduh gambar untuk dibagikan (PNG)", "Empat tahap Bimtek"),
        ("en", "Download briefing (PDF)", "Download share image (PNG)", "The four Bimtek stages"),
    ],
)
def test_region_page_downloads_its_briefing(server, page, tmp_path, lang, pdf, png, heading):
    page.goto(f"{server}/wilayah?region=33.20&lang={lang}")
    wait_until_drawn(page)
    today = dt.date.today().isoformat()
    saved = click_download(page, pdf, tmp_path)
    assert saved.name == f"briefing_33.20_{lang}_v1_{today}.pdf"
    text = pdf_text(saved)
    assert "Kabupaten Jepara" in text and heading in text
    image = click_download(page, png, tmp_path)
    assert image.name == f"briefing_33.20_{lang}_v1_{today}.png"
    assert image.read_bytes()[:4] == b"\x89PNG"
    assert page.blocked_requests == []
    screenshot(page, f"briefing-region-{lang}")


def test_overview_downloads_the_pack_of_its_scope(server, page, tmp_path):
    page.goto(f"{server}/?lang=en")
    wait_until_drawn(page)
    saved = click_download(page, "Download the ministry briefing pack (PDF, 9 regions)", tmp_path)
    assert saved.name.startswith("briefing_pack-kspn_borobudur_en_v1_")
    info = subprocess.run(["pdfinfo", str(saved)], capture_output=True, text=True).stdout
    assert "Pages:           10" in info
    assert "Area KSPN Borobudur" in pdf_text(saved)
