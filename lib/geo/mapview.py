"""The folium map of the regions in scope, drawable with no internet access.

folium links Leaflet, jQuery and Bootstrap from CDNs; this map links only Leaflet, served by the
app itself (static/vendor/leaflet, installed by scripts/setup.sh), and draws no tiles unless a
tile URL is configured. folium puts tooltip text inside a JavaScript template literal without
escaping it, so every text from data goes through escape_text first; labels travel as JSON and
are shown with textContent.

The map reads from 1 to 514 regions: regions with an outline are coloured, the others get a
dot at their seat, context is clipped to the view (lib.geo.mapdata), and labels are placed in the
browser only where they fit inside the map without covering each other. The legend and the
attribution sit in a strip under the map, so no tooltip ever hides beneath them.
"""

from __future__ import annotations

import functools
import html
import json
from collections import Counter

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import shape

from lib.charts.palette import LATE_COLOUR, STAGE_COLOURS
from lib.core.i18n import enum_label, fmt_pct, t
from lib.core.metrics import STAGE_COUNT, region_at
from lib.core.region_names import short_name
from lib.geo import mapdata
from lib.geo.boundaries import DEFAULT_ATTRIBUTION, region_containing

MAP_BACKGROUND = "#eef3f6"
MAP_HEIGHT = 520  # pixels, legend strip included; pages pass it to st_folium
EMPTY: mapdata.Parsed = ((), np.array([], dtype=object))
CONTEXT_STYLE = {"fillColor": "#e3e6e8", "color": "#9aa3a8", "weight": 0.6, "fillOpacity": 1}
PROVINCE_STYLE = {"fill": False, "color": "#5f6b73", "weight": 1.6}


