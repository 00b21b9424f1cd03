"""Streamlit: the upload preview kept per session, so a rerun does not check the files again.

The kept preview is keyed by the files alone, never by the data version: it stays the preview
the user read until an Apply is refused because the data moved on. Keyed by the version, the
rerun a click starts would make a fresh preview against the new data and apply that unseen.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from lib.core.i18n import t
from lib.storage import approval

PREVIEW_KEY = "upload_preview"
STALE_KEY = "upload_stale"  # (version the refused preview was made on, version the data is at)


def _uploads_key(uploads: list[tuple[str, bytes]]) -> tuple:
    return tuple(sorted((name, hashlib.sha256(data).hexdigest()) for name, data in uploads))


def cached_preview(uploads: list[tuple[str, bytes]]):
    """The preview already made for these exact files, if any: ticking a box or pressing Apply
    must not read and validate the files again, nor swap the preview the user read."""
    kept = st.session_state.get(PREVIEW_KEY)
    return kept[1] if kept and kept[0] == _uploads_key(uploads) else None


def keep_preview(uploads: list[tuple[str, bytes]], preview) -> None:
    st.session_state[PREVIEW_KEY] = (_uploads_key(uploads), preview)


def refuse_stale(made_on: int, current: int) -> None:
    """Apply was refused: forget the preview, so the next run makes it again against the
    current data, and remember why, so that run can say so."""
    st.session_state.pop(PREVIEW_KEY, None)
    st.session_state[STALE_KEY] = (made_on, current)


def stale_notice() -> tuple[int, int] | None:
    return st.session_state.pop(STALE_KEY, None)


def remember_seen(key: str, seen) -> None:
    """A button's on_click: runs before the rerun the click starts, with the values of the run
    the user saw (what the preview was made on), which that rerun can no longer know."""
    st.session_state[key] = seen


def applied_text(engine, version: int | None, lang: str, official: str | None = None) -> str:
    """What an apply or a rollback did: a new official version (`official`, else "applied"),
    a change set waiting for verification (a produsen's write with approval on), or nothing."""
    if not version:
        return t("no_changes", lang)
    change_set = approval.for_version(engine, version)
    if change_set is not None:
        return t("upload_submitted", lang, version=version, id=change_set.id)
    return official or t("applied", lang, version=version)
