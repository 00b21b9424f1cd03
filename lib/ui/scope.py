"""The scope picker in the sidebar (area / province / all), kept in the URL so a link can be
shared, and the scoped dataset every page reads."""

from __future__ import annotations

import streamlit as st

from lib.core import config
from lib.core import scope as scopes
from lib.core.i18n import fmt_int, t
from lib.core.parse import as_region_code
from lib.core.plain_text import t_text
from lib.ingest.dataset import Dataset
from lib.ingest.workbook import scoped_frames
from lib.storage import store
from lib.ui import auth as ui_auth
from lib.ui import cache as ui_cache
from lib.ui import cards as ui_cards
from lib.ui import icons
from lib.ui import lang as ui_lang
from lib.ui import page as ui_page
from lib.ui import store as ui_store
from lib.views import tables

SCOPE_KEY = "scope"
_PARAMS = ("area", "province", "scope")


def sidebar_picker(lang: str) -> scopes.Scope | None:
    """Drawn by app.py on every page, so the choice survives moving between pages."""
    if ui_store.startup_problems():
        return None
    if config.require_login_to_view() and ui_auth.current_user() is None:
        return None
    return scope_picker(ui_page.current_dataset(), lang)


def scope_picker(dataset: Dataset, lang: str) -> scopes.Scope:
    """A link's ?area= / ?province= / ?scope=all starts it; an unknown one is said, not hidden."""
    regions = dataset.regions
    cached = ui_cache.scope_choices(dataset, lang)
    choices, default, labels = cached["choices"], cached["default"], cached["labels"]
    keys = [c.key for c in choices]
    named = any(p in st.query_params for p in _PARAMS)
    requested = scopes.from_query(st.query_params, regions, choices)
    from_link = requested is not None and not st.session_state.get("_scope_from_widget")
    if from_link and st.session_state.get(SCOPE_KEY) != requested.key:
        st.session_state[SCOPE_KEY] = requested.key
    if st.session_state.get(SCOPE_KEY) not in keys:
        st.session_state[SCOPE_KEY] = default.key
    if named and requested is None:
        # In the main area, above the page: the sidebar's foot is below the fold on a desk
        # and hidden on a phone.
        asked = next(st.query_params[p] for p in _PARAMS if p in st.query_params)
        shown = labels.get(default.key, default.key)
        st.warning(t_text("scope_unknown", lang, asked=asked, shown=shown), icon=icons.WARNING)
    chosen = scopes.from_key(
        st.sidebar.selectbox(
            t("scope_pick", lang),
            keys,
            key=SCOPE_KEY,
            format_func=labels.get,
            on_change=_mark_widget_change,
        )
    )
    st.session_state["_scope_from_widget"] = False
    wanted = scopes.query(chosen, default)
    for param in _PARAMS:
        if param in wanted:
            if st.query_params.get(param) != wanted[param]:
                st.query_params[param] = wanted[param]
        elif param in st.query_params:
            del st.query_params[param]
    return chosen


def _mark_widget_change() -> None:
    # The widget wins over the URL it is about to rewrite.
    st.session_state["_scope_from_widget"] = True


def current_scope(dataset: Dataset) -> scopes.Scope:
    cached = ui_cache.scope_choices(dataset, ui_lang.lang())
    key = st.session_state.get(SCOPE_KEY)
    if key in {c.key for c in cached["choices"]}:
        return scopes.from_key(key)
    return (
        scopes.from_query(st.query_params, dataset.regions, cached["choices"]) or cached["default"]
    )


def scoped_dataset() -> tuple[Dataset, scopes.Scope] | tuple[None, None]:
    """The current version restricted to the reader's scope (None when it cannot be shown)."""
    dataset = ui_page.current_dataset()
    if dataset is None:
        return None, None
    scope = current_scope(dataset)
    return ui_cache.scoped(dataset, scope), scope


