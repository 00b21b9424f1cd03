from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

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


STORES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """Tests marked both_stores run once per kind of store: SQLite and a real PostgreSQL."""
    if "store_kind" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_stores"
    ):
        metafunc.parametrize("store_kind", STORES, indirect=True)


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL per test session (per xdist worker), on a free port."""
    from tests.pgcluster import Cluster

    cluster = Cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def store_kind(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_store_url(store_kind, tmp_path, request):
    """Make the URL of another fresh, empty store of this test's kind (SQLite file or a new
    PostgreSQL database); PostgreSQL ones are dropped after the test."""
    made: list[str] = []

    def make(seeded: bool = False) -> str:
        cluster = request.getfixturevalue("pg_cluster") if store_kind == "postgresql" else None
        template = request.getfixturevalue("seeded_template")(cluster) if seeded else None
        if store_kind == "sqlite":
            path = tmp_path / ("store.db" if not made else f"store{len(made)}.db")
            if template:
                shutil.copy(template, path)
            url = f"sqlite:///{path}"
        else:
            url = cluster.new_database(template=template or "template0")
        made.append(url)
        return url

    yield make
    if store_kind == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        for url in made:
            cluster.drop_database(url)


@pytest.fixture
def db_url(new_store_url) -> str:
    return new_store_url()


@pytest.fixture
def engine(db_url):
    engine = store.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    """Per kind of store, one store seeded from data/ per session; each test that needs a
    seeded store gets a copy of it (a file copy, or CREATE DATABASE ... TEMPLATE): seeding
    runs once instead of once per test."""
    made: dict[str, str] = {}

    def get(cluster=None) -> str:
        """The template for SQLite (a file) or, given the session's cluster, PostgreSQL."""
        kind = "sqlite" if cluster is None else "postgresql"
        if kind not in made:
            if cluster is None:
                made[kind] = str(tmp_path_factory.mktemp("seeded") / "store.db")
                url = f"sqlite:///{made[kind]}"
            else:
                url = cluster.new_database("seeded")
                made[kind] = sa.make_url(url).database
            engine = store.make_engine(url)
            assert ensure_seeded(engine, PROJECT / "data") == []
            engine.dispose()  # a template must have no connection left (and no SQLite WAL)
        return made[kind]

    return get


@pytest.fixture
def seeded_engine(new_store_url):
    engine = store.make_engine(new_store_url(seeded=True))
    yield engine
    engine.dispose()


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
