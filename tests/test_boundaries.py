"""Boundary import against the real shared files and against shapes of input built here."""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from bench.national_geo import ADM2, national_file
from lib.core.metrics import region_progress
from lib.geo.boundaries import (
    MAX_BYTES,
    MAX_MB,
    BoundaryError,
    prepare_boundaries,
    store_boundaries,
)
from lib.geo.mapview import clicked_region, regions_map
from lib.ingest.dataset import load_shipped
from lib.storage import store
from lib.views.boundary_report import summary
from tests.conftest import MINI_REFERENCE, PROJECT

ATTRIBUTION = (
    "Batas wilayah / boundaries: geoBoundaries (Runfola et al. 2020), IDN ADM2 2020, "
    "source BPS / WFP / OCHA ROAP via HDX, CC BY 3.0 IGO."
)
NINE = {"33.23", "33.22", "34.04", "33.06", "33.74", "33.19", "33.20", "33.12", "33.13"}

needs_shared = pytest.mark.skipif(not ADM2.exists(), reason="../shared/geo is not beside the repo")


@pytest.fixture(scope="module")
def regions():
    frames, _ = load_shipped(PROJECT / "data")
    return frames["regions"]


@pytest.fixture(scope="module")
def adm2() -> gpd.GeoDataFrame:
    return gpd.read_file(ADM2)


def as_geojson(frame: gpd.GeoDataFrame) -> bytes:
    return frame.to_json().encode()


@needs_shared
def test_real_file_matches_all_nine_with_both_semarangs_apart(regions):
    prepared = prepare_boundaries(ADM2.name, ADM2.read_bytes(), regions)
    report = prepared.report
    assert report.codes() == NINE
    rows = report.rows.set_index("name")
    assert rows.loc["Semarang", "region_code"] == "33.22"
    assert rows.loc["Kota Semarang", "region_code"] == "33.74"
    assert rows.loc["Hutan", "status"] == "non_administrative"
    assert rows.loc["Wadung Kedungombo", "status"] == "non_administrative"
    assert report.count("ambiguous") == 0
    assert report.web_bytes <= 250_000 and not report.over_budget
    assert len(prepared.features) == 42  # every feature is kept at full resolution
    assert summary(report, regions, "en").startswith("9 of 9 regions matched; 0 ambiguous;")


@needs_shared
@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(
            lambda f: f.rename(columns={"official_code": "KODE", "geometry_source_name": "NAMOBJ"}),
            id="other-field-names",
        ),
        pytest.param(
            lambda f: f.assign(official_code=f.official_code.str.replace(".", "")),
            id="codes-without-dots",
        ),
        pytest.param(
            lambda f: f.assign(official_code="ID" + f.official_code.str.replace(".", "")),
            id="codes-ID3323",
        ),
        pytest.param(lambda f: f[["display_name", "geometry"]], id="names-only"),
        pytest.param(lambda f: f.to_crs(32749), id="projected-crs-utm49s"),
    ],
)
def test_other_shapes_of_input_match_all_nine(regions, adm2, transform):
    prepared = prepare_boundaries("b.geojson", as_geojson(transform(adm2.copy())), regions)
    assert prepared.report.codes() == NINE
    assert prepared.features.crs.to_epsg() == 4326


@needs_shared
def test_projected_file_is_reprojected_to_wgs84(regions, adm2):
    prepared = prepare_boundaries("b.geojson", as_geojson(adm2.to_crs(32749)), regions)
    assert prepared.report.source_crs.endswith("32749")
    minx, miny, maxx, maxy = prepared.features.total_bounds
    assert 108 < minx < maxx < 112 and -9 < miny < maxy < -5


@needs_shared
def test_zipped_shapefile(regions, adm2, tmp_path):
    adm2[["official_code", "display_name", "geometry"]].to_file(tmp_path / "kab.shp")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in tmp_path.glob("kab.*"):
            archive.write(path, f"batas/{path.name}")
    prepared = prepare_boundaries("batas.zip", out.getvalue(), regions)
    assert prepared.report.codes() == NINE


