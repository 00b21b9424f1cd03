"""The ASGI layer without a server: headers, Host check, precompressed bundles, session tokens."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import re

import brotli
import pytest

from lib.storage import accounts, sessions
from lib.web.security import HeaderSettings, SecurityHeaders, host_allowed
from lib.web.static import PrecompressedStatic, Precompressor


def call(app, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    """One HTTP request through an ASGI app; returns (status, headers, body)."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "query_string": b"",
    }
    sent = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the answer is sent

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


async def plain_app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-app", b"1")]})
    await send({"type": "http.response.body", "body": b"uncompressed"})


@pytest.mark.parametrize(
    ("environ", "expected", "absent"),
    [
        (
            {},
            {
                "content-security-policy": "frame-ancestors 'self'",
                "x-frame-options": "SAMEORIGIN",
                "x-content-type-options": "nosniff",
                "referrer-policy": "same-origin",
            },
            [],
        ),
        (
            {"DASHBOARD_FRAME_ANCESTORS": "'none'"},
            {"content-security-policy": "frame-ancestors 'none'", "x-frame-options": "DENY"},
            [],
        ),
        (
            # A portal that embeds the dashboard: only CSP can name it, so no X-Frame-Options.
            {"DASHBOARD_FRAME_ANCESTORS": "'self' https://portal.example.go.id"},
            {"content-security-policy": "frame-ancestors 'self' https://portal.example.go.id"},
            ["x-frame-options"],
        ),
        (
            {"DASHBOARD_REFERRER_POLICY": "no-referrer"},
            {"referrer-policy": "no-referrer"},
            [],
        ),
        (
            {"DASHBOARD_SECURITY_HEADERS": "off"},
            {},
            ["content-security-policy", "x-frame-options", "x-content-type-options"],
        ),
    ],
)
def test_security_headers_follow_the_environment(environ, expected, absent):
    app = SecurityHeaders(plain_app, HeaderSettings.from_env(environ))
    status, headers, body = call(app, "/", {"host": "127.0.0.1:8501"})
    assert (status, body) == (200, b"uncompressed")
    assert {k: headers.get(k) for k in expected} == expected
    assert not set(absent) & set(headers)
    assert headers["x-app"] == "1"


@pytest.mark.parametrize(
    ("host", "allowed", "ok"),
    [
        ("127.0.0.1:8501", ["localhost", "127.0.0.1"], True),
        ("LOCALHOST", ["localhost"], True),
        ("dashboard.kominfo.go.id", ["*.kominfo.go.id"], True),
        ("attacker.example", ["localhost", "127.0.0.1"], False),
        ("kominfo.go.id.attacker.example", ["*.kominfo.go.id"], False),
        (None, ["localhost"], False),
        ("anything.example", [], True),  # Streamlit's default: empty list accepts all
        ("anything.example", ["*"], True),
    ],
)
def test_host_check_follows_streamlits_allowed_hosts_rule(host, allowed, ok):
    assert host_allowed(host, allowed) is ok
    app = SecurityHeaders(plain_app, HeaderSettings(), allowed_hosts=lambda: allowed)
    status, headers, body = call(app, "/", {"host": host} if host else {})
    assert status == (200 if ok else 400)
    if not ok:  # issue 29 item 11: the refusal says what to set, in both languages
        text = body.decode()
        assert "Nama host ini tidak diizinkan" in text and "This host name is not allowed" in text
        assert "STREAMLIT_SERVER_ALLOWED_HOSTS" in text
    assert headers["x-content-type-options"] == "nosniff"


@pytest.fixture
def bundles(tmp_path):
    root = tmp_path / "static"
    (root / "js").mkdir(parents=True)
    script = ("function dashboard(){return 'kspn';}\n" * 400).encode()
    (root / "js" / "index.abc123.js").write_bytes(script)
    (root / "js" / "tiny.js").write_bytes(b"x=1")
    compressor = Precompressor(root, tmp_path / "cache")
    app = PrecompressedStatic(plain_app, "/static/", compressor, "public, immutable, max-age=9")
    return compressor, app, script


@pytest.mark.parametrize(
    ("accept", "encoding", "unpack"),
    [
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
    ],
)
def test_bundles_are_served_compressed_with_the_immutable_cache_header(
    bundles, accept, encoding, unpack
):
    compressor, app, script = bundles
    assert compressor.compress_all() == 1  # tiny.js is not worth compressing
    status, headers, body = call(app, "/static/js/index.abc123.js", {"accept-encoding": accept})
    assert status == 200
    assert headers["content-encoding"] == encoding
    assert headers["cache-control"] == "public, immutable, max-age=9"
    assert headers["vary"] == "Accept-Encoding"
    assert "javascript" in headers["content-type"]
    assert unpack(body) == script
    assert len(body) < len(script) / 10


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/static/js/index.abc123.js", ""),  # a client that cannot decode gets the original
        ("/static/js/tiny.js", "br"),
        ("/static/js/missing.js", "br"),
        ("/static/../../etc/passwd", "br"),
        ("/other/js/index.abc123.js", "br"),
    ],
)
def test_everything_else_passes_through_to_streamlit(bundles, path, accept):
    compressor, app, _ = bundles
    compressor.compress_all()
    status, headers, body = call(app, path, {"accept-encoding": accept})
    assert (status, body, headers.get("x-app")) == (200, b"uncompressed", "1")


