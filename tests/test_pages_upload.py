"""Upload and History pages through AppTest: what a user sees at each step."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from lib.storage import store
from tests.conftest import PROJECT, card_tables, sign_in, stage_workbook

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

APP = str(PROJECT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_page(page: str) -> AppTest:
    # AppTest loses widget state across the st.rerun of signing in, language included; the
    # English pages are covered before sign-in and in the browser.
    at = sign_in(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    at.get("file_uploader")[0].upload(name, data, mime)
    return at.run()


KUDUS_STAGE_2_DONE = ["Kabupaten Kudus (33.19)", "Bimtek 2", "Status", "Berjalan", "Selesai"]
KUDUS = [
    ["33.19", 1, "selesai"],
    ["33.19", 2, "selesai"],
    ["33.19", 3, "rencana"],
    ["33.19", 4, "rencana"],
]


def test_valid_file_previews_then_applies_as_a_new_version(app_env):
    at = open_page("pages/upload.py")
    upload(at, "kudus.xlsx", stage_workbook(KUDUS))
    assert at.subheader[0].value == "Pratinjau perubahan"
    assert "**tahap** · 1 baris diubah" in [m.value for m in at.markdown]
    changes = at.dataframe[0].value
    assert changes.columns.tolist() == ["Wilayah", "Baris", "Kolom", "Lama", "Baru"]
    assert "Kabupaten Kudus \\(33\\.19\\) · Bimtek 2" in at.warning[0].value  # no actual dates
    assert changes.values.tolist() == [KUDUS_STAGE_2_DONE]
    assert at.button(key="apply").disabled is False
    at.button(key="apply").click().run()
    assert at.success[0].value == "Diterapkan sebagai versi 2."
    engine = store.make_engine(app_env)
    assert store.version_info(engine, 2).author == "Administrator"


def test_apply_needs_a_name_and_removals_need_confirmation(app_env):
    at = open_page("pages/upload.py")
    upload(at, "kudus.xlsx", stage_workbook(KUDUS[:3]))
    assert "**:red[tahap · 1 baris dihapus]**" in [m.value for m in at.markdown]
    assert at.button(key="apply").disabled is True
    assert at.button(key="apply").disabled is True  # the removal is not confirmed yet
    at.checkbox(key="confirm_removals_1").check().run()
    assert at.button(key="apply").disabled is False


def test_invalid_file_lists_every_problem(app_env):
    at = open_page("pages/upload.py")
    upload(at, "bad.xlsx", stage_workbook([["33.19", 5, "selesai"], ["33.99", 1, "finished"]]))
    assert at.error[0].value.startswith("2 masalah ditemukan. Tidak ada yang ditulis.")
    (report,) = card_tables(at)  # a table whose messages wrap, cards on a phone
    assert report[["Baris", "Kolom", "Masalah"]].values.tolist() == [
        ["2", "tahap", "Nilai melanggar aturan"],
        ["3", "kode_wilayah", "Rujukan tidak dikenal"],
    ]
    assert "Kode" not in report.columns  # the kind is said in words, not as type-error
    assert store.current_version(store.make_engine(app_env)) == 1


def test_unchanged_file_says_so(app_env):
    at = open_page("pages/upload.py")
    upload(
        at,
        "kudus.xlsx",
        stage_workbook(
            [
                ["33.19", 1, "selesai"],
                ["33.19", 2, "berjalan"],
                ["33.19", 3, "rencana"],
                ["33.19", 4, "rencana"],
            ]
        ),
    )
    assert at.info[0].value == "Berkas sah, tetapi tidak mengubah apa pun."


def test_history_lists_versions_compares_and_rolls_back(app_env):
    at = open_page("pages/upload.py")
    upload(at, "kudus.xlsx", stage_workbook(KUDUS))
    at.button(key="apply").click().run()
    at.switch_page("pages/history.py").run()
    versions = at.dataframe[0].value
    assert versions["Versi"].tolist() == [2, 1]
    assert versions["Tindakan"].tolist() == ["unggahan", "data awal"]
    comparison = at.dataframe[1].value
    assert comparison.values.tolist() == [KUDUS_STAGE_2_DONE]
    at.selectbox(key="rollback_target_2").set_value(1).run()
    preview = at.dataframe[2].value  # the rollback shows what it changes, like an upload
    assert preview.values.tolist() == [
        ["Kabupaten Kudus (33.19)", "Bimtek 2", "Status", "Selesai", "Berjalan"]
    ]
    assert at.button(key="rollback").disabled  # not before confirming
    at.checkbox(key="rollback_ok_2").check().run()
    at.button(key="rollback").click().run()
    assert at.success[0].value == "Dikembalikan ke versi 1 sebagai versi 3."
    # The pickers start from the new current version; the file column says what was restored.
    assert at.selectbox(key="compare_to_3").value == 3
    assert at.dataframe[0].value["Berkas"].tolist()[0] == "← versi 1"


def test_dashboard_can_be_viewed_as_of_an_earlier_version(app_env):
    at = open_page("pages/upload.py")
    upload(at, "kudus.xlsx", stage_workbook(KUDUS))
    at.button(key="apply").click().run()
    at.switch_page("pages/history.py").run()
    at.selectbox(key="history_view_2").set_value(1).run()
    at.button(key="pin").click().run()
    at.switch_page("pages/overview.py").run()
    assert at.warning[0].value == "Anda melihat data versi 1, bukan yang terbaru (2)."
    assert {m.label: m.value for m in at.metric}["Tahap selesai"] == "23"
    at.button(key="unpin").click().run()
    assert {m.label: m.value for m in at.metric}["Tahap selesai"] == "24"


def test_after_apply_the_uploader_is_empty_and_history_has_one_summary_column(app_env):
    at = open_page("pages/upload.py")
    upload(at, "kudus.xlsx", stage_workbook(KUDUS))
    at.button(key="apply").click().run()
    assert at.success[0].value == "Diterapkan sebagai versi 2."
    assert not at.subheader  # the applied file is not previewed again
    at.switch_page("pages/history.py").run()
    versions = at.dataframe[0].value
    assert versions["Ringkasan"].tolist() == [
        "tahap: 1 baris diubah",
        "wilayah: 9 baris ditambah; tahap: 36 baris ditambah; program: 77 baris ditambah",
    ]


def test_a_file_is_checked_once_and_the_check_is_audited(app_env, monkeypatch):
    import lib.ingest.upload

    at = open_page("pages/upload.py")
    calls = []
    original = lib.ingest.upload.inspect_upload
    monkeypatch.setattr(
        lib.ingest.upload, "inspect_upload", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    upload(at, "kudus.xlsx", stage_workbook(KUDUS[:3]))
    at.checkbox(key="confirm_removals_1").check().run()
    assert len(calls) == 1  # ticking the box reused the preview
    from lib.storage import accounts

    checked = [
        r
        for r in accounts.audit_rows(store.make_engine(app_env))
        if r["action"] == "upload_checked"
    ]
    assert len(checked) == 1 and checked[0]["success"]


def test_upload_box_offers_only_accepted_types_with_indonesian_words(app_env):
    at = open_page("pages/upload.py")
    box = at.get("file_uploader")[0].proto
    assert list(box.type) == [".xlsx", ".csv"]
    assert box.label == "Pilih berkas .xlsx atau .csv"
    assert box.help.startswith("Seret berkas ke kotak ini")
    style = " ".join(e.proto.body for e in at.get("html"))
    assert 'content: "Pilih berkas"' in style and "Hanya .xlsx atau .csv" in style


def test_an_editors_upload_refused_on_the_page_is_audited_once(app_env):
    from lib.ingest.dataset import ensure_seeded
    from lib.storage import accounts
    from tests.conftest import PROJECT as ROOT

    engine = store.make_engine(app_env)
    ensure_seeded(engine, ROOT / "data")
    accounts.add_user(
        engine, "editor.jepara", "Rahasia-Jepara-2021", "regional_editor", regions={"33.20"}
    )
    at = sign_in(
        AppTest.from_file(APP, default_timeout=60).run(), "editor.jepara", "Rahasia-Jepara-2021"
    )
    at.switch_page("pages/upload.py").run()
    upload(at, "kudus.xlsx", stage_workbook(KUDUS))
    assert at.error and at.error[0].value.startswith("Ditolak seluruhnya")
    at.run()  # a redraw of the same refusal is not a second refusal
    refused = [r for r in accounts.audit_rows(engine) if r["action"] == "upload_refused"]
    assert [(r["actor"], r["success"], json.loads(r["detail"])["reason"]) for r in refused] == [
        ("editor.jepara", False, "upload_other_regions")
    ]
    assert store.current_version(engine) == 1


def write_kudus_stage_2(engine, status: str) -> int:
    """Another user's apply, straight through the library, while this page holds a preview."""
    from lib.ingest.upload import apply_upload, inspect_upload
    from tests.test_upload import ADMIN

    rows = [row if row[1] != 2 else ["33.19", 2, status] for row in KUDUS]
    preview = inspect_upload(engine, [("other.xlsx", stage_workbook(rows))])
    return apply_upload(engine, preview, ADMIN)


