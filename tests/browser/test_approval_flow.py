"""Verified data in Chromium (issue 20), at 1440x900 and a 390x844 phone, in both languages: the
produsen submits, the walidata returns with a reason, the produsen reads it and resubmits, the
pembina approves, and the overview's figures change only then."""

from __future__ import annotations

import openpyxl
import pytest

from lib.core.i18n import t
from lib.ingest.dataset import ensure_seeded
from lib.storage import accounts, store
from tests.browser.conftest import screenshot, start_server, wait_until_drawn
from tests.conftest import ADMIN_PASSWORD, PROJECT

pytestmark = pytest.mark.browser
PASSWORD = "Produsen-Kudus-Kuat-1"
REASON = "Tanggal selesai Bimtek 2 belum diisi"
RUNS = [(1440, 900, "id"), (390, 844, "en"), (1440, 900, "en"), (390, 844, "id")]


@pytest.fixture
def approval_server(tmp_path):
    db = tmp_path / "approval.db"
    engine = store.make_engine(f"sqlite:///{db}")
    ensure_seeded(engine, PROJECT / "data")
    accounts.add_user(
        engine,
        "editor.kudus",
        PASSWORD,
        "regional_editor",
        regions={"33.19"},
        display_name="Editor Kudus",
    )
    accounts.add_user(
        engine, "wali.jateng", PASSWORD, "walidata", regions={"33"}, display_name="Walidata Jateng"
    )
    engine.dispose()
    process, url = start_server(
        db, {"DASHBOARD_ADMIN_PASSWORD": ADMIN_PASSWORD, "DASHBOARD_APPROVAL": "on"}
    )
    yield url
    process.terminate()
    process.wait(timeout=20)


