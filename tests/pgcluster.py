"""A throwaway PostgreSQL cluster for tests and benchmarks: its own data directory in a temp dir,
its own free port on 127.0.0.1, run as the `postgres` user when we are root (the server refuses
to run as root). Never a system or shared cluster. Durability is switched off: it is thrown away.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    # Debian's postgresql package keeps them off PATH.
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise FileNotFoundError(
        f"PostgreSQL's {name} is missing: run `make test` (scripts/setup.sh --test installs it)"
    )


def available() -> bool:
    try:
        _binary("initdb")
    except FileNotFoundError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """Start with `Cluster.start()`; `new_database()` gives a fresh, empty database's URL."""

    def __init__(self, root: Path, port: int):
        self.root = root
        self.port = port
        self._names = itertools.count(1)

    @property
    def data_dir(self) -> Path:
        return self.root / "pg"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/{database}"

    @staticmethod
    def _as_postgres(command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    @classmethod
    def start(cls, max_connections: int = 300) -> Cluster:
        root = Path(tempfile.mkdtemp(prefix="pgtest-"))
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
        subprocess.run(
            cls._as_postgres(
                [_binary("initdb"), "-D", str(root / "pg"), "-A", "trust", "-U", "app"]
                + ["-E", "UTF8", "--no-sync", "--no-instructions"]
            ),
            check=True,
            capture_output=True,
        )
        for _attempt in range(5):  # a free port can be taken between asking and binding
            cluster = cls(root, _free_port())
            options = (
                f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 "
                f"-c max_connections={max_connections} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            done = subprocess.run(
                cls._as_postgres(
                    [_binary("pg_ctl"), "-D", str(root / "pg"), "-o", options]
                    + ["-l", str(root / "log"), "-w", "-t", "60", "start"]
                ),
                capture_output=True,
                text=True,
            )
            if done.returncode == 0:
                return cluster
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log[-2000:]}")

    def stop(self) -> None:
        subprocess.run(
            self._as_postgres(
                [_binary("pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def _admin(self, sql: str) -> None:
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(sql)
        finally:
            engine.dispose()

    def new_database(self, prefix: str = "t", template: str = "template0") -> str:
        """A new database: empty, or a copy of `template` (which must have no connections)."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = sa.make_url(url).database
        with contextlib.suppress(Exception):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
