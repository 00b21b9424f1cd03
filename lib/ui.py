"""Streamlit helpers shared by app.py and the pages: language, data loading, common headers.

The only lib module that imports streamlit; everything it shows comes from plain lib functions.
"""

from __future__ import annotations

import datetime as dt
import sys

import sqlalchemy as sa
import streamlit as st

from lib import accounts, config, migrations, store
from lib.dataset import Dataset, ensure_seeded, has_sample_rows, open_dataset
from lib.i18n import DEFAULT_LANG, LANGS, enum_label, fmt_datetime, t
from lib.report import problems_frame, summary_text
from lib.validate import Problem

LANG_KEY = "lang"
REFERENCE_DATE_KEY = "reference_date"
PIN_KEY = "pinned_version"
LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "WIB")


def lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def seed_from_query(key: str, param: str, valid) -> None:
    """Start a widget from the URL (?region=33.20), so a link opens what its sender saw.

    Streamlit's own bind="query-params" matches the formatted label, not the code, hence this.
    """
    requested = st.query_params.get(param)
    if key not in st.session_state and requested in valid:
        st.session_state[key] = requested


def sync_query(param: str, value: str | None, default: str | None = None) -> None:
    if value is None or value == default:
        st.query_params.pop(param, None)
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def language_picker() -> str:
    seed_from_query(LANG_KEY, "lang", LANGS)
    st.sidebar.radio(
        t("language", lang()),
        LANGS,
        key=LANG_KEY,
        format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code],
        horizontal=True,
    )
    sync_query("lang", lang(), DEFAULT_LANG)
    return lang()


def reference_date_picker(current_lang: str) -> dt.date:
    return st.sidebar.date_input(
        t("reference_date", current_lang),
        value=dt.date.today(),
        key=REFERENCE_DATE_KEY,
        help=t("reference_date_help", current_lang),
        format="DD/MM/YYYY",
    )


def reference_date() -> dt.date:
    return st.session_state.get(REFERENCE_DATE_KEY) or dt.date.today()


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> sa.Engine:
    return store.make_engine(url)


def engine() -> sa.Engine:
    return _engine(config.database_url())


_SEEDED: set[str] = set()


def startup_problems() -> list[Problem]:
    """Seed an empty store from data/ once per process; report (not raise) unreadable data."""
    url = config.database_url()
    if url in _SEEDED:
        return []
    try:
        problems = ensure_seeded(engine(), config.data_dir())
    except migrations.StoreNewerThanCode as refusal:
        # Nothing works on a schema this release does not know: say so and stop, untouched.
        st.error(t(refusal.key, lang(), **refusal.params))
        st.stop()
    if not problems:
        generated = accounts.ensure_admin(engine(), config.admin_password())
        if generated:
            # Shown once, in the server log only: the operator's way into a new install.
            print(
                f"First start: account 'admin' created with password {generated}",
                file=sys.stderr,
                flush=True,
            )
        _SEEDED.add(url)
    return problems


@st.cache_data(show_spinner=False, max_entries=16)
def _load(url: str, version: int) -> Dataset:
    return open_dataset(_engine(url), version)


@st.cache_data(show_spinner=False, max_entries=4)
def _boundaries(url: str, boundary_id: int) -> dict | None:
    return store.latest_boundaries(_engine(url))


def boundaries() -> dict | None:
    """The newest stored boundary set, cached by its id (a new import shows on the next rerun)."""
    latest = store.latest_boundary_id(engine())
    return _boundaries(config.database_url(), latest) if latest else None


def current_dataset() -> Dataset | None:
    """The current version, cached by version number: another session's write shows on the
    next rerun because the version is read from the store every time."""
    problems = startup_problems()
    if problems:
        show_problems(problems, t("data_unreadable", lang()), error=True)
        return None
    require("view")
    url = config.database_url()
    latest = store.current_version(engine())
    pinned = st.session_state.get(PIN_KEY)
    version = pinned if pinned and pinned <= latest else latest
    dataset = _load(url, version)
    st.session_state.setdefault("loaded_at", {})[version] = st.session_state.get(
        "loaded_at", {}
    ).get(version, dt.datetime.now(LOCAL_TZ))
    return dataset


FLASH_KEY = "flash"


def flash(message: str) -> None:
    """Show message once, after the rerun that redraws the page with the new data."""
    st.session_state[FLASH_KEY] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon="✅")


def pin_version(version: int) -> None:
    st.session_state[PIN_KEY] = version


def unpin_version() -> None:
    st.session_state.pop(PIN_KEY, None)


def show_problems(problems: list[Problem], message: str, error: bool) -> None:
    (st.error if error else st.warning)(message, icon="⚠️")
    st.dataframe(problems_frame(problems, lang()), hide_index=True, width="stretch")


def localized_versions(table, current_lang: str):
    """The history table with headers and actions in the user's language, times in WIB."""
    if table.empty:
        return table
    out = table.copy()
    out["created_at"] = [fmt_datetime(v.astimezone(LOCAL_TZ), current_lang) for v in out.created_at]
    out["action"] = [t(f"action_{a}", current_lang) for a in out["action"]]
    out["summary"] = [summary_text(v, current_lang) for v in out["summary"]]
    names = {
        "version": "col_version",
        "created_at": "col_when",
        "author": "col_author",
        "action": "col_action",
        "file": "col_file",
        "summary": "col_summary",
    }
    return out.rename(columns={k: t(v, current_lang) for k, v in names.items()})


