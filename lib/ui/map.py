"""Streamlit: the folium map drawn through streamlit-folium's component, its HTML cached.

st_folium renders the whole folium tree to HTML and JavaScript on every rerun: at 514 regions
that was most of the overview's script time, for a map that changes only with the data version,
scope, reference date, language or boundary set. Here the component's arguments are built once
per such key (with st_folium's own helpers, so the browser gets exactly what st_folium sends)
and each rerun only hands them to the component. streamlit-folium is pinned in
requirements.txt; its private helpers are used on purpose and covered by tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable

import folium
import pandas as pd
import streamlit as st
import streamlit_folium as sf

from lib.core import config
from lib.geo import mapview
from lib.ui import store as ui_store


def _links(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """The CSS and JS files the map's elements ask for, as st_folium collects them."""
    css: list[str] = []
    js: list[str] = []

    def walk(element):
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fmap):
        css += [href for _, href in getattr(element, "default_css", [])]
        js += [src for _, src in getattr(element, "default_js", [])]
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


@st.cache_data(show_spinner=False, max_entries=32)
def _payload(key: Hashable, widget_key: str, _build: Callable[[], folium.Map]) -> dict:
    """The component's arguments for the map `_build` makes; `key` names everything it shows."""
    fmap = _build()
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)  # before the script: building the script renames the map
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css, js = _links(fmap)
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": sf.get_full_id(fmap),
        "css_links": css,
        "js_links": js,
        # st_folium's widget identity: the script with folium's random ids taken out.
        "hash_key": sf.generate_js_hash(script, widget_key, False),
    }


def component(payload: dict, key: str, height: int, returned_objects: list[str]) -> dict | None:
    """streamlit-folium's component with prepared arguments (what st_folium returns)."""
    hash_key = payload["hash_key"]

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    defaults = {name: None for name in returned_objects}
    return sf._component_func(
        script=payload["script"],
        header=payload["header"],
        html=payload["html"],
        id=payload["id"],
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned_objects,
        default=defaults,
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=payload["css_links"],
        js_links=payload["js_links"],
        on_change=on_change,
        wrap_longitude=False,
    )


def cached_map(
    cache_key: Hashable,
    build: Callable[[], folium.Map],
    *,
    key: str,
    height: int,
    returned_objects: list[str],
) -> dict | None:
    """Draw the map `build` makes, building it only when `cache_key` is new; returns the
    component's value (e.g. {"last_object_clicked": {"lat": ..., "lng": ...}})."""
    return component(_payload(cache_key, key, build), key, height, returned_objects)


def regions(progress: pd.DataFrame, data_key: tuple, reference: dt.date, lang: str) -> str | None:
    """The overview's map of the regions in `progress` (the scope's, as of `reference`);
    returns the code of the region the reader clicked, if any. `data_key` names the data
    version and scope `progress` comes from."""
    boundary_id = ui_store.boundary_id()
    boundaries = ui_store.boundaries(boundary_id)
    base_url, tiles = config.leaflet_base_url(), config.map_tile_url()
    value = cached_map(
        (*data_key, reference, lang, boundary_id, base_url, tiles),
        lambda: mapview.regions_map(progress, lang, base_url, tiles, boundaries),
        key="overview_map",
        height=mapview.MAP_HEIGHT,
        returned_objects=["last_object_clicked"],
    )
    point = (value or {}).get("last_object_clicked")
    if not point:
        return None
    return mapview.clicked_region(progress, boundaries, point["lat"], point["lng"])
