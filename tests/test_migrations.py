"""Schema migrations: a store made by the release before migrations (8af7548) upgrades in place
with everything readable and identical; new stores start at head; newer stores are refused."""

from __future__ import annotations

import json
import shutil

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lib.cli import commands as cli
from lib.storage import accounts, migrations, store
from tests.conftest import FIXTURES, PROJECT

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

LEGACY = FIXTURES / "legacy_8af7548"
EXPECTED = json.loads((LEGACY / "expected.json").read_text(encoding="utf-8"))


def legacy_store(url: str) -> sa.Engine:
    """The store exactly as the release 8af7548 left it (tables, rows, no alembic_version)."""
    if url.startswith("sqlite"):
        shutil.copy(LEGACY / "store.db", url.split("///", 1)[1])
        return store.make_engine(url)
    engine = store.make_engine(url)
    rows = json.loads((LEGACY / "rows.json").read_text(encoding="utf-8"))
    with engine.begin() as connection:
        connection.exec_driver_sql((LEGACY / "schema.postgresql.sql").read_text())
        meta = sa.MetaData()
        meta.reflect(connection)
        for table in meta.sorted_tables:
            records = [_typed(table, r) for r in rows[table.name]]
            if records:
                connection.execute(table.insert(), records)
            serial = next((c for c in table.primary_key.columns if c.autoincrement), None)
            if serial is not None and records and isinstance(serial.type, sa.Integer):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{serial.name}'), "
                    f"(SELECT max({serial.name}) FROM {table.name}))"
                )
    return engine


def _typed(table: sa.Table, row: dict) -> dict:
    import datetime as dt

    out = {}
    for name, value in row.items():
        kind = table.c[name].type
        if value is not None and isinstance(kind, sa.DateTime):
            value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
        elif value is not None and isinstance(kind, sa.Date):
            value = dt.date.fromisoformat(value)
        elif value is not None and isinstance(kind, sa.Boolean):
            value = bool(value)
        out[name] = value
    return out


def plain(value):
    """Datetimes as ISO text in UTC: SQLite hands them back naive, PostgreSQL aware."""
    import datetime as dt

    if isinstance(value, str) and len(value) > 18 and value[10:11] == "T":
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat() if hasattr(value, "isoformat") else value


def assert_reads_as_before(engine: sa.Engine) -> None:
    versions = [
        {**v.__dict__, "created_at": v.created_at.isoformat()}
        for v in reversed(store.list_versions(engine))
    ]
    assert versions == EXPECTED["versions"]
    for version, tables in EXPECTED["tables"].items():
        now = store.read_all(engine, int(version))
        for name, before in tables.items():
            # later revisions may add columns: the old ones keep every value
            frame = now[name][before["columns"]]
            assert json.loads(frame.to_json(orient="split", date_format="iso")) == before, name
    users = accounts.list_users(engine)
    assert [{k: u[k] for k in EXPECTED["users"][0]} for u in users] == EXPECTED["users"]
    audit = [{k: plain(r[k]) for k in EXPECTED["audit"][0]} for r in accounts.audit_rows(engine)]
    assert audit == EXPECTED["audit"]
    boundaries = store.latest_boundaries(engine)
    expected = {k: plain(v) for k, v in EXPECTED["boundaries"].items()}
    assert {k: plain(boundaries[k]) for k in expected} == expected
    assert "full_geojson" in {c.name for c in store.boundary_sets.c}


def test_store_of_the_release_before_migrations_upgrades_in_place(db_url):
    engine = legacy_store(db_url)
    assert migrations.revision_of(engine) is None
    assert migrations.upgrade(engine) is True
    assert migrations.revision_of(engine) == migrations.head()
    assert_reads_as_before(engine)
    # and it keeps working: sign-in with the password set before, a new version on top
    assert accounts.authenticate(engine, "jepara", "Jepara-Uji-2021").role == "regional_editor"
    frames = store.read_all(engine, 3)
    version, _ = store.write_version(
        engine,
        {"regions": frames["regions"].assign(seat="Kota Baru")},
        author="uji",
        action="upload",
        expected_version=3,
    )
    assert version == 4
    seats_before = frames["regions"]["seat"].tolist()
    assert store.read_all(engine, 3)["regions"]["seat"].tolist() == seats_before
    assert migrations.upgrade(engine) is False  # at head: nothing to do
    engine.dispose()


def test_cli_db_upgrade_brings_an_old_store_to_head(db_url, monkeypatch, capsys):
    legacy_store(db_url).dispose()
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert cli.main(["db", "current"]) == 0
    assert "belum ada revisi" in capsys.readouterr().out
    assert cli.main(["db", "upgrade", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"to {migrations.head()}" in out and "release before migrations" in out
    assert cli.main(["db", "upgrade"]) == 0
    assert f"pada revisi {migrations.head()} (terbaru)" in capsys.readouterr().out


def test_new_store_starts_at_head_with_the_model(engine):
    migrations.upgrade(engine)
    assert migrations.revision_of(engine) == migrations.head()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), store.metadata) == []


def test_replaying_every_revision_gives_the_model(engine):
    """What create_all makes for a new store and what the chain of revisions makes for an old
    one must be the same schema: a revision forgotten for a model change fails here."""
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, store.metadata) == []


def test_store_newer_than_the_code_is_refused_untouched(seeded_engine, monkeypatch, capsys):
    with seeded_engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(migrations.StoreNewerThanCode) as refused:
        migrations.upgrade(seeded_engine)
    assert "9999" in str(refused.value) and "newer release" in str(refused.value)
    assert migrations.revision_of(seeded_engine) == "9999"
    monkeypatch.setenv("DATABASE_URL", str(seeded_engine.url))
    assert cli.main(["db", "upgrade"]) == 3
    assert "newer release" in capsys.readouterr().err
    assert cli.main(["history"]) == 3


def test_the_app_refuses_a_newer_store_with_a_clear_message(app_env):
    from streamlit.testing.v1 import AppTest

    engine = store.make_engine(app_env)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Basis data ini sudah diperbarui oleh versi aplikasi yang lebih baru (skema 9999; versi "
        f"ini hanya mengenal sampai {migrations.head()}). Tidak ada yang diubah. Jalankan versi "
        "aplikasi yang lebih baru atau pulihkan cadangan basis data."
    ]


def test_revisions_form_one_line():
    """Two people adding a revision on the same head must notice before landing."""
    script = migrations.script()
    assert len(script.get_heads()) == 1
    chain = [r.revision for r in script.walk_revisions()]
    assert chain[-1] == migrations.BASELINE
    assert sorted(chain) == [f"{n:04d}" for n in range(1, len(chain) + 1)]
