"""Verified data on the pages (issue 20), through AppTest: a produsen's upload is submitted, not
official; the overview says which data it shows; the queue returns with a reason, which the
produsen reads; approval (one or in bulk) makes the figures official."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.storage import accounts, approval, store
from lib.storage.accounts import User
from tests.conftest import PROJECT, sign_in, stage_workbook

pytestmark = pytest.mark.both_stores

APP = str(PROJECT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PASSWORD = "Kata-Sandi-Wilayah-1"
KUDUS, JEPARA = "33.19", "33.20"
KUDUS_STAGE_2_DONE = [
    ["33.19", 1, "selesai"],
    ["33.19", 2, "selesai"],
    ["33.19", 3, "rencana"],
    ["33.19", 4, "rencana"],
]
PRODUSEN = User("editor.kudus", "Editor Kudus", "regional_editor", frozenset({KUDUS}))
REASON = "Tanggal selesai Bimtek 2 belum diisi"


@pytest.fixture
def people(app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_APPROVAL", "on")
    engine = store.make_engine(app_env)
    accounts.add_user(
        engine,
        "editor.kudus",
        PASSWORD,
        "regional_editor",
        regions={KUDUS},
        display_name="Editor Kudus",
    )
    accounts.add_user(
        engine, "wali.jateng", PASSWORD, "walidata", regions={"33"}, display_name="Walidata Jateng"
    )
    yield engine
    engine.dispose()


def open_page(page: str, user: str = "admin", password: str | None = None) -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=60).run(), user, password)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def stages_done(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Tahap selesai")


def submit_kudus(engine) -> int:
    """The Kudus produsen's change (stage 2 done), as the upload page applies it."""
    frames = store.read_all(engine, store.current_version(engine))
    stages = frames["stages"]
    kudus = stages[stages["region_code"] == KUDUS].copy()
    kudus.loc[kudus["stage"] == 2, "status"] = "done"
    _, submission = approval.guarded_write(
        engine,
        PRODUSEN,
        new_rows={"stages": kudus},
        scope={"stages": {KUDUS}},
        author=PRODUSEN.display_name,
        action="upload",
        expected_version=store.current_version(engine),
    )
    return submission.change_set_id


def test_a_produsen_upload_is_submitted_and_the_overview_stays_official(people):
    overview = open_page("pages/overview.py")
    before = stages_done(overview)
    at = open_page("pages/upload.py", "editor.kudus", PASSWORD)
    at.get("file_uploader")[0].upload("kudus.xlsx", stage_workbook(KUDUS_STAGE_2_DONE), XLSX)
    at.run()
    at.button(key="apply").click().run()
    assert at.success[0].value.startswith("Diajukan sebagai perubahan #1 (versi 2)")
    overview.run()
    assert stages_done(overview) == before
    assert (
        "Data resmi: hanya perubahan yang sudah disetujui. 1 perubahan menunggu"
        in [c.value for c in overview.caption][1]
    )
    overview.toggle(key="pending_toggle").set_value(True).run()
    assert overview.query_params["pending"] == "1"
    assert "BELUM DISETUJUI" in overview.warning[0].value
    assert "\\#1 Kabupaten Kudus \\(diajukan\\)" in overview.warning[0].value
    assert int(stages_done(overview)) == int(before) + 1


def test_walidata_returns_with_a_reason_and_the_produsen_reads_it(people):
    change_set = submit_kudus(people)
    at = open_page("pages/approvals.py", "wali.jateng", PASSWORD)
    queue = at.dataframe[0].value
    assert queue[["Perubahan", "Status", "Wilayah"]].values.tolist() == [
        [f"#{change_set}", "diajukan", "Kabupaten Kudus"]
    ]
    assert at.dataframe[1].value.values.tolist() == [  # the change set's cell diff
        ["Kabupaten Kudus (33.19)", "Bimtek 2", "Status", "Berjalan", "Selesai"]
    ]
    at.button(key=f"cs_return_{change_set}").click().run()
    assert at.error[0].value.startswith(
        f"Tuliskan alasan untuk mengembalikan perubahan #{change_set}"
    )
    assert approval.get(people, change_set).state == "submitted"
    at.text_area(key=f"cs_reason_{change_set}").input(REASON)
    at.button(key=f"cs_return_{change_set}").click().run()
    assert at.success[0].value == "1 perubahan: Kembalikan selesai."
    produsen = open_page("pages/approvals.py", "editor.kudus", PASSWORD)
    notice = produsen.error[0].value
    assert notice.startswith(f"Perubahan #{change_set} Anda dikembalikan oleh Walidata Jateng")
    assert "Tanggal selesai Bimtek 2 belum diisi" in notice


def test_a_second_walidata_click_on_a_moved_change_set_is_said(people):
    change_set = submit_kudus(people)
    at = open_page("pages/approvals.py", "wali.jateng", PASSWORD)
    approval.move(
        people, change_set, User("admin", "Administrator", "ministry_admin", frozenset()), "verify"
    )
    at.button(key=f"cs_verify_{change_set}").click().run()
    assert at.error[0].value.startswith(
        f"Perubahan #{change_set} sudah berstatus diverifikasi (oleh admin)"
    )


def test_bulk_approval_makes_the_figures_official(people):
    overview = open_page("pages/overview.py")
    before = int(stages_done(overview))
    first = submit_kudus(people)
    at = open_page("pages/approvals.py")
    assert at.radio(key="cs_bulk_move").options == ["Verifikasi", "Setujui"]
    at.radio(key="cs_bulk_move").set_value("approve").run()
    batch = "**1 perubahan** akan menjadi **disetujui** (Setujui); wilayah yang tersentuh: 1."
    assert batch in [m.value for m in at.markdown]
    assert at.button(key="cs_bulk").disabled
    at.checkbox(key="cs_bulk_ok_approve_1").check().run()
    at.button(key="cs_bulk").click().run()
    assert approval.get(people, first).state == "approved"
    overview.run()
    assert int(stages_done(overview)) == before + 1
    assert not [w for w in overview.warning if "BELUM DISETUJUI" in w.value]
    assert "0 perubahan menunggu persetujuan" in overview.caption[1].value


def test_the_queue_shows_the_evidence_behind_a_change_sets_rows(people):
    """Issue 21 meets issue 20: the walidata sees what backs Bimtek 2 of Kudus before deciding."""
    from lib.ingest.evidence_intake import attach_link

    change_set = submit_kudus(people)
    at = open_page("pages/approvals.py", "wali.jateng", PASSWORD)
    assert "Belum ada bukti dukung untuk baris yang ditambah" in at.caption[-1].value
    attach_link(
        people,
        PRODUSEN,
        region_code=KUDUS,
        target=("stages", f"{KUDUS}|2"),
        title="Daftar hadir Bimtek 2",
        url="https://kuduskab.go.id/bimtek-2",
    )
    at.run()
    shown = [m.value for m in at.markdown]
    assert "33\\.19 · Tahap 2" in shown
    assert "Daftar hadir Bimtek 2" in shown
    assert [c.value for c in at.code] == ["https://kuduskab.go.id/bimtek-2"]
    assert approval.get(people, change_set).state == "submitted"


def test_the_template_says_it_holds_pending_changes(people):
    """Official and pending never mix unlabelled: a template holds the latest data (the basis
    of the next upload), so the Upload page says which pending changes it includes."""
    at = open_page("pages/upload.py")
    assert not any("belum disetujui" in c.value for c in at.caption)
    change_set = submit_kudus(people)
    at.run()
    assert any(f"belum disetujui (#{change_set})" in c.value for c in at.caption)
