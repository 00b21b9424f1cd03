from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from lib.ingest.dataset import ensure_seeded, load_shipped
from lib.storage import accounts, store

# Approval is on by default for a new install (README, "Verified data"). The suite written before
# it tests today's direct writes, so it runs with approval off (server subprocesses inherit
# this); the approval tests turn it on themselves.
os.environ["DASHBOARD_APPROVAL"] = "off"

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "tests" / "fixtures"
EXPECTED = PROJECT / "tests" / "expected"
MINI = FIXTURES / "mini"
MINI_REFERENCE = dt.date(2021, 10, 15)
ADMIN_PASSWORD = "Admin-Uji-Borobudur-2021"
APP = str(PROJECT / "app.py")
REFERENCE = dt.date(2021, 11, 15)


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


@pytest.fixture(scope="session")
def _session_store(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('store') / 'dashboard.db'}"


@pytest.fixture(autouse=True)
def never_the_projects_own_store(monkeypatch, _session_store):
    """A test that names no store of its own gets this session's throwaway one: without it, an
    AppTest of a page opened (and on first start seeded) the developer's var/dashboard.db."""
    if "DATABASE_URL" not in os.environ:
        monkeypatch.setenv("DATABASE_URL", _session_store)


@pytest.fixture(scope="session", autouse=True)
def components_scanned_once():
    """Each new AppTest scans the metadata of every installed package for Streamlit components
    (~0.2 s each, most of a small page's run); the installed packages do not change during a
    session, so the scan is done once and its result reused."""
    from streamlit.components.v2 import manifest_scanner

    found = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda *a, **k: list(found))
        yield


def _checkpoint_and_close(engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()  # a template must have no connection left (and no SQLite WAL)


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


@pytest.fixture(scope="session")
def template_stores(tmp_path_factory, cheap_hasher):
    """Per kind of store, stores made once per session and copied per test (a file copy, or
    CREATE DATABASE ... TEMPLATE): 'seeded' (the shipped data) and 'first_start' (the shipped
    data plus the admin a first start creates). Returns get(cluster or None) -> {name: where}."""
    made: dict[str, dict[str, str]] = {}

    def get(cluster=None) -> dict[str, str]:
        kind = "sqlite" if cluster is None else "postgresql"
        if kind not in made:
            names = {}
            for name in ("seeded", "first_start"):
                if cluster is None:
                    names[name] = str(tmp_path_factory.mktemp("templates") / f"{name}.db")
                    url = f"sqlite:///{names[name]}"
                else:
                    url = cluster.new_database(name)
                    names[name] = sa.make_url(url).database
                engine = store.make_engine(url)
                assert ensure_seeded(engine, PROJECT / "data") == []
                if name == "first_start":
                    assert accounts.ensure_admin(engine, ADMIN_PASSWORD) is None
                _checkpoint_and_close(engine)
            made[kind] = names
        return made[kind]

    return get


@pytest.fixture
def store_kind(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_store_url(store_kind, tmp_path, request):
    """Make the URL of another fresh store of this test's kind (SQLite file or a new PostgreSQL
    database): empty, or a copy of a template store; PostgreSQL ones are dropped after the test."""
    made: list[str] = []

    def make(template: str | None = None) -> str:
        cluster = request.getfixturevalue("pg_cluster") if store_kind == "postgresql" else None
        source = request.getfixturevalue("template_stores")(cluster)[template] if template else None
        if store_kind == "sqlite":
            path = tmp_path / ("store.db" if not made else f"store{len(made)}.db")
            if source:
                shutil.copyfile(source, path)
            url = f"sqlite:///{path}"
        else:
            url = cluster.new_database(template=source or "template0")
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


@pytest.fixture
def seeded_engine(new_store_url):
    engine = store.make_engine(new_store_url("seeded"))
    assert ensure_seeded(engine, PROJECT / "data") == []  # already seeded: nothing to do
    yield engine
    engine.dispose()


def _app_env(monkeypatch, url: str) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(PROJECT / "data"))
    monkeypatch.setenv("DASHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD)
    return url


@pytest.fixture
def empty_app_env(monkeypatch, db_url):
    """Run the app against an empty store of its own: the first start seeds it."""
    return _app_env(monkeypatch, db_url)


@pytest.fixture
def app_env(monkeypatch, new_store_url):
    """Run the app against a store of its own, as the shipped data and a first start left it."""
    return _app_env(monkeypatch, new_store_url("first_start"))


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


def open_app(lang: str = "id", page: str | None = None, timeout: int = 60, **query):
    """The app as a reader opens a shared link (?lang=en&region=...), the reference date set;
    then the page, if one is given. The pickers themselves are driven in test_pages."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in {"lang": lang, **query}.items():
        at.query_params[key] = value
    at.session_state["reference_date"] = REFERENCE
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def card_tables(at) -> list:
    """The tables a page drew through lib/views/cards (a wrapping table on a desk, cards on a
    phone) as DataFrames of the texts a reader sees."""
    from html.parser import HTMLParser

    import pandas as pd

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append({"head": [], "rows": []})
            elif tag == "tr":
                self.row = []
            elif tag in ("th", "td"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("th", "td"):
                (self.tables[-1]["head"] if tag == "th" else self.row).append(self.cell)
                self.cell = None
            elif tag == "tr" and self.row:
                self.tables[-1]["rows"].append(self.row)

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    found = []
    for element in at.get("html"):
        if 'class="kt"' in element.proto.body:
            reader = Reader()
            reader.feed(element.proto.body)
            found += [pd.DataFrame(t["rows"], columns=t["head"]) for t in reader.tables]
    return found


def charts_drawn(at) -> list:
    """The charts a page drew as HTML (lib/charts/svg), without the tables and styles that
    are HTML too (lib/views/cards)."""
    return [e for e in at.get("html") if not e.proto.body.startswith("<style>")]
