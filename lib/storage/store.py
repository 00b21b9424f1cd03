"""The store: SQLAlchemy Core over SQLite (default) or PostgreSQL (DATABASE_URL).

Rows are never updated in place or deleted. Each table row carries the version that created it
(valid_from) and the version that replaced or removed it (valid_to), so every version can be read
back exactly, compared with another, or restored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from lib.core.schema import TABLES, Table, coerce_frame, plain_values
from lib.storage import clock
from lib.storage.diff import TableDiff, diff_table

metadata = sa.MetaData()

versions = sa.Table(
    "versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("file_name", sa.String(500)),
    sa.Column("sha256", sa.String(64)),
    sa.Column("summary", sa.Text, nullable=False),
)

# Boundary sets are not part of the data contract's versions: the latest stored set is drawn.
boundary_sets = sa.Table(
    "boundary_sets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("file_name", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("attribution", sa.Text, nullable=False),
    sa.Column("report", sa.Text, nullable=False),
    sa.Column("full_geojson", sa.Text, nullable=False),  # the original, full resolution
    sa.Column("web_geojson", sa.Text, nullable=False),
    sa.Column("provinces_geojson", sa.Text, nullable=False),
)

SQL_TYPES = {
    "code": lambda: sa.String(16),
    "text": lambda: sa.Text(),
    "enum": lambda: sa.String(32),
    "int": lambda: sa.BigInteger(),
    "float": lambda: sa.Float(),
    "bool": lambda: sa.Boolean(),
    "date": lambda: sa.Date(),
}


def _data_table(table: Table) -> sa.Table:
    columns = [sa.Column(f.name, SQL_TYPES[f.kind](), nullable=True) for f in table.fields]
    return sa.Table(
        table.name,
        metadata,
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        *columns,
        sa.Column("valid_from", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("valid_to", sa.Integer, sa.ForeignKey("versions.id"), nullable=True),
        sa.Index(f"ix_{table.name}_current", "valid_to", *table.key),
    )


DATA_TABLES = {name: _data_table(table) for name, table in TABLES.items()}


class StaleVersion(RuntimeError):
    """The data changed since the caller looked at it; the caller must look again."""

    def __init__(self, expected: int, current: int):
        super().__init__(f"expected version {expected}, store is at {current}")
        self.expected = expected
        self.current = current


@dataclass(frozen=True)
class VersionInfo:
    id: int
    created_at: dt.datetime
    author: str
    action: str
    file_name: str | None
    sha256: str | None
    summary: dict


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Let SQLAlchemy's begin event decide how each transaction starts.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _on_begin(connection):
            # Writers take the lock up front so two uploads can never interleave.
            immediate = connection.get_execution_options().get("sqlite_immediate", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


@contextmanager
def write_transaction(engine: sa.Engine):
    with engine.connect() as connection:
        connection = connection.execution_options(sqlite_immediate=True)
        with connection.begin():
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql("LOCK TABLE versions IN EXCLUSIVE MODE")
            yield connection


def current_version(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.max(versions.c.id))).scalar() or 0


def _version_from_row(row) -> VersionInfo:
    return VersionInfo(
        row.id,
        clock.aware(row.created_at),
        row.author,
        row.action,
        row.file_name,
        row.sha256,
        json.loads(row.summary),
    )


def version_info(engine: sa.Engine, version: int) -> VersionInfo | None:
    with engine.connect() as connection:
        row = connection.execute(sa.select(versions).where(versions.c.id == version)).first()
    return _version_from_row(row) if row else None


def list_versions(engine: sa.Engine) -> list[VersionInfo]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(versions).order_by(versions.c.id.desc())).all()
    return [_version_from_row(r) for r in rows]


def _as_of(table: sa.Table, version: int):
    return sa.and_(
        table.c.valid_from <= version,
        sa.or_(table.c.valid_to.is_(None), table.c.valid_to > version),
    )


def read_table(
    connection: sa.Connection,
    name: str,
    version: int,
    rows_of: Callable[[sa.Table, int], sa.ColumnElement] | None = None,
) -> pd.DataFrame:
    """The table as of `version`; `rows_of(table, version)` may choose the rows instead (the
    official view: lib/storage/approval.py)."""
    table, spec = DATA_TABLES[name], TABLES[name]
    columns = [table.c[c] for c in spec.columns]
    condition = (rows_of or _as_of)(table, version)
    query = sa.select(*columns).where(condition).order_by(*spec.key)
    rows = connection.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=spec.columns)
    return coerce_frame(frame, spec).reset_index(drop=True)


def read_all(
    engine: sa.Engine,
    version: int,
    rows_of: Callable[[sa.Table, int], sa.ColumnElement] | None = None,
) -> dict[str, pd.DataFrame]:
    with engine.connect() as connection:
        return {name: read_table(connection, name, version, rows_of) for name in TABLES}


def _records(frame: pd.DataFrame, spec: Table) -> list[dict]:
    columns = {f.name: plain_values(frame[f.name], f.kind) for f in spec.fields}
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def write_version(
    engine: sa.Engine,
    new_rows: dict[str, pd.DataFrame],
    *,
    author: str,
    action: str,
    expected_version: int,
    scope: dict[str, set[str]] | None = None,
    file_name: str | None = None,
    sha256: str | None = None,
    audit: Callable[[sa.Connection, int | None], None] | None = None,
    diffs: dict[str, TableDiff] | None = None,
    check: Callable[[sa.Connection, dict[str, TableDiff]], None] | None = None,
) -> tuple[int | None, dict[str, TableDiff]]:
    """Replace, per table, the rows in scope (region codes; None = the whole table) with new_rows.

    Everything happens in one transaction, `audit(connection, version)` included: a version
    never exists without its audit row, nor an audit row without its version. Returns (new
    version or None when nothing changed, the diff). Raises StaleVersion when the store moved
    on since expected_version. `diffs`, when given, are new_rows' diffs against
    expected_version (an upload's preview made them): the version check proves the store has
    not moved since, so they are not computed again. `check(connection, diffs)` runs under the
    write lock before anything is written and may refuse by raising (approval's locks).
    """
    with write_transaction(engine) as connection:
        latest = connection.execute(sa.select(sa.func.max(versions.c.id))).scalar() or 0
        if latest != expected_version:
            raise StaleVersion(expected_version, latest)
        return write_in(
            connection,
            latest,
            new_rows,
            author=author,
            action=action,
            scope=scope,
            file_name=file_name,
            sha256=sha256,
            audit=audit,
            diffs=diffs,
            check=check,
        )


def write_in(
    connection: sa.Connection,
    latest: int,
    new_rows: dict[str, pd.DataFrame],
    *,
    author: str,
    action: str,
    scope: dict[str, set[str]] | None = None,
    file_name: str | None = None,
    sha256: str | None = None,
    audit: Callable[[sa.Connection, int | None], None] | None = None,
    diffs: dict[str, TableDiff] | None = None,
    check: Callable[[sa.Connection, dict[str, TableDiff]], None] | None = None,
) -> tuple[int | None, dict[str, TableDiff]]:
    """write_version's work inside a write transaction the caller holds, the store at `latest`
    (approval writes a returned change set's revert in the transaction of its return)."""
    if diffs is None or set(diffs) != set(new_rows):
        diffs = {}
        for name, frame in new_rows.items():
            current = read_table(connection, name, latest)
            region_scope = None if scope is None else scope.get(name)
            diffs[name] = diff_table(current, frame, TABLES[name], region_scope)
    if latest and not any(d.has_changes for d in diffs.values()):
        if audit is not None:
            audit(connection, None)
        return None, diffs
    if check is not None:
        check(connection, diffs)
    summary = {name: d.counts() for name, d in diffs.items()}
    # Numbered here, under the write lock, not by a PostgreSQL sequence: a sequence skips
    # the numbers of rolled-back writes, and users read the numbers as a gapless history.
    version = connection.execute(
        versions.insert().values(
            id=latest + 1,
            created_at=clock.now(),
            author=author,
            action=action,
            file_name=file_name,
            sha256=sha256,
            summary=json.dumps(summary),
        )
    ).inserted_primary_key[0]
    for name, diff in diffs.items():
        _apply_diff(connection, DATA_TABLES[name], TABLES[name], diff, version)
    if audit is not None:
        audit(connection, version)
    return version, diffs


def _apply_diff(connection, table: sa.Table, spec: Table, diff: TableDiff, version: int) -> None:
    closing = pd.concat([diff.removed, diff.changed_old], ignore_index=True)
    if len(closing):
        key_params = [{f"key_{k}": r[k] for k in spec.key} for r in _records(closing, spec)]
        condition = sa.and_(
            table.c.valid_to.is_(None), *[table.c[k] == sa.bindparam(f"key_{k}") for k in spec.key]
        )
        connection.execute(table.update().where(condition).values(valid_to=version), key_params)
    opening = pd.concat([diff.added, diff.changed_new], ignore_index=True)
    if not len(opening):
        return
    if connection.dialect.name == "sqlite":
        _insert_sqlite(connection, table, opening, spec, version)
        return
    records = _records(opening, spec)
    for record in records:
        record["valid_from"] = version
    connection.execute(table.insert(), records)


def _insert_sqlite(connection, table: sa.Table, frame: pd.DataFrame, spec: Table, version: int):
    """Rows as tuples straight to sqlite3's executemany: SQLAlchemy's per-row parameter
    processing cost four times the database's own work for a 50,000-row upload
    (bench/upload_50k.py). Dates are stored as SQLAlchemy's SQLite Date stores them (ISO)."""
    columns = []
    for f in spec.fields:
        values = plain_values(frame[f.name], f.kind)
        if f.kind == "date":
            values = [None if v is None else v.isoformat() for v in values]
        columns.append(values)
    names = [f.name for f in spec.fields] + ["valid_from"]
    columns.append([version] * len(frame))
    quoted = ", ".join(f'"{name}"' for name in names)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
    connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))


class StaleBoundaries(StaleVersion):
    """A boundary check was made on another boundary set or data version than the store's: the
    set saved would not be the report the user read."""

    def __init__(self, expected: tuple[int, int], current: tuple[int, int]):
        super().__init__(expected[0], current[0])
        self.expected_version, self.current_version = expected[1], current[1]


def save_boundaries(engine: sa.Engine, row: dict, expected: tuple[int, int] | None = None) -> int:
    """Store a boundary set. `expected`: (boundary set id, data version) the check was made on;
    checked in the write transaction, StaleBoundaries when either moved on. An empty
    attribution keeps the current set's (a licence credit is never dropped)."""
    with write_transaction(engine) as connection:
        latest = connection.execute(
            sa.select(boundary_sets.c.id, boundary_sets.c.attribution)
            .order_by(boundary_sets.c.id.desc())
            .limit(1)
        ).first()
        if expected is not None:
            version = connection.execute(sa.select(sa.func.max(versions.c.id))).scalar() or 0
            now = (latest.id if latest else 0, version)
            if tuple(expected) != now:
                raise StaleBoundaries(tuple(expected), now)
        values = {**row, "created_at": clock.now()}
        if not values.get("attribution") and latest is not None:
            values["attribution"] = latest.attribution
        return connection.execute(boundary_sets.insert().values(**values)).inserted_primary_key[0]


def latest_boundaries(engine: sa.Engine) -> dict | None:
    """The map's payload of the newest boundary set (the full-resolution original stays put)."""
    columns = [c for c in boundary_sets.c if c.name != "full_geojson"]
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(*columns).order_by(boundary_sets.c.id.desc()).limit(1)
        ).first()
    return dict(row._mapping) if row else None


def latest_boundary_id(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.max(boundary_sets.c.id))).scalar() or 0
