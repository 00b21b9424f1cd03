"""Derive data/boundaries.geojson, the boundary set seeded on first start, from the real
geoBoundaries files in ../shared/geo (never committed themselves; see data/SOURCES.md).

Kept: every kabupaten/kota of Jawa Tengah and DI Yogyakarta (the nine and their neighbours),
each with its Kemendagri code, and the two province outlines. Shared borders are simplified
together (coverage simplification), so neighbours keep touching, until the file fits 250 KB.

    .venv/bin/python scripts/derive_default_boundaries.py [SHARED_GEO_DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.geo.mapdata import round_geometry  # noqa: E402

BUDGET = 250_000
# The geoBoundaries file leaves the code blank where a Kabupaten and a Kota share a name.
TWINS = {
    "Semarang": ("33.22", "Kabupaten Semarang"),
    "Kota Semarang": ("33.74", "Kota Semarang"),
    "Magelang": ("33.08", "Kabupaten Magelang"),
    "Kota Magelang": ("33.71", "Kota Magelang"),
    "Pekalongan": ("33.26", "Kabupaten Pekalongan"),
    "Kota Pekalongan": ("33.75", "Kota Pekalongan"),
    "Tegal": ("33.28", "Kabupaten Tegal"),
    "Kota Tegal": ("33.76", "Kota Tegal"),
}
NOT_REGIONS = {"Hutan", "Wadung Kedungombo"}  # a forest and a reservoir, kept as context
SPELLING = {"Wadung Kedungombo": "Waduk Kedungombo"}  # the source's typo; a waduk is a reservoir


def features(adm2: gpd.GeoDataFrame, adm1: gpd.GeoDataFrame, tolerance: float) -> list[dict]:
    simplified = adm2.geometry.simplify_coverage(tolerance)
    out = []
    for row, geom in zip(adm2.itertuples(), simplified, strict=True):
        source = row.geometry_source_name
        code, name = TWINS.get(source, (row.official_code, row.display_name))
        if source in NOT_REGIONS:
            code, name = None, source
        name = SPELLING.get(name, name)
        out.append(_feature({"region_code": code, "name": name, "level": "adm2"}, geom))
    for row, geom in zip(adm1.itertuples(), adm1.geometry.simplify(tolerance * 2), strict=True):
        out.append(_feature({"region_code": row.province_code, "name": row.province_name,
                             "level": "adm1"}, geom))  # fmt: skip
    return out


def _feature(props: dict, geom) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": shapely.geometry.mapping(round_geometry(geom)),
    }


def main(shared: Path) -> None:
    adm2 = gpd.read_file(shared / "jateng_diy_adm2.geojson").to_crs(4326)
    adm1 = gpd.read_file(shared / "jateng_diy_adm1.geojson").to_crs(4326)
    tolerance = 0.0005
    while True:
        collection = {"type": "FeatureCollection", "features": features(adm2, adm1, tolerance)}
        text = json.dumps(collection, separators=(",", ":"))
        if len(text.encode()) <= BUDGET:
            break
        tolerance *= 1.25
    (ROOT / "data" / "boundaries.geojson").write_text(text + "\n")
    print(f"tolerance {tolerance:.5f} deg, {len(text.encode())} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "geo")
