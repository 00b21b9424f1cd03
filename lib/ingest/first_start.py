"""First start: seed an empty store from data/ and create the first admin, once per process and
store, whoever asks first (serve.py at server start, or the first page run under AppTest)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from lib.ingest.dataset import ensure_seeded
from lib.ingest.validate import Problem
from lib.storage import accounts
from lib.storage.engines import engine_for

_DONE: set[str] = set()
_LOCK = threading.Lock()


def first_start(url: str, data_dir: Path, admin_password: str | None) -> list[Problem]:
    """The problems of unreadable shipped data (then no admin is made and the next call tries
    again). A store written by a newer release raises migrations.StoreNewerThanCode, untouched."""
    if url in _DONE:
        return []
    with _LOCK:
        if url in _DONE:
            return []
        engine = engine_for(url)
        problems = ensure_seeded(engine, data_dir)
        if problems:
            return problems
        generated = accounts.ensure_admin(engine, admin_password)
        if generated:
            # Shown once, in the server log only: the operator's way into a new install.
            print(
                f"First start: account 'admin' created with password {generated}",
                file=sys.stderr,
                flush=True,
            )
        _DONE.add(url)
    return []
