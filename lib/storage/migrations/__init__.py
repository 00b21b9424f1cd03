"""Schema migrations (Alembic) for the store, run by the app at start-up and by
`python -m lib.cli db upgrade`. How to add one: lib/storage/migrations/README.md.

Three kinds of store meet `upgrade`:
- an empty one gets today's model (create_all) stamped at head: one step, no history to replay;
- one made by the release before migrations (tables, no alembic_version) is stamped at the
  baseline, which is exactly that release's schema, then upgraded;
- one at an older revision is upgraded; one at a revision this code does not know (a newer
  release wrote it) is refused, untouched.
All of it happens in one transaction under a lock (BEGIN IMMEDIATE on SQLite, an advisory lock
on PostgreSQL), so app processes starting together upgrade once and never see half a schema.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from lib.storage import store

HERE = Path(__file__).resolve().parent
BASELINE = "0001"
# Every module that puts tables on store.metadata; a new one must be listed here.
MODEL_MODULES = (
    "lib.storage.store",
    "lib.storage.accounts",
    "lib.storage.sessions",
    "lib.storage.approval",
    "lib.storage.evidence",
)
_LOCK_KEY = 0x4B53504E  # "KSPN": the advisory lock id on PostgreSQL


class StoreNewerThanCode(RuntimeError):
    """The store's schema was written by a newer release; this code must not touch it."""

    key = "store_newer_than_code"

    def __init__(self, found: str, head: str):
        super().__init__(
            f"the store's schema is at revision {found}, newer than this release knows "
            f"(head {head}); run the newer release or restore a backup of the store"
        )
        self.params = {"found": found, "head": head}


def import_model() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("path_separator", "os")
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    return script().get_current_head()


def current(connection: sa.Connection) -> tuple[str, ...]:
    return MigrationContext.configure(connection).get_current_heads()


def revision_of(engine: sa.Engine) -> str | None:
    """The store's schema revision; None for a store made before migrations, or an empty one."""
    with engine.connect() as connection:
        heads = current(connection)
    return heads[0] if heads else None


def _check_known(heads: tuple[str, ...]) -> None:
    for found in heads:
        try:
            script().get_revision(found)
        except Exception as error:  # alembic raises several kinds for an unknown id
            raise StoreNewerThanCode(found, head()) from error


def upgrade(engine: sa.Engine) -> bool:
    """Bring the store to head. Returns whether anything was done. Cheap when at head."""
    with engine.connect() as connection:
        heads = current(connection)
    _check_known(heads)
    if heads == (head(),):
        return False
    with engine.connect() as connection:
        connection = connection.execution_options(sqlite_immediate=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
            heads = current(connection)  # again: another process may have done it meanwhile
            _check_known(heads)
            if heads == (head(),):
                return False
            context = MigrationContext.configure(connection)
            if not heads:
                if not sa.inspect(connection).has_table("versions"):
                    import_model()
                    store.metadata.create_all(connection)
                    context.stamp(script(), "head")
                    return True
                context.stamp(script(), BASELINE)
            command.upgrade(alembic_config(connection), "head")
    return True


def new_revision(message: str) -> Path:
    """Write the next revision, its operations found by comparing the model with a throwaway
    SQLite store built by replaying every revision. Review it before committing."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(f"sqlite:///{tmp}/replay.db")
        try:
            with engine.begin() as connection:
                command.upgrade(alembic_config(connection), "head")
            with engine.begin() as connection:
                number = f"{int(head()) + 1:04d}"
                written = command.revision(
                    alembic_config(connection),
                    message=message,
                    autogenerate=True,
                    rev_id=number,
                )
        finally:
            engine.dispose()
    script.cache_clear()
    return Path(written.path)
