"""Boundary files: read any GeoJSON / GeoPackage / zipped Shapefile, match features to our
regions, repair and simplify for the web, and report before anything is stored.

Matching never joins on a bare name alone. Codes decide first ("33.23", "3323", "ID3323",
3323.0, 33.2); a feature without a code is matched by its name with its Kabupaten/Kota kind;
forest and lake words only screen features that have neither a code nor a region's name.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lib.core.parse import as_region_code, is_missing
from lib.core.region_names import BARE_KIND, kind_of, split_name
from lib.core.schema import normalise_token
from lib.geo import mapdata

# One cap for boundary files, the same on the page, the command line and here (README).
MAX_MB = 100
MAX_BYTES = MAX_MB * 1024 * 1024
# Geometry the map sends for the matched regions' view; the map's own code adds about 30 KB,
# so the whole map stays under 300 KB.
MAP_DATA_BUDGET = 250_000
REGION_TOLERANCES = (0.0002, 0.0004, 0.0008, 0.0015)  # degrees; 0.0015 is about 170 m
THIN_TOLERANCE = 0.0001
NON_ADMINISTRATIVE = ("hutan", "waduk", "wadung", "danau", "laut", "forest", "reservoir", "lake")
# Normalised header spellings of a province column, most specific first.
PROVINCE_COLUMNS = (
    "province_code",
    "kode_provinsi",
    "kode_prov",
    "adm1_pcode",
    "cc_1",
    "gid_1",
    "name_1",
    "adm1_en",
    "province_name",
    "nama_provinsi",
    "nama_prov",
    "provinsi",
    "propinsi",
    "province",
    "wadmpr",
    "prov",
)


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
    budget: int = MAP_DATA_BUDGET

    @property
    def over_budget(self) -> bool:
        return self.web_bytes > self.budget

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
            frame = gpd.read_file(path, use_arrow=True)  # twice as fast on national files
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


def _columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != frame.geometry.name]


def _code_column(frame: pd.DataFrame, codes: set[str]) -> str | None:
    """The attribute column whose values look most like our region codes."""
    best, best_hits = None, 0
    for column in _columns(frame):
        hits = sum(as_region_code(v) in codes for v in frame[column].dropna())
        if hits > best_hits:
            best, best_hits = column, hits
    return best


def _name_column(frame: pd.DataFrame, bases: set[str]) -> str | None:
    """The text column whose values name the most of our regions (field names vary: NAMOBJ,
    shapeName, NAME_2, display_na after Shapefile's 10-character cut...)."""
    best, best_hits = None, 0
    for column in _columns(frame):
        values = frame[column].dropna()
        hits = sum(split_name(v)[1] in bases for v in values if isinstance(v, str))
        if hits > best_hits:
            best, best_hits = column, hits
    return best


def _kind_column(frame: pd.DataFrame) -> str | None:
    """A column saying Kabupaten/Kota (TYPE_2, region_type, "KAB."/"KOTA", Regency/City)."""
    for column in _columns(frame):
        values = frame[column].dropna()
        kinds = [kind_of(v) for v in values if isinstance(v, str)]
        if kinds and sum(k is not None for k in kinds) >= 0.5 * len(values):
            return column
    return None


def _non_administrative_code(code: str) -> bool:
    return int(code[-2:]) >= 88 or code.endswith(".00")


def match_features(frame: gpd.GeoDataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """One row per feature. Codes decide first: a feature with a code is matched by it (or is
    context, or not administrative for codes like 33.99); a feature without a code is matched
    by its name with its Kabupaten/Kota kind, and only then screened for forest/lake words."""
    codes = set(regions["region_code"])
    by_name: dict[tuple[str, str], str] = {}
    for row in regions.itertuples():
        kind, base = split_name(row.name)
        by_name[(kind or row.kind, base)] = row.region_code
    code_column = _code_column(frame, codes)
    name_column = _name_column(frame, {base for _, base in by_name})
    kind_column = _kind_column(frame)
    names = (
        frame[name_column].fillna("").astype(str) if name_column else pd.Series([""] * len(frame))
    )
    # bases some name gives with a kind word other than a bare name's (a "Kota Semarang")
    twinned = {base for n in names for k, base in [split_name(n)] if k not in (None, BARE_KIND)}
    file_codes = (
        [as_region_code(v) for v in frame[code_column]] if code_column else [None] * len(frame)
    )
    declared = [kind_of(v) for v in frame[kind_column]] if kind_column else [None] * len(frame)
    rows = []
    for index, name, code, declared_kind in zip(
        frame.index, names, file_codes, declared, strict=True
    ):
        record = {
            "index": index,
            "name": name,
            "file_code": code,
            "region_code": None,
            "method": "",
            "status": "unmatched",
        }
        if code is not None:
            if code in codes:
                record.update(region_code=code, method="code", status="matched")
            elif _non_administrative_code(code):
                record["status"] = "non_administrative"
        else:
            kind, base = split_name(name)
            kind = kind or declared_kind
            if kind is None and base in twinned:
                kind = BARE_KIND  # geoBoundaries: bare "Semarang" beside "Kota Semarang"
            if kind is not None and (kind, base) in by_name:
                record.update(region_code=by_name[(kind, base)], method="name", status="matched")
            elif kind is None and sum(base == b for _, b in by_name) > 1:
                record["status"] = "ambiguous"
            elif kind is None and any(base == b for _, b in by_name):
                only = next(c for (k, b), c in by_name.items() if b == base)
                record.update(region_code=only, method="name", status="matched")
            elif any(word in base.split("_") for word in NON_ADMINISTRATIVE):
                record["status"] = "non_administrative"
        rows.append(record)
    report = pd.DataFrame(rows)
    matched = report[report["status"] == "matched"]
    for code in matched["region_code"][matched["region_code"].duplicated()].unique():
        report.loc[report["region_code"] == code, "status"] = "ambiguous"
    report.loc[report["status"] == "ambiguous", "region_code"] = None
    return report


# --- simplifying ------------------------------------------------------------------------------


def _province_column(frame: pd.DataFrame) -> str | None:
    by_token = {normalise_token(c): c for c in _columns(frame)}
    return next((by_token[t] for t in PROVINCE_COLUMNS if t in by_token), None)


def province_keys(frame: gpd.GeoDataFrame, report: pd.DataFrame) -> list[str | None]:
    """The province of each feature: the file's province column, else the first two digits of
    the feature's code (its own, or the region it matched)."""
    column = _province_column(frame)
    given = [None] * len(frame) if column is None else frame[column].tolist()
    keys = []
    for value, file_code, region_code in zip(
        given, report["file_code"], report["region_code"], strict=True
    ):
        code = file_code if isinstance(file_code, str) else region_code
        if not is_missing(value) and str(value).strip():
            keys.append(str(value).strip())
        else:
            keys.append(code[:2] if isinstance(code, str) else None)
    return keys


def _collection(props: list[dict], geoms) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            mapdata.as_feature(p, mapdata.round_geometry(g))
            for p, g in zip(props, geoms, strict=True)
            if g is not None and not g.is_empty
        ],
    }


