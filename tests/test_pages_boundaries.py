"""The Boundaries page: upload a file, read the report, save what was checked; the overview
then draws it."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from bench.national_geo import ADM2
from lib.core.plain_text import escape_markdown
from lib.geo import boundaries
from lib.geo.boundaries import MAX_MB
from tests.conftest import PROJECT, sign_in

APP = str(PROJECT / "app.py")


@pytest.mark.skipif(not ADM2.exists(), reason="../shared/geo is not beside the repo")
def test_import_report_and_save_the_checked_result(app_env, monkeypatch):
    calls = []
    original = boundaries.prepare_boundaries

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(boundaries, "prepare_boundaries", counted)
    at = sign_in(AppTest.from_file(APP, default_timeout=120).run())
    at.switch_page("pages/boundaries.py").run()
    assert at.get("file_uploader")[0].proto.max_upload_size_mb == MAX_MB
    at.text_input(key="boundary_attribution").input("geoBoundaries, CC BY 3.0 IGO").run()
    at.get("file_uploader")[0].upload(ADM2.name, ADM2.read_bytes(), "application/geo+json")
    at.run()
    assert not at.exception
    assert at.success[0].value.startswith(escape_markdown("9 wilayah cocok dari 9; 0 ambigu;"))
    report = at.dataframe[0].value
    assert report["Status"].iloc[0] == "bukan wilayah administratif"
    assert calls == [ADM2.name]
    at.button(key="save_boundaries").click().run()
    assert calls == [ADM2.name]  # Save stores the result shown, without importing again
    assert at.success[0].value == "Batas wilayah disimpan (set 2)."  # set 1: the shipped one
    at.switch_page("pages/overview.py").run()
    map_html = json.dumps(json.loads(at.get("component_instance")[0].proto.json_args))
    assert "geoBoundaries, CC BY 3.0 IGO" in map_html


def test_overview_draws_the_shipped_boundaries_on_first_start(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    map_html = json.dumps(json.loads(at.get("component_instance")[0].proto.json_args))
    assert "Batas wilayah: geoBoundaries (Runfola dkk. 2020)" in map_html  # Indonesian page
    assert "Kab. Temanggung" in map_html


def test_bad_file_says_why(app_env):
    at = sign_in(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page("pages/boundaries.py").run()
    at.get("file_uploader")[0].upload("peta.geojson", b"bukan geometri", "application/geo+json")
    at.run()
    assert at.error[0].value == escape_markdown(
        "peta.geojson: Bukan berkas geometri yang dapat dibaca."
    )


def test_attribution_starts_with_the_current_credit_and_a_stale_save_is_refused(app_env):
    from lib.geo.boundaries import DEFAULT_ATTRIBUTION, prepare_boundaries, store_boundaries
    from lib.storage import store

    shipped = PROJECT / "data" / "boundaries.geojson"
    at = sign_in(AppTest.from_file(APP, default_timeout=120).run())
    at.switch_page("pages/boundaries.py").run()
    assert at.text_input(key="boundary_attribution").value == DEFAULT_ATTRIBUTION
    at.get("file_uploader")[0].upload(shipped.name, shipped.read_bytes(), "application/geo+json")
    at.run()
    engine = store.make_engine(app_env)
    regions = store.read_all(engine, 1)["regions"]
    other = prepare_boundaries(shipped.name, shipped.read_bytes(), regions)
    store_boundaries(  # meanwhile, another admin saves a set
        engine, other, file_name="x.geojson", data=b"x", author="lain", attribution="Lain"
    )
    at.button(key="save_boundaries").click().run()
    assert store.latest_boundary_id(engine) == 2  # nothing saved
    assert at.warning[0].value.startswith(
        "Pemeriksaan dibuat pada set batas 1 dan data versi 1; kini set batas 2 dan data versi 1."
    )
    at.button(key="save_boundaries").click().run()
    assert at.success[0].value == "Batas wilayah disimpan (set 3)."
    # the field still held the credit it started with: saved as the credit, not the file name
    assert store.latest_boundaries(engine)["attribution"] == DEFAULT_ATTRIBUTION