@pytest.mark.parametrize(
    "rows, removal",
    [(KUDUS, False), (KUDUS[:3], True)],
    ids=["change", "removal"],
)
def test_apply_of_a_stale_preview_writes_nothing_and_shows_the_preview_made_again(
    app_env, rows, removal
):
    from lib.storage import accounts

    at = open_page("pages/upload.py")
    upload(at, "kudus.xlsx", stage_workbook(rows))
    if removal:
        at.checkbox(key="confirm_removals_1").check().run()
    engine = store.make_engine(app_env)
    assert write_kudus_stage_2(engine, "rencana") == 2  # meanwhile, someone else
    at.button(key="apply").click().run()
    assert store.current_version(engine) == 2  # nothing written
    assert at.warning[0].value.startswith("Pratinjau dibuat pada versi 1; data kini versi 2.")
    changes = at.dataframe[0].value  # made again: stage 2 now goes from the newer value
    assert ["Kabupaten Kudus (33.19)", "Bimtek 2", "Status", "Rencana", "Selesai"] in (
        changes.values.tolist()
    )
    refused = [r for r in accounts.audit_rows(engine) if r["action"] == "upload_refused"]
    assert [json.loads(r["detail"])["reason"] for r in refused] == ["stale_version"]
    if removal:  # the tick is asked again
        assert at.button(key="apply").disabled is True
        at.checkbox(key="confirm_removals_2").check().run()
    at.button(key="apply").click().run()
    assert at.success[0].value == "Diterapkan sebagai versi 3."


