"""Evidence in the store (issue 21): content-addressed bytes shared by every process, rights
per region at the write, soft removal kept until an admin purges, audited refusals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lib.core import evidence as core_evidence
from lib.ingest import evidence_intake as intake
from lib.ingest.dataset import open_dataset
from lib.storage import accounts, store
from lib.storage import evidence as ev
from tests import evidence_files as files

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

ADMIN = accounts.User("admin", "Admin", "ministry_admin", frozenset())
JEPARA = accounts.User("editor.jepara", "Jepara", "regional_editor", frozenset({"33.20"}))
KUDUS = accounts.User("editor.kudus", "Kudus", "regional_editor", frozenset({"33.19"}))
VIEWER = accounts.User("menteri", "Viewer", "ministry_viewer", frozenset())
REGIONAL_VIEWER = accounts.User("lihat.kudus", "Kudus", "regional_viewer", frozenset({"33.19"}))
STAGE4 = core_evidence.stage_target("33.20", 4)


def attach(engine, user, name, data, target=STAGE4, region="33.20", **kw):
    return intake.attach_upload(
        engine, user, region_code=region, target=target, title="", name=name, source=data, **kw
    )


def counts(engine):
    with engine.connect() as connection:
        return tuple(
            connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in (ev.evidence, ev.evidence_blobs, ev.evidence_chunks)
        )


def download(engine, attachment_id):
    found = ev.get(engine, attachment_id)
    return b"".join(ev.DatabaseBlobs(engine).chunks(found.sha256))


def test_the_same_file_twice_is_stored_once_and_reads_back_whole(seeded_engine):
    data = files.pdf(pages=2) + b"%" + b"x" * (ev.CHUNK * 2 + 5)  # three chunks
    first, _ = attach(seeded_engine, JEPARA, "masterplan.pdf", data)
    second, _ = attach(seeded_engine, ADMIN, "salinan.pdf", data, target=STAGE4)
    assert counts(seeded_engine) == (2, 1, 3)
    assert download(seeded_engine, first) == download(seeded_engine, second) == data
    item = ev.get(seeded_engine, first)
    assert (item.file_name, item.kind, item.author, item.version) == (
        "masterplan.pdf",
        "document",
        "editor.jepara",
        store.current_version(seeded_engine),
    )


def test_another_regions_editor_and_an_anonymous_user_cannot_attach(seeded_engine):
    for user in (KUDUS, None, VIEWER):
        with pytest.raises(ev.EvidenceRefused) as refused:
            attach(seeded_engine, user, "masterplan.pdf", files.pdf())
        assert refused.value.key == "evidence_no_right"
    assert counts(seeded_engine) == (0, 0, 0)
    refusals = [r for r in accounts.audit_rows(seeded_engine) if r["action"] == "evidence_refused"]
    assert len(refusals) == 3 and not any(r["success"] for r in refusals)


@pytest.mark.parametrize(
    "user, region, readable",
    [
        (ADMIN, "33.20", True),
        (VIEWER, "33.20", True),
        (JEPARA, "33.20", True),
        (KUDUS, "33.20", False),
        (REGIONAL_VIEWER, "33.19", True),
        (REGIONAL_VIEWER, "33.20", False),
        (None, "33.20", False),
    ],
)
def test_read_rights(user, region, readable, store_kind):
    assert ev.may_read(user, region) is readable


def test_a_refused_file_stores_nothing_and_is_audited(seeded_engine):
    with pytest.raises(intake.IntakeRefused):
        attach(seeded_engine, JEPARA, "laporan.pdf", files.HTML)
    assert counts(seeded_engine) == (0, 0, 0)
    last = accounts.audit_rows(seeded_engine)[0]
    assert (last["action"], last["success"]) == ("evidence_refused", False)
    assert "laporan.pdf" in last["detail"] and "evidence_type_refused" in last["detail"]


def test_every_hostile_file_is_refused_with_nothing_stored_and_each_audited(seeded_engine):
    from tests.test_evidence_intake import HOSTILE

    for _case, name, data, key, _words in HOSTILE:
        with pytest.raises(intake.IntakeRefused) as refused:
            attach(seeded_engine, JEPARA, name, data)
        assert refused.value.key == key
    assert counts(seeded_engine) == (0, 0, 0)
    refusals = [r for r in accounts.audit_rows(seeded_engine) if r["action"] == "evidence_refused"]
    assert len(refusals) == len(HOSTILE)


def test_the_regions_cap_refuses_what_would_exceed_it(seeded_engine):
    data = files.pdf()
    attach(seeded_engine, JEPARA, "a.pdf", data, region_cap=len(data) * 2)
    attach(seeded_engine, JEPARA, "b.pdf", data, region_cap=len(data) * 2)
    with pytest.raises(ev.EvidenceRefused) as refused:
        attach(seeded_engine, JEPARA, "c.pdf", data, region_cap=len(data) * 2)
    assert refused.value.key == "evidence_region_full"
    assert counts(seeded_engine)[0] == 2


def test_removal_keeps_the_bytes_until_an_admin_purges_them(seeded_engine):
    kept, _ = attach(seeded_engine, JEPARA, "a.pdf", files.pdf("a"))
    removed, _ = attach(seeded_engine, JEPARA, "b.pdf", files.pdf("b"))
    with pytest.raises(ev.EvidenceRefused):
        ev.remove(seeded_engine, KUDUS, removed)
    ev.remove(seeded_engine, JEPARA, removed)
    assert [a.id for a in ev.for_region(seeded_engine, "33.20")] == [kept]
    assert download(seeded_engine, removed) == files.pdf("b")  # history keeps it
    assert STAGE4 in ev.evidenced_targets(seeded_engine)
    with pytest.raises(ev.EvidenceRefused):
        ev.purge(seeded_engine, ev.DatabaseBlobs(seeded_engine), JEPARA)
    dropped = ev.purge(seeded_engine, ev.DatabaseBlobs(seeded_engine), ADMIN)
    assert dropped == [ev.get(seeded_engine, removed).sha256]
    assert ev.get(seeded_engine, removed).purged
    assert download(seeded_engine, kept) == files.pdf("a")
    assert counts(seeded_engine) == (2, 1, 1)
    actions = [r["action"] for r in accounts.audit_rows(seeded_engine)]
    assert actions[0] == "evidence_purged" and "evidence_removed" in actions


def test_attachments_for_change_rows_and_completeness(seeded_engine):
    dataset = open_dataset(seeded_engine, store.current_version(seeded_engine))
    jepara_done = dataset.stages[
        (dataset.stages.region_code == "33.20") & (dataset.stages.status == "done")
    ]
    assert len(jepara_done) == 4
    program = dataset.programs[dataset.programs.region_code == "33.20"].iloc[0]
    attach(seeded_engine, JEPARA, "masterplan.pdf", files.pdf())
    for n in range(3):
        attach(
            seeded_engine,
            JEPARA,
            f"foto{n}.jpg",
            files.jpeg_with_gps((30 + n, 30)),
            target=core_evidence.program_target(program.program_id),
        )
    intake.attach_link(
        seeded_engine,
        JEPARA,
        region_code="33.20",
        target=core_evidence.stage_target("33.20", 3),
        title="JDIH",
        url="https://jdih.jeparakab.go.id/perbup.pdf",
    )
    found = ev.attachments_for(
        seeded_engine,
        [STAGE4, core_evidence.program_target(program.program_id), ("stages", "33.20|1")],
    )
    assert [a.file_name for a in found[STAGE4]] == ["masterplan.pdf"]
    assert len(found[core_evidence.program_target(program.program_id)]) == 3
    assert found[("stages", "33.20|1")] == []
    table = core_evidence.by_region(
        dataset.regions, dataset.stages, dataset.programs, ev.evidenced_targets(seeded_engine)
    )
    jepara = table[table.region_code == "33.20"].iloc[0]
    assert (jepara.stages_done, jepara.stages_with) == (4, 2)
    link = ev.for_region(seeded_engine, "33.20")[-1]
    assert (link.kind, link.url, link.sha256) == (
        "link",
        "https://jdih.jeparakab.go.id/perbup.pdf",
        None,
    )


def test_the_command_line_purges_removed_evidence(seeded_engine, monkeypatch, capsys):
    from lib.cli.commands import main

    removed, _ = attach(seeded_engine, JEPARA, "b.pdf", files.pdf("b"))
    ev.remove(seeded_engine, JEPARA, removed)
    monkeypatch.setenv("DATABASE_URL", seeded_engine.url.render_as_string(hide_password=False))
    assert main(["evidence-purge", "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "1 removed evidence file purged."
    assert ev.get(seeded_engine, removed).purged


def test_the_briefing_says_the_regions_evidence_completeness(seeded_engine):
    import datetime as dt

    from lib.briefing.content import region_brief

    attach(seeded_engine, JEPARA, "masterplan.pdf", files.pdf())
    dataset = open_dataset(seeded_engine, store.current_version(seeded_engine))
    evidenced = ev.evidenced_targets(seeded_engine)
    brief = region_brief(dataset, "33.20", dt.date(2021, 11, 15), "id", evidenced=evidenced)
    assert brief.attention[-1].startswith("Bukti dukung: 1 dari 4 tahap selesai")
    english = region_brief(dataset, "33.20", dt.date(2021, 11, 15), "en", evidenced=evidenced)
    assert english.attention[-1].startswith("Evidence: 1 of 4 done stages")
