from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from lib import accounts, store
from lib.dataset import ensure_seeded, load_shipped

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "tests" / "fixtures"
EXPECTED = PROJECT / "tests" / "expected"
MINI = FIXTURES / "mini"
MINI_REFERENCE = dt.date(2021, 10, 15)
ADMIN_PASSWORD = "Admin-Uji-Borobudur-2021"


@pytest.fixture
def mini_frames():
    frames, problems = load_shipped(MINI)
    assert problems == []
    return frames


# argon2id with the smallest parameters: the same code path at a fraction of the cost. The
# production parameters are kept for tests marked `argon2` (and for the browser tests' server).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def pytest_configure(config):
    config.addinivalue_line("markers", "argon2: run with the production password hasher")


@pytest.fixture(scope="session", autouse=True)
def cheap_hasher():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "HASHER", CHEAP_HASHER)
        patch.setattr(accounts, "_DUMMY_HASH", CHEAP_HASHER.hash("dummy"))
        yield


@pytest.fixture(autouse=True)
def production_hasher(request, monkeypatch):
    if request.node.get_closest_marker("argon2"):
        hasher = PasswordHasher()
        monkeypatch.setattr(accounts, "HASHER", hasher)
        monkeypatch.setattr(accounts, "_DUMMY_HASH", hasher.hash("dummy"))


def _checkpoint_and_close(engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


@pytest.fixture(scope="session")
def template_stores(tmp_path_factory, cheap_hasher) -> dict[str, Path]:
    """Stores seeded once per session and copied per test: 'seeded' (the shipped data) and
    'first_start' (the shipped data plus the admin a first start creates)."""
    base = tmp_path_factory.mktemp("templates")
    seeded = base / "seeded.db"
    engine = store.make_engine(f"sqlite:///{seeded}")
    assert ensure_seeded(engine, PROJECT / "data") == []
    _checkpoint_and_close(engine)
    first_start = base / "first_start.db"
    shutil.copyfile(seeded, first_start)
    engine = store.make_engine(f"sqlite:///{first_start}")
    assert accounts.ensure_admin(engine, ADMIN_PASSWORD) is None
    _checkpoint_and_close(engine)
    return {"seeded": seeded, "first_start": first_start}


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def db_url(db_path) -> str:
    return f"sqlite:///{db_path}"


@pytest.fixture
def engine(db_url):
    engine = store.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_engine(template_stores, db_path, engine):
    assert not db_path.exists()
    shutil.copyfile(template_stores["seeded"], db_path)
    assert ensure_seeded(engine, PROJECT / "data") == []  # already seeded: nothing to do
    return engine


@pytest.fixture
def empty_app_env(monkeypatch, db_url):
    """Run the app against an empty store of its own: the first start seeds it."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(PROJECT / "data"))
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD)
    return db_url


@pytest.fixture
def app_env(empty_app_env, template_stores, db_path):
    """Run the app against a store of its own, as the shipped data and a first start left it."""
    shutil.copyfile(template_stores["first_start"], db_path)
    return empty_app_env


def sign_in(at, username: str = "admin", password: str | None = None):
    """Sign in through the sidebar form, as a user would."""
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password or ADMIN_PASSWORD)
    at.button(key="login_submit").click().run()
    return at


def stage_workbook(rows, headers=("kode_wilayah", "tahap", "status")) -> bytes:
    """An .xlsx with one "tahap" sheet, as a regional officer would send it."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "tahap"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
