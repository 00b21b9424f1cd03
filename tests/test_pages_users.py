"""Pengguna / Users (issue 20) through AppTest: an admin adds a walidata for a province, resets a
password (shown once), and cannot disable the last admin or change their own rights."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from lib.storage import accounts, store
from tests.conftest import PROJECT, sign_in

APP = str(PROJECT / "app.py")


@pytest.fixture
def engine(app_env):
    engine = store.make_engine(app_env)
    yield engine
    engine.dispose()


def users_page() -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page("pages/users.py").run()
    assert not at.exception, at.exception
    return at


def test_add_a_walidata_for_a_province_and_reset_a_password(engine):
    at = users_page()
    at.text_input(key="users_new_name").input("wali.jateng")
    at.text_input(key="users_new_display").input("Walidata Jateng")
    at.selectbox(key="users_new_role").set_value("walidata")
    at.text_input(key="users_new_regions").input("33")
    at.button(key="users_add").click().run()
    shown = at.warning[0].value
    assert shown.startswith("Kata sandi baru untuk wali\\.jateng:")
    password = shown.split(": ", 1)[1].split(" — ")[0].replace("\\", "")
    added = accounts.authenticate(engine, "wali.jateng", password)
    assert (added.role, added.regions) == ("walidata", frozenset({"33"}))
    assert accounts.audit_rows(engine)[1]["action"] == "user_added"
    at.run()
    assert not at.warning  # shown once
    table = at.dataframe[0].value
    assert ["wali.jateng", "Walidata Jateng", "Walidata", "33", "ya"] in table.values.tolist()
    at.selectbox(key="users_pick").set_value("wali.jateng").run()
    at.button(key="users_reset").click().run()
    again = at.warning[0].value.split(": ", 1)[1].split(" — ")[0].replace("\\", "")
    assert again != password
    assert accounts.authenticate(engine, "wali.jateng", again).username == "wali.jateng"


@pytest.mark.parametrize("action", ["disable", "set_role"])
def test_nobody_changes_their_own_rights_or_removes_the_last_admin(engine, action):
    at = users_page()
    at.selectbox(key="users_pick").set_value("admin").run()
    at.selectbox(key="users_role_admin").set_value("ministry_viewer")
    at.button(key=f"users_{action}").click().run()
    assert at.error[0].value.startswith("Anda tidak dapat mengubah hak")
    row = accounts.audit_rows(engine)[0]
    assert (row["action"], row["success"]) == ("user_change_refused", False)
    assert json.loads(row["detail"])["reason"] == "user_own_rights"
    assert accounts.list_users(engine)[0]["role"] == "ministry_admin"


def test_the_last_admin_stays(engine):
    accounts.add_user(engine, "kedua", "x" * 12, "ministry_admin")
    accounts.disable(engine, "admin", actor="kedua")  # another admin remains
    for change in (
        lambda: accounts.disable(engine, "kedua", actor="ops"),
        lambda: accounts.set_role(engine, "kedua", "walidata", {"33"}, actor="ops"),
    ):
        with pytest.raises(accounts.NotAllowed) as refused:
            change()
        assert refused.value.key == "user_last_admin"
    assert [u["active"] for u in accounts.list_users(engine)] == [False, True]