@pytest.mark.parametrize(
    ("name", "cache_control", "expected"),
    [
        ("main.abc123.js", "public", "public"),  # a component's files, as Streamlit sends them
        ("index.html", "public", "no-cache"),  # a component's page is always revalidated
        ("leaflet.js", None, None),  # app static files: Streamlit sets no cache header
    ],
)
def test_other_folders_keep_the_headers_streamlit_gives_them(
    tmp_path, name, cache_control, expected
):
    root = tmp_path / "build"
    root.mkdir()
    text = ("<p>map</p>\n" if name.endswith(".html") else "L.map();\n") * 400
    (root / name).write_text(text)
    compressor = Precompressor(root, tmp_path / "cache", index=root / "index.html")
    compressor.compress_all()
    app = PrecompressedStatic(
        plain_app, "/app/static/", compressor, cache_control, {"Access-Control-Allow-Origin": "*"}
    )
    status, headers, body = call(app, f"/app/static/{name}", {"accept-encoding": "br"})
    assert (status, headers["content-encoding"]) == (200, "br")
    assert headers.get("cache-control") == expected
    assert headers["access-control-allow-origin"] == "*"
    assert brotli.decompress(body).decode() == text


def test_a_bundle_not_yet_compressed_is_served_as_is_then_compressed(bundles):
    compressor, app, script = bundles
    _, headers, body = call(app, "/static/js/index.abc123.js", {"accept-encoding": "br"})
    assert body == b"uncompressed"
    compressor.wait()
    _, headers, body = call(app, "/static/js/index.abc123.js", {"accept-encoding": "br"})
    assert headers["content-encoding"] == "br"
    assert brotli.decompress(body) == script


