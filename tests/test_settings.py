"""True/false settings are read by one parser (lib.core.config.flag), the same way wherever they
are used; a value that means neither is refused with its name, never read as the default."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from lib.core import config
from lib.web import auth as web_auth
from lib.web.security import HeaderSettings

SPELLINGS = [
    ("1", True),
    ("true", True),
    ("yes", True),
    ("on", True),
    ("TRUE", True),
    (" Yes ", True),
    ("0", False),
    ("false", False),
    ("no", False),
    ("off", False),
    ("Off", False),
    ("FALSE\n", False),
]
REFUSED = ["ture", "y", "n", "2", "-1", "enabled", "ya", "tidak", "true false", "on/off"]


def in_environment(read):
    """`read` run with exactly these settings in the process environment."""

    def run(environ: dict) -> bool:
        with pytest.MonkeyPatch.context() as patch:
            for name in config.FLAGS:
                patch.delenv(name, raising=False)
            for name, value in environ.items():
                patch.setenv(name, value)
            return read()

    return run


PLAIN_HTTP = Request({"type": "http", "scheme": "http", "headers": [], "path": "/"})
require_login = in_environment(config.require_login_to_view)
# What the sign-in route decides for a plain-HTTP request (a TLS proxy in front, or not).
cookie_secure = in_environment(lambda: web_auth._secure(PLAIN_HTTP))


def headers_sent(environ: dict) -> bool:
    return HeaderSettings.from_env(environ).enabled


# Each former parser's call site, with the variable it reads.
CALL_SITES = {
    "DASHBOARD_REQUIRE_LOGIN": require_login,
    "DASHBOARD_HTTPS": cookie_secure,
    "DASHBOARD_SECURITY_HEADERS": headers_sent,
    "DASHBOARD_APPROVAL": config.approval_enabled,
}


def test_every_flag_has_a_call_site_here():
    assert set(CALL_SITES) == set(config.FLAGS)


@pytest.mark.parametrize("name", CALL_SITES)
@pytest.mark.parametrize(("value", "meaning"), SPELLINGS)
def test_each_setting_reads_every_spelling_alike(name, value, meaning):
    assert config.flag(name, {name: value}) is meaning
    assert CALL_SITES[name]({name: value}) is meaning


@pytest.mark.parametrize(
    ("name", "default"),
    [
        ("DASHBOARD_REQUIRE_LOGIN", False),  # open
        ("DASHBOARD_HTTPS", False),  # as the server sees it
        ("DASHBOARD_SECURITY_HEADERS", True),  # sent
        ("DASHBOARD_APPROVAL", True),  # a new install verifies and approves
    ],
)
@pytest.mark.parametrize("environ", [{}, {"X": "1"}, {"NAME": ""}, {"NAME": "  "}])
def test_unset_or_empty_is_the_default(name, default, environ):
    environ = {name if k == "NAME" else k: v for k, v in environ.items()}
    assert config.flag(name, environ) is default
    assert CALL_SITES[name](environ) is default


@pytest.mark.parametrize("name", CALL_SITES)
@pytest.mark.parametrize("value", REFUSED)
def test_a_value_that_means_neither_is_refused_naming_the_setting(name, value):
    for read in (lambda environ: config.flag(name, environ), CALL_SITES[name]):
        with pytest.raises(config.SettingError, match=f"{name}=.*not a true/false value"):
            read({name: value})


def test_a_misspelt_setting_stops_the_start():
    config.check_flags({"DASHBOARD_HTTPS": "true", "DASHBOARD_SECURITY_HEADERS": "off"})
    with pytest.raises(config.SettingError, match="DASHBOARD_REQUIRE_LOGIN='ture'"):
        config.check_flags({"DASHBOARD_REQUIRE_LOGIN": "ture"})


@given(st.text(max_size=12))
def test_any_value_is_true_false_or_refused(value):
    word = value.strip().lower()
    environ = {"DASHBOARD_HTTPS": value}
    if not word:
        assert config.flag("DASHBOARD_HTTPS", environ) is False
    elif word in config.TRUE_WORDS or word in config.FALSE_WORDS:
        assert config.flag("DASHBOARD_HTTPS", environ) is (word in config.TRUE_WORDS)
    else:
        with pytest.raises(config.SettingError):
            config.flag("DASHBOARD_HTTPS", environ)
