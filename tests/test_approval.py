"""Verified data (issue 20): the transition table, exhaustively, on both stores; official and
pending data never mixed; the locks; two walidata at once."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa

from lib.storage import accounts, approval, store
from lib.storage.accounts import NotAllowed, User

JEPARA, KUDUS = "33.20", "33.19"
PRODUSEN = User("editor.jepara", "Dinkominfo Jepara", "regional_editor", frozenset({JEPARA}))
PRODUSEN_KUDUS = User("editor.kudus", "Dinkominfo Kudus", "regional_editor", frozenset({KUDUS}))
WALIDATA = User("wali.jateng", "Walidata Jawa Tengah", "walidata", frozenset({"33"}))
WALIDATA_2 = User("wali.jepara", "Walidata Jepara", "walidata", frozenset({JEPARA}))
WALIDATA_DIY = User("wali.diy", "Walidata DIY", "walidata", frozenset({"34"}))
PEMBINA = User("admin", "Administrator", "ministry_admin", frozenset())
VIEWER = User("viewer", "Viewer", "ministry_viewer", frozenset())
REGIONAL_VIEWER = User("rviewer", "Regional viewer", "regional_viewer", frozenset({JEPARA}))
ACTORS = {
    "walidata": WALIDATA,
    "walidata_other_province": WALIDATA_DIY,
    "pembina": PEMBINA,
    "produsen": PRODUSEN,
    "ministry_viewer": VIEWER,
    "regional_viewer": REGIONAL_VIEWER,
    "anonymous": None,
}
REASON = "Anggaran baris 3 tidak sesuai DPA"


@pytest.fixture
def approving(monkeypatch, seeded_engine):
    monkeypatch.setenv("DASHBOARD_APPROVAL", "on")
    return seeded_engine


def latest(engine):
    return store.read_all(engine, store.current_version(engine))


def official(engine):
    return approval.read_official(engine, store.current_version(engine))


def budget(frames, region=JEPARA) -> int:
    programs = frames["programs"]
    row = programs[programs["region_code"] == region].sort_values("program_id").iloc[0]
    return int(row["budget_idr"])


def write(engine, user, delta=1000, region=JEPARA):
    """The user's write of one program budget (+delta), as an upload applies it."""
    frames = latest(engine)
    programs = frames["programs"].copy()
    index = programs[programs["region_code"] == region].sort_values("program_id").index[0]
    programs.loc[index, "budget_idr"] = programs.loc[index, "budget_idr"] + delta
    version, submission = approval.guarded_write(
        engine,
        user,
        new_rows={"programs": programs[programs["region_code"] == region]},
        scope={"programs": {region}},
        author=user.display_name,
        action="upload",
        expected_version=store.current_version(engine),
    )
    return version, submission.change_set_id


def snapshot(engine) -> dict:
    """Everything a move may write, apart from the audit log."""
    with engine.connect() as connection:
        return {
            "change_sets": [tuple(r) for r in connection.execute(sa.select(approval.change_sets))],
            "events": connection.execute(
                sa.select(sa.func.count()).select_from(approval.change_set_events)
            ).scalar(),
            "locks": connection.execute(
                sa.select(sa.func.count()).select_from(approval.approval_locks)
            ).scalar(),
            "version": store.current_version(engine),
        }


def in_state(engine, state: str) -> int:
    """A change set of the Jepara produsen brought to `state` by the moves the table allows."""
    _, first = write(engine, PRODUSEN)
    if state == "verified":
        approval.move(engine, first, WALIDATA, "verify")
    elif state == "approved":
        approval.move(engine, first, PEMBINA, "approve")
    elif state in ("returned", "replaced"):
        approval.move(engine, first, WALIDATA, "return", REASON)
        if state == "replaced":
            write(engine, PRODUSEN, delta=500)
    assert approval.get(engine, first).state == state
    return first


CASES = [
    (actor, state, move)
    for actor in ACTORS
    for state in approval.STATES
    for move in ("verify", "return", "approve")
]


def expected_state(actor: str, state: str, move: str) -> str | None:
    user = ACTORS[actor]
    if user is None or actor == "walidata_other_province":
        return None
    return approval.TRANSITIONS.get((user.role, state, move))


