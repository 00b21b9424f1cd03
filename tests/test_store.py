import pandas as pd
import pytest
import sqlalchemy as sa

from lib.ingest.dataset import check_dataset, ensure_seeded, open_dataset
from lib.storage import store
from tests.conftest import MINI, PROJECT

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL


def test_first_start_seeds_version_one_and_second_start_does_nothing(engine):
    assert ensure_seeded(engine, PROJECT / "data") == []
    assert ensure_seeded(engine, PROJECT / "data") == []
    assert store.current_version(engine) == 1
    info = store.version_info(engine, 1)
    assert (info.action, info.author) == ("seed", "system")
    assert info.summary["stages"] == {"added": 36, "changed": 0, "removed": 0}


def test_invalid_data_dir_seeds_nothing(engine, tmp_path):
    (tmp_path / "d").mkdir()
    problems = ensure_seeded(engine, tmp_path / "d")
    assert {p.file for p in problems} == {"regions.csv", "stages.csv", "programs.csv"}
    assert store.current_version(engine) == 0


def test_round_trip_keeps_codes_dates_and_numbers(seeded_engine):
    dataset = open_dataset(seeded_engine, 1)
    jepara = dataset.stages[(dataset.stages.region_code == "33.20") & (dataset.stages.stage == 4)]
    assert jepara["actual_end"].iloc[0] == pd.Timestamp("2021-11-12")
    assert "33.20" in set(dataset.regions["region_code"])
    assert dataset.problems == []


def test_scoped_write_replaces_only_that_regions_rows_and_keeps_history(seeded_engine):
    before = open_dataset(seeded_engine, 1)
    new = before.stages[before.stages.region_code == "33.23"].copy()
    new.loc[new.stage == 3, "status"] = "done"
    version, diffs = store.write_version(
        seeded_engine,
        {"stages": new},
        author="tester",
        action="upload",
        expected_version=1,
        scope={"stages": {"33.23"}},
    )
    assert version == 2
    assert diffs["stages"].counts() == {"added": 0, "changed": 1, "removed": 0}
    assert [(c.key, c.column, c.old, c.new) for c in diffs["stages"].cells] == [
        (("33.23", 3), "status", "in_progress", "done")
    ]
    after = open_dataset(seeded_engine, 2)
    assert len(after.stages) == 36
    old_again = open_dataset(seeded_engine, 1)
    pd.testing.assert_frame_equal(old_again.stages, before.stages)


def test_same_content_twice_writes_no_new_version(seeded_engine):
    stages = open_dataset(seeded_engine, 1).stages
    version, _ = store.write_version(
        seeded_engine, {"stages": stages}, author="t", action="upload", expected_version=1
    )
    assert version is None
    assert store.current_version(seeded_engine) == 1


def test_stale_version_is_refused(seeded_engine):
    stages = open_dataset(seeded_engine, 1).stages
    with pytest.raises(store.StaleVersion):
        store.write_version(
            seeded_engine,
            {"stages": stages.iloc[:3]},
            author="t",
            action="upload",
            expected_version=0,
        )


def test_failure_part_way_leaves_previous_version_intact(seeded_engine, monkeypatch):
    stages = open_dataset(seeded_engine, 1).stages.iloc[:10]
    original = store._apply_diff

    def crash_after_first_table(connection, table, spec, diff, version):
        original(connection, table, spec, diff, version)
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_apply_diff", crash_after_first_table)
    with pytest.raises(RuntimeError):
        store.write_version(
            seeded_engine, {"stages": stages}, author="t", action="upload", expected_version=1
        )
    assert store.current_version(seeded_engine) == 1
    assert len(open_dataset(seeded_engine, 1).stages) == 36


def test_inconsistent_database_rows_are_reported_not_dropped(seeded_engine):
    table = store.DATA_TABLES["stages"]
    with seeded_engine.begin() as connection:
        connection.execute(
            table.insert().values(region_code="33.99", stage=5, status="done", valid_from=1)
        )
        connection.execute(
            table.insert().values(region_code="33.23", stage=1, status="done", valid_from=1)
        )
    dataset = open_dataset(seeded_engine, 1)
    assert len(dataset.stages) == 38
    found = {(p.code, p.key, str(p.row)) for p in dataset.problems}
    assert ("constraint-error", "out_of_range", "33.99 / 5") in found
    assert ("foreign-key", "unknown_region", "33.99 / 5") in found
    assert ("unique-error", "duplicate_key", "33.23 / 1") in found


def test_sqlite_runs_in_wal_mode(seeded_engine, store_kind):
    if store_kind != "sqlite":
        pytest.skip("SQLite only")
    with seeded_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_mini_dataset_is_consistent(mini_frames):
    assert check_dataset(mini_frames, "mini") == []
    assert sa.__version__.startswith("2.")
    assert MINI.exists()
