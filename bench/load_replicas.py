"""Load: concurrent viewers held by two app processes behind nginx on one PostgreSQL (issue 12).

Everything is on loopback: a throwaway PostgreSQL (tests/pgcluster.py), two app processes and
nginx started from deploy/ exactly as the replica browser test does (tests/replicas.py).

Each viewer is a client speaking Streamlit's own protocol, as the browser's JavaScript does
(the browser's drawing is left out: page_render.py measures that). A viewer:
1. gets the page (GET / through nginx, which gives it its route cookie),
2. opens the session's websocket and asks for the overview (the first page time: from the
   GET to the end of the script run, every element received),
3. then visits the region and dimensions pages and the overview again, RUNS page visits in
   all (each page time: from the request to the end of the run, every element received),
4. and stays connected until every viewer is done: all VIEWERS sessions are held at once.
An error is any exception element, unknown page, HTTP status other than 200, failed or
timed-out connection. Bounded: VIEWERS x RUNS page visits, then it stops.

    .venv/bin/python bench/load_replicas.py [VIEWERS ...]   (default: 10 25 50)
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from tests.pgcluster import Cluster  # noqa: E402
from tests.replicas import start_replicas  # noqa: E402

PAGES = ("", "wilayah", "dimensi")  # url paths; "" is the default page (overview)
RUNS = 4
TIMEOUT = 180


def get_page(host: str, route: str | None) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection(host, timeout=TIMEOUT)
    try:
        headers = {"Cookie": f"kspn_route={route}"} if route else {}
        connection.request("GET", "/", headers=headers)
        answer = connection.getresponse()
        answer.read()
        cookie = answer.getheader("Set-Cookie") or ""
        given = re.search(r"kspn_route=([^;]+)", cookie)
        return answer.status, given.group(1) if given else route
    finally:
        connection.close()


async def page_run(ws, page: str) -> int:
    """Ask for one page; wait until its script run ended. Returns the errors seen."""
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_name = page
    await ws.send(message.SerializeToString())
    errors = 0
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT))
        kind = forward.WhichOneof("type")
        if kind == "page_not_found":
            errors += 1
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            errors += forward.delta.new_element.WhichOneof("type") == "exception"
        elif kind == "script_finished":
            return errors


async def viewer(index: int, host: str, done: asyncio.Barrier, times: list, errors: list):
    try:
        start = time.perf_counter()
        status, route = await asyncio.to_thread(get_page, host, None)
        if status != 200:
            errors.append(f"viewer {index}: GET / {status}")
        async with connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={"Cookie": f"kspn_route={route}"},
            origin=f"http://{host}",
            max_size=None,
            open_timeout=TIMEOUT,
        ) as ws:
            for run in range(RUNS):
                page = PAGES[run % len(PAGES)]
                began = start if run == 0 else time.perf_counter()
                failed = await page_run(ws, page)
                times.append((run == 0, time.perf_counter() - began))
                if failed:
                    errors.append(f"viewer {index}: {failed} error(s) on page {page or '/'}")
            await done.wait()  # hold the session until every viewer is through
    except Exception as error:  # a failed viewer is a figure, not a crash of the benchmark
        errors.append(f"viewer {index}: {type(error).__name__}: {error}")
        await done.wait()


async def warm(host: str) -> None:
    async with connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"]) as ws:
        for page in PAGES:
            await page_run(ws, page)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else 0


async def load(host: str, viewers: int) -> dict:
    times: list = []
    errors: list = []
    done = asyncio.Barrier(viewers)
    began = time.perf_counter()
    await asyncio.gather(*(viewer(i, host, done, times, errors) for i in range(viewers)))
    first = [t for is_first, t in times if is_first]
    later = [t for is_first, t in times if not is_first]
    every = first + later
    return {
        "viewers held at once": viewers,
        "page visits": len(every),
        "errors": len(errors),
        "error samples": errors[:5],
        "first visit p50 s": round(statistics.median(first), 3) if first else None,
        "first visit p95 s": round(p95(first), 3),
        "page time p50 s": round(statistics.median(every), 3) if every else None,
        "page time p95 s": round(p95(every), 3),
        "later pages p95 s": round(p95(later), 3),
        "wall s": round(time.perf_counter() - began, 1),
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10, 25, 50]
    cluster = Cluster.start()
    replicas = None
    try:
        replicas = start_replicas(cluster.new_database("bench"), 2)
        host = replicas.url.split("//", 1)[1]
        for port in replicas.app_ports:  # warm-up of each process: first imports, caches
            asyncio.run(warm(f"127.0.0.1:{port}"))
        results = []
        for size in sizes:
            result = asyncio.run(load(host, size))
            served = {}
            for line in replicas.access_log.read_text().splitlines():
                if '"GET /_stcore/stream' in line:
                    upstream = re.search(r"upstream=(\S+)", line).group(1)
                    served[upstream] = served.get(upstream, 0) + 1
            result["websockets per process (cumulative)"] = served
            result["app RSS MB"] = [rss_mb(p.pid) for p in replicas.apps]
            results.append(result)
            print(json.dumps(result), flush=True)
        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "load_replicas.json").write_text(json.dumps(results, indent=1) + "\n")
        print(f"cores: {os.cpu_count()}; load average before the end: {os.getloadavg()}")
    finally:
        if replicas:
            replicas.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