def test_an_old_template_says_so_keeps_newer_values_and_asks_about_each_conflict(app_env):
    from lib.ingest.workbook import workbook_bytes
    from tests.test_upload_merge import JEPARA, KUDUS, first_budget, set_budget
    from tests.test_upload_rights import change_budget

    engine = store.make_engine(app_env)
    monday = workbook_bytes(store.read_all(engine, 1), "id", 1)
    mine = first_budget(engine, JEPARA) + 1000
    set_budget(engine, JEPARA, 2_222_000_000)  # version 2: a colleague, same budget
    set_budget(engine, KUDUS, 7_000_000)  # version 3: a colleague, a budget the file left
    at = open_page("pages/upload.py")
    upload(at, "senin.xlsx", change_budget(monday, JEPARA))
    assert at.info[0].value.startswith(
        "Berkas senin\\.xlsx dibuat dari versi 1; data kini versi 3."
    )
    kept, conflicts = at.dataframe[0].value, at.dataframe[1].value
    assert kept.iloc[0].tolist()[-2:] == ["diubah orang lain sejak itu", "7.000.000"]
    assert conflicts.columns.tolist()[-3:] == ["Berkas", "Dulu (versi 1)", "Kini (versi 3)"]
    assert conflicts.iloc[0].tolist()[-2:] == [
        f"{mine - 1000:,}".replace(",", "."),
        "2.222.000.000",
    ]
    assert at.button(key="apply").disabled  # not before the conflict is chosen
    (choice,) = [r for r in at.radio if r.label == "Konflik 1"]
    assert choice.options == ["Berkas: 5\\.000\\.001\\.000", "Kini: 2\\.222\\.000\\.000"]
    choice.set_value("file").run()
    assert at.button(key="apply").disabled is False
    at.button(key="apply").click().run()
    assert at.success[0].value == "Diterapkan sebagai versi 4."
    assert first_budget(engine, JEPARA) == mine  # the chosen value
    assert first_budget(engine, KUDUS) == 7_000_000  # the colleague's, kept


def test_a_rollback_previewed_before_another_write_is_refused_and_shown_again(app_env):
    from lib.storage import accounts

    at = open_page("pages/upload.py")
    upload(at, "kudus.xlsx", stage_workbook(KUDUS))
    at.button(key="apply").click().run()  # version 2
    at.switch_page("pages/history.py").run()
    at.selectbox(key="rollback_target_2").set_value(1).run()
    at.checkbox(key="rollback_ok_2").check().run()
    engine = store.make_engine(app_env)
    assert write_kudus_stage_2(engine, "rencana") == 3  # meanwhile, someone else
    at.button(key="rollback").click().run()
    assert store.current_version(engine) == 3  # nothing written
    stale = "Pratinjau dibuat pada versi 2; data kini versi 3."
    assert any(w.value.startswith(stale) for w in at.warning)
    assert at.selectbox(key="rollback_target_3").value == 1  # the same target, previewed again
    preview = at.dataframe[2].value
    assert preview.values.tolist() == [
        ["Kabupaten Kudus (33.19)", "Bimtek 2", "Status", "Rencana", "Berjalan"]
    ]
    refused = [r for r in accounts.audit_rows(engine) if r["action"] == "rollback_refused"]
    assert [json.loads(r["detail"])["reason"] for r in refused] == ["stale_version"]
    assert at.button(key="rollback").disabled  # confirmed again before anything is written
    at.checkbox(key="rollback_ok_3").check().run()
    at.button(key="rollback").click().run()
    assert at.success[0].value == "Dikembalikan ke versi 1 sebagai versi 4."


def test_added_rows_are_open_as_changed_ones_are(app_env):
    # Issue 29 item 12: "ditambah" was closed while "diubah" was open.
    from tests.test_no_english import edited_template

    at = open_page("pages/upload.py")
    upload(at, "program.xlsx", edited_template(store.make_engine(app_env)))
    labels = {e.label: e.proto.expanded for e in at.expander}
    assert labels == {"program · 1 baris diubah": True, "program · 1 baris ditambah": True}
