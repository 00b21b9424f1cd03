"""The audit log as a reader sees it: actions in words, details as text, people by one name."""

from __future__ import annotations

import json

import pandas as pd

from lib.core.i18n import LOCAL_TZ, Unfilled, fmt_datetime, fmt_int, has_message, message, t

# Detail values that are themselves coded: shown through their own messages.
CODED = {
    "role": "role_{}",
    "reason": "{}",
    "from": "cs_state_{}",
    "to": "cs_state_{}",
    "move": "cs_move_{}",
}


def action_label(action: str, lang: str) -> str:
    """An action in words; a code this release does not know (an older or newer one) as is."""
    key = f"audit_action_{action}"
    return t(key, lang) if has_message(key) else action


ACCOUNTLESS = {"system": "audit_actor_system", "anonymous": "audit_actor_anonymous"}


def person(actor: str, names: dict[str, str], lang: str) -> str:
    """The name History shows for the same person (their display name); command-line
    operators have no account and keep the name they were recorded under."""
    if actor in ACCOUNTLESS and actor not in names:
        return t(ACCOUNTLESS[actor], lang)
    return names.get(actor, actor)


def _value(key: str, value, lang: str, names: dict[str, str]) -> str:
    if key in CODED and isinstance(value, str):
        coded = CODED[key].format(value)
        if has_message(coded):
            # A refusal is logged without the parameters its message had: they show as '…'.
            return message(coded, lang).format_map(Unfilled())
    if key == "username":
        return person(value, names, lang)
    if key == "sha256" and isinstance(value, str):
        return value[:12]
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, int):
        return fmt_int(value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def detail_text(detail: str, lang: str, names: dict[str, str]) -> str:
    """'{"target": 2, "version": 5}' as 'Ke versi: 2 · Versi: 5'."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return str(detail)
    if not isinstance(data, dict):
        return str(data)
    parts = []
    for key, value in data.items():
        label_key = f"audit_detail_{key}"
        label = t(label_key, lang) if has_message(label_key) else key
        parts.append(f"{label}: {_value(key, value, lang, names)}")
    return " · ".join(parts)


# A failed sign-in is recorded under the name typed, which proves nothing about who typed it:
# "Oleh: Dinkominfo Jepara" read as if the editor had done it.
ATTEMPTS = {"login_failed", "login_throttled", "login_locked"}


def _by(actor: str, action: str, names: dict[str, str], lang: str) -> str:
    return t("audit_actor_anonymous", lang) if action in ATTEMPTS else person(actor, names, lang)


def _detail(row, lang: str, names: dict[str, str]) -> str:
    text = detail_text(row.detail, lang, names)
    if row.action not in ATTEMPTS:
        return text
    tried = t("audit_detail_name_tried", lang, name=row.actor)
    return f"{tried} · {text}" if text else tried


def audit_table(log: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    rows = list(log.itertuples(index=False))
    return pd.DataFrame(
        {
            t("col_when", lang): [fmt_datetime(v.astimezone(LOCAL_TZ), lang) for v in log["at"]],
            t("col_author", lang): [_by(r.actor, r.action, names, lang) for r in rows],
            t("col_action", lang): [action_label(a, lang) for a in log["action"]],
            t("col_success", lang): [
                t("yes", lang) if v else t("no", lang) for v in log["success"]
            ],
            t("col_detail", lang): [_detail(r, lang, names) for r in rows],
        }
    )
