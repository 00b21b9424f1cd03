"""Pengguna / Users (admins): add accounts, assign a role and regions or provinces, disable,
reset a password (shown once). The rules and the audit are lib's, the same as the command
line's: nobody changes their own rights, the last admin stays."""

import sqlalchemy as sa
import streamlit as st

from lib.core.i18n import t
from lib.core.plain_text import t_text
from lib.storage import accounts
from lib.ui import auth as ui_auth
from lib.ui import flash as ui_flash
from lib.ui import icons
from lib.ui import lang as ui_lang
from lib.ui import preview as ui_preview
from lib.ui import store as ui_store
from lib.views import users as users_view
from lib.views.refusals import refusal_text

lang = ui_lang.lang()
ui_store.startup_problems()
engine = ui_store.engine()
user = ui_auth.require("manage_users")

st.title(t("users_title", lang))
# The change a click asked for, made before anything is drawn, with the fields as typed when
# it was clicked (read from the session now: a button's arguments hold the previous run's).
if asked := st.session_state.pop("users_asked", None):
    action, name = asked
    state = st.session_state
    password = accounts.generated_password() if action in ("add", "reset") else None
    try:
        if action == "add":
            name = state.get("users_new_name", "").strip()
            accounts.add_user(
                engine,
                name,
                password,
                state["users_new_role"],
                display_name=state.get("users_new_display", ""),
                regions=users_view.region_codes(state.get("users_new_regions", "")),
                email=state.get("users_new_email") or None,
                actor=user.username,
            )
        elif action == "set_role":
            regions = users_view.region_codes(state.get(f"users_regions_{name}", ""))
            role = state[f"users_role_{name}"]
            accounts.set_role(engine, name, role, regions, actor=user.username)
        elif action == "disable":
            accounts.disable(engine, name, actor=user.username)
        elif action == "reset":
            accounts.reset_password(engine, name, password, actor=user.username)
    except accounts.NotAllowed as refusal:
        st.error(refusal_text(refusal, lang, markdown=True), icon=icons.LOCKED)
    except sa.exc.IntegrityError:
        st.error(t_text("users_name_taken", lang, name=name), icon=icons.WARNING)
    except ValueError:  # an unknown role or user: the widgets offer none, another tab may have
        st.error(t_text("users_not_saved", lang, name=name), icon=icons.WARNING)
    else:
        if password:  # shown once, on this run only
            st.warning(t_text("users_password_once", lang, name=name, password=password))
        else:
            ui_flash.flash(t("users_done", lang, name=name))
ui_flash.show_flash()

rows = accounts.list_users(engine)
st.dataframe(users_view.users_frame(rows, lang), hide_index=True)


def role_picker(key: str, current: str = "regional_editor") -> str:
    return st.selectbox(
        t("users_role", lang),
        accounts.ROLES,
        index=accounts.ROLES.index(current),
        format_func=lambda r: t(f"role_{r}", lang),
        key=key,
    )


with st.expander(t("users_add", lang)):
    st.text_input(t("username", lang), key="users_new_name")
    st.text_input(t("users_display_name", lang), key="users_new_display")
    role_picker("users_new_role")
    st.text_input(t("users_regions", lang), key="users_new_regions")
    st.text_input(t("users_email", lang), key="users_new_email")
    st.button(
        t("users_add_button", lang),
        key="users_add",
        on_click=ui_preview.remember_seen,
        args=("users_asked", ("add", None)),
    )

by_name = {r["username"]: r for r in rows}
picked = by_name[st.selectbox(t("users_pick", lang), list(by_name), key="users_pick")]
name = picked["username"]
role_picker(f"users_role_{name}", picked["role"])
st.text_input(t("users_regions", lang), picked["regions"], key=f"users_regions_{name}")
for column, (action, label) in zip(
    st.columns(3),
    (("set_role", "users_set_role"), ("disable", "users_disable"), ("reset", "users_reset")),
    strict=True,
):
    column.button(
        t(label, lang),
        key=f"users_{action}",
        disabled=action == "disable" and not picked["active"],
        on_click=ui_preview.remember_seen,
        args=("users_asked", (action, name)),
    )