def test_invalid_polygon_is_repaired(regions):
    bowtie = shapely.Polygon([(110.0, -7.0), (110.3, -7.3), (110.3, -7.0), (110.0, -7.3)])
    frame = gpd.GeoDataFrame(
        {"kode": ["33.23"], "nama": ["Temanggung"]}, geometry=[bowtie], crs=4326
    )
    assert not frame.geometry.is_valid.all()
    prepared = prepare_boundaries("t.geojson", as_geojson(frame), regions)
    assert prepared.report.repaired == 1
    assert prepared.features.geometry.is_valid.all()
    assert prepared.report.codes() == {"33.23"}


def test_bare_semarang_without_a_twin_is_ambiguous(regions):
    square = shapely.box(110.3, -7.3, 110.5, -7.1)
    frame = gpd.GeoDataFrame(
        {"nama": ["Semarang", "Kudus"]},
        geometry=[square, shapely.box(110.7, -6.9, 110.9, -6.7)],
        crs=4326,
    )
    report = prepare_boundaries("s.geojson", as_geojson(frame), regions).report
    assert report.rows.set_index("name").loc["Semarang", "status"] == "ambiguous"


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, key",
    [
        ("notes.geojson", b"this is not geometry", "geo_unreadable"),
        ("empty.geojson", b'{"type": "FeatureCollection", "features": []}', "geo_empty"),
        (
            "far.geojson",
            gpd.GeoDataFrame(
                {"nama": ["Paris"]}, geometry=[shapely.box(2.2, 48.8, 2.4, 48.9)], crs=4326
            )
            .to_json()
            .encode(),
            "geo_no_match",
        ),
        ("two.zip", zip_of({"a.shp": b"", "b.shp": b""}), "geo_several_layers"),
        ("evil.zip", zip_of({"../../etc/x.shp": b""}), "geo_path_traversal"),
        ("none.zip", zip_of({"readme.txt": b"hi"}), "geo_no_layer"),
        ("map.pdf", b"%PDF", "geo_unsupported"),
        ("huge.geojson", b" " * (MAX_BYTES + 1), "geo_too_big"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_stored(regions, seeded_engine, name, data, key):
    with pytest.raises(BoundaryError) as error:
        prepare_boundaries(name, data, regions)
    assert error.value.key == key
    assert store.latest_boundary_id(seeded_engine) == 1  # still the shipped set


def test_geopackage_with_several_layers_is_refused(regions, tmp_path):
    frame = gpd.GeoDataFrame(
        {"nama": ["Kudus"]}, geometry=[shapely.box(110.7, -6.9, 110.9, -6.7)], crs=4326
    )
    path = tmp_path / "two.gpkg"
    frame.to_file(path, layer="one")
    frame.to_file(path, layer="two")
    with pytest.raises(BoundaryError) as error:
        prepare_boundaries("two.gpkg", path.read_bytes(), regions)
    assert error.value.key == "geo_several_layers"


@needs_shared
def test_stored_set_draws_a_choropleth_with_context_and_attribution(
    seeded_engine, regions, mini_frames
):
    prepared = prepare_boundaries(ADM2.name, ADM2.read_bytes(), regions)
    store_boundaries(
        seeded_engine,
        prepared,
        file_name=ADM2.name,
        data=ADM2.read_bytes(),
        author="admin",
        attribution=ATTRIBUTION + " <script>x</script>",
    )
    boundaries = store.latest_boundaries(seeded_engine)
    frames, _ = load_shipped(PROJECT / "data")
    progress = region_progress(frames["regions"], frames["stages"], MINI_REFERENCE)
    html = (
        regions_map(progress, "en", "/app/static/vendor/leaflet", boundaries=boundaries)
        .get_root()
        .render()
    )
    assert "var labels = [" in html and "Kab. Temanggung" in html  # the labels
    assert "Boyolali" in html  # a neighbouring regency drawn for context
    assert "geoBoundaries (Runfola et al. 2020)" in html
    assert "<script>x</script>" not in html
    assert len(html.encode()) < 300_000
    web = json.loads(boundaries["web_geojson"])
    assert {f["properties"]["region_code"] for f in web["features"]} - {None} == NINE
    # a click inside Kota Semarang's outline opens Kota, not Kabupaten, Semarang
    assert clicked_region(progress, boundaries, -7.0, 110.42) == "33.74"
    assert clicked_region(progress, boundaries, -7.25, 110.45) == "33.22"


# --- issue 11: shapes of real national files -------------------------------------------------

TWIN_CODES = {
    "Semarang": "33.22",
    "Kota Semarang": "33.74",
    "Magelang": "33.08",
    "Kota Magelang": "33.71",
    "Pekalongan": "33.26",
    "Kota Pekalongan": "33.75",
    "Tegal": "33.28",
    "Kota Tegal": "33.76",
}


def full_codes(adm2: gpd.GeoDataFrame) -> pd.Series:
    """Every feature's code, as national files have them (the shared file blanks the twins)."""
    return adm2.apply(
        lambda r: TWIN_CODES.get(r.geometry_source_name, r.official_code) or None, axis=1
    )


def kind_of(adm2):
    return ["Kota" if n.startswith("Kota ") else "Kabupaten" for n in adm2.geometry_source_name]


def gadm(adm2):
    """GADM: NAME_1 / NAME_2 / TYPE_2 / CC_2 ("3322"), province names, no other columns."""
    return gpd.GeoDataFrame(
        {
            "GID_2": [f"IDN.10.{i}_1" for i in range(len(adm2))],
            "NAME_1": adm2.province_name.replace("", "Jawa Tengah"),
            "NAME_2": adm2.geometry_source_name,
            "TYPE_2": kind_of(adm2),
            "ENGTYPE_2": ["City" if k == "Kota" else "Regency" for k in kind_of(adm2)],
            "CC_2": full_codes(adm2).str.replace(".", "", regex=False),
        },
        geometry=adm2.geometry,
        crs=adm2.crs,
    )


def upper_names(adm2):
    """BPS/OSM-derived: upper-case names only, no code, no type column."""
    names = [
        ("KOTA " + n[5:] if n.startswith("Kota ") else "KABUPATEN " + n).upper()
        for n in adm2.geometry_source_name
    ]
    return gpd.GeoDataFrame({"NAMA": names}, geometry=adm2.geometry, crs=adm2.crs)


def kab_kota_column(adm2):
    """Bare upper-case names beside a type column holding "KAB." / "KOTA"."""
    bare = [n.removeprefix("Kota ").upper() for n in adm2.geometry_source_name]
    kinds = ["KOTA" if k == "Kota" else "KAB." for k in kind_of(adm2)]
    return gpd.GeoDataFrame({"WADMKK": bare, "TIPE": kinds}, geometry=adm2.geometry, crs=adm2.crs)


def integer_codes_with_a_null(adm2):
    """An integer code column with one blank: pandas and GeoJSON make it 3322.0."""
    codes = full_codes(adm2).str.replace(".", "", regex=False).astype(float)
    codes[adm2.geometry_source_name == "Banyumas"] = None
    return gpd.GeoDataFrame(
        {"KODE": codes, "NAMA": adm2.geometry_source_name}, geometry=adm2.geometry, crs=adm2.crs
    )


def float_codes(adm2):
    """Codes as Excel numbers: 33.2 for "33.20" (Jepara), 33.1 for "33.10"."""
    return gpd.GeoDataFrame(
        {"kode_wilayah": full_codes(adm2).astype(float)}, geometry=adm2.geometry, crs=adm2.crs
    )


@needs_shared
@pytest.mark.parametrize(
    "shape, provinces",
    [
        (gadm, {"Jawa Tengah", "Daerah Istimewa Yogyakarta"}),
        (upper_names, {"33", "34"}),  # no province column: dissolved from matched codes
        (kab_kota_column, {"33", "34"}),
        (integer_codes_with_a_null, {"33", "34"}),
        (float_codes, {"33", "34"}),
    ],
    ids=["gadm", "upper-case-names", "kab-kota-type", "integer-codes-with-null", "float-codes"],
)
def test_national_file_shapes_match_all_nine_and_keep_province_outlines(
    regions, adm2, shape, provinces
):
    data = as_geojson(shape(adm2))
    prepared = prepare_boundaries("national.geojson", data, regions)
    rows = prepared.report.rows
    assert prepared.report.codes() == NINE
    assert prepared.report.count("ambiguous") == 0
    by_name = {n.upper(): c for n, c in zip(rows["name"], rows["region_code"], strict=True)}
    if shape in (upper_names,):
        assert by_name["KABUPATEN SEMARANG"] == "33.22"
        assert by_name["KOTA SEMARANG"] == "33.74"
    outlines = {f["properties"]["name"] for f in prepared.provinces["features"]}
    assert provinces <= outlines


def test_laut_and_danau_in_a_real_name_never_lose_a_correct_code():
    regions = pd.DataFrame(
        {
            "region_code": ["63.01", "72.11", "12.12"],
            "name": ["Kabupaten Tanah Laut", "Kabupaten Banggai Laut", "Kabupaten Toba"],
            "kind": ["kabupaten"] * 3,
        }
    )
    frame = gpd.GeoDataFrame(
        {
            "kode": ["63.01", "72.11", None, None],
            "nama": ["Tanah Laut", "Banggai Laut", "Danau Toba", "Kabupaten Toba"],
        },
        geometry=[shapely.box(x, -3, x + 0.5, -2.5) for x in (114.0, 123.0, 98.5, 99.2)],
        crs=4326,
    )
    rows = prepare_boundaries("laut.geojson", as_geojson(frame), regions).report.rows
    status = dict(zip(rows["name"], rows["status"], strict=True))
    codes = dict(zip(rows["name"], rows["region_code"], strict=True))
    assert codes["Tanah Laut"] == "63.01" and codes["Banggai Laut"] == "72.11"
    assert status["Danau Toba"] == "non_administrative"  # a lake, no code: screened by name
    assert codes["Kabupaten Toba"] == "12.12"


@pytest.fixture(scope="module")
def national_geojson(tmp_path_factory):
    if not ADM2.exists():
        pytest.skip("../shared/geo is not beside the repo")
    return national_file(tmp_path_factory.mktemp("geo") / "national.geojson", tiles=13)


def test_national_file_keeps_the_borobudur_map_under_budget(regions, national_geojson):
    """546 features: the nine stay sharp, context is clipped to their view."""
    prepared = prepare_boundaries("national.geojson", national_geojson.read_bytes(), regions)
    report = prepared.report
    assert len(prepared.web["features"]) == 546
    assert report.codes() == NINE
    assert report.web_bytes <= 250_000 and not report.over_budget
    assert report.tolerance <= 0.0015  # outlines move by well under 200 m, not 4-6 km
    frames, _ = load_shipped(PROJECT / "data")
    progress = region_progress(frames["regions"], frames["stages"], MINI_REFERENCE)
    boundaries = {
        "web_geojson": json.dumps(prepared.web),
        "provinces_geojson": json.dumps(prepared.provinces),
        "attribution": "national test file",
    }
    html = regions_map(progress, "id", "/app/static/vendor/leaflet", boundaries=boundaries)
    assert len(html.get_root().render().encode()) <= 300_000


def test_a_budget_that_cannot_be_met_is_said(regions, national_geojson, monkeypatch):
    from lib.geo import boundaries as geo

    monkeypatch.setattr(geo, "MAP_DATA_BUDGET", 20_000)
    report = prepare_boundaries("national.geojson", national_geojson.read_bytes(), regions).report
    assert report.over_budget and report.tolerance == geo.REGION_TOLERANCES[-1]
    text = summary(report, regions, "en")
    assert "cannot be kept under 20 KB" in text
    assert "tidak dapat dibuat di bawah 20 KB" in summary(report, regions, "id")


def test_one_cap_for_boundary_files_everywhere():
    """The library (which the command line calls) refuses at the cap the README states; the
    page's uploader is given the same number (test_pages_boundaries)."""
    assert f"{MAX_MB} MB" in (PROJECT / "README.md").read_text()
    with pytest.raises(BoundaryError) as error:
        prepare_boundaries("big.geojson", b" " * (MAX_BYTES + 1), pd.DataFrame())
    assert error.value.params == {"limit": MAX_MB}
