"""Evidence (issue 21): attach and serve a 20 MB PDF; the server's peak memory stays < 2x the
file because the bytes are checked without copies, stored and served in 1 MB chunks.

Two figures, each the rise of a process's peak resident memory (VmHWM, reset through
/proc/PID/clear_refs just before) over its resident memory before the step:
- attach: a fresh process holding the upload in memory, as Streamlit's UploadedFile does,
  runs the intake (type by content, JavaScript scan, PDFium open and first-page thumbnail)
  and stores it (sha256, chunks) in a SQLite store;
- serve: the running server (serve.py) answers GET /evidence/{id} to a signed-in reader,
  read by the client in 64 KB pieces (the first download after start, then a second);
- with --browser, upload: Chromium attaches another 20 MB PDF through the region page (the
  file travels through Streamlit's uploader, which holds it in memory, then the intake).

    .venv/bin/python bench/evidence.py [--browser]
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.core.evidence import stage_target  # noqa: E402
from lib.ingest.dataset import ensure_seeded  # noqa: E402
from lib.storage import accounts, sessions, store  # noqa: E402
from lib.storage import evidence as ev  # noqa: E402
from tests.browser.conftest import start_server  # noqa: E402
from tests.evidence_files import raw_pdf  # noqa: E402

MB = 1024 * 1024
SIZE = 20 * MB - 4096  # just inside the 20 MB cap
BROWSER_SIZE = 20 * 10**6 - 4096  # just inside the cap Streamlit's uploader applies


def memory(pid: int | str = "self") -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return fields


def reset_peak(pid: int | str = "self") -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


ATTACH = """
import io, json, sys, time
sys.path.insert(0, {root!r})
from bench.evidence import memory, reset_peak
from lib.core.evidence import stage_target
from lib.ingest import evidence_intake as intake
from lib.storage import accounts, store
import pypdfium2, PIL.Image  # imports are not the step
engine = store.make_engine({url!r})
upload = io.BytesIO(open({path!r}, "rb").read())  # what Streamlit's UploadedFile holds
admin = accounts.operator("bench")
before = memory()["VmRSS"]
reset_peak()
start = time.perf_counter()
new_id, checked = intake.attach_upload(
    engine, admin, region_code="33.20", target=stage_target("33.20", 4), title="bench",
    name="masterplan.pdf", source=upload,
)
seconds = time.perf_counter() - start
print(json.dumps({{"id": new_id, "rise": memory()["VmHWM"] - before, "seconds": seconds}}))
"""


def download(pid: int, request, pdf: bytes) -> tuple[int, float]:
    before = memory(pid)["VmRSS"]
    reset_peak(pid)
    digest = hashlib.sha256()
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        while piece := answer.read(64 * 1024):
            digest.update(piece)
    seconds = time.perf_counter() - start
    assert digest.hexdigest() == hashlib.sha256(pdf).hexdigest()
    return memory(pid)["VmHWM"] - before, seconds


def browser_upload(pid: int, base: str, work: Path, size: int) -> tuple[int, float, int, int]:
    """The whole path a user takes: Chromium posts the file to Streamlit, the page's form
    attaches it. Another 20 MB file (new bytes: no deduplication)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, sign_in, wait_until_drawn

    other = work / "masterplan_ttd.pdf"
    # Streamlit's uploader counts a megabyte as 10^6 bytes in the browser: 20 MB is 20,000,000.
    other.write_bytes(raw_pdf(padding=os.urandom(BROWSER_SIZE - 700)))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{base}/wilayah?region=33.20", timeout=120_000)
        wait_until_drawn(page)
        sign_in(page, "admin", "Admin-Bench-1")
        page.get_by_text("Lampirkan bukti").click()
        form = page.locator('[data-testid="stForm"]')
        form.get_by_label("Judul").fill("Masterplan")
        before = memory(pid)["VmRSS"]
        reset_peak(pid)
        start = time.perf_counter()
        form.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(other)
        form.get_by_text("masterplan_ttd.pdf").wait_for(timeout=120_000)  # the upload is done
        page.wait_for_timeout(2000)  # the PUT's answer (a benchmark, not a test: no event)
        received = memory(pid)["VmHWM"] - before
        before_attach = memory(pid)["VmRSS"]
        reset_peak(pid)
        form.get_by_role("button", name="Lampirkan").click()
        try:
            page.get_by_text("Unduh masterplan_ttd.pdf").wait_for(timeout=120_000)
        except Exception:
            page.screenshot(path=str(work / "upload-failed.png"), full_page=True)
            raise SystemExit(f"the upload did not finish: {work / 'upload-failed.png'}") from None
        seconds = time.perf_counter() - start
        attached = memory(pid)["VmHWM"] - before
        attach_only = memory(pid)["VmHWM"] - before_attach
        browser.close()
    return max(received, attached), seconds, received, attach_only


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    pdf = raw_pdf(padding=os.urandom(SIZE - 700))
    path = work / "masterplan.pdf"
    path.write_bytes(pdf)
    size = len(pdf)
    db = work / "store.db"
    url = f"sqlite:///{db}"
    engine = store.make_engine(url)
    ensure_seeded(engine, ROOT / "data")
    accounts.add_user(engine, "walidata", "Walidata-Bench-1", "ministry_viewer")
    out = subprocess.run(
        [sys.executable, "-c", ATTACH.format(root=str(ROOT), url=url, path=str(path))],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    attach = json.loads(out.stdout.strip().splitlines()[-1])
    assert ev.get(engine, attach["id"]).size == size
    assert ev.evidenced_targets(engine) == {stage_target("33.20", 4)}

    process, base = start_server(db, {"DASHBOARD_ADMIN_PASSWORD": "Admin-Bench-1"})
    try:
        _id, ticket = sessions.start(engine, "walidata")
        token = sessions.redeem(engine, ticket)
        request = urllib.request.Request(f"{base}/evidence/{attach['id']}")
        request.add_header("Cookie", f"{sessions.COOKIE}={token}")
        serves = [download(process.pid, request, pdf) for _ in ("first", "second")]
        upload = browser_upload(process.pid, base, work, size) if "--browser" in sys.argv else None
    finally:
        process.terminate()
        process.wait(timeout=20)
        engine.dispose()

    print(f"file: {size / MB:.1f} MB PDF")
    print(
        f"attach (intake + store, SQLite): peak rise {attach['rise'] / MB:.1f} MB "
        f"({attach['rise'] / size:.2f}x the file), {attach['seconds']:.2f} s"
    )
    for label, (rise, seconds) in zip(("first", "second"), serves, strict=True):
        print(
            f"serve (GET /evidence, streamed), {label} download: server peak rise "
            f"{rise / MB:.1f} MB ({rise / size:.2f}x the file), {seconds:.2f} s"
        )
    rises = [attach["rise"], *(rise for rise, _s in serves)]
    if upload is not None:
        print(
            f"upload in Chromium through the region page (Streamlit's upload + intake + "
            f"store) of a {BROWSER_SIZE / MB:.1f} MB PDF: server peak rise {upload[0] / MB:.1f} "
            f"MB ({upload[0] / BROWSER_SIZE:.2f}x the file), {upload[1]:.1f} s"
        )
        print(
            f"  of which Streamlit receiving the file (before Attach): "
            f"{upload[2] / MB:.1f} MB ({upload[2] / BROWSER_SIZE:.2f}x); the page's attach "
            f"(intake + store) from there: {upload[3] / MB:.1f} MB "
            f"({upload[3] / BROWSER_SIZE:.2f}x)"
        )
        rises.append(upload[0] * size / BROWSER_SIZE)
    ok = all(rise < 2 * size for rise in rises)
    print("target < 2x the file:", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
