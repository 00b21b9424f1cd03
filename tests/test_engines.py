"""One engine per database URL for the whole process (lib.storage.engines): the pages and the
sign-in routes share its connection pool, whichever asks first."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lib.storage import engines, store
from lib.ui import store as ui_store
from lib.web import auth as web_auth

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def made(monkeypatch):
    """A cache of the test's own (emptied after it), and the URLs engines were made for."""
    monkeypatch.setattr(engines, "_ENGINES", {})
    urls = []
    make = store.make_engine
    monkeypatch.setattr(store, "make_engine", lambda url: urls.append(url) or make(url))
    return urls


def engine_of(call_site: str):
    return {"pages": ui_store.engine, "sign-in routes": web_auth._engine}[call_site]()


@pytest.mark.parametrize(
    ("first", "then"),
    [("pages", "sign-in routes"), ("sign-in routes", "pages"), ("pages", "pages")],
)
def test_pages_and_sign_in_routes_share_one_engine_per_url(
    made, monkeypatch, tmp_path, first, then
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/a.db")
    engine = engine_of(first)
    assert engine_of(then) is engine
    assert made == [f"sqlite:///{tmp_path}/a.db"]


def test_another_url_gets_its_own_engine_and_switching_back_the_first(made, monkeypatch, tmp_path):
    """Tests swap DATABASE_URL between them: each store's engine is its own."""
    urls = [f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"]
    seen = []
    for url in [*urls, urls[0]]:
        monkeypatch.setenv("DATABASE_URL", url)
        seen.append((engine_of("pages"), engine_of("sign-in routes")))
    assert [str(page.url) for page, _ in seen] == [*urls, urls[0]]
    assert all(page is route for page, route in seen)
    assert seen[0][0] is seen[2][0] and seen[0][0] is not seen[1][0]
    assert made == urls


def test_threads_asking_at_once_get_one_engine(made, tmp_path):
    url = f"sqlite:///{tmp_path}/a.db"
    start = threading.Barrier(8)

    def ask(_):
        start.wait()
        return engines.engine_for(url)

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(ask, range(8)))
    assert all(engine is got[0] for engine in got)
    assert made == [url]


@pytest.mark.parametrize("path", ["lib/ui", "lib/web", "serve.py"])
def test_the_server_makes_no_engine_of_its_own(path):
    """Only the command line (a process per command) makes its engines itself."""
    files = [PROJECT / path] if path.endswith(".py") else sorted((PROJECT / path).rglob("*.py"))
    assert [f.name for f in files if "make_engine(" in f.read_text(encoding="utf-8")] == []