def version_label(info: store.VersionInfo, current_lang: str) -> str:
    return t(
        "version_label",
        current_lang,
        version=info.id,
        when=fmt_datetime(info.created_at.astimezone(LOCAL_TZ), current_lang),
        author=info.author,
        action=t(f"action_{info.action}", current_lang),
    )


def enum_filter(column, kind: str, options, key: str) -> list:
    """A multiselect over coded values shown in the user's language; empty means all."""
    current = lang()
    return column.multiselect(
        t(f"filter_{kind}", current),
        options,
        key=key,
        placeholder=t("all", current),
        format_func=lambda v: enum_label(kind, v, current),
    )


def metric(column, label: str, value: str, note: str | None = None, help: str | None = None):
    column.metric(label, value, note, delta_color="off", delta_arrow="off", help=help, border=True)


def page_header(title: str, dataset: Dataset, *shown_frames) -> None:
    current = lang()
    st.title(title)
    info = dataset.info
    when = fmt_datetime(info.created_at.astimezone(LOCAL_TZ), current) if info else "–"
    loaded = fmt_datetime(st.session_state["loaded_at"][dataset.version], current)
    st.caption(t("data_version", current, version=dataset.version, when=when, loaded=loaded))
    latest = store.current_version(engine())
    if dataset.version != latest:
        st.warning(t("pinned", current, version=dataset.version, latest=latest), icon="🕘")
        st.button(t("back_to_latest", current), on_click=unpin_version, key="unpin")
    if dataset.problems:
        show_problems(
            dataset.problems,
            t("data_inconsistent", current, count=len(dataset.problems)),
            error=False,
        )
    if has_sample_rows(*shown_frames):
        st.info(t("sample_notice", current), icon="ℹ️")


USER_KEY = "user"


def _sso_available() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml: no single sign-on
        return False


def current_user() -> accounts.User | None:
    """The signed-in account: from the login form (expires after the configured minutes of
    inactivity) or from single sign-on mapped through the accounts table."""
    entry = st.session_state.get(USER_KEY)
    now = dt.datetime.now(dt.UTC)
    if entry:
        if now - entry["seen"] > dt.timedelta(minutes=config.session_minutes()):
            st.session_state.pop(USER_KEY, None)
            st.session_state["session_expired"] = True
            return None
        entry["seen"] = now
        return entry["user"]
    if _sso_available() and getattr(st.user, "is_logged_in", False):
        return accounts.user_for_email(engine(), st.user.get("email"))
    return None


def _sign_in(user: accounts.User) -> None:
    now = dt.datetime.now(dt.UTC)
    st.session_state[USER_KEY] = {"user": user, "seen": now}


def sign_out() -> None:
    user = st.session_state.pop(USER_KEY, {}).get("user")
    if user:
        accounts.record(engine(), user.username, "logout", True)


def login_sidebar(current_lang: str) -> accounts.User | None:
    user = current_user()
    box = st.sidebar.container(border=True)
    if user:
        role = t(f"role_{user.role}", current_lang)
        box.markdown(t("signed_in_as", current_lang, name=user.display_name, role=role))
        box.button(t("logout", current_lang), on_click=sign_out, key="logout")
        return user
    if st.session_state.pop("session_expired", False):
        box.info(t("session_expired", current_lang))
    if _sso_available() and getattr(st.user, "is_logged_in", False):
        box.warning(t("sso_no_account", current_lang, email=st.user.get("email", "")))
    with box.form("login", border=False):
        st.markdown(f"**{t('login_title', current_lang)}**")
        name = st.text_input(t("username", current_lang), key="login_user")
        password = st.text_input(t("password", current_lang), type="password", key="login_password")
        submitted = st.form_submit_button(t("login", current_lang), key="login_submit")
    if submitted:
        try:
            user = accounts.authenticate(engine(), name, password)
        except accounts.LoginRefused:
            box.error(t("login_refused", current_lang))
        else:
            _sign_in(user)
            st.rerun()
    if _sso_available():
        box.button(t("login_sso", current_lang), on_click=st.login, key="login_sso")
    return None


def require(action: str) -> accounts.User | None:
    """Stop the page with a clear message unless the signed-in user may do `action`."""
    user = current_user()
    if action == "view" and not config.require_login_to_view():
        return user
    if user is None:
        st.info(t("login_needed", lang()), icon="🔒")
        st.stop()
    if not accounts.allowed(user, action):
        st.warning(t("no_right", lang()), icon="🔒")
        st.stop()
    return user


PREVIEW_KEY = "upload_preview"


def _uploads_key(uploads: list[tuple[str, bytes]]) -> tuple:
    import hashlib

    files = tuple(sorted((name, hashlib.sha256(data).hexdigest()) for name, data in uploads))
    return files, store.current_version(engine())


def cached_preview(uploads: list[tuple[str, bytes]]):
    """The preview already made for these exact files at the current data version, if any:
    ticking a box or pressing Apply must not read and validate the files again."""
    kept = st.session_state.get(PREVIEW_KEY)
    return kept[1] if kept and kept[0] == _uploads_key(uploads) else None


def keep_preview(uploads: list[tuple[str, bytes]], preview) -> None:
    st.session_state[PREVIEW_KEY] = (_uploads_key(uploads), preview)
