"""The geometry a map sends for one scope of regions.

Regions in scope go as stored (sharp); everything else is context: clipped to the view of the
scope and simplified harder, so a national boundary set costs little when the map shows nine
regions. The import measures its map size with this same function, so the size it reports is
the size the map sends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

DECIMALS = 4  # about 11 m: finer than any tolerance used for the web
CONTEXT_TOLERANCE = 0.004  # degrees, about 440 m: how context is stored at import
MANY_REGIONS = 60  # beyond this the regions in scope are drawn at the view's resolution


@dataclass
class Layers:
    regions: list[dict]
    context: list[dict]
    provinces: list[dict]
    bounds: tuple[float, float, float, float] | None  # minx, miny, maxx, maxy of the scope

    def collection(self, name: str) -> dict:
        return {"type": "FeatureCollection", "features": getattr(self, name)}

    def size(self) -> int:
        return sum(
            len(json.dumps(self.collection(n), separators=(",", ":")))
            for n in ("regions", "context", "provinces")
        )


Parsed = tuple[tuple[dict, ...], np.ndarray]


def parse(collection_json: str) -> Parsed:
    return _parse(collection_json)


@lru_cache(maxsize=4)
def _parse(collection_json: str) -> Parsed:
    features = json.loads(collection_json).get("features", []) if collection_json else []
    props = tuple(f.get("properties") or {} for f in features)
    geoms = np.array([shape(f["geometry"]) for f in features], dtype=object)
    return props, geoms


def main_part(geom):
    """The polygon and the parts at least a tenth its size: Jepara's Karimunjawa islands lie
    80 km out to sea and would shrink the nine regions to a corner if the view held them."""
    parts = list(getattr(geom, "geoms", [geom]))
    if len(parts) == 1:
        return geom
    largest = max(p.area for p in parts)
    return shapely.MultiPolygon([p for p in parts if p.area >= largest / 10])


def label_point(geom) -> tuple[float, float]:
    """(lon, lat) well inside the largest part, where a centred label reads best."""
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda p: p.area)
    point = polylabel(largest, tolerance=0.002)
    return point.x, point.y


def round_geometry(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def as_feature(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def scope_layers(
    web: Parsed,
    provinces: Parsed,
    codes: set[str],
    points: list[tuple[float, float]] = (),
) -> Layers:
    """Regions whose code is in scope, context and province lines within the scope's view.

    points: (lon, lat) of regions in scope that have no outline (seats), so the view holds them.
    """
    props, geoms = web
    inside = np.array([p.get("region_code") in codes for p in props], dtype=bool)
    parts = [main_part(g).bounds for g in geoms[inside]] + [(x, y, x, y) for x, y in points]
    if not parts:
        return Layers([], [], [], None)
    bounds_array = np.array(parts)
    bounds = (
        float(bounds_array[:, 0].min()),
        float(bounds_array[:, 1].min()),
        float(bounds_array[:, 2].max()),
        float(bounds_array[:, 3].max()),
    )
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1], 0.2)
    pad = span * 0.75 + 0.1  # wider than any map shape shows, so no clipped edge is seen
    view = shapely.box(bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad)
    # About a pixel of a 700 px map: a one-region map keeps its neighbours' stored detail.
    context_tolerance = max(0.0005, span / 700)
    region_geoms = geoms[inside]
    if len(region_geoms) > MANY_REGIONS:
        region_geoms = shapely.simplify(region_geoms, span / 1500, preserve_topology=True)
    regions = [
        as_feature(p, round_geometry(g))
        for p, g in zip(np.array(props, dtype=object)[inside], region_geoms, strict=True)
    ]
    context = _clipped(props, geoms, ~inside, view, context_tolerance)
    outlines = _clipped(*provinces, None, view, context_tolerance)
    return Layers(regions, context, outlines, bounds)


def _clipped(props, geoms, keep, view, tolerance) -> list[dict]:
    if len(geoms) == 0:
        return []
    wanted = shapely.intersects(geoms, view)
    if keep is not None:
        wanted &= keep
    chosen = geoms[wanted]
    simplified = shapely.simplify(
        shapely.clip_by_rect(chosen, *view.bounds), tolerance, preserve_topology=True
    )
    out = []
    for p, g in zip(np.array(props, dtype=object)[wanted], simplified, strict=True):
        g = round_geometry(g)
        if not g.is_empty:
            out.append(as_feature({"name": p.get("name", "")}, g))
    return out