def thinned(geoms: np.ndarray) -> np.ndarray:
    """Drop vertices closer than 11 m to the line (plain Douglas-Peucker, fast) before the
    topology-preserving passes: national files carry millions of vertices the web never shows.
    A shape this breaks (invalid or empty) keeps its original."""
    fast = shapely.simplify(geoms, THIN_TOLERANCE, preserve_topology=False)
    broken = shapely.is_empty(fast) | ~shapely.is_valid(fast)
    fast[broken] = geoms[broken]
    return fast


def simplify_for_web(
    frame: gpd.GeoDataFrame, provinces: list[str | None], budget: int
) -> tuple[dict, dict, float, int]:
    """Regions sharp, context coarse, province outlines from the coarse context.

    The regions' tolerance grows only until the map of all matched regions fits the budget,
    and never beyond REGION_TOLERANCES[-1] (about 170 m): outlines stay where they are, and a
    budget that cannot be met is reported, not hidden. Returns features, provinces, the
    regions' tolerance and the map size of the matched regions' view.
    """
    geoms = thinned(frame.geometry.values)
    is_region = frame["region_code"].notna().values
    coarse = shapely.simplify(geoms, mapdata.CONTEXT_TOLERANCE, preserve_topology=True)
    groups: dict[str, list] = {}
    for key, geom in zip(provinces, coarse, strict=True):
        if key is not None:
            groups.setdefault(key, []).append(geom)
    outlines = [shapely.union_all(shapely.make_valid(np.array(g))) for g in groups.values()]
    province_collection = _collection(
        [{"name": k} for k in groups], shapely.simplify(outlines, mapdata.CONTEXT_TOLERANCE)
    )
    props = [
        {"region_code": code if isinstance(code, str) else None, "name": name, "role": role}
        for code, name, role in zip(frame["region_code"], frame["name"], frame["role"], strict=True)
    ]
    codes = {p["region_code"] for p in props if p["region_code"]}
    parsed_provinces = mapdata.parse(json.dumps(province_collection))
    for tolerance in REGION_TOLERANCES:
        fine = shapely.simplify(geoms[is_region], tolerance, preserve_topology=True)
        web_geoms = coarse.copy()
        web_geoms[is_region] = fine
        web = _collection(props, web_geoms)
        layers = mapdata.scope_layers(mapdata.parse(json.dumps(web)), parsed_provinces, codes)
        size = layers.size()
        if size <= budget:
            break
    return web, province_collection, tolerance, size


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
    provinces = province_keys(frame, report)
    matched = report["status"].eq("matched").values
    frame = gpd.GeoDataFrame(
        {
            "region_code": report["region_code"].where(matched).values,
            "name": report["name"].values,
            "role": np.where(matched, "region", "context"),
        },
        geometry=frame.geometry.values,
        crs=4326,
    )
    web, province_collection, tolerance, size = simplify_for_web(frame, provinces, MAP_DATA_BUDGET)
    match_report = MatchReport(
        report, tolerance, size, source_crs, repaired, budget=MAP_DATA_BUDGET
    )
    return BoundarySet(frame, web, match_report, province_collection)


