"""One script run of the main page right after start.

Streamlit 1.67 learns the app's pages from the first st.navigation call in the process: until
then, the first visitor's deep link (/wilayah?region=33.20, a bookmarked /audit) gets
Streamlit's English "Page not found" and the overview. A session of our own runs the script
once, so the first real visitor lands where the link points.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

LOG = logging.getLogger(__name__)
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
