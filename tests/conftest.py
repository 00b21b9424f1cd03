from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib import store
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


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def engine(db_url):
    engine = store.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_engine(engine):
    assert ensure_seeded(engine, PROJECT / "data") == []
    return engine


@pytest.fixture
def app_env(monkeypatch, db_url, tmp_path):
    """Run the app against a store of its own, seeded from the shipped data on first start."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(PROJECT / "data"))
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD)
    return db_url


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
