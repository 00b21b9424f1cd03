"""Sign-in, sign-out, session expiry and what each role sees, through AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.plain_text import escape_markdown
from lib.storage import accounts, store
from tests.conftest import ADMIN_PASSWORD, PROJECT, sign_in, stage_workbook

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

APP = str(PROJECT / "app.py")
PASSWORD = "Kata-Sandi-Wilayah-1"


@pytest.fixture
def people(app_env):
    """The store seeded by a first start, plus one account per role."""
    engine = store.make_engine(app_env)
    accounts.add_user(
        engine,
        "editor.jepara",
        PASSWORD,
        "regional_editor",
        regions={"33.20"},
        display_name="Editor Jepara",
        email="kominfo@jepara.go.id",
    )
    accounts.add_user(engine, "viewer.jepara", PASSWORD, "regional_viewer", regions={"33.20"})
    accounts.add_user(engine, "ministry.viewer", PASSWORD, "ministry_viewer")
    return engine


def signed_in_line(at: AppTest) -> str:
    return next(m.value for m in at.sidebar.markdown if m.value.startswith("Masuk sebagai"))


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def test_sign_in_and_out(people):
    at = sign_in(app())
    assert (
        signed_in_line(at)
        == "Masuk sebagai **Administrator** · Admin kementerian \\(pembina data\\)"
    )
    at.button(key="logout").click().run()
    assert at.text_input(key="login_user")
    actions = [r["action"] for r in accounts.audit_rows(people)]
    assert actions[:2] == ["logout", "login"]


def test_wrong_password_and_unknown_name_read_the_same(people):
    messages = []
    for name, password in (("admin", "salah"), ("tidak.ada", ADMIN_PASSWORD)):
        at = sign_in(app(), name, password)
        messages.append(at.sidebar.error[0].value)
    assert messages == ["Masuk gagal. Periksa nama dan kata sandi, atau coba lagi nanti."] * 2


def test_session_expires(people, monkeypatch):
    at = sign_in(app())
    monkeypatch.setenv("DASHBOARD_SESSION_MINUTES", "0")
    at.run()
    assert at.sidebar.info[0].value == "Sesi berakhir; silakan masuk lagi."


def test_anonymous_sees_the_dashboard_but_not_upload(people):
    at = app()
    assert at.title[0].value == "Ringkasan kemajuan masterplan"
    at.switch_page("pages/upload.py").run()
    assert at.info[0].value == "Masuk dulu untuk membuka halaman ini (panel kiri)."
    assert not at.get("file_uploader")


def test_viewing_can_require_login(people, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "true")
    at = app()
    assert at.info[0].value == "Masuk dulu untuk membuka halaman ini (panel kiri)."
    assert not at.metric
    sign_in(at, "viewer.jepara", PASSWORD)
    assert at.metric


@pytest.mark.parametrize(
    "username, can_upload, can_roll_back",
    [
        ("admin", True, True),
        ("editor.jepara", True, True),
        ("viewer.jepara", False, False),
        ("ministry.viewer", False, False),
    ],
)
def test_controls_per_role(people, username, can_upload, can_roll_back):
    at = sign_in(app(), username, None if username == "admin" else PASSWORD)
    at.switch_page("pages/upload.py").run()
    assert bool(at.get("file_uploader")) is can_upload
    at.switch_page("pages/history.py").run()
    rollback_pickers = [b for b in at.selectbox if str(b.key).startswith("rollback_target")]
    assert bool(rollback_pickers) is can_roll_back


@pytest.mark.parametrize("page", ["pages/audit.py", "pages/boundaries.py"])
def test_admin_pages_answer_a_typed_url_with_a_prompt_not_page_not_found(people, page):
    # The pages exist for everyone (bookmarks work); only an admin gets past the prompt.
    at = app().switch_page(page).run()
    assert at.info[0].value == "Masuk dulu untuk membuka halaman ini (panel kiri)."
    at = sign_in(app(), "editor.jepara", PASSWORD).switch_page(page).run()
    assert at.warning[0].value == "Akun Anda tidak berhak membuka halaman ini."
    assert not at.dataframe and not at.get("file_uploader")


def test_admin_pages_are_only_for_admins(people):
    at = sign_in(app())
    at.switch_page("pages/audit.py").run()
    log = at.dataframe[0].value
    assert {"masuk", "pengguna ditambahkan"} <= set(log["Tindakan"])
    # one name per person: the display name History shows, not the account name
    assert "Administrator" in set(log["Oleh"]) and "admin" not in set(log["Oleh"])
    added = log[log["Tindakan"] == "pengguna ditambahkan"]["Rincian"]
    assert any(d.startswith("Pengguna: Editor Jepara · Peran: Editor wilayah") for d in added)


def test_editor_upload_of_another_region_is_refused_listing_rows(people):
    at = sign_in(app(), "editor.jepara", PASSWORD)
    at.switch_page("pages/upload.py").run()
    at.get("file_uploader")[0].upload(
        "f.xlsx",
        stage_workbook([["33.20", 1, "selesai"], ["33.19", 2, "selesai"]]),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    at.run()
    refusal = at.error[0].value
    assert refusal.startswith("Ditolak seluruhnya: berkas ini mengubah data wilayah")
    assert "ditambah: Bimtek 2 · Kabupaten Kudus \\(tahap baris 3\\)." in refusal  # as text
    assert not any(b.key == "apply" for b in at.button)
    assert store.current_version(people) == 1


def test_single_sign_on_maps_email_and_unknown_email_gets_no_rights(people):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-only",
    }
    at.user["is_logged_in"] = True
    at.user["email"] = "kominfo@jepara.go.id"
    at.run()
    assert (
        signed_in_line(at) == "Masuk sebagai **Editor Jepara** · Editor wilayah \\(produsen data\\)"
    )
    at.user["email"] = "orang@lain.id"
    at.run()
    assert at.sidebar.warning[0].value.startswith(
        f"Email {escape_markdown('orang@lain.id')} belum terdaftar"
    )
    at.switch_page("pages/upload.py").run()
    assert not at.get("file_uploader")


# Issue 29 item 10: the README says every page states its data version; Unggah data, Riwayat,
# Audit and Batas wilayah did not.
@pytest.mark.parametrize(
    "page", ["pages/upload.py", "pages/history.py", "pages/audit.py", "pages/boundaries.py"]
)
def test_every_page_states_its_data_version(people, page):
    at = sign_in(app())
    at.switch_page(page).run()
    assert not at.exception
    assert any(c.value.startswith("Data versi 1 (") for c in at.caption)
