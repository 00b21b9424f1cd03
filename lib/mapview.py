"""The folium map of the regions, drawable with no internet access.

folium links Leaflet, jQuery and Bootstrap from CDNs; this map links only Leaflet, served by the
app itself (static/vendor/leaflet, installed by scripts/setup.sh), and draws no tiles unless a
tile URL is configured. folium puts tooltip text inside a JavaScript template literal without
escaping it, so every text from data goes through escape_text first.
"""

from __future__ import annotations

import html
import json

import folium
import pandas as pd
import shapely
from shapely.geometry import shape

from lib.boundaries import region_containing
from lib.charts import LATE_COLOUR, STAGE_COLOURS
from lib.i18n import enum_label, fmt_pct, t
from lib.metrics import STAGE_COUNT, region_at

MAP_BACKGROUND = "#eef3f6"


def escape_text(text: object) -> str:
    """HTML-escape, and neutralise what is live inside a JS template literal (` and ${)."""
    escaped = html.escape("" if text is None or text is pd.NA else str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def offline_map(
    center: tuple[float, float],
    zoom: int,
    leaflet_base_url: str,
    tile_url: str | None = None,
    attribution: str | None = None,
) -> folium.Map:
    fmap = folium.Map(
        location=center,
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_control=True,
        zoom_snap=0.25,
    )
    # Instance attributes shadow folium's CDN lists; streamlit-folium reads these same lists.
    fmap.default_js = [("leaflet", f"{leaflet_base_url}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{leaflet_base_url}/leaflet.css")]
    fmap.get_root().header.add_child(
        folium.Element(
            f"<style>.leaflet-container{{background:{MAP_BACKGROUND};}}"
            ".leaflet-tooltip.region-label{background:transparent;border:0;box-shadow:none;"
            "padding:0;font:600 11px 'DejaVu Sans',Arial,sans-serif;color:#1b2a38;"
            "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;}"
            ".leaflet-tooltip.region-label:before{display:none;}</style>"
        )
    )
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=escape_text(attribution or tile_url)).add_to(fmap)
    return fmap


def tooltip_html(row, lang: str) -> str:
    if row.complete:
        stage_text = t("complete", lang)
    else:
        stage_text = enum_label("stage", int(row.current_stage), lang)
    lines = [
        f"<b>{escape_text(row.name)}</b>",
        f"{t('current_stage', lang)}: {escape_text(stage_text)}",
        f"{t('progress_label', lang)}: {row.stages_done}/{STAGE_COUNT} "
        f"({fmt_pct(row.progress, lang)})",
    ]
    if row.stages_late:
        lines.append(
            f"<span style='color:{LATE_COLOUR}'>{row.stages_late} "
            f"{escape_text(t('late_flag', lang))}</span>"
        )
    return "<br>".join(lines)


def regions_map(
    progress: pd.DataFrame,
    lang: str,
    leaflet_base_url: str,
    tile_url: str | None = None,
    boundaries: dict | None = None,
) -> folium.Map:
    """A choropleth of the regions when boundaries are stored, else a marker at each seat."""
    located = progress.dropna(subset=["lat", "lon"])
    center = (
        (float(located["lat"].mean()), float(located["lon"].mean()))
        if len(located)
        else (-7.3, 110.5)
    )
    fmap = offline_map(center, 8, leaflet_base_url, tile_url)
    label_sides = label_directions(located)
    if boundaries:
        _add_boundaries(fmap, boundaries, progress, lang)
    for row in located.itertuples():
        _add_label(fmap, row, label_sides)
        if boundaries:
            continue
        folium.CircleMarker(
            location=(float(row.lat), float(row.lon)),
            radius=13,
            color=LATE_COLOUR if row.is_late else "#37474f",
            weight=4 if row.is_late else 1.5,
            fill=True,
            fill_color=STAGE_COLOURS[int(row.stages_done)],
            fill_opacity=0.95,
            tooltip=folium.Tooltip(tooltip_html(row, lang), sticky=False),
        ).add_to(fmap)
    if boundaries:
        fmap.fit_bounds(_region_bounds(boundaries, set(progress["region_code"])))
    elif len(located) > 1:
        fmap.fit_bounds(
            [
                [float(located["lat"].min()) - 0.12, float(located["lon"].min()) - 0.45],
                [float(located["lat"].max()) + 0.12, float(located["lon"].max()) + 0.7],
            ]
        )
    fmap.get_root().html.add_child(folium.Element(legend_html(lang)))
    return fmap


def _add_label(fmap: folium.Map, row, label_sides: dict[str, str]) -> None:
    """A permanent tooltip on an invisible, non-interactive circle is the label: no L.Marker,
    so Leaflet never looks for its default icon images."""
    side = label_sides.get(row.region_code, "right")
    label = folium.CircleMarker(
        location=(float(row.lat), float(row.lon)),
        radius=0,
        opacity=0,
        fill=False,
        tooltip=folium.Tooltip(
            escape_text(short_name(row.name)),
            permanent=True,
            direction=side,
            class_name="region-label",
            offset=(14, 0) if side == "right" else (-14, 0),
        ),
    )
    label.options["interactive"] = False  # folium drops this keyword; Leaflet needs it
    label.add_to(fmap)


