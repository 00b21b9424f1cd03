"""Many writers at once, each with an engine of its own as separate app processes would have:
every version is whole, version numbers have no gaps, and a writer that lost the race is told
so plainly (StaleVersion names what it expected and what the store holds now)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from lib.storage import store

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

WRITERS = 20


def run_together(work, count: int = WRITERS) -> list:
    start = threading.Barrier(count)

    def one(index: int):
        start.wait(timeout=60)
        return work(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def note_for(index: int) -> str:
    return f"penulis {index}"


def stages_at(engine, version: int):
    with engine.connect() as connection:
        return store.read_table(connection, "stages", version)


def write_note(url: str, index: int, expected: int | None, attempts: int = 1):
    """Set one note on a stage of its own; on a lost race look again, up to `attempts` times."""
    engine = store.make_engine(url)
    try:
        refusals = []
        for _ in range(attempts):
            version = store.current_version(engine) if expected is None else expected
            stages = stages_at(engine, version)
            region = stages["region_code"].iloc[index]
            mine = stages[stages["region_code"] == region].copy()
            mine.loc[mine.index == index, "notes"] = note_for(index)
            try:
                written, _ = store.write_version(
                    engine,
                    {"stages": mine},
                    author=f"writer {index}",
                    action="upload",
                    expected_version=version,
                    scope={"stages": {region}},
                )
                return written, refusals
            except store.StaleVersion as refusal:
                refusals.append(refusal)
        return None, refusals
    finally:
        engine.dispose()


def test_writers_racing_on_one_version_one_wins_the_rest_are_told(seeded_engine):
    url = seeded_engine.url.render_as_string(hide_password=False)
    results = run_together(lambda i: write_note(url, i, expected=1))
    applied = [version for version, _ in results if version]
    assert applied == [2]
    refusals = [r for _, rs in results for r in rs]
    assert len(refusals) == WRITERS - 1
    assert {str(r) for r in refusals} == {"expected version 1, store is at 2"}
    assert [v.id for v in store.list_versions(seeded_engine)] == [2, 1]


def test_writers_that_look_again_all_land_whole_and_numbered_without_gaps(seeded_engine):
    url = seeded_engine.url.render_as_string(hide_password=False)
    results = run_together(lambda i: write_note(url, i, expected=None, attempts=WRITERS + 5))
    assert all(version for version, _ in results), "a writer never got through"
    assert sorted(version for version, _ in results) == list(range(2, WRITERS + 2))
    assert [v.id for v in store.list_versions(seeded_engine)] == list(range(WRITERS + 1, 0, -1))
    # every version is exactly its predecessor plus one writer's note: nothing partial
    previous = stages_at(seeded_engine, 1)
    for version in range(2, WRITERS + 2):
        info = store.version_info(seeded_engine, version)
        assert info.summary["stages"] == {"added": 0, "changed": 1, "removed": 0}
        stages = stages_at(seeded_engine, version)
        assert len(stages) == len(previous)
        changed = stages["notes"].fillna("") != previous["notes"].fillna("")
        assert changed.sum() == 1
        writer = int(info.author.split()[-1])
        assert stages.loc[changed, "notes"].tolist() == [note_for(writer)]
        previous = stages
    final = stages_at(seeded_engine, WRITERS + 1)
    assert sorted(final["notes"].iloc[:WRITERS]) == sorted(note_for(i) for i in range(WRITERS))


def test_a_failed_write_leaves_no_gap_in_the_numbers(seeded_engine, monkeypatch):
    stages = store.read_all(seeded_engine, 1)["stages"].iloc[:1].assign(notes="x")
    original = store._apply_diff

    def crash(*args):
        original(*args)
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_apply_diff", crash)
    with pytest.raises(RuntimeError):
        store.write_version(
            seeded_engine, {"stages": stages}, author="t", action="upload", expected_version=1
        )
    monkeypatch.setattr(store, "_apply_diff", original)
    version, _ = store.write_version(
        seeded_engine, {"stages": stages}, author="t", action="upload", expected_version=1
    )
    assert version == 2