def test_set_up_compresses_quickly_then_the_best_copy_replaces_the_quick_one(bundles):
    compressor, app, script = bundles
    compressor.compress_all(quick=True)  # at set-up, before the server answers
    _, headers, quick = call(app, "/static/js/index.abc123.js", {"accept-encoding": "br"})
    assert headers["content-encoding"] == "br" and brotli.decompress(quick) == script
    _, headers, zipped = call(app, "/static/js/index.abc123.js", {"accept-encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(zipped) == script
    compressor.compress_all()  # afterwards, in the background
    _, headers, best = call(app, "/static/js/index.abc123.js", {"accept-encoding": "br"})
    assert brotli.decompress(best) == script and best != quick  # quality 11 now
    source = compressor.source("js/index.abc123.js")
    assert compressor.variant(source, (".br",)).read_bytes() == best


def test_set_up_gives_the_first_pages_files_the_best_compression(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    for name in ("first.js", "later.js"):
        (root / name).write_bytes(f"function {name[:5]}(){{return 1;}}\n".encode() * 300)
    (tmp_path / "index.html").write_text('<script src="./static/first.js"></script>')
    compressor = Precompressor(root, tmp_path / "cache")
    compressor.compress_all(quick=True)
    best, quick = (compressor.variant(root / n, (".br",)) for n in ("first.js", "later.js"))
    assert best is not None and quick is None  # later.js: only its quick copy for now
    assert compressor.variant(root / "later.js", (".br5",)) is not None


def test_a_quick_copy_served_is_replaced_by_the_best_for_the_next_request(bundles):
    compressor, app, script = bundles
    compressor.compress_all(quick=True)
    _, _, quick = call(app, "/static/js/index.abc123.js", {"accept-encoding": "br"})
    compressor.wait()
    _, _, best = call(app, "/static/js/index.abc123.js", {"accept-encoding": "br"})
    assert brotli.decompress(best) == script and best != quick


def test_a_restart_finds_the_copies_and_compresses_nothing(bundles, monkeypatch):
    compressor, _, _ = bundles
    compressor.compress_all()
    monkeypatch.setattr(brotli, "compress", lambda *a, **k: pytest.fail("compressed again"))
    monkeypatch.setattr(gzip, "compress", lambda *a, **k: pytest.fail("compressed again"))
    compressor.compress_all(quick=True)
    compressor.compress_all()


@pytest.fixture
def editor(engine):
    accounts.ensure_admin(engine, "Admin-Uji-1")
    accounts.add_user(engine, "sari", "Sandi-Sari-1", "regional_editor", regions={"33.20"})
    return engine


T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def test_a_ticket_opens_one_session_once(editor):
    ticket = sessions.start(editor, "sari", now=T0)[1]
    token = sessions.redeem(editor, ticket, now=T0 + dt.timedelta(seconds=5))
    assert token and token != ticket
    assert sessions.redeem(editor, ticket, now=T0 + dt.timedelta(seconds=6)) is None
    user = sessions.user_for_token(editor, token, 30, now=T0 + dt.timedelta(minutes=1))
    assert (user.username, user.role, user.regions) == ("sari", "regional_editor", {"33.20"})


def test_the_store_holds_no_token_in_clear(editor):
    import sqlalchemy as sa

    ticket = sessions.start(editor, "sari", now=T0)[1]
    token = sessions.redeem(editor, ticket, now=T0)
    with editor.connect() as connection:
        dump = repr(connection.execute(sa.select(sessions.sessions)).all())
    assert token not in dump and ticket not in dump


@pytest.mark.parametrize(
    ("case", "later_minutes"),
    [("stale ticket", 3), ("idle too long", 31), ("logged out", 1), ("account disabled", 1)],
)
def test_a_session_ends(editor, case, later_minutes):
    ticket = sessions.start(editor, "sari", now=T0)[1]
    if case == "stale ticket":
        redeemed = T0 + dt.timedelta(minutes=later_minutes)
        assert sessions.redeem(editor, ticket, now=redeemed) is None
        return
    token = sessions.redeem(editor, ticket, now=T0)
    if case == "logged out":
        assert sessions.revoke(editor, token)
    if case == "account disabled":
        accounts.disable(editor, "sari")
    later = T0 + dt.timedelta(minutes=later_minutes)
    assert sessions.user_for_token(editor, token, 30, now=later) is None


def test_use_keeps_a_session_alive(editor):
    token = sessions.redeem(editor, sessions.start(editor, "sari", now=T0)[1], now=T0)
    for minutes in (20, 40, 60, 80):
        assert sessions.user_for_token(editor, token, 30, now=T0 + dt.timedelta(minutes=minutes))


def test_logout_before_the_exchange_spends_the_ticket(editor):
    session_id, ticket = sessions.start(editor, "sari", now=T0)
    assert sessions.end(editor, session_id)
    assert sessions.redeem(editor, ticket, now=T0) is None


def test_logout_by_session_id_revokes_the_cookie(editor):
    session_id, ticket = sessions.start(editor, "sari", now=T0)
    token = sessions.redeem(editor, ticket, now=T0)
    assert sessions.find(editor, session_id=session_id, idle_minutes=30, now=T0).user.username
    sessions.end(editor, session_id)
    assert sessions.user_for_token(editor, token, 30, now=T0) is None


@pytest.mark.parametrize(
    ("lang", "start"),
    [("id", "Maaf, terjadi kesalahan"), ("en", "Sorry, something went wrong")],
)
def test_a_failing_page_shows_an_incident_code_and_logs_the_trace(lang, start, caplog):
    from streamlit.testing.v1 import AppTest

    def page(lang: str) -> None:
        import streamlit as st

        from lib.ui import errors as ui_errors

        st.session_state["lang"] = lang
        try:
            raise ValueError("/srv/secret/path.py exploded")
        except ValueError as exc:
            ui_errors.show_incident(exc)

    at = AppTest.from_function(page, args=(lang,)).run()
    shown = at.error[0].value
    assert shown.startswith(start)
    assert "secret" not in shown and "ValueError" not in shown
    incident = re.search(r"\b[0-9A-F]{8}\b", shown).group()
    logged = [r for r in caplog.records if r.name == "kspn.server"]
    assert f"incident {incident}" in logged[0].getMessage()
    assert "exploded" in str(logged[0].exc_info[1])


def test_the_server_shows_incidents_instead_of_tracebacks():
    import tomllib

    from tests.conftest import PROJECT

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["allowedHosts"] == ["localhost", "127.0.0.1"]


# Issue 29 item 9: the language chosen is remembered per browser; a ?lang in a link still wins.
@pytest.mark.parametrize(
    ("headers", "status", "cookie"),
    [
        ({"X-Lang": "en"}, 204, "kspn_lang=en"),
        ({"X-Lang": "id"}, 204, "kspn_lang=id"),
        ({"X-Lang": "fr"}, 400, None),  # no registered language: nothing set
        ({"X-Lang": "en; Domain=evil"}, 400, None),
        ({}, 400, None),
        ({"X-Lang": "en", "Origin": "http://elsewhere.example", "Host": "127.0.0.1"}, 400, None),
    ],
)
def test_the_language_route_sets_only_a_registered_language(headers, status, cookie):
    from starlette.applications import Starlette

    from lib.web.prefs import ROUTES

    got, answer, _ = call(Starlette(routes=ROUTES), "/prefs/lang", headers, method="POST")
    assert got == status
    set_cookie = answer.get("set-cookie")
    if cookie is None:
        assert set_cookie is None
    else:
        assert set_cookie.startswith(cookie + ";") and "HttpOnly" in set_cookie
        assert "Max-Age=31536000" in set_cookie


@pytest.mark.parametrize(
    ("link", "remembered", "shown"),
    [
        (None, None, "id"),
        (None, "en", "en"),  # a typed or bookmarked link without ?lang
        ("id", "en", "id"),  # a link's ?lang wins
        ("en", None, "en"),
        ("xx", "en", "en"),
        (None, "xx", "id"),
    ],
)
def test_a_session_starts_in_the_links_then_the_remembered_language(link, remembered, shown):
    from lib.ui.lang import first_language

    assert first_language(link, remembered) == shown
