"""A national-size boundary file built from the real Jawa Tengah + DIY file by tiling.

Tile 0 is the real file as it is (the nine regions keep their codes and outlines); every other
tile is a shifted copy with codes of its own province, so the file holds 42 x tiles features
(13 tiles: 546, like the 514 kabupaten/kota plus non-administrative units). densify adds
vertices (shapely.segmentize) to reach the byte size of real national files (37-67 MB).
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parent.parent


def shared_geo() -> Path:
    """../shared/geo beside the checkout (or beside the worktrees' folder), or $SHARED_GEO_DIR."""
    candidates = [
        os.environ.get("SHARED_GEO_DIR"),
        ROOT.parent / "shared" / "geo",
        ROOT.parent.parent / "shared" / "geo",
    ]
    return next((Path(c) for c in candidates if c and Path(c).exists()), ROOT.parent / "shared")


ADM2 = shared_geo() / "jateng_diy_adm2.geojson"


def national_frame(tiles: int = 13, densify: float | None = None) -> gpd.GeoDataFrame:
    base = gpd.read_file(ADM2)[
        ["official_code", "province_code", "province_name", "display_name", "geometry"]
    ]
    if densify:
        base["geometry"] = shapely.segmentize(base.geometry.values, densify)
    parts = []
    for tile in range(tiles):
        part = base.copy()
        if tile:
            province = str(40 + tile)
            part["official_code"] = [f"{province}.{i + 1:02d}" for i in range(len(part))]
            part["province_code"] = province
            part["province_name"] = f"Provinsi Uji {tile}"
            part["display_name"] = part["display_name"] + f" {tile}"
            part["geometry"] = part.geometry.translate(
                xoff=-14 + 3.6 * (tile % 8), yoff=5 - 3 * (tile // 8)
            )
        parts.append(part)
    import pandas as pd

    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=base.crs)


def national_file(path: Path, tiles: int = 13, densify: float | None = None) -> Path:
    national_frame(tiles, densify).to_file(path, driver="GeoJSON")
    return path
