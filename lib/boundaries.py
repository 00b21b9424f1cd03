"""Boundary files: read any GeoJSON / GeoPackage / zipped Shapefile, match features to our
regions, repair and simplify for the web, and report before anything is stored.

Matching never joins on a bare name alone: codes first ("33.23", "3323", "ID3323"), then the
name with its Kabupaten/Kota kind. Non-administrative units (forest, reservoir) never match.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd
import shapely

from lib.schema import normalise_token

MAX_BYTES = 50 * 1024 * 1024
WEB_BUDGET_BYTES = 250_000
NON_ADMINISTRATIVE = ("hutan", "waduk", "wadung", "danau", "laut", "forest", "reservoir", "lake")
CODE_IN_TEXT = re.compile(r"^(?:ID)?(\d{2})\.?(\d{2})$")


class BoundaryError(ValueError):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class MatchReport:
    rows: pd.DataFrame  # one row per feature: index, name, kind, code, status, method
    tolerance: float = 0.0
    web_bytes: int = 0
    source_crs: str = ""
    repaired: int = 0

    def codes(self, status: str = "matched") -> set[str]:
        return set(self.rows.loc[self.rows["status"] == status, "region_code"].dropna())

    def count(self, status: str) -> int:
        return int((self.rows["status"] == status).sum())


@dataclass
class BoundarySet:
    features: gpd.GeoDataFrame  # full resolution, WGS84, with region_code (None = context)
    web: dict  # simplified GeoJSON FeatureCollection for the map
    report: MatchReport
    provinces: dict = field(default_factory=dict)


# --- reading ----------------------------------------------------------------------------------


def read_boundary_file(name: str, data: bytes) -> gpd.GeoDataFrame:
    if len(data) > MAX_BYTES:
        raise BoundaryError("geo_too_big", limit=MAX_BYTES // 2**20)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    with tempfile.TemporaryDirectory() as tmp:
        if suffix == "zip":
            path = _unpack_shapefile(data, Path(tmp))
        elif suffix in ("geojson", "json", "gpkg"):
            path = Path(tmp) / f"upload.{suffix}"
            path.write_bytes(data)
        else:
            raise BoundaryError("geo_unsupported")
        if suffix == "gpkg":
            layers = _layers(path)
            if len(layers) > 1:
                raise BoundaryError("geo_several_layers", layers=", ".join(layers))
        try:
            frame = gpd.read_file(path)
        except Exception:
            raise BoundaryError("geo_unreadable") from None
    if frame.empty or frame.geometry.isna().all():
        raise BoundaryError("geo_empty")
    return frame


def _layers(path: Path) -> list[str]:
    import pyogrio

    try:
        return [str(layer[0]) for layer in pyogrio.list_layers(path)]
    except Exception:
        raise BoundaryError("geo_unreadable") from None


def _unpack_shapefile(data: bytes, target: Path) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise BoundaryError("geo_unreadable") from None
    if sum(m.file_size for m in members) > 4 * MAX_BYTES:
        raise BoundaryError("geo_too_big", limit=MAX_BYTES // 2**20)
    for member in members:
        parts = PurePosixPath(member.filename.replace("\\", "/")).parts
        if member.filename.startswith(("/", "\\")) or ".." in parts or ":" in member.filename:
            raise BoundaryError("geo_path_traversal", name=member.filename)
    shapefiles = [m.filename for m in members if m.filename.lower().endswith(".shp")]
    if not shapefiles:
        raise BoundaryError("geo_no_layer")
    if len(shapefiles) > 1:
        raise BoundaryError("geo_several_layers", layers=", ".join(shapefiles))
    for member in members:
        if not member.is_dir():
            out = target / PurePosixPath(member.filename).name
            out.write_bytes(archive.read(member))
    return target / PurePosixPath(shapefiles[0]).name


def to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise BoundaryError("geo_no_crs")
        return frame.set_crs(4326)
    return frame.to_crs(4326)


def repair(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame = frame.copy()
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].values)
        # make_valid may add stray lines or points: keep the areas only.
        frame["geometry"] = [
            shapely.union_all([g for g in getattr(geom, "geoms", [geom]) if g.area > 0])
            if geom.geom_type == "GeometryCollection"
            else geom
            for geom in frame.geometry
        ]
    return frame, int(invalid.sum())


# --- matching ---------------------------------------------------------------------------------


def _code_of(value: object) -> str | None:
    text = str(value).strip().upper() if value is not None else ""
    match = CODE_IN_TEXT.match(text)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def _code_column(frame: pd.DataFrame, codes: set[str]) -> str | None:
    """The attribute column whose values look most like our region codes."""
    best, best_hits = None, 0
    for column in frame.columns:
        if column == "geometry":
            continue
        hits = sum(_code_of(v) in codes for v in frame[column].dropna().astype(str))
        if hits > best_hits:
            best, best_hits = column, hits
    return best


def _name_column(frame: pd.DataFrame, bases: set[str]) -> str | None:
    """The text column whose values name the most of our regions (field names vary: NAMOBJ,
    shapeName, display_na after Shapefile's 10-character cut...)."""
    best, best_hits = None, 0
    for column in frame.columns:
        if column == "geometry":
            continue
        values = frame[column].dropna().astype(str)
        hits = sum(_split_name(v)[1] in bases for v in values)
        if hits > best_hits:
            best, best_hits = column, hits
    return best


def _kind_column(frame: pd.DataFrame) -> str | None:
    for column in frame.columns:
        if column == "geometry":
            continue
        values = {normalise_token(v) for v in frame[column].dropna().astype(str)}
        if values & {"kabupaten", "kota"} and len(values) <= 5:
            return column
    return None


def _split_name(name: str) -> tuple[str | None, str]:
    """("kota", "semarang") for "Kota Semarang"; (None, "semarang") for a bare name."""
    token = normalise_token(name)
    for prefix, kind in (
        ("kabupaten_", "kabupaten"),
        ("kab_", "kabupaten"),
        ("kota_", "kota"),
        ("kota_administrasi_", "kota"),
    ):
        if token.startswith(prefix):
            return kind, token[len(prefix) :]
    for suffix, kind in (("_regency", "kabupaten"), ("_city", "kota")):
        if token.endswith(suffix):
            return kind, token[: -len(suffix)]
    return None, token


def match_features(frame: gpd.GeoDataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    codes = set(regions["region_code"])
    by_name: dict[tuple[str, str], str] = {}
    for row in regions.itertuples():
        kind, base = _split_name(row.name)
        by_name[(kind or row.kind, base)] = row.region_code
    code_column = _code_column(frame, codes)
    name_column = _name_column(frame, {base for _, base in by_name})
    kind_column = _kind_column(frame)
    names = frame[name_column].astype(str) if name_column else pd.Series([""] * len(frame))
    explicit_kota = {base for n in names for k, base in [_split_name(n)] if k == "kota"}
    rows = []
    for index, name in zip(frame.index, names, strict=True):
        kind, base = _split_name(name)
        declared = normalise_token(frame.at[index, kind_column]) if kind_column else ""
        code = _code_of(frame.at[index, code_column]) if code_column else None
        record = {
            "index": index,
            "name": name,
            "region_code": None,
            "method": "",
            "status": "unmatched",
        }
        if any(word in base.split("_") for word in NON_ADMINISTRATIVE) or (
            code and int(code[-2:]) >= 88
        ):
            record["status"] = "non_administrative"
        elif code in codes:
            record.update(region_code=code, method="code", status="matched")
        else:
            if kind is None and declared in ("kabupaten", "kota"):
                kind = declared
            if kind is None and base in explicit_kota:
                kind = "kabupaten"  # geoBoundaries: bare "Semarang" beside "Kota Semarang"
            if kind is not None and (kind, base) in by_name:
                record.update(region_code=by_name[(kind, base)], method="name", status="matched")
            elif kind is None and sum(base == b for _, b in by_name) > 1:
                record["status"] = "ambiguous"
            elif kind is None and any(base == b for _, b in by_name):
                only = next(c for (k, b), c in by_name.items() if b == base)
                record.update(region_code=only, method="name", status="matched")
        rows.append(record)
    report = pd.DataFrame(rows)
    matched = report[report["status"] == "matched"]
    for code in matched["region_code"][matched["region_code"].duplicated()].unique():
        report.loc[report["region_code"] == code, "status"] = "ambiguous"
    return report


# --- simplifying ------------------------------------------------------------------------------


def _province_column(frame: pd.DataFrame) -> str | None:
    for column in frame.columns:
        if normalise_token(column) in ("province_code", "kode_provinsi", "adm1_pcode", "prov"):
            return column
    return None


def _feature_collection(frame: gpd.GeoDataFrame) -> dict:
    data = json.loads(frame.to_json(drop_id=True))
    _round_coordinates(data)
    return data


def _round_coordinates(node) -> None:
    """Five decimals (about a metre) is finer than any boundary here and halves the payload."""
    if isinstance(node, dict):
        if "coordinates" in node:
            node["coordinates"] = _round(node["coordinates"])
        for value in node.values():
            if isinstance(value, dict | list):
                _round_coordinates(value)
    elif isinstance(node, list):
        for value in node:
            _round_coordinates(value)


def _round(value):
    if isinstance(value, list):
        return [_round(v) for v in value]
    return round(value, 5) if isinstance(value, float) else value


def simplify_for_web(
    frame: gpd.GeoDataFrame, budget: int = WEB_BUDGET_BYTES
) -> tuple[dict, dict, float]:
    """Simplify shared borders together (coverage simplification keeps neighbours touching)
    until features + province outlines fit the budget; returns them and the tolerance."""
    province_column = _province_column(frame)
    tolerance = 0.0005
    while True:
        try:
            simplified = frame.geometry.simplify_coverage(tolerance)
        except Exception:  # not a clean coverage: fall back to per-feature simplification
            simplified = frame.geometry.simplify(tolerance, preserve_topology=True)
        web = frame[["region_code", "name", "role"]].set_geometry(simplified)
        features = _feature_collection(web)
        provinces: dict = {"type": "FeatureCollection", "features": []}
        if province_column:
            dissolved = frame.assign(geometry=simplified).dissolve(by=province_column)
            provinces = _feature_collection(dissolved[["geometry"]].reset_index(drop=True))
        size = len(json.dumps(features)) + len(json.dumps(provinces))
        if size <= budget or tolerance > 0.05:
            return features, provinces, tolerance
        tolerance *= 1.6


# --- the whole import -------------------------------------------------------------------------


def prepare_boundaries(name: str, data: bytes, regions: pd.DataFrame) -> BoundarySet:
    """Read, reproject, repair, match and simplify. Writes nothing; raises BoundaryError."""
    frame = read_boundary_file(name, data)
    source_crs = frame.crs.to_string() if frame.crs is not None else "unknown"
    frame = to_wgs84(frame)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"]) | ~frame.geometry.is_valid]
    if frame.empty:
        raise BoundaryError("geo_empty")
    frame, repaired = repair(frame.reset_index(drop=True))
    report = match_features(frame, regions)
    if not report["status"].eq("matched").any():
        raise BoundaryError("geo_no_match")
    frame = frame.assign(
        region_code=report["region_code"].where(report["status"] == "matched").values,
        name=report["name"].values,
    )
    frame["role"] = ["region" if pd.notna(c) else "context" for c in frame["region_code"]]
    web, provinces, tolerance = simplify_for_web(frame)
    size = len(json.dumps(web)) + len(json.dumps(provinces))
    return BoundarySet(
        frame, web, MatchReport(report, tolerance, size, source_crs, repaired), provinces
    )


def region_containing(web: dict, lat: float, lon: float) -> str | None:
    point = shapely.Point(lon, lat)
    for feature in web.get("features", []):
        code = feature["properties"].get("region_code")
        if code and shapely.geometry.shape(feature["geometry"]).contains(point):
            return code
    return None


def store_boundaries(
    engine, boundary_set: BoundarySet, *, file_name: str, data: bytes, author: str, attribution: str
) -> int:
    import hashlib

    from lib import store

    report = boundary_set.report
    return store.save_boundaries(
        engine,
        {
            "author": author,
            "file_name": file_name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "attribution": attribution or file_name,
            "report": json.dumps(
                {
                    "rows": report.rows.astype(object)
                    .where(report.rows.notna(), None)
                    .to_dict("records"),
                    "tolerance": report.tolerance,
                    "web_bytes": report.web_bytes,
                    "source_crs": report.source_crs,
                    "repaired": report.repaired,
                },
                default=str,
            ),
            "full_geojson": boundary_set.features.to_json(drop_id=True),
            "web_geojson": json.dumps(boundary_set.web),
            "provinces_geojson": json.dumps(boundary_set.provinces),
        },
    )