@pytest.mark.both_stores
@pytest.mark.parametrize(("actor", "state", "move"), CASES, ids=["-".join(c) for c in CASES])
def test_every_role_state_and_move(approving, actor, state, move):
    engine = approving
    change_set = in_state(engine, state)
    before = snapshot(engine)
    audit_rows = len(accounts.audit_rows(engine))
    user = ACTORS[actor]
    to_state = expected_state(actor, state, move)
    if to_state is None:
        with pytest.raises(NotAllowed) as refused:
            approval.move(engine, change_set, user, move, REASON)
        assert refused.value.key in (
            "change_set_wrong_state",
            "change_set_move_not_allowed",
            "change_set_other_regions",
        )
        assert snapshot(engine) == before  # nothing written ...
        newest = accounts.audit_rows(engine)[0]  # ... but the refusal, audited
        assert len(accounts.audit_rows(engine)) == audit_rows + 1
        assert (newest["action"], newest["success"]) == ("change_set_refused", False)
        assert json.loads(newest["detail"])["reason"] == refused.value.key
    else:
        assert approval.move(engine, change_set, user, move, REASON) == to_state
        assert approval.get(engine, change_set).state == to_state
        last = approval.events(engine, change_set)[-1]
        assert (last["actor"], last["move"], last["from_state"], last["to_state"]) == (
            user.username,
            move,
            state,
            to_state,
        )


def test_an_unknown_move_raises(approving):
    change_set = in_state(approving, "submitted")
    for move in ("publish", "resubmit", ""):
        with pytest.raises(ValueError, match="unknown move"):
            approval.move(approving, change_set, PEMBINA, move)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_return_needs_a_reason(approving, reason):
    change_set = in_state(approving, "submitted")
    before = snapshot(approving)
    with pytest.raises(NotAllowed) as refused:
        approval.move(approving, change_set, WALIDATA, "return", reason)
    assert refused.value.key == "change_set_reason_required"
    assert snapshot(approving) == before


def test_official_and_pending_through_submit_return_resubmit_approve(approving):
    engine = approving
    start = budget(official(engine))
    kudus = budget(official(engine), KUDUS)
    _, first = write(engine, PRODUSEN, delta=1000)
    # submitted: stored (the latest data holds it) but not official
    assert budget(latest(engine)) == start + 1000
    assert budget(official(engine)) == start
    # a pembina's own write elsewhere is official at once; Jepara's stays pending
    write(engine, PEMBINA, delta=7, region=KUDUS)
    assert budget(official(engine), KUDUS) == kudus + 7
    assert budget(official(engine)) == start
    # returned with a reason: taken out of the latest data too (a revert version)
    approval.move(engine, first, WALIDATA, "return", REASON)
    returned = approval.get(engine, first)
    assert (returned.state, returned.reason) == ("returned", REASON)
    assert budget(latest(engine)) == start
    assert budget(official(engine)) == start
    assert store.version_info(engine, store.current_version(engine)).action == "revert"
    # resubmitted: the new change set replaces the returned one
    _, second = write(engine, PRODUSEN, delta=2000)
    assert approval.get(engine, first).state == "replaced"
    assert approval.get(engine, first).replaced_by == second
    assert approval.get(engine, second).replaces == first
    assert budget(official(engine)) == start
    approval.move(engine, second, WALIDATA, "verify")
    assert budget(official(engine)) == start  # verified is not approved
    approval.move(engine, second, PEMBINA, "approve")
    assert budget(official(engine)) == start + 2000
    assert official(engine)["programs"].equals(latest(engine)["programs"])
    assert budget(official(engine), KUDUS) == kudus + 7


def test_official_rows_never_duplicate_a_key(approving):
    """Whatever the moves, the official view holds each key once (pending and official rows of
    one key never both count)."""
    engine = approving
    _, first = write(engine, PRODUSEN)
    approval.move(engine, first, WALIDATA, "return", REASON)
    _, second = write(engine, PRODUSEN, delta=3)
    approval.move(engine, second, PEMBINA, "approve")
    approval.reopen(engine, PEMBINA, "programs", JEPARA)
    write(engine, PRODUSEN, delta=5)
    for name, frame in official(engine).items():
        key = store.TABLES[name].key
        assert not frame.duplicated(list(key)).any(), name
        assert len(frame) == len(latest(engine)[name])


