"""Pages rebuild only what changed since the data version they cached, and what they cache is
what the reader would otherwise get (the map exactly as streamlit-folium sends it)."""

import datetime as dt
import json
import re

import pytest
import streamlit_folium
from streamlit.testing.v1 import AppTest

import lib.geo.mapview
from lib.core import metrics
from lib.geo.mapview import regions_map
from lib.storage import store
from lib.ui import map as ui_map
from tests.conftest import PROJECT, sign_in

APP = str(PROJECT / "app.py")
REFERENCE = dt.date(2021, 10, 15)


def map_args(at) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)


def kudus_tooltip(at) -> str:
    """Kabupaten Kudus's tooltip on the map, as the reader sees it."""
    script = map_args(at)["script"]
    found = re.search(r'"region_code": "33.19", "tooltip": ("(?:[^"\\]|\\.)*")', script)
    return json.loads(found.group(1))


@pytest.fixture
def map_builds(monkeypatch):
    """How many times the overview's folium map was built."""
    built = []
    real = lib.geo.mapview.regions_map
    monkeypatch.setattr(
        lib.geo.mapview, "regions_map", lambda *a, **k: built.append(a) or real(*a, **k)
    )
    return built


def write_stage_done(url: str, code: str, stage: int) -> int:
    """Another session's write: one stage marked done, as a new version."""
    engine = store.make_engine(url)
    latest = store.current_version(engine)
    frames = store.read_all(engine, latest)
    stages = frames["stages"]
    row = (stages["region_code"] == code) & (stages["stage"] == stage)
    frames["stages"] = stages.assign(status=stages["status"].where(~row, "done"))
    version, _ = store.write_version(
        engine, frames, author="Uji", action="upload", expected_version=latest, file_name="x"
    )
    engine.dispose()
    return version


@pytest.mark.parametrize(
    "change, rebuilt",
    [
        ("rerun", False),
        ("other page and back", False),
        ("stack by", False),
        ("language", True),
        ("reference date", True),
        ("scope", True),
        ("new data version", True),
    ],
)
def test_the_map_is_built_again_only_when_what_it_shows_changed(
    app_env, map_builds, change, rebuilt
):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert len(map_builds) == 1
    before = map_args(at)
    if change == "rerun":
        at.run()
    elif change == "other page and back":
        at.switch_page("pages/dimensions.py").run()
        at.switch_page("pages/overview.py").run()
    elif change == "stack by":
        at.segmented_control(key="overview_stack_by").set_value("horizon").run()
    elif change == "language":
        at.radio(key="lang").set_value("en").run()
    elif change == "reference date":
        at.date_input(key="reference_date").set_value(REFERENCE).run()
    elif change == "scope":
        at.selectbox(key="scope").set_value("province:DI Yogyakarta").run()
    else:
        write_stage_done(app_env, "33.19", 2)
        at.run()
    assert not at.exception
    assert len(map_builds) == (2 if rebuilt else 1)
    after = map_args(at)
    # The component keeps its identity (and the reader's zoom) unless the map itself changed.
    assert (after["key"] == before["key"]) is (after["script"] == before["script"])
    assert (after["script"] != before["script"]) is rebuilt


def test_a_new_data_version_shows_on_the_next_rerun_of_every_cached_figure(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.date_input(key="reference_date").set_value(REFERENCE).run()
    done = {m.label: m.value for m in at.metric}["Tahap selesai"]
    assert "Kemajuan: 1/4 (25%)" in kudus_tooltip(at)
    write_stage_done(app_env, "33.19", 2)
    at.run()
    assert {m.label: m.value for m in at.metric}["Tahap selesai"] == str(int(done) + 1)
    assert "Kemajuan: 2/4 (50%)" in kudus_tooltip(at)
    sign_in(at)
    at.switch_page("pages/history.py").run()
    assert not at.exception
    assert any("33.19" in str(frame.value.to_string()) for frame in at.dataframe)


def test_the_cached_map_is_what_st_folium_would_send(monkeypatch, mini_frames):
    """ui_map uses streamlit-folium's own helpers: a new release that changes them fails here."""
    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **k: sent.append(k))
    progress = metrics.region_progress(mini_frames["regions"], mini_frames["stages"], REFERENCE)

    def build():
        return regions_map(progress, "id", "/app/static/vendor/leaflet")

    streamlit_folium.st_folium(
        build(),
        key="overview_map",
        height=520,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    payload = ui_map._payload.__wrapped__(("test",), "overview_map", build)
    ui_map.component(payload, "overview_map", 520, ["last_object_clicked"])
    expected, got = sent
    for args in sent:
        args.pop("on_change")
        args.pop("id")  # folium's random element id; the component uses "map_div"
    assert got == expected