def progress_table(frame, lang: str, height: int | str = "auto") -> None:
    """A compact table whose progress column is drawn as a bar."""
    progress = t("br_col_progress", lang)
    # Whole percents: Streamlit writes a fraction's "percent" with a decimal point in every
    # language ("42.5%" on an Indonesian page); a whole number reads the same in both.
    shown = frame.assign(**{progress: (frame[progress] * 100).round().astype(int)})
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=height,
        column_config={
            progress: st.column_config.ProgressColumn(
                progress, min_value=0, max_value=100, format="%d%%"
            )
        },
    )


def attention_section(attention, lang: str) -> None:
    """Counts first; the list itself is searchable once it is longer than a screen."""
    st.subheader(t("br_attention_title", lang), help=t("br_attention_help", lang))
    flagged = attention[attention["needs_attention"]]
    if flagged.empty:
        st.success(t("br_attention_none", lang))
        return
    st.warning(
        t(
            "br_attention_count",
            lang,
            n=fmt_int(len(flagged), lang),
            total=fmt_int(len(attention), lang),
            late=fmt_int(int(flagged["is_late"].sum()), lang),
            miss=fmt_int(int(flagged["projected_miss"].sum()), lang),
        ),
        icon=icons.WARNING,
    )
    table = tables.attention_table(attention, lang)
    if len(table) > 12:
        needle = st.text_input(t("br_filter_regions", lang), key="attention_filter")
        if needle:
            names = table[t("br_col_region", lang)]
            table = table[names.str.contains(needle, case=False, regex=False)]
    height = 380 if len(table) > 12 else "auto"
    region = t("br_col_region", lang)
    ui_cards.grid_or_cards(
        "attention",
        table,
        region,
        lambda: st.dataframe(table, hide_index=True, width="stretch", height=height),
    )


def requested_region() -> str | None:
    """The region a link names, in the stored form: ?region=3320, ID3320 and 33.2 open 33.20
    as a data file's code would (as_region_code, the one rule); what is no code stays as
    typed, so the warning quotes it."""
    raw = st.query_params.get("region")
    return (as_region_code(raw) or raw) if raw else None


def region_names(dataset: Dataset) -> dict[str, str]:
    """Code -> name of the scope's regions, plus a region a link names outside the scope."""
    names = dict(zip(dataset.regions["region_code"], dataset.regions["name"], strict=True))
    requested = requested_region()
    if requested and requested not in names:
        full = ui_page.current_dataset().regions
        outside = full[full["region_code"] == requested]
        names.update(zip(outside["region_code"], outside["name"], strict=True))
    return names


def region_picker(dataset: Dataset, lang: str) -> str | None:
    """The region a link (?region=33.20) names; an unknown code is said, and nothing is
    picked in its place, so the reader never mistakes another region for the one asked for."""
    names = region_names(dataset)
    requested = requested_region()
    unknown = bool(requested) and requested not in names
    if unknown:
        st.warning(t_text("br_region_unknown", lang, code=requested), icon=icons.WARNING)
        st.session_state.setdefault("region_pick", None)
    elif requested and "region_pick" not in st.session_state:
        st.session_state["region_pick"] = requested
    if st.session_state.get("region_pick") not in (None, *names):
        del st.session_state["region_pick"]
    code = st.selectbox(
        t("region_pick", lang),
        sorted(names, key=names.get),
        key="region_pick",
        format_func=lambda c: f"{names[c]} ({c})",
        placeholder=t("br_region_placeholder", lang),
    )
    if code is not None:
        ui_lang.sync_query("region", code)
    return code


def template_builder(engine, scope: scopes.Scope, editable: set[str] | None, lang: str):
    """template(build) -> a no-argument callable for st.download_button: the store is read and
    the file built only when the button is pressed, for the scope (and the editor's regions)."""

    def template(build):
        def make() -> bytes:
            version = store.current_version(engine)
            frames = store.read_all(engine, version)
            codes = set(
                frames["regions"].loc[scopes.region_mask(frames["regions"], scope)].region_code
            )
            if editable is not None:
                codes &= editable
            return build(scoped_frames(frames, codes), lang, version)

        return make

    return template
