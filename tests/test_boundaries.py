"""Boundary import against the real shared files and against shapes of input built here."""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pytest
import shapely

from lib import store
from lib.boundaries import BoundaryError, prepare_boundaries, store_boundaries
from lib.boundary_report import summary
from lib.dataset import load_shipped
from lib.mapview import clicked_region, regions_map
from lib.metrics import region_progress
from tests.conftest import MINI_REFERENCE, PROJECT

GEO = PROJECT.parent / "shared" / "geo"
ADM2 = GEO / "jateng_diy_adm2.geojson"
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
    assert report.web_bytes <= 250_000
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
        ("huge.geojson", b" " * (50 * 1024 * 1024 + 1), "geo_too_big"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_stored(regions, seeded_engine, name, data, key):
    with pytest.raises(BoundaryError) as error:
        prepare_boundaries(name, data, regions)
    assert error.value.key == key
    assert store.latest_boundaries(seeded_engine) is None


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
    assert "L.circleMarker(" in html  # the labels
    assert "Banyumas" in html  # a neighbouring regency drawn for context
    assert "geoBoundaries (Runfola et al. 2020)" in html
    assert "<script>x</script>" not in html
    assert len(html.encode()) < 300_000
    web = json.loads(boundaries["web_geojson"])
    assert {f["properties"]["region_code"] for f in web["features"]} - {None} == NINE
    # a click inside Kota Semarang's outline opens Kota, not Kabupaten, Semarang
    assert clicked_region(progress, boundaries, -7.0, 110.42) == "33.74"
    assert clicked_region(progress, boundaries, -7.25, 110.45) == "33.22"
