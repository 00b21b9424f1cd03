"""Streamlit: the store's engine and the first start (both in plain lib modules, shared with
serve.py), a refused store shown on the page, and cached data versions."""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from lib.core import config
from lib.core.plain_text import t_text
from lib.ingest.dataset import Dataset, open_dataset
from lib.ingest.first_start import first_start
from lib.ingest.validate import Problem
from lib.storage import migrations, store
from lib.storage.engines import engine_for
from lib.ui.lang import lang

PIN_KEY = "pinned_version"


def engine() -> sa.Engine:
    return engine_for(config.database_url())


def startup_problems() -> list[Problem]:
    """Seed an empty store from data/ once per process; report (not raise) unreadable data."""
    try:
        return first_start(config.database_url(), config.data_dir(), config.admin_password())
    except migrations.StoreNewerThanCode as refusal:
        # Nothing works on a schema this release does not know: say so and stop, untouched.
        st.error(t_text(refusal.key, lang(), **refusal.params))
        st.stop()


# A version never changes once written, so one shared copy serves every session and rerun:
# st.cache_data unpickled a fresh copy on every call (three per page run), which at 50,000
# programs cost more than the page itself. Nothing may change a frame got from here; pandas'
# copy-on-write keeps derived frames apart, and tests/test_breadth_pages.py checks that no page
# changes the shared copy.
@st.cache_resource(show_spinner=False, max_entries=6)
def _load(url: str, version: int) -> Dataset:
    return open_dataset(engine_for(url), version)


def load(version: int) -> Dataset:
    return _load(config.database_url(), version)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_official(url: str, version: int, token: int) -> Dataset:
    return open_dataset(engine_for(url), version, official_token=token)


def load_official(version: int, token: int) -> Dataset:
    """The official view of `version` while change sets are pending; `token` (the newest change
    set event) changes with every submission and move, so an approval shows on the next rerun."""
    return _load_official(config.database_url(), version, token)


@st.cache_data(show_spinner=False, max_entries=4)
def _boundaries(url: str, boundary_id: int) -> dict | None:
    return store.latest_boundaries(engine_for(url))


def boundary_id() -> int:
    """The newest stored boundary set's id (0 when there is none): part of a map's cache key."""
    return store.latest_boundary_id(engine())


def boundaries(latest: int | None = None) -> dict | None:
    """The newest stored boundary set, cached by its id (a new import shows on the next rerun)."""
    latest = boundary_id() if latest is None else latest
    return _boundaries(config.database_url(), latest) if latest else None


def pinned_version() -> int | None:
    return st.session_state.get(PIN_KEY)


def pin_version(version: int) -> None:
    st.session_state[PIN_KEY] = version


def unpin_version() -> None:
    st.session_state.pop(PIN_KEY, None)