def kudus_file(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "tahap"
    sheet.append(["kode_wilayah", "tahap", "status"])
    for row in (["33.19", 1, "selesai"], ["33.19", 2, "selesai"], ["33.19", 3, "rencana"]):
        sheet.append(row)
    sheet.append(["33.19", 4, "rencana"])
    path = tmp_path / "kudus.xlsx"
    book.save(path)
    return path


def tap(page, locator) -> None:
    """A real tap where the user sees the element (a locator click would scroll first)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


class Person:
    """One browser context per person: their own sign-in cookie."""

    def __init__(self, browser, base: str, size: tuple[int, int], lang: str, who: str):
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.context.set_default_timeout(90_000)
        self.context.route("**/*", _local_only)
        self.page = self.context.new_page()
        self.base, self.lang, self.who = base, lang, who

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base}/{path}?lang={self.lang}", timeout=120_000)
        wait_until_drawn(self.page)

    def sign_in(self, username: str, password: str) -> None:
        page = self.page
        button = page.locator('[data-testid="stExpandSidebarButton"]')
        if button.count() and button.is_visible():
            tap(page, button)
        page.get_by_label(t("username", self.lang), exact=True).fill(username)
        page.get_by_label(t("password", self.lang), exact=True).fill(password)
        with page.expect_response(lambda r: r.url.endswith("/auth/session")):
            page.get_by_label(t("password", self.lang), exact=True).press("Enter")
        signed_in = t("signed_in_as", self.lang, name="", role="").split("**")[0].strip()
        page.get_by_text(signed_in).first.wait_for()
        self.fold_sidebar()

    def fold_sidebar(self) -> None:
        """On a phone the open sidebar covers the page: fold it, as a user would."""
        page = self.page
        fold = page.locator('[data-testid="stSidebarCollapseButton"] button')
        if self.context.pages and page.viewport_size["width"] < 640 and fold.count():
            page.locator('[data-testid="stSidebar"]').hover()
            tap(page, fold.first)
            page.locator('[data-testid="stExpandSidebarButton"]').wait_for()

    def stages_done(self) -> int:
        self.open("")
        metric = self.page.locator('[data-testid="stMetric"]').filter(
            has_text=t("stages_done", self.lang)
        )
        return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(".", ""))

    def close(self) -> None:
        self.context.close()


def _local_only(request_route):
    url = request_route.request.url
    if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
        request_route.continue_()
    else:
        request_route.abort()


def upload(person: Person, path) -> None:
    page, lang = person.page, person.lang
    person.open("unggah")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(path)
    page.get_by_text(t("preview_title", lang)).wait_for()
    wait_until_drawn(page)
    tap(page, page.get_by_role("button", name=t("apply", lang), exact=True))


@pytest.mark.parametrize(("width", "height", "lang"), RUNS)
def test_submit_return_resubmit_approve(approval_server, browser, tmp_path, width, height, lang):
    size, name = (width, height), f"{width}x{height}-{lang}"
    people = [
        Person(browser, approval_server, size, lang, who)
        for who in ("pembina", "produsen", "walidata")
    ]
    pembina, produsen, walidata = people
    try:
        pembina.open("riwayat")  # no map: its first drawing reruns the app while typing
        pembina.sign_in("admin", ADMIN_PASSWORD)
        before = pembina.stages_done()
        produsen.open("unggah")
        produsen.sign_in("editor.kudus", PASSWORD)
        upload(produsen, kudus_file(tmp_path))
        submitted = t("upload_submitted", lang, id=1, version=2)
        produsen.page.get_by_text(submitted[:30]).wait_for()
        assert pembina.stages_done() == before  # submitted is not official
        official = t("data_official", lang, count=1).split(".")[0]
        pembina.page.get_by_text(official).first.wait_for()
        screenshot(pembina.page, f"approval-overview-official-{name}")

        walidata.open("persetujuan")
        walidata.sign_in("wali.jateng", PASSWORD)
        walidata.page.get_by_label(t("cs_reason", lang)).fill(REASON)
        walidata.page.get_by_label(t("cs_reason", lang)).press("Tab")
        wait_until_drawn(walidata.page)
        screenshot(walidata.page, f"approval-queue-walidata-{name}")
        tap(
            walidata.page,
            walidata.page.get_by_role("button", name=t("cs_move_return", lang), exact=True),
        )
        moved = t("cs_moved", lang, count=1, move=t("cs_move_return", lang))
        walidata.page.get_by_text(moved).wait_for()

        produsen.open("persetujuan")
        notice = produsen.page.get_by_text(REASON).first
        notice.wait_for()
        screenshot(produsen.page, f"approval-returned-produsen-{name}")
        upload(produsen, kudus_file(tmp_path))  # the fixed file, submitted again
        produsen.page.get_by_text(t("upload_submitted", lang, id=2, version=4)[:30]).wait_for()
        assert pembina.stages_done() == before

        pembina.open("persetujuan")
        tap(
            pembina.page,
            pembina.page.get_by_role("button", name=t("cs_move_approve", lang), exact=True),
        )
        moved = t("cs_moved", lang, count=1, move=t("cs_move_approve", lang))
        pembina.page.get_by_text(moved).wait_for()
        screenshot(pembina.page, f"approval-approved-{name}")
        assert pembina.stages_done() == before + 1  # official only now
        screenshot(pembina.page, f"approval-overview-after-{name}")
    except Exception:
        for person in people:
            screenshot(person.page, f"approval-failed-{person.who}-{name}")
        raise
    finally:
        for person in people:
            person.close()


@pytest.mark.parametrize(("width", "height", "lang"), RUNS)
def test_users_page(approval_server, browser, width, height, lang):
    admin = Person(browser, approval_server, (width, height), lang, "pembina")
    try:
        admin.open("riwayat")
        admin.sign_in("admin", ADMIN_PASSWORD)
        admin.open("pengguna")
        admin.page.get_by_role("heading", name=t("users_title", lang)).wait_for()
        admin.page.get_by_text(t("users_pick", lang)).wait_for()
        # nothing wider than the screen: a phone reads it without scrolling sideways
        assert admin.page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(admin.page, f"users-{width}x{height}-{lang}")
    finally:
        admin.close()