def test_a_write_into_a_pending_change_set_is_refused_for_everyone(approving):
    engine = approving
    _, first = write(engine, PRODUSEN)
    before = snapshot(engine)
    for user in (PEMBINA, PRODUSEN):
        with pytest.raises(NotAllowed) as refused:
            write(engine, user, delta=9)
        assert refused.value.key == "change_set_pending_area"
        assert refused.value.params["id"] == first
    assert snapshot(engine) == before
    write(engine, PRODUSEN_KUDUS, region=KUDUS)  # another region: its own change set


def test_approved_data_is_locked_for_produsen_until_a_pembina_reopens(approving):
    engine = approving
    accounts.add_user(engine, "pembina.pusat", "x" * 12, "ministry_admin", display_name="Pusat")
    _, first = write(engine, PRODUSEN)
    approval.move(engine, first, PEMBINA, "approve")
    with pytest.raises(NotAllowed) as refused:
        write(engine, PRODUSEN, delta=3)
    assert refused.value.key == "approved_locked"
    assert refused.value.params == {"regions": JEPARA, "who": "Pusat"}
    write(engine, PEMBINA, delta=3)  # a pembina may still write, officially
    with pytest.raises(NotAllowed):
        approval.reopen(engine, WALIDATA, "programs", JEPARA)
    assert approval.reopen(engine, PEMBINA, "programs", JEPARA) == 1
    assert accounts.audit_rows(engine)[0]["action"] == "approval_reopened"
    _, again = write(engine, PRODUSEN, delta=4)
    assert approval.get(engine, again).state == "submitted"


def test_bulk_approve_is_all_or_nothing(approving):
    engine = approving
    ids = [write(engine, PRODUSEN)[1]]
    ids.append(write(engine, PRODUSEN_KUDUS, region=KUDUS)[1])
    approval.move(engine, ids[1], PEMBINA, "approve")
    before = snapshot(engine)
    with pytest.raises(NotAllowed):
        approval.move_many(engine, ids, PEMBINA, "approve")
    assert snapshot(engine) == before
    assert approval.move_many(engine, ids[:1], PEMBINA, "approve") == {ids[0]: "approved"}


def test_approval_off_keeps_todays_behaviour(monkeypatch, seeded_engine):
    monkeypatch.setenv("DASHBOARD_APPROVAL", "off")
    start = budget(latest(seeded_engine))
    _, change_set = write(seeded_engine, PRODUSEN)
    assert change_set is None
    assert approval.list_change_sets(seeded_engine) == []
    assert budget(official(seeded_engine)) == start + 1000


@pytest.mark.both_stores
def test_two_walidata_verifying_at_once_one_wins(approving):
    engine = approving
    change_set = in_state(engine, "submitted")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def verify(user):
        barrier.wait()
        try:
            outcomes[user.username] = approval.move(engine, change_set, user, "verify")
        except NotAllowed as refusal:
            outcomes[user.username] = refusal

    threads = [threading.Thread(target=verify, args=(u,)) for u in (WALIDATA, WALIDATA_2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [name for name, outcome in outcomes.items() if outcome == "verified"]
    lost = [outcome for outcome in outcomes.values() if isinstance(outcome, NotAllowed)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].key == "change_set_wrong_state"
    assert lost[0].params["state"] == "verified"
    assert lost[0].params["by"] == won[0]
    assert [e["move"] for e in approval.events(engine, change_set)] == ["submit", "verify"]


def test_briefings_say_which_data_they_hold(approving):
    import datetime as dt

    from lib.briefing.content import _version_line
    from lib.ingest.dataset import open_dataset

    start = budget(official(approving))
    write(approving, PRODUSEN)
    version = store.current_version(approving)
    held = open_dataset(approving, version, approval.state_token(approving))
    assert budget({"programs": held.programs}) == start
    line = _version_line(held, dt.date(2021, 11, 15), "id")
    assert line.endswith("data resmi: hanya perubahan yang disetujui")
    assert "resmi" not in _version_line(open_dataset(approving, version), dt.date.today(), "id")
