"""The approval queue as a reader sees it: change sets as a table in words, filtered by region,
state and age, and the batch a bulk move would make (no Streamlit)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.core.i18n import LOCAL_TZ, fmt_datetime, fmt_int, t
from lib.storage import approval
from lib.storage.accounts import User
from lib.views.change_text import region_names

COLUMNS = ("id", "state", "regions", "submitted_by", "submitted_at", "age", "reason", "links")


def region_names_of(regions: pd.DataFrame) -> dict[str, str]:
    return region_names(regions)


def state_label(state: str, lang: str) -> str:
    return t(f"cs_state_{state}", lang)


def regions_text(change_set: approval.ChangeSet, names: dict[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in change_set.regions)


def pending_list(change_sets, names: dict[str, str], lang: str) -> str:
    """'#5 Kabupaten Jepara (diajukan); #6 ...': what the "including pending" view holds."""
    return "; ".join(
        f"#{c.id} {regions_text(c, names)} ({state_label(c.state, lang)})" for c in change_sets
    )


def age_days(change_set: approval.ChangeSet, now: dt.datetime) -> int:
    return max(0, (now - change_set.submitted_at).days)


def filter_queue(
    change_sets: list[approval.ChangeSet],
    *,
    user: User | None = None,
    mine_only: bool = False,
    regions: set[str] | None = None,
    states: set[str] | None = None,
    min_age_days: int = 0,
    now: dt.datetime,
) -> list[approval.ChangeSet]:
    """The queue's filters: waiting for me (a move of mine is allowed), region, state, age."""
    kept = []
    for change_set in change_sets:
        if mine_only and not approval.waiting_for(user, change_set):
            continue
        if regions and not set(change_set.regions) & regions:
            continue
        if states and change_set.state not in states:
            continue
        if age_days(change_set, now) < min_age_days:
            continue
        kept.append(change_set)
    return kept


def queue_frame(
    change_sets: list[approval.ChangeSet],
    names: dict[str, str],
    people: dict[str, str],
    lang: str,
    now: dt.datetime,
) -> pd.DataFrame:
    """One row per change set, every column in words; the reason is the reviewer's text."""
    rows = []
    for c in change_sets:
        links = []
        if c.replaces:
            links.append(t("cs_replaces", lang, id=c.replaces))
        if c.replaced_by:
            links.append(t("cs_replaced_by", lang, id=c.replaced_by))
        rows.append(
            {
                "id": f"#{c.id}",
                "state": state_label(c.state, lang),
                "regions": regions_text(c, names),
                "submitted_by": people.get(c.submitted_by, c.submitted_by),
                "submitted_at": fmt_datetime(c.submitted_at.astimezone(LOCAL_TZ), lang),
                "age": t(
                    "cs_age_days", lang, count=age_days(c, now), n=fmt_int(age_days(c, now), lang)
                ),
                "reason": c.reason or "",
                "links": "; ".join(links),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.rename(columns={c: t(f"cs_col_{c}", lang) for c in COLUMNS})


def batch_summary(
    change_sets: list[approval.ChangeSet],
    user: User | None,
    move: str,
    names: dict[str, str],
    lang: str,
) -> dict:
    """What a bulk move would do, before it is made: which change sets move (to which state)
    and which this user cannot move (and why in words)."""
    movable, blocked = [], []
    for c in change_sets:
        if move in approval.moves_for(user, c):
            movable.append(c)
        else:
            blocked.append(c)
    to_state = None
    if movable and user is not None:
        to_state = approval.TRANSITIONS[(user.role, movable[0].state, move)]
    return {
        "movable": movable,
        "blocked": blocked,
        "text": t(
            "cs_batch_preview",
            lang,
            count=len(movable),
            n=fmt_int(len(movable), lang),
            move=t(f"cs_move_{move}", lang),
            regions=fmt_int(len({r for c in movable for r in c.regions}), lang),
            state=state_label(to_state, lang) if to_state else "–",
        ),
        "blocked_text": pending_list(blocked, names, lang),
    }
