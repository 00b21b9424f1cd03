"""The server: Streamlit's ASGI app over app.py, with what a script cannot do itself.

`make run` (streamlit run serve.py) and the browser tests serve through this file; AppTest
still runs app.py alone. Added here: the sign-in cookie routes (lib/web/auth.py), evidence
downloads (lib/web/evidence.py), security headers and the Host check (lib/web/security.py),
precompressed static bundles (lib/web/static.py), start-up work (seeding, the first admin's
password in the server log) and a friendly error with an incident id instead of a traceback.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import sys
import tempfile
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit import file_util
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from lib.core import config
from lib.ingest.first_start import first_start
from lib.storage import migrations
from lib.ui import errors as ui_errors
from lib.web import auth as web_auth
from lib.web import evidence as web_evidence
from lib.web import prefs as web_prefs
from lib.web.security import SecurityHeaders
from lib.web.static import PrecompressedStatic, Precompressor

STATIC_CACHE_CONTROL = f"public, immutable, max-age={365 * 24 * 60 * 60}"
CACHE_DIR = Path(config.static_cache_dir() or Path(tempfile.gettempdir()) / "kspn-static")
COMPRESSOR = Precompressor(Path(file_util.get_static_dir()) / "static", CACHE_DIR)
# The map's own weight: the streamlit-folium component (its page, React bundle, Bootstrap CSS)
# and Leaflet under /app/static/ are compressed the same way (~430 KB less on a first visit).
MAP_COMPONENT = "/component/streamlit_folium.st_folium/"
# Found without importing streamlit_folium: imported here, before Streamlit's runtime exists,
# it registered its component where the runtime never looks, and every map answered 404.
MAP_BUILD = Path(importlib.util.find_spec("streamlit_folium").origin).parent / "frontend" / "build"
MAP_COMPRESSOR = Precompressor(MAP_BUILD, CACHE_DIR / "map", index=MAP_BUILD / "index.html")
APP_STATIC_COMPRESSOR = Precompressor(Path(__file__).resolve().parent / "static", CACHE_DIR / "app")


def prepare_store() -> None:
    """Seed an empty store and create the first admin before anyone visits, so the generated
    password is in the server log at start, as the README says."""
    try:
        problems = first_start(config.database_url(), config.data_dir(), config.admin_password())
    except migrations.StoreNewerThanCode as refusal:
        print(f"Store refused: {refusal}", file=sys.stderr, flush=True)
        return
    if problems:
        print(f"Shipped data unreadable: {len(problems)} problems", file=sys.stderr)


# One script run of the main page right after start. Streamlit 1.67 learns the app's pages
# from the first st.navigation call in the process: until then the first visitor's deep link
# (/wilayah?region=33.20, a bookmarked /audit) got Streamlit's English "Page not found".
LOG = logging.getLogger("serve")
TIMEOUT_S = 120
READY_LINE = "Pages ready: the main page ran once at start"


async def run_main_page_once(port: int) -> None:
    host = f"127.0.0.1:{port}"
    for _ in range(TIMEOUT_S * 10):  # the server listens once the lifespan has started it
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            break
        except OSError:
            await asyncio.sleep(0.1)
    try:
        async with connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"http://{host}",
            max_size=None,
            open_timeout=TIMEOUT_S,
        ) as ws:
            message = BackMsg()
            message.rerun_script.query_string = ""
            message.rerun_script.page_name = ""
            await ws.send(message.SerializeToString())
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
                if forward.WhichOneof("type") == "script_finished":
                    print(READY_LINE, file=sys.stderr, flush=True)
                    return
    except Exception as error:  # a missed warm-up costs one visitor a detour, nothing more
        LOG.warning("warm-up run of the main page failed: %s", error)


@asynccontextmanager
async def lifespan(_app):
    config.check_flags()
    prepare_store()
    # Every static file, before the server answers: a chunk loaded later (plotly's) is then
    # compressed from the first request. A few seconds, once (the copies are kept on disk).
    APP_STATIC_COMPRESSOR.compress_all()  # Leaflet: two files
    for compressor in (COMPRESSOR, MAP_COMPRESSOR):
        compressor.compress_all(quick=True)
    for compressor in (COMPRESSOR, MAP_COMPRESSOR):
        threading.Thread(target=compressor.compress_all, daemon=True).start()
    warmup = asyncio.create_task(run_main_page_once(st.get_option("server.port")))
    yield
    warmup.cancel()


app = st.App(
    "app.py",
    routes=[*web_auth.ROUTES, *web_prefs.ROUTES, *web_evidence.ROUTES],
    middleware=[
        Middleware(SecurityHeaders, allowed_hosts=lambda: st.get_option("server.allowedHosts")),
        Middleware(
            PrecompressedStatic,
            prefix="/static/",
            compressor=COMPRESSOR,
            cache_control=STATIC_CACHE_CONTROL,
        ),
        # Streamlit's own headers for these two: "public" for a component's files ("no-cache"
        # for its HTML), none for app static files, which also allow any origin.
        Middleware(
            PrecompressedStatic,
            prefix=MAP_COMPONENT,
            compressor=MAP_COMPRESSOR,
            cache_control="public",
        ),
        Middleware(
            PrecompressedStatic,
            prefix="/app/static/",
            compressor=APP_STATIC_COMPRESSOR,
            cache_control=None,
            headers={"Access-Control-Allow-Origin": "*"},
        ),
    ],
    lifespan=lifespan,
    on_script_error=ui_errors.show_incident,
)

if __name__ == "__main__":
    app.run()