CONTEXT_STYLE = {"fillColor": "#e3e6e8", "color": "#9aa3a8", "weight": 0.6, "fillOpacity": 1}
PROVINCE_STYLE = {"fill": False, "color": "#5f6b73", "weight": 1.6}


def _region_bounds(boundaries: dict, codes: set[str]) -> list[list[float]]:
    features = json.loads(boundaries["web_geojson"])["features"]
    shapes = [shape(f["geometry"]) for f in features if f["properties"].get("region_code") in codes]
    minx, miny, maxx, maxy = shapely.union_all(shapes).bounds
    # West margin: labels left of a seat (Purworejo, beside Sleman) must stay on the map.
    return [[miny - 0.05, minx - 0.35], [maxy + 0.05, maxx + 0.1]]


def _background_layer(fmap: folium.Map, collection: dict, style: dict) -> None:
    layer = folium.GeoJson(collection, style_function=lambda _f: style, control=False)
    layer.options["interactive"] = False  # context only: no hover, no click
    layer.add_to(fmap)


def clicked_region(progress: pd.DataFrame, boundaries: dict | None, lat: float, lon: float):
    """The region whose outline holds the click, else the one whose seat is nearest."""
    if boundaries:
        code = region_containing(json.loads(boundaries["web_geojson"]), lat, lon)
        if code:
            return code
    return region_at(progress, lat, lon)


def _add_boundaries(fmap: folium.Map, boundaries: dict, progress: pd.DataFrame, lang: str):
    """Neighbours and provinces in grey for context, the nine regions coloured by progress."""
    web = json.loads(boundaries["web_geojson"])
    rows = {r.region_code: r for r in progress.itertuples()}
    context = [f for f in web["features"] if f["properties"].get("region_code") not in rows]
    regions = []
    for feature in web["features"]:
        row = rows.get(feature["properties"].get("region_code"))
        if row is None:
            continue
        feature = {
            **feature,
            "properties": {
                "region_code": row.region_code,
                "tooltip": tooltip_html(row, lang),
                "fill": STAGE_COLOURS[int(row.stages_done)],
                "late": bool(row.is_late),
            },
        }
        regions.append(feature)
    _background_layer(fmap, {"type": "FeatureCollection", "features": context}, CONTEXT_STYLE)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": regions},
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.9,
            "color": LATE_COLOUR if f["properties"]["late"] else "#37474f",
            "weight": 3 if f["properties"]["late"] else 1.2,
        },
        highlight_function=lambda _f: {"weight": 4, "color": "#1f5f8b"},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=False),
        control=False,
    ).add_to(fmap)
    provinces = json.loads(boundaries["provinces_geojson"])
    if provinces.get("features"):
        _background_layer(fmap, provinces, PROVINCE_STYLE)
    fmap.get_root().html.add_child(
        folium.Element(
            "<div class='map-attribution' style='position:fixed;bottom:2px;left:130px;right:70px;"
            "z-index:1000;"
            "background:rgba(255,255,255,.85);padding:1px 6px;font:10px DejaVu Sans,Arial;"
            f"max-width:70%'>{escape_text(boundaries['attribution'])}</div>"
        )
    )


def short_name(name: object) -> str:
    """ "Kab. Semarang" and "Kota Semarang" stay apart; the long form does not fit on a map."""
    return str(name).replace("Kabupaten ", "Kab. ", 1)


def label_directions(located: pd.DataFrame, near_degrees: float = 0.5) -> dict[str, str]:
    """A label goes left when another seat sits close on its right, so labels never collide."""
    sides = {}
    for row in located.itertuples():
        neighbours = located[
            (located["lon"] > row.lon)
            & (located["lon"] - row.lon < near_degrees)
            & ((located["lat"] - row.lat).abs() < 0.12)
        ]
        sides[row.region_code] = "left" if len(neighbours) else "right"
    return sides


def legend_html(lang: str) -> str:
    items = "".join(
        f"<div><span style='display:inline-block;width:12px;height:12px;border-radius:6px;"
        f"background:{colour};border:1px solid #37474f;margin-right:6px'></span>"
        f"{n}/{STAGE_COUNT}</div>"
        for n, colour in STAGE_COLOURS.items()
    )
    late = (
        f"<div><span style='display:inline-block;width:10px;height:10px;border-radius:6px;"
        f"border:3px solid {LATE_COLOUR};margin-right:6px'></span>"
        f"{escape_text(t('late_flag', lang))}</div>"
    )
    return (
        "<div class='map-legend' style='position:fixed;top:84px;left:10px;z-index:1000;"
        "background:white;padding:6px 10px;border-radius:4px;font:12px DejaVu Sans,Arial;"
        f"box-shadow:0 1px 4px rgba(0,0,0,.3)'><b>{escape_text(t('col_stages_done', lang))}</b>"
        f"{items}{late}</div>"
    )
