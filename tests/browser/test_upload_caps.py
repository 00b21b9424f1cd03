"""What a user sees when an upload passes a cap (issue 9 item 1), in Chromium, both languages."""

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in, wait_until_drawn
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/upload")
HEAD = "kode_wilayah;tahap;status;rencana_mulai;rencana_selesai;catatan\n"

# A wholly wrong file: 1,499 rows whose status is no status; and a file over the cell cap.
WRONG = HEAD + "".join(f"33.20;{n};kacau;;;\n" for n in range(1, 1500))
CELLS = HEAD + ";".join(["x"] * 64) + "\n" + (";".join(["y"] * 64) + "\n") * 23_500

# The banner above the problem table (a table whose messages wrap, cards on a phone: its first
# row, the cap's note or refusal, is looked at in the screenshots).
CASES = {
    "id": {"wrong": "1.001 masalah ditemukan.", "cells": "1 masalah ditemukan."},
    "en": {"wrong": "1,001 problems found.", "cells": "1 problem found."},
}


SIDEBAR_AWAY = (
    "(() => { const s = document.querySelector('[data-testid=stSidebar]');"
    " return !s || s.getBoundingClientRect().right <= 0; })()"
)
DOWNLOAD = {"id": "Unduh daftar masalah (CSV)", "en": "Download the problems (CSV)"}


@pytest.mark.parametrize("case", ["wrong", "cells"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_caps_are_told_where_they_are_passed(own_server, page, tmp_path, lang, case):
    page.goto(own_server)
    wait_until_drawn(page)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.goto(f"{own_server}/unggah" + ("?lang=en" if lang == "en" else ""))
    wait_until_drawn(page)
    path = tmp_path / "tahap.csv"
    path.write_text(WRONG if case == "wrong" else CELLS)
    # The uploader is drawn once the signed-in session is restored on this page's own run.
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.wait_for(state="attached", timeout=90_000)
    uploader.set_input_files(path, timeout=90_000)
    banner = re.compile("^" + re.escape(CASES[lang][case]))
    page.get_by_text(banner).wait_for(timeout=120_000)
    # The table is drawn when its first message is there and the download below it is offered.
    page.locator(".kt td.kt-lead").first.wait_for(timeout=60_000)
    page.get_by_role("button", name=DOWNLOAD[lang]).wait_for(timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1440, 900), (1920, 1080), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        if width < 640:  # a phone: the sidebar slides away; shot once it has
            page.wait_for_function(SIDEBAR_AWAY, timeout=30_000)
        page.screenshot(path=str(SHOTS / f"{case}-{lang}-{width}.png"), full_page=True)
