"""The version history as a reader sees it: headers, actions and times in their language."""

from __future__ import annotations

import pandas as pd

from lib.core.i18n import LOCAL_TZ, fmt_datetime, t
from lib.storage import store
from lib.views.change_text import summary_words

COLUMNS = {
    "version": "col_version",
    "created_at": "col_when",
    "author": "col_author",
    "action": "col_action",
    "file": "col_file",
    "summary": "col_summary",
}


def file_text(action: str, file_name: str | None, lang: str) -> str:
    """The file column: uploaded file names, or which version a rollback restored."""
    if action == "rollback" and file_name and file_name.startswith("v"):
        return t("rollback_file", lang, target=file_name[1:])
    return file_name or "–"


def author_text(author: str, lang: str) -> str:
    """The seeding of the shipped data is written by "system": a word of the reader's language."""
    return t("audit_actor_system", lang) if author == "system" else author


def localized_versions(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The history table with headers and actions in the user's language, times in WIB."""
    if table.empty:
        return table
    out = table.copy()
    out["created_at"] = [fmt_datetime(v.astimezone(LOCAL_TZ), lang) for v in out.created_at]
    out["action"] = [t(f"action_{a}", lang) for a in out["action"]]
    out["file"] = [file_text(a, f, lang) for a, f in zip(table["action"], out["file"], strict=True)]
    out["summary"] = [summary_words(v, lang) for v in out["summary"]]
    out["author"] = [author_text(a, lang) for a in out["author"]]
    return out.rename(columns={k: t(v, lang) for k, v in COLUMNS.items()})


def version_label(info: store.VersionInfo, lang: str) -> str:
    return t(
        "version_label",
        lang,
        version=info.id,
        when=fmt_datetime(info.created_at.astimezone(LOCAL_TZ), lang),
        author=author_text(info.author, lang),
        action=t(f"action_{info.action}", lang),
    )