def escape_text(text: object) -> str:
    """HTML-escape, and neutralise what is live inside a JS template literal (` and ${)."""
    escaped = html.escape("" if text is None or text is pd.NA else str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def script_json(value) -> str:
    """JSON safe inside a <script>: no tag, template literal or HTML entity can start in it."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("`", "\\u0060")):
        text = text.replace(char, code)
    return text.replace("$", "\\u0024")


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
        control_scale=False,  # folium's adds miles; MetricScale below is kilometres only
        prefer_canvas=False,
        zoom_control=True,
        zoom_snap=0.25,
    )
    # Instance attributes shadow folium's CDN lists; streamlit-folium reads these same lists.
    fmap.default_js = [("leaflet", f"{leaflet_base_url}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{leaflet_base_url}/leaflet.css")]
    fmap.get_root().header.add_child(folium.Element(f"<style>{MAP_CSS}</style>"))
    fmap.add_child(MetricScale())
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=escape_text(attribution or tile_url)).add_to(fmap)
    return fmap


MAP_CSS = (
    f"body{{margin:0}}.leaflet-container{{background:{MAP_BACKGROUND};}}"
    ".region-label{position:absolute;white-space:nowrap;pointer-events:none;"
    "font:600 11px 'DejaVu Sans',Arial,sans-serif;color:#1b2a38;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;}"
    ".map-legend{position:fixed;left:0;right:0;bottom:0;z-index:1000;background:#fff;"
    "padding:3px 8px;font:11px 'DejaVu Sans',Arial,sans-serif;color:#1b2a38;"
    "border-top:1px solid #d5dadd;display:flex;flex-wrap:wrap;align-items:center;gap:2px 10px}"
    ".map-legend .swatch{display:inline-block;width:11px;height:11px;border-radius:6px;"
    "border:1px solid #37474f;margin-right:4px;vertical-align:-1px}"
    ".map-attribution{flex-basis:100%;font-size:9.5px;color:#55616a}"
)


@functools.lru_cache(maxsize=64)
def _pct(value: float, lang: str) -> str:
    # Five values (0-4 of 4 stages) for up to 514 tooltips: Babel's formatting is the slow part.
    return fmt_pct(value, lang)


def tooltip_html(row, lang: str) -> str:
    if row.complete:
        stage_text = t("complete", lang)
    else:
        stage_text = enum_label("stage", int(row.current_stage), lang)
    lines = [
        f"<b>{escape_text(row.name)}</b>",
        f"{t('current_stage', lang)}: {escape_text(stage_text)}",
        f"{t('progress_label', lang)}: {row.stages_done}/{STAGE_COUNT} "
        f"({_pct(row.progress, lang)})",
    ]
    if row.stages_late:
        lines.append(
            f"<span style='color:{LATE_COLOUR}'>{row.stages_late} "
            f"{escape_text(t('late_flag', lang))}</span>"
        )
    return "<br>".join(lines)


def _parsed(boundaries: dict | None, column: str) -> mapdata.Parsed:
    return mapdata.parse(boundaries[column]) if boundaries else EMPTY


def regions_map(
    progress: pd.DataFrame,
    lang: str,
    leaflet_base_url: str,
    tile_url: str | None = None,
    boundaries: dict | None = None,
    height: int = MAP_HEIGHT,
) -> folium.Map:
    """The regions in scope (progress holds one row per region in scope): outlines coloured by
    progress where the boundary set has them, a dot at the seat otherwise."""
    web = _parsed(boundaries, "web_geojson")
    outlined = {p.get("region_code") for p in web[0]} & set(progress["region_code"])
    located = progress.dropna(subset=["lat", "lon"])
    seats = located[~located["region_code"].isin(outlined)]
    layers = mapdata.scope_layers(
        web,
        _parsed(boundaries, "provinces_geojson"),
        set(progress["region_code"]),
        points=list(zip(seats["lon"].astype(float), seats["lat"].astype(float), strict=True)),
    )
    fmap = offline_map((-7.3, 110.5), 8, leaflet_base_url, tile_url)
    rows = {r.region_code: r for r in progress.itertuples()}
    if layers.context:
        _background_layer(fmap, layers.collection("context"), CONTEXT_STYLE)
    if layers.regions:
        _region_layer(fmap, layers.regions, rows, lang)
    if layers.provinces:
        _background_layer(fmap, layers.collection("provinces"), PROVINCE_STYLE)
    radius = 12 if len(seats) <= 20 else 7 if len(seats) <= 80 else 4
    if len(seats):
        _seat_layer(fmap, seats, lang, radius)
    bounds = None
    if layers.bounds:
        minx, miny, maxx, maxy = layers.bounds
        bounds = [[miny, minx], [maxy, maxx]]
    attribution = boundaries["attribution"] if boundaries else ""
    if attribution == DEFAULT_ATTRIBUTION:  # the shipped set's credit, in the reader's language
        attribution = t("map_default_attribution", lang)
    dots = radius if len(seats) else 0
    fmap.add_child(MapFrame(_labels(progress, layers, seats, radius), bounds, height, dots))
    fmap.get_root().html.add_child(folium.Element(legend_html(lang, attribution)))
    return fmap


def _labels(progress, layers: mapdata.Layers, seats: pd.DataFrame, radius: int) -> list[dict]:
    """One label per region in scope: centred inside its outline, or beside its seat's dot.
    Biggest outline first, so when not all fit the ones that stay are the easiest to find."""
    anchors = {}
    for feature in layers.regions:
        geom = shape(feature["geometry"])
        if not geom.is_empty:
            anchors[feature["properties"]["region_code"]] = (*mapdata.label_point(geom), geom.area)
    labels = []
    seat_codes = set(seats["region_code"])
    for row in progress.itertuples():
        if row.region_code in anchors:
            lon, lat, size = anchors[row.region_code]
            centre, gap = True, 4
        elif row.region_code in seat_codes:
            lon, lat, size, centre, gap = float(row.lon), float(row.lat), 0.0, False, radius + 3
        else:
            continue
        labels.append(
            {
                "lat": round(lat, 4),
                "lon": round(lon, 4),
                "text": short_name(row.name),
                "centre": centre,
                "gap": gap,
                "size": size,
                "bare": short_name(row.name, bare=True),
            }
        )
    labels.sort(key=lambda label: -label["size"])
    uses = Counter(label["bare"] for label in labels)
    for label in labels:
        del label["size"]
        bare = label.pop("bare")
        if bare != label["text"] and uses[bare] == 1:
            label["short"] = bare  # "Temanggung" where "Kab. Temanggung" does not fit
    return labels


def _background_layer(fmap: folium.Map, collection: dict, style: dict) -> None:
    layer = folium.GeoJson(collection, style_function=lambda _f: style, control=False)
    layer.options["interactive"] = False  # context only: no hover, no click
    layer.add_to(fmap)


def _region_layer(fmap: folium.Map, features: list[dict], rows: dict, lang: str) -> None:
    coloured = []
    for feature in features:
        row = rows[feature["properties"]["region_code"]]
        coloured.append({**feature, "properties": _props(row, lang)})
    folium.GeoJson(
        {"type": "FeatureCollection", "features": coloured},
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


def _seat_layer(fmap: folium.Map, seats: pd.DataFrame, lang: str, radius: int) -> None:
    points = [
        {
            "type": "Feature",
            "properties": _props(row, lang),
            "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
        }
        for row in seats.itertuples()
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": points},
        marker=folium.CircleMarker(radius=radius, fill=True),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.95,
            "color": LATE_COLOUR if f["properties"]["late"] else "#37474f",
            "weight": 3 if f["properties"]["late"] else 1.5,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=False),
        control=False,
    ).add_to(fmap)


def _props(row, lang: str) -> dict:
    return {
        "region_code": row.region_code,
        "tooltip": tooltip_html(row, lang),
        "fill": STAGE_COLOURS[int(row.stages_done)],
        "late": bool(row.is_late),
    }


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only: "30 mi" is no Indonesian unit."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


class MapFrame(MacroElement):
    """Fits the scope, keeps it fitted while the frame settles, places the labels, and keeps
    a click on a partly visible map from scrolling the page between press and release."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var labels = {{ this.labels_json }}, bounds = {{ this.bounds_json }};
  var legend = document.getElementById("map-legend");
  if (legend) {
    map.getContainer().style.height = ({{ this.height }} - legend.offsetHeight) + "px";
    map.invalidateSize(false);
  }
  if (map.keyboard && map.keyboard.enabled()) {
    // Leaflet focuses the map on mousedown; focusing a partly visible frame scrolled the
    // page, the release landed elsewhere, and the click on a region was lost.
    map.keyboard.disable();
    map.keyboard._onMouseDown = function () {
      if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
    };
    map.keyboard.enable();
  }
  var fitting = false, moved = false;
  function fit() {
    if (!bounds) { return; }
    fitting = true;
    // A dot at the edge stays whole, and none sits under the scale bar or the attribution.
    var pad = 14 + {{ this.dot_radius }};
    map.fitBounds(bounds, {paddingTopLeft: [pad, pad],
      paddingBottomRight: [pad, pad + ({{ this.dot_radius }} ? 40 : 0)], animate: false});
    fitting = false;
  }
  map.on("movestart zoomstart", function () { if (!fitting) { moved = true; } });
  var pane = map.createPane("labels");
  pane.style.zIndex = 450;
  pane.style.pointerEvents = "none";
  var nodes = labels.map(function (label) {
    var node = L.DomUtil.create("div", "region-label", pane);
    node.textContent = label.text;
    return node;
  });
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function place() {
    var size = map.getSize(), placed = [];
    // Seat dots are where readers hover and click: a label never covers one, so at 514
    // regions only the labels with room stay and every dot shows.
    var dots = labels.filter(function (label) { return !label.centre; }).map(function (label) {
      var p = map.latLngToContainerPoint([label.lat, label.lon]), r = label.gap - 2;
      return {x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r};
    });
    labels.forEach(function (label, i) {
      var node = nodes[i], texts = label.short ? [label.text, label.short] : [label.text];
      var at = map.latLngToContainerPoint([label.lat, label.lon]), chosen = null;
      node.style.display = "";
      for (var t = 0; t < texts.length && !chosen; t++) {
        node.textContent = texts[t];
        var w = node.offsetWidth, h = node.offsetHeight, g = label.gap;
        var offsets = [[g, -h / 2], [-w - g, -h / 2], [-w / 2, -h - g], [-w / 2, g]];
        if (label.centre) {
          offsets = [[-w / 2, -h / 2], [-w / 2, -1.5 * h], [-w / 2, 0.5 * h],
                     [-w / 3, -h / 2], [-2 * w / 3, -h / 2]].concat(offsets);
        }
        for (var k = 0; k < offsets.length && !chosen; k++) {
          var box = {x: at.x + offsets[k][0], y: at.y + offsets[k][1], w: w, h: h};
          var inside = box.x >= 2 && box.y >= 2 && box.x + w <= size.x - 2 &&
            box.y + h <= size.y - 2;
          var clear = function (p) { return !overlaps(p, box); };
          if (inside && placed.every(clear) && dots.every(clear)) {
            chosen = box;
            placed.push({x: box.x - 2, y: box.y, w: w + 4, h: h});
          }
        }
      }
      if (!chosen) { node.style.display = "none"; return; }
      var origin = map.containerPointToLayerPoint([chosen.x, chosen.y]);
      L.DomUtil.setPosition(node, origin.round());
    });
  }
  fit();
  place();
  map.on("zoomend moveend", place);
  map.on("resize", function () { if (!moved) { fit(); } place(); });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, labels: list[dict], bounds, height: int, dot_radius: int = 0):
        super().__init__()
        self._name = "MapFrame"
        self.labels_json = script_json(labels)
        self.bounds_json = script_json(bounds)
        self.height = int(height)
        self.dot_radius = int(dot_radius)


def clicked_region(progress: pd.DataFrame, boundaries: dict | None, lat: float, lon: float):
    """The region in scope whose outline holds the click, else the one whose seat is nearest."""
    codes = set(progress["region_code"])
    if boundaries:
        code = region_containing(boundaries["web_geojson"], lat, lon, codes)
        if code:
            return code
    return region_at(progress, lat, lon)


def legend_html(lang: str, attribution: str = "") -> str:
    items = "".join(
        f"<span><span class='swatch' style='background:{colour}'></span>{n}/{STAGE_COUNT}</span>"
        for n, colour in STAGE_COLOURS.items()
    )
    late = (
        f"<span><span class='swatch' style='background:#fff;border:3px solid {LATE_COLOUR};"
        f"width:7px;height:7px'></span>{escape_text(t('late_flag', lang))}</span>"
    )
    credit = f"<div class='map-attribution'>{escape_text(attribution)}</div>" if attribution else ""
    return (
        f"<div id='map-legend' class='map-legend'><b>{escape_text(t('col_stages_done', lang))}"
        f"</b>{items}{late}{credit}</div>"
    )
