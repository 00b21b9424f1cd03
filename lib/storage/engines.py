"""One engine per database URL for the whole process: the pages, the sign-in routes and the
first start share its connection pool instead of each keeping one of its own."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from lib.storage import store

_ENGINES: dict[str, sa.Engine] = {}
_LOCK = threading.Lock()


def engine_for(url: str) -> sa.Engine:
    """The process's engine for `url`, made on first use and kept for the life of the process."""
    engine = _ENGINES.get(url)
    if engine is None:
        with _LOCK:  # two threads asking at once must not make two pools
            engine = _ENGINES.get(url)
            if engine is None:
                engine = _ENGINES[url] = store.make_engine(url)
    return engine