def region_containing(
    web_json: str, lat: float, lon: float, codes: set[str] | None = None
) -> str | None:
    """The region (of codes, when given) whose outline holds the point."""
    props, geoms = mapdata.parse(web_json)
    point = shapely.Point(lon, lat)
    for p, geom in zip(props, geoms, strict=True):
        code = p.get("region_code")
        if code and (codes is None or code in codes) and geom.contains(point):
            return code
    return None


def store_boundaries(
    engine,
    boundary_set: BoundarySet,
    *,
    file_name: str,
    data: bytes,
    author: str,
    attribution: str,
    expected: tuple[int, int] | None = None,
) -> int:
    """Save the checked set. An empty attribution keeps the current set's; with none stored,
    BoundaryError("geo_attribution_needed"). `expected` = (boundary set id, data version) the check
    was made on: when the store moved on, store.StaleBoundaries (audited) and nothing saved."""
    from lib.storage import accounts, store

    attribution = (attribution or "").strip()
    if not attribution and not store.latest_boundary_id(engine):
        raise BoundaryError("geo_attribution_needed")
    report = boundary_set.report
    try:
        return _save(engine, boundary_set, report, file_name, data, author, attribution, expected)
    except store.StaleBoundaries as stale:
        accounts.record(
            engine,
            author,
            "boundaries_refused",
            False,
            file=file_name,
            reason="stale_version",
            made_on=[stale.expected, stale.expected_version],
            current=[stale.current, stale.current_version],
        )
        raise


def _save(engine, boundary_set, report, file_name, data, author, attribution, expected) -> int:
    from lib.storage import store

    return store.save_boundaries(
        engine,
        {
            "author": author,
            "file_name": file_name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "attribution": attribution,
            "report": json.dumps(
                {
                    "rows": report.rows.astype(object)
                    .where(report.rows.notna(), None)
                    .to_dict("records"),
                    "tolerance": report.tolerance,
                    "web_bytes": report.web_bytes,
                    "source_crs": report.source_crs,
                    "repaired": report.repaired,
                    "budget": report.budget,
                },
                default=str,
            ),
            "full_geojson": boundary_set.features.to_json(drop_id=True),
            "web_geojson": json.dumps(boundary_set.web),
            "provinces_geojson": json.dumps(boundary_set.provinces),
        },
        expected,
    )


DEFAULT_FILE = "boundaries.geojson"
DEFAULT_ATTRIBUTION = (
    "Batas wilayah / boundaries: geoBoundaries (Runfola et al. 2020), IDN ADM2 2020, source "
    "BPS / WFP / OCHA ROAP via HDX, CC BY 3.0 IGO. Simplified."
)


def seed_default_boundaries(engine, data_dir: Path) -> int | None:
    """Store data/boundaries.geojson (already simplified; data/SOURCES.md) when the store has no
    boundary set yet, so the map never floats dots on grey. An imported set replaces it."""
    from lib.storage import store

    path = Path(data_dir) / DEFAULT_FILE
    if store.latest_boundary_id(engine) or not path.exists():
        return None
    data = path.read_bytes()
    features = json.loads(data)["features"]
    web = [
        {
            **f,
            "properties": {
                "region_code": f["properties"]["region_code"],
                "name": f["properties"]["name"],
                "role": "region" if f["properties"]["region_code"] else "context",
            },
        }
        for f in features
        if f["properties"]["level"] == "adm2"
    ]
    provinces = [
        {**f, "properties": {"name": f["properties"]["name"]}}
        for f in features
        if f["properties"]["level"] == "adm1"
    ]
    web_json = json.dumps({"type": "FeatureCollection", "features": web})
    return store.save_boundaries(
        engine,
        {
            "author": "system",
            "file_name": f"data/{DEFAULT_FILE}",
            "sha256": hashlib.sha256(data).hexdigest(),
            "attribution": DEFAULT_ATTRIBUTION,
            "report": json.dumps({"rows": [], "web_bytes": len(data), "default": True}),
            "full_geojson": web_json,
            "web_geojson": web_json,
            "provinces_geojson": json.dumps({"type": "FeatureCollection", "features": provinces}),
        },
    )
