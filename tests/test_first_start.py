"""First start has one home (lib.ingest.first_start): the server at start (serve.py) and the
first page run (app.py alone, as under AppTest) both reach it, so an empty store is seeded and
its admin made once, with a generated password printed once in the server log."""

from __future__ import annotations

import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from lib.storage import accounts, engines, migrations, store
from lib.ui import store as ui_store
from tests.conftest import APP, PROJECT, sign_in

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

PASSWORD_LINE = re.compile(r"^First start: account 'admin' created with password (\S+)$", re.M)


@pytest.fixture
def empty_store(monkeypatch, db_url):
    """An empty store, no admin password in the environment, and engines of this test's own
    (closed after it, so a PostgreSQL database can be dropped)."""
    monkeypatch.setattr(engines, "_ENGINES", {})
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(PROJECT / "data"))
    monkeypatch.delenv("DASHBOARD_ADMIN_PASSWORD", raising=False)
    yield db_url
    for engine in engines._ENGINES.values():
        engine.dispose()


def server_start() -> list:
    import serve

    serve.prepare_store()
    return []


CALLERS = {"server start": server_start, "page run": ui_store.startup_problems}


def signs_in(url: str, password: str) -> bool:
    engine = store.make_engine(url)
    try:
        return accounts.authenticate(engine, "admin", password) is not None
    except accounts.LoginRefused:
        return False
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "callers",
    [
        ("server start", "page run"),  # make run: serve.py, then the first visit
        ("page run", "page run"),  # AppTest: app.py alone, run after run
        ("page run", "server start"),
    ],
)
def test_an_empty_store_is_seeded_and_its_admin_password_logged_once(empty_store, capsys, callers):
    assert [CALLERS[caller]() for caller in callers] == [[], []]
    passwords = PASSWORD_LINE.findall(capsys.readouterr().err)
    assert len(passwords) == 1
    assert signs_in(empty_store, passwords[0])
    engine = store.make_engine(empty_store)
    assert store.current_version(engine) == 1
    engine.dispose()


@pytest.mark.parametrize("caller", CALLERS)
def test_a_given_admin_password_is_used_and_never_logged(empty_store, monkeypatch, capsys, caller):
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", "Sandi-Operator-2026")
    CALLERS[caller]()
    err = capsys.readouterr().err
    assert "First start" not in err and "Sandi-Operator-2026" not in err
    assert signs_in(empty_store, "Sandi-Operator-2026")


def test_unreadable_shipped_data_makes_no_admin_and_is_tried_again(
    empty_store, monkeypatch, tmp_path, capsys
):
    broken = tmp_path / "broken"
    shutil.copytree(PROJECT / "data", broken)
    (broken / "stages.csv").write_text("kode_wilayah\n33.99\n")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(broken))
    server_start()
    assert ui_store.startup_problems() != []
    err = capsys.readouterr().err
    assert "Shipped data unreadable" in err and "First start" not in err
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(PROJECT / "data"))  # the operator fixes data/
    assert ui_store.startup_problems() == []
    assert len(PASSWORD_LINE.findall(capsys.readouterr().err)) == 1


def test_the_server_refuses_a_store_of_a_newer_release_untouched(empty_store, capsys):
    engine = store.make_engine(empty_store)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    server_start()
    err = capsys.readouterr().err
    assert "Store refused" in err and "newer release" in err and "First start" not in err
    assert store.current_version(engine) == 0
    assert migrations.revision_of(engine) == "9999"
    engine.dispose()


def test_without_the_server_the_first_page_run_makes_the_admin_one_can_sign_in_as(
    empty_store, capsys
):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    (password,) = PASSWORD_LINE.findall(capsys.readouterr().err)
    sign_in(at, "admin", password)
    assert any(m.value.startswith("Masuk sebagai **Administrator**") for m in at.sidebar.markdown)
