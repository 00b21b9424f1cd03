"""Issue 29 item 9, per account: the language a signed-in reader chose is kept for the account,
and a sign-in in another browser opens in it; a ?lang in the link, or a pick in this session,
still wins. (AppTest loses a session's language over the sign-in's rerun, so the page flow is
the browser test's, tests/browser/test_language_memory.py; here the rule and the store.)"""

import pytest

from lib.storage import accounts, sessions
from lib.ui.lang import language_at_sign_in

PASSWORD = "Kata-Sandi-Wilayah-1"


@pytest.mark.parametrize(
    "account, current, chosen, switch",
    [
        ("en", "id", False, "en"),  # a new browser, the default or its cookie: the account's
        ("en", "id", True, None),  # ?lang=id in the link, or picked in this session: kept
        ("en", "en", False, None),  # already so
        (None, "id", False, None),  # the account never chose
        ("fr", "id", False, None),  # not a registered language (an old value): ignored
    ],
)
def test_the_language_a_sign_in_switches_to(account, current, chosen, switch):
    assert language_at_sign_in(account, current, chosen) == switch


@pytest.mark.both_stores
def test_an_accounts_language_is_kept_and_read_back_by_every_way_in(seeded_engine):
    accounts.add_user(
        seeded_engine, "editor.jepara", PASSWORD, "regional_editor", regions={"33.20"}
    )
    assert accounts.authenticate(seeded_engine, "editor.jepara", PASSWORD).lang is None
    accounts.set_language(seeded_engine, "editor.jepara", "en")
    assert accounts.authenticate(seeded_engine, "editor.jepara", PASSWORD).lang == "en"
    _, ticket = sessions.start(seeded_engine, "editor.jepara")
    token = sessions.redeem(seeded_engine, ticket)
    assert sessions.find(seeded_engine, token=token, idle_minutes=60).user.lang == "en"
    with pytest.raises(ValueError):
        accounts.set_language(seeded_engine, "editor.jepara", "fr")
