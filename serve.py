"""The server: Streamlit's ASGI app over app.py, with what a script cannot do itself.

`make run` (streamlit run serve.py) and the browser tests serve through this file; AppTest
still runs app.py alone. Added here: the sign-in cookie routes (lib/web_auth.py), security
headers and the Host check (lib/web_security.py), precompressed static bundles
(lib/web_static.py), start-up work (seeding, the first admin's password in the server log) and a
friendly error with an incident id instead of a traceback.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit import file_util

from lib import (  # web_auth adds the sessions table
    accounts,
    config,
    migrations,
    store,
    ui_errors,
    web_auth,
    web_warmup,
)
from lib.dataset import ensure_seeded
from lib.web_security import SecurityHeaders
from lib.web_static import PrecompressedStatic, Precompressor

STATIC_CACHE_CONTROL = f"public, immutable, max-age={365 * 24 * 60 * 60}"
COMPRESSOR = Precompressor(
    Path(file_util.get_static_dir()) / "static",
    Path(config.static_cache_dir() or Path(tempfile.gettempdir()) / "kspn-static"),
)


def prepare_store() -> None:
    """Seed an empty store and create the first admin before anyone visits, so the generated
    password is in the server log at start, as the README says."""
    engine = store.make_engine(config.database_url())
    try:
        try:
            problems = ensure_seeded(engine, config.data_dir())
        except migrations.StoreNewerThanCode as refusal:
            print(f"Store refused: {refusal}", file=sys.stderr, flush=True)
            return
        if problems:
            print(f"Shipped data unreadable: {len(problems)} problems", file=sys.stderr)
            return
        generated = accounts.ensure_admin(engine, config.admin_password())
        if generated:
            print(
                f"First start: account 'admin' created with password {generated}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        engine.dispose()


@asynccontextmanager
async def lifespan(_app):
    prepare_store()
    COMPRESSOR.compress_all(only_first=True)  # the entry bundles: a second or two, once
    threading.Thread(target=COMPRESSOR.compress_all, daemon=True).start()
    warmup = asyncio.create_task(web_warmup.run_main_page_once(st.get_option("server.port")))
    yield
    warmup.cancel()


app = st.App(
    "app.py",
    routes=web_auth.ROUTES,
    middleware=[
        Middleware(SecurityHeaders, allowed_hosts=lambda: st.get_option("server.allowedHosts")),
        Middleware(
            PrecompressedStatic,
            prefix="/static/",
            compressor=COMPRESSOR,
            cache_control=STATIC_CACHE_CONTROL,
        ),
    ],
    lifespan=lifespan,
    on_script_error=ui_errors.show_incident,
)

if __name__ == "__main__":
    app.run()
