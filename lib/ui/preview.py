"""Streamlit: the upload preview kept per session, so a rerun does not check the files again."""

from __future__ import annotations

import hashlib

import streamlit as st

from lib.storage import store
from lib.ui.store import engine

PREVIEW_KEY = "upload_preview"


def _uploads_key(uploads: list[tuple[str, bytes]]) -> tuple:
    files = tuple(sorted((name, hashlib.sha256(data).hexdigest()) for name, data in uploads))
    return files, store.current_version(engine())


def cached_preview(uploads: list[tuple[str, bytes]]):
    """The preview already made for these exact files at the current data version, if any:
    ticking a box or pressing Apply must not read and validate the files again."""
    kept = st.session_state.get(PREVIEW_KEY)
    return kept[1] if kept and kept[0] == _uploads_key(uploads) else None


def keep_preview(uploads: list[tuple[str, bytes]], preview) -> None:
    st.session_state[PREVIEW_KEY] = (_uploads_key(uploads), preview)
