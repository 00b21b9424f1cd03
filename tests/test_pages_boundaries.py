"""The Boundaries page: upload a file, read the report, save; the overview then draws it."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from lib.plain_text import escape_markdown
from tests.conftest import PROJECT, sign_in

APP = str(PROJECT / "app.py")
ADM2 = PROJECT.parent / "shared" / "geo" / "jateng_diy_adm2.geojson"


@pytest.mark.skipif(not ADM2.exists(), reason="../shared/geo is not beside the repo")
def test_import_report_and_save(app_env):
    at = sign_in(AppTest.from_file(APP, default_timeout=120).run())
    at.switch_page("pages/boundaries.py").run()
    at.text_input(key="boundary_attribution").input("geoBoundaries, CC BY 3.0 IGO").run()
    at.get("file_uploader")[0].upload(ADM2.name, ADM2.read_bytes(), "application/geo+json")
    at.run()
    assert not at.exception
    assert at.success[0].value.startswith("9 wilayah cocok dari 9; 0 ambigu;")
    report = at.dataframe[0].value
    assert report["Status"].iloc[0] == "bukan wilayah administratif"
    at.button(key="save_boundaries").click().run()
    assert at.success[0].value == "Batas wilayah disimpan (set 1)."
    at.switch_page("pages/overview.py").run()
    map_html = json.dumps(json.loads(at.get("component_instance")[0].proto.json_args))
    assert "geoBoundaries, CC BY 3.0 IGO" in map_html


def test_bad_file_says_why(app_env):
    at = sign_in(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page("pages/boundaries.py").run()
    at.get("file_uploader")[0].upload("peta.geojson", b"bukan geometri", "application/geo+json")
    at.run()
    assert at.error[0].value == escape_markdown(
        "peta.geojson: Bukan berkas geometri yang dapat dibaca."
    )
