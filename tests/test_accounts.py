"""Accounts and rights against lib: the authorization matrix, login throttling, password care."""

import datetime as dt
import logging

import pytest
import sqlalchemy as sa

from lib.ingest.upload import check_rights, inspect_upload
from lib.storage import accounts, history, migrations, store
from lib.storage.accounts import LoginRefused, NotAllowed, User
from tests.conftest import stage_workbook

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

OWN, OTHER = "33.20", "33.19"
USERS = {
    "ministry_admin": User("a", "A", "ministry_admin", frozenset()),
    "ministry_viewer": User("v", "V", "ministry_viewer", frozenset()),
    "regional_editor": User("e", "E", "regional_editor", frozenset({OWN})),
    "regional_viewer": User("r", "R", "regional_viewer", frozenset({OWN})),
    "anonymous": None,
}
EXPECTED = {  # (role, action, own region?) -> allowed
    **{(role, "view", own): True for role in USERS for own in (True, False)},
    **{
        ("ministry_admin", action, own): True
        for action in accounts.ACTIONS
        for own in (True, False)
    },
    **{
        (role, "view_history", own): True
        for role in USERS
        if role != "anonymous"
        for own in (True, False)
    },
    ("regional_editor", "upload", True): True,
    ("regional_editor", "rollback", True): True,
}


@pytest.mark.parametrize("role", list(USERS))
@pytest.mark.parametrize("action", accounts.ACTIONS)
@pytest.mark.parametrize("own", [True, False])
def test_authorization_matrix(role, action, own):
    region = OWN if own else OTHER
    assert accounts.allowed(USERS[role], action, region) is EXPECTED.get((role, action, own), False)


@pytest.mark.parametrize("user", [USERS["ministry_admin"], None])
def test_an_unknown_action_is_a_programming_error_not_a_silent_refusal(user):
    with pytest.raises(ValueError, match="upload_everything"):
        accounts.allowed(user, "upload_everything")


def stage_upload(engine, rows):
    return inspect_upload(engine, [("f.xlsx", stage_workbook(rows))])


def test_editor_upload_with_another_regions_rows_is_refused_listing_them(seeded_engine):
    preview = stage_upload(
        seeded_engine, [[OWN, 1, "selesai"], [OTHER, 2, "selesai"], [OTHER, 3, "rencana"]]
    )
    with pytest.raises(NotAllowed) as error:
        check_rights(USERS["regional_editor"], preview)
    # stage 3 planned: no change
    assert error.value.params["rows"].text("id") == "Bimtek 2 · Kabupaten Kudus (tahap baris 3)"
    removed = error.value.params["removed"].text("id")
    assert removed == "Bimtek 1 · Kabupaten Kudus, Bimtek 4 · Kabupaten Kudus"
    check_rights(USERS["ministry_admin"], preview)  # the ministry may
    with pytest.raises(NotAllowed):
        check_rights(USERS["regional_viewer"], preview)


def test_editor_rollback_only_within_own_regions(seeded_engine):
    stages = store.read_all(seeded_engine, 1)["stages"]
    changed = stages.copy()
    changed.loc[changed.region_code == OTHER, "status"] = "done"
    store.write_version(
        seeded_engine, {"stages": changed}, author="x", action="upload", expected_version=1
    )
    diffs = history.compare(seeded_engine, 2, 1)
    with pytest.raises(NotAllowed) as error:
        accounts.check_rollback_regions(USERS["regional_editor"], diffs)
    assert error.value.params["regions"] == OTHER
    editor_of_other = User("k", "K", "regional_editor", frozenset({OTHER}))
    accounts.check_rollback_regions(editor_of_other, diffs)


@pytest.fixture
def account_engine(engine):
    migrations.upgrade(engine)
    accounts.add_user(
        engine,
        "dinkominfo.jepara",
        "Rahasia-Jepara-2021",
        "regional_editor",
        regions={OWN},
        email="kominfo@jepara.go.id",
    )
    return engine


def test_login_and_wrong_password_get_one_message(account_engine):
    user = accounts.authenticate(account_engine, "Dinkominfo.Jepara", "Rahasia-Jepara-2021")
    assert (user.role, user.regions) == ("regional_editor", frozenset({OWN}))
    for name, password in (("dinkominfo.jepara", "wrong"), ("nobody", "Rahasia-Jepara-2021")):
        with pytest.raises(LoginRefused) as error:
            accounts.authenticate(account_engine, name, password)
        assert str(error.value) == ""  # nothing about whether the name exists


