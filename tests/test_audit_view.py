"""The audit log reads as words: actions localized, details as text, one name per person."""

import ast
import datetime as dt
import json

import pandas as pd
import pytest

from lib.core.i18n import has_message
from lib.views.audit import action_label, audit_table, detail_text
from tests.conftest import PROJECT

NAMES = {"admin": "Administrator", "editor.jepara": "Editor Jepara"}


def _recorded_actions() -> set[str]:
    """Every action the code records: record(engine, actor, "<action>", ...), _log(...),
    recorder(actor, "<action>", ...) (written with a version, in its transaction),
    _update(engine, username, actor, "<action>", ...)."""
    positions = {"record": 2, "_log": 2, "_update": 3, "recorder": 1}
    found = set()
    for folder in ("lib", "pages"):
        for path in (PROJECT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                at = positions.get(name)
                if at is not None and len(node.args) > at:
                    arg = node.args[at]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
    return found


def test_every_recorded_action_has_words_in_both_languages():
    actions = _recorded_actions()
    assert {"login", "user_added", "upload_checked", "rollback"} <= actions
    assert sorted(a for a in actions if not has_message(f"audit_action_{a}")) == []


@pytest.mark.parametrize(
    "action, lang, text",
    [
        ("login", "id", "masuk"),
        ("user_added", "en", "user added"),
        ("upload_checked", "id", "berkas diperiksa"),
        ("some_future_action", "id", "some_future_action"),  # unknown codes stay readable
    ],
)
def test_actions_in_words(action, lang, text):
    assert action_label(action, lang) == text


@pytest.mark.parametrize(
    "detail, lang, text",
    [
        (
            {"username": "editor.jepara", "role": "regional_editor", "regions": ["33.20"]},
            "id",
            "Pengguna: Editor Jepara · Peran: Editor wilayah (produsen data) · Wilayah: 33.20",
        ),
        ({"target": 2, "version": 5}, "en", "Back to version: 2 · Version: 5"),
        (
            {"files": ["kudus.xlsx"], "problems": 0, "sha256": "ab" * 32},
            "id",
            "Berkas: kudus.xlsx · Masalah: 0 · Sidik berkas (SHA-256): abababababab",
        ),
        ({}, "id", ""),
    ],
)
def test_details_read_as_text_not_json(detail, lang, text):
    assert detail_text(json.dumps(detail), lang, NAMES) == text


def test_one_name_per_person_as_history_shows_it():
    log = pd.DataFrame(
        [
            {
                "at": dt.datetime(2021, 10, 15, 3, 0, tzinfo=dt.UTC),
                "actor": "admin",
                "action": "login",
                "success": True,
                "detail": "{}",
            },
            {
                "at": dt.datetime(2021, 10, 15, 3, 5, tzinfo=dt.UTC),
                "actor": "system",
                "action": "user_added",
                "success": True,
                "detail": json.dumps({"username": "admin", "role": "ministry_admin"}),
            },
        ]
    )
    table = audit_table(log, NAMES, "id")
    assert table.to_dict("list") == {
        "Waktu": ["15 Oktober 2021 10.00 WIB", "15 Oktober 2021 10.05 WIB"],
        "Oleh": ["Administrator", "sistem"],
        "Tindakan": ["masuk", "pengguna ditambahkan"],
        "Berhasil": ["ya", "ya"],
        "Rincian": ["", "Pengguna: Administrator · Peran: Admin kementerian (pembina data)"],
    }


# Issue 29 item 12: a failed sign-in was listed "Oleh: Dinkominfo Jepara", as if the editor
# had done it; the name typed is a detail, not the one who acted.
@pytest.mark.parametrize("action", ["login_failed", "login_throttled", "login_locked"])
@pytest.mark.parametrize(
    ("lang", "by", "tried"),
    [
        ("id", "tanpa akun", "Nama yang dicoba: editor.jepara"),
        ("en", "not signed in", "Name tried: editor.jepara"),
    ],
)
def test_a_failed_sign_in_is_not_put_on_the_account_it_named(action, lang, by, tried):
    log = pd.DataFrame(
        [
            {
                "at": dt.datetime(2021, 10, 15, 3, 0, tzinfo=dt.UTC),
                "actor": "editor.jepara",
                "action": action,
                "success": False,
                "detail": json.dumps({"failures": 2}) if action == "login_failed" else "{}",
            }
        ]
    )
    table = audit_table(log, {"editor.jepara": "Dinkominfo Jepara"}, lang)
    assert table.iloc[0, 1] == by
    assert table.iloc[0, 4].startswith(tried)
    assert "Dinkominfo Jepara" not in table.to_string()
