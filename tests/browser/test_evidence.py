"""Evidence in a real server and a real browser (issue 21): a regional editor attaches a signed
masterplan PDF to stage 4 and three photos to a program; downloads answer only those who may
read the region, as attachments that no browser interprets; a file attached through one app
process downloads through another on the same PostgreSQL."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from lib.core import evidence as core_evidence
from lib.ingest import evidence_intake as intake
from lib.ingest.dataset import ensure_seeded, open_dataset
from lib.storage import accounts, sessions, store
from lib.storage import evidence as ev
from tests import evidence_files as files
from tests.browser.conftest import screenshot, sign_in, start_server, wait_until_drawn
from tests.conftest import PROJECT

pytestmark = pytest.mark.browser
PASSWORD = "Editor-Jepara-Kuat-1"
JEPARA = accounts.User("editor.jepara", "Editor Jepara", "regional_editor", frozenset({"33.20"}))


def add_people(engine) -> None:
    accounts.add_user(
        engine, "editor.jepara", PASSWORD, "regional_editor", regions={"33.20"},
        display_name="Editor Jepara",
    )  # fmt: skip
    accounts.add_user(engine, "editor.kudus", PASSWORD, "regional_editor", regions={"33.19"})
    accounts.add_user(engine, "walidata", PASSWORD, "ministry_viewer", display_name="Walidata")


@pytest.fixture
def evidence_server(tmp_path):
    db = tmp_path / "evidence.db"
    engine = store.make_engine(f"sqlite:///{db}")
    ensure_seeded(engine, PROJECT / "data")
    add_people(engine)
    process, url = start_server(db, {"DASHBOARD_ADMIN_PASSWORD": "Admin-Lain-1"})
    yield url, engine
    process.terminate()
    process.wait(timeout=20)
    engine.dispose()


def token_for(engine, username: str) -> str:
    """A signed-in browser's cookie, made as the sign-in route makes it."""
    _id, ticket = sessions.start(engine, username)
    return sessions.redeem(engine, ticket)


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def get(url: str, token: str | None = None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Cookie", f"{sessions.COOKIE}={token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, _lower(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, _lower(refused.headers), refused.read()


def test_downloads_answer_only_readers_of_the_region_as_attachments(evidence_server):
    url, engine = evidence_server
    data = files.pdf("Perbup masterplan Jepara")
    new_id, _ = intake.attach_upload(
        engine, JEPARA, region_code="33.20", target=core_evidence.stage_target("33.20", 4),
        title="Masterplan", name='perbup "final"\u202e.pdf', source=data,
    )  # fmt: skip
    refused = {
        "anonymous": get(f"{url}/evidence/{new_id}"),
        "kudus": get(f"{url}/evidence/{new_id}", token_for(engine, "editor.kudus")),
        "kudus_en": get(f"{url}/evidence/{new_id}?lang=en", token_for(engine, "editor.kudus")),
        "forged": get(f"{url}/evidence/{new_id}", "not-a-session"),
    }
    for status, headers, body in refused.values():
        assert status == 403 and data not in body
        assert headers["x-content-type-options"] == "nosniff"
    assert refused["anonymous"][2].decode().startswith("Anda tidak berhak mengunduh bukti ini")
    assert refused["kudus_en"][2].decode().startswith("You may not download this evidence")
    audited = [r for r in accounts.audit_rows(engine) if r["action"] == "evidence_download_refused"]
    assert len(audited) == 4
    for reader in ("editor.jepara", "walidata", "admin"):
        status, headers, body = get(f"{url}/evidence/{new_id}", token_for(engine, reader))
        assert (status, body) == (200, data)
        assert headers["content-type"] == "application/pdf"
        assert headers["content-disposition"].startswith(
            'attachment; filename="perbup _final_.pdf"'
        )
        assert headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in headers["content-security-policy"]
    assert get(f"{url}/evidence/999", token_for(engine, "admin"))[0] == 404


def attach_in_browser(page, target: str, paths, title: str) -> None:
    form = page.locator('[data-testid="stForm"]')
    if not form.is_visible():
        page.get_by_text("Lampirkan bukti").click()
    option = page.get_by_role("option", name=target, exact=True)
    for attempt in range(4):
        # A click while the expander opens, or a rerun redrawing the list, loses the choice.
        wait_until_drawn(page)
        form.locator('[data-testid="stSelectbox"]').click()
        try:
            option.click(timeout=5_000)
            break
        except Exception:
            page.keyboard.press("Escape")
            if attempt == 3:
                raise
    form.get_by_label("Judul").fill(title)
    form.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(paths)
    form.get_by_role("button", name="Lampirkan").click()
    page.get_by_text(title, exact=True).wait_for(timeout=60_000)
    wait_until_drawn(page)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=stForm]').length === 1", timeout=30_000
    )


def test_an_editor_attaches_a_masterplan_and_three_photos_a_walidata_reads_them(
    evidence_server, page, tmp_path
):
    url, engine = evidence_server
    program = open_dataset(engine, store.current_version(engine)).programs
    program = program[program.region_code == "33.20"].iloc[0]
    pdf = tmp_path / "masterplan_ttd.pdf"
    pdf.write_bytes(files.pdf("Masterplan smart city Jepara, ditandatangani", pages=2))
    page.goto(f"{url}/wilayah?region=33.20", timeout=120_000)
    wait_until_drawn(page)
    sign_in(page, "editor.jepara", PASSWORD)
    attach_in_browser(page, "Tahap 4", pdf, "Masterplan bertanda tangan")
    for n in range(3):
        photo = tmp_path / f"bimtek_{n}.jpg"
        photo.write_bytes(files.jpeg_with_gps((800 + n, 600)))
        attach_in_browser(page, f"Program: {program['name']}", photo, f"Foto kegiatan {n + 1}")
    page.get_by_text("Tahap selesai berbukti: 1 dari 4").wait_for()
    assert page.locator('[data-testid="stImage"]').count() == 4  # drawn on the server
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Unduh masterplan_ttd.pdf").click()
    assert download.value.path().read_bytes() == pdf.read_bytes()
    screenshot(page, "evidence-editor")
    stored = ev.for_region(engine, "33.20")
    assert [a.kind for a in stored] == ["document", "photo", "photo", "photo"]
    assert [a.target_key for a in stored] == ["33.20|4"] + [program["program_id"]] * 3
    assert all(
        b"KameraUji" not in b"".join(ev.DatabaseBlobs(engine).chunks(a.sha256)) for a in stored[1:]
    )
    # the walidata (a ministry account) reads them too
    status, _headers, body = get(f"{url}/evidence/{stored[1].id}", token_for(engine, "walidata"))
    assert status == 200 and body.startswith(b"\xff\xd8")


def test_attached_on_one_process_downloads_on_another(pg_cluster, browser, tmp_path):
    database = pg_cluster.new_database("evidence_replicas")
    engine = store.make_engine(database)
    ensure_seeded(engine, PROJECT / "data")
    add_people(engine)
    env = {"DATABASE_URL": database, "DASHBOARD_ADMIN_PASSWORD": "Admin-Lain-1"}
    a, url_a = start_server(tmp_path / "unused-a.db", env)
    b, url_b = start_server(tmp_path / "unused-b.db", env)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        page = context.new_page()
        pdf = tmp_path / "notulen.pdf"
        pdf.write_bytes(files.pdf("Notulen Bimtek 4"))
        page.goto(f"{url_a}/wilayah?region=33.20", timeout=120_000)
        wait_until_drawn(page)
        sign_in(page, "editor.jepara", PASSWORD)
        attach_in_browser(page, "Tahap 4", pdf, "Notulen")
        cookie = next(c["value"] for c in context.cookies() if c["name"] == sessions.COOKIE)
        [item] = ev.for_region(engine, "33.20")
        status, headers, body = get(f"{url_b}/evidence/{item.id}", cookie)  # the same sign-in
        assert (status, body) == (200, pdf.read_bytes())
        assert get(f"{url_b}/evidence/{item.id}")[0] == 403
        context.close()
    finally:
        for process in (a, b):
            process.terminate()
            process.wait(timeout=20)
        engine.dispose()
        pg_cluster.drop_database(database)
