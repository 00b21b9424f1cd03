"""The real server stack (serve.py) over HTTP: headers, Host check, compressed bundles, routes."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest
from streamlit import file_util

from lib.web.static import COMPRESSIBLE, MIN_SIZE
from tests.browser.conftest import start_server

pytestmark = pytest.mark.browser  # needs the real server the browser tests start

SECURITY = {
    "content-security-policy": "frame-ancestors 'self'",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def fetch(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.mark.parametrize("path", ["/", "/audit", "/_stcore/health", "/static/missing.js"])
def test_every_answer_carries_the_security_headers(server, path):
    _, headers, _ = fetch(server + path)
    assert {k: headers.get(k) for k in SECURITY} == SECURITY


def test_a_foreign_host_is_refused(server):
    status, _, body = fetch(server + "/", {"Host": "attacker.example"})
    assert status == 400
    assert b"STREAMLIT_SERVER_ALLOWED_HOSTS" in body and b"Nama host ini tidak diizinkan" in body


def test_streamlits_bundles_arrive_brotli_compressed_and_cached_for_a_year(server):
    _, _, index = fetch(server + "/")
    bundle = re.search(rb"static/js/index\.[\w-]+\.js", index).group().decode()
    _, plain_headers, plain = fetch(f"{server}/{bundle}")
    status, headers, body = fetch(f"{server}/{bundle}", {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["content-encoding"] == "br"  # compressed before the server answered
    assert headers["cache-control"] == plain_headers["cache-control"]
    assert "immutable" in headers["cache-control"]
    assert brotli.decompress(body) == plain
    assert len(body) < len(plain) / 3


def test_every_static_file_is_compressed_from_the_first_request_after_a_start(tmp_path):
    """A fresh cache (a new machine): the first request for a chunk Streamlit loads only on
    demand (plotly's, 4.7 MB) is answered compressed, as is every other file it may send."""
    process, url = start_server(tmp_path / "store.db", {"DASHBOARD_STATIC_CACHE": f"{tmp_path}/c"})
    try:
        root = Path(file_util.get_static_dir())
        (plotly,) = root.glob("static/js/PlotlyChart.*.js")
        plain = plotly.read_bytes()
        for accept, encoding, unpack in (
            ("gzip, br", "br", brotli.decompress),
            ("gzip", "gzip", gzip.decompress),
        ):
            _, headers, body = fetch(f"{url}/static/js/{plotly.name}", {"Accept-Encoding": accept})
            assert headers.get("content-encoding") == encoding
            assert unpack(body) == plain and len(body) < len(plain) / 3
        files = [
            p
            for p in root.rglob("static/**/*")
            if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= MIN_SIZE
        ]
        assert len(files) > 100
        sent_plain = [
            p.name
            for p in files
            if "content-encoding"
            not in fetch(
                f"{url}/{p.relative_to(root).as_posix()}", {"Accept-Encoding": "gzip, br"}
            )[1]
        ]
        assert sent_plain == []
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 400),  # no ticket
        ({"X-Session-Ticket": "made-up"}, 403),
        ({"X-Session-Ticket": "made-up", "Origin": "http://attacker.example"}, 400),
    ],
)
def test_the_session_route_sets_no_cookie_without_a_valid_ticket(server, headers, status):
    answer, got, _ = fetch(server + "/auth/session", headers, method="POST")
    assert answer == status
    assert "set-cookie" not in got


def test_the_map_components_bundle_arrives_compressed_with_streamlits_headers(server):
    component = f"{server}/component/streamlit_folium.st_folium"
    _, page_headers, page = fetch(f"{component}/index.html")
    assert page_headers["cache-control"] == "no-cache"  # the page itself is always revalidated
    bundle = re.search(rb"static/js/main\.\w+\.js", page).group().decode()
    _, plain_headers, plain = fetch(f"{component}/{bundle}")
    status, headers, body = fetch(f"{component}/{bundle}", {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["content-encoding"] == "br"  # compressed before the server answered
    assert headers["cache-control"] == plain_headers["cache-control"] == "public"
    assert "javascript" in headers["content-type"]
    assert brotli.decompress(body) == plain
    assert len(body) < len(plain) / 2


def test_the_websocket_is_compressed(server):
    import asyncio

    from websockets.asyncio.client import connect

    async def extensions() -> str:
        host = server.split("//")[1]
        async with connect(
            f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], origin=server
        ) as ws:
            return ws.response.headers.get("Sec-WebSocket-Extensions", "")

    # The map's HTML and the server-drawn charts travel in websocket messages.
    assert "permessage-deflate" in asyncio.run(extensions())


def test_first_start_logs_the_admin_password_once_and_it_signs_in(tmp_path):
    """serve.py seeds at start and the warm-up runs app.py, which would seed too: one line."""
    from lib.storage import accounts, store
    from tests.browser.conftest import start_server

    process, _ = start_server(tmp_path / "new.db", {"DASHBOARD_ADMIN_PASSWORD": ""})
    try:
        log = "".join(process.log)
    finally:
        process.terminate()
        process.wait(timeout=20)
    passwords = re.findall(r"First start: account 'admin' created with password (\S+)", log)
    assert len(passwords) == 1, log
    engine = store.make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert accounts.authenticate(engine, "admin", passwords[0]).role == "ministry_admin"
    engine.dispose()


def test_a_misspelt_setting_stops_the_server_naming_it(tmp_path):
    from tests.browser.conftest import start_server

    with pytest.raises(RuntimeError, match="DASHBOARD_HTTPS='ture' is not a true/false value"):
        start_server(tmp_path / "new.db", {"DASHBOARD_HTTPS": "ture"})