def test_failures_slow_down_then_lock(account_engine):
    start = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
    for _ in range(accounts.THROTTLE_AFTER):
        with pytest.raises(LoginRefused):
            accounts.authenticate(account_engine, "dinkominfo.jepara", "wrong", start)
    # throttled: even the right password is refused until the wait has passed
    with pytest.raises(LoginRefused):
        accounts.authenticate(
            account_engine,
            "dinkominfo.jepara",
            "Rahasia-Jepara-2021",
            start + dt.timedelta(seconds=1),
        )
    later = start + dt.timedelta(seconds=5)
    assert (
        accounts.authenticate(
            account_engine, "dinkominfo.jepara", "Rahasia-Jepara-2021", later
        ).username
        == "dinkominfo.jepara"
    )
    moment = later
    for _ in range(accounts.LOCK_AFTER):
        moment += dt.timedelta(minutes=1)
        with pytest.raises(LoginRefused):
            accounts.authenticate(account_engine, "dinkominfo.jepara", "wrong", moment)
    with pytest.raises(LoginRefused):  # locked, right password or not
        accounts.authenticate(
            account_engine,
            "dinkominfo.jepara",
            "Rahasia-Jepara-2021",
            moment + dt.timedelta(minutes=5),
        )
    assert accounts.authenticate(
        account_engine,
        "dinkominfo.jepara",
        "Rahasia-Jepara-2021",
        moment + dt.timedelta(minutes=16),
    )
    actions = [r["action"] for r in accounts.audit_rows(account_engine)]
    assert {"login_failed", "login_throttled", "login_locked", "login"} <= set(actions)


def test_disabled_account_cannot_log_in(account_engine):
    accounts.disable(account_engine, "dinkominfo.jepara", actor="admin")
    with pytest.raises(LoginRefused):
        accounts.authenticate(account_engine, "dinkominfo.jepara", "Rahasia-Jepara-2021")


def test_passwords_never_stored_or_logged_in_clear(account_engine, caplog):
    caplog.set_level(logging.DEBUG)
    accounts.reset_password(account_engine, "dinkominfo.jepara", "Baru-Sekali-99", actor="admin")
    with pytest.raises(LoginRefused) as error:
        accounts.authenticate(account_engine, "dinkominfo.jepara", "Salah-Sekali-77")
    dump = "\n".join(
        " ".join(map(str, row))
        for table in ("users", "audit", "login_throttle")
        for row in account_engine.connect().execute(sa.text(f"SELECT * FROM {table}"))
    )
    for secret in ("Rahasia-Jepara-2021", "Baru-Sekali-99", "Salah-Sekali-77"):
        assert secret not in dump
        assert secret not in caplog.text
        assert secret not in repr(error.value)
    assert "$argon2id$" in dump


@pytest.mark.argon2
def test_production_passwords_are_argon2id_with_the_recommended_parameters(engine):
    migrations.upgrade(engine)
    accounts.add_user(engine, "kominfo", "Rahasia-Jepara-2021", "ministry_viewer")
    with engine.connect() as connection:
        stored = connection.execute(sa.select(accounts.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert accounts.authenticate(engine, "kominfo", "Rahasia-Jepara-2021").username == "kominfo"


def test_first_start_creates_one_admin(engine, new_store_url):
    generated = accounts.ensure_admin(engine, None)
    assert generated and len(generated) >= 16
    assert accounts.authenticate(engine, "admin", generated).role == "ministry_admin"
    assert accounts.ensure_admin(engine, None) is None  # only once
    other = store.make_engine(new_store_url())
    assert accounts.ensure_admin(other, "Dari-Lingkungan-1") is None
    assert accounts.authenticate(other, "admin", "Dari-Lingkungan-1")


def test_single_sign_on_email_maps_to_account_and_unknown_gets_nothing(account_engine):
    assert accounts.user_for_email(account_engine, "KOMINFO@jepara.go.id").regions == {OWN}
    assert accounts.user_for_email(account_engine, "someone@example.org") is None
    assert not accounts.allowed(accounts.user_for_email(account_engine, "x@y.z"), "upload")
