"""Every page on a national-size store (514 regions, few programs to keep the suite fast)."""

import pytest
from streamlit.testing.v1 import AppTest

from bench.national_data import generate, write_csv
from lib.core.plain_text import escape_markdown
from tests import conftest
from tests.conftest import ADMIN_PASSWORD, APP, charts_drawn, sign_in
from tests.test_plotly_charts import text_cells


@pytest.fixture(scope="module")
def national_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("national")
    write_csv(generate(514, 1500), folder / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{folder / 'store.db'}")
        patch.setenv("DASHBOARD_DATA_DIR", str(folder / "data"))
        patch.setenv("DASHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD)
        yield


def open_app(lang="id", page=None, **query) -> AppTest:
    return conftest.open_app(lang, page, timeout=120, **query)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_national_overview(national_env, lang):
    at = open_app(lang)
    figures = {m.label: m.value for m in at.metric}
    regions = "Wilayah" if lang == "id" else "Regions"
    assert figures[regions] == ("514")
    programs = "Program" if lang == "id" else "Programs"
    assert figures[programs] == ("1.500" if lang == "id" else "1,500")
    captions = " ".join(c.value for c in at.caption)
    assert ("Semua wilayah: 514" if lang == "id" else "All regions: 514") in captions
    frames = [d.value for d in at.dataframe]
    area_column = "Kawasan" if lang == "id" else "Area"
    areas = next(f for f in frames if area_column in f.columns)
    assert len(areas) == 7  # six areas and the regions without one
    progress = areas["Kemajuan" if lang == "id" else "Progress"]
    assert progress.between(0, 100).all() and (progress == progress.round()).all()  # 43%, not 42.5%
    ranked = next(f for f in frames if len(f) == 514)
    assert ranked.iloc[0, 3] == "4/4"  # most advanced first
    (heatmap,) = charts_drawn(at)  # the heatmap; no 17,546 px bar chart
    assert ("Jumlah program" if lang == "id" else "Programs") in heatmap.proto.body


def test_national_overview_at_area_scope_from_a_link(national_env):
    at = open_app("en", area="KSPN Borobudur")
    assert {m.label: m.value for m in at.metric}["Regions"] == "9"
    assert at.selectbox(key="scope").value == "area:KSPN Borobudur"
    assert at.query_params["area"] == "KSPN Borobudur"
    assert len(charts_drawn(at)) == 2  # ranked bars and small multiples again


def test_national_scope_change_follows_every_page(national_env):
    at = open_app("en")
    at.selectbox(key="scope").set_value("province:Jawa Tengah").run()
    assert at.query_params["province"] == "Jawa Tengah"
    assert {m.label: m.value for m in at.metric}["Regions"] == "8"
    at.switch_page("pages/dimensions.py").run()
    assert not at.exception
    assert at.selectbox(key="scope").value == "province:Jawa Tengah"
    (heat,) = at.get("plotly_chart")
    rows = {row for row, _ in text_cells(heat.proto.alt)}
    assert len(rows) == 8  # one row per region of the province


@pytest.mark.parametrize("lang", ["id", "en"])
def test_national_region_and_dimensions(national_env, lang):
    at = open_app(lang, "pages/region.py", region="73.01")
    assert at.title[0].value == escape_markdown("Kabupaten Uji 73.01")  # shown as text
    at.switch_page("pages/dimensions.py").run()
    assert not at.exception
    shown = "1.500 dari 1.500" if lang == "id" else "1,500 of 1,500"  # the reader's separators
    assert any(shown in c.value for c in at.caption)


@pytest.mark.parametrize(
    "lang, message",
    [
        ("id", 'Wilayah dengan kode "99.99" tidak ada dalam data'),
        ("en", 'There is no region with code "99.99" in the data'),
    ],
)
def test_unknown_region_is_said_not_replaced(national_env, lang, message):
    at = open_app(lang, "pages/region.py", region="99.99")
    # The code comes from the link: shown as text (escaped Markdown).
    assert at.warning[0].value.startswith(message.replace("99.99", escape_markdown("99.99")))
    assert at.selectbox(key="region_pick").value is None
    assert not at.title or "Kabupaten" not in at.title[0].value


def test_national_upload_and_history_pages(national_env):
    at = open_app("en")
    sign_in(at)
    for page in ("pages/upload.py", "pages/history.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)


def test_upload_page_builds_the_template_only_when_asked(app_env, monkeypatch):
    import lib.ingest.workbook

    built = []
    real = lib.ingest.workbook.workbook_bytes
    monkeypatch.setattr(
        lib.ingest.workbook, "workbook_bytes", lambda *a: built.append(a) or real(*a)
    )
    at = sign_in(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page("pages/upload.py").run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    assert built == []  # nothing built until the download button is pressed
    assert len(at.get("download_button")) == 2


def test_no_page_changes_the_dataset_every_session_shares(national_env):
    """The loaded version is one shared copy (ui_store): a page that changed it in place would
    show its change to every other reader. Visit every page, scope and filter, then compare."""
    import os

    import pandas.testing as pdt

    from lib.core import scope
    from lib.ingest.dataset import open_dataset
    from lib.storage import store
    from lib.ui import cache as ui_cache
    from lib.ui import store as ui_store

    at = open_app("en", region="73.01")
    at.selectbox(key="scope").set_value("province:Jawa Tengah").run()
    at.segmented_control(key="overview_stack_by").set_value("horizon").run()
    at.selectbox(key="scope").set_value("all").run()
    sign_in(at)
    for page in ("region", "dimensions", "upload", "history", "audit"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        if page == "dimensions":
            at.toggle(key="dim_quick").set_value(True).run()
    url = os.environ["DATABASE_URL"]
    fresh = open_dataset(store.make_engine(url), 1)
    province = scope.Scope("province", "Jawa Tengah")
    shared = {
        "all": (ui_store._load(url, 1), fresh),
        # Cached values come back by key alone: the unhashed arguments are not used.
        "province": (
            ui_cache._scoped((url, 1, (), province.key), None, None),
            scope.apply(fresh, province),
        ),
    }
    for cached, expected in shared.values():
        for name in ("regions", "stages", "programs"):
            pdt.assert_frame_equal(getattr(cached, name), getattr(expected, name))


# Issue 29 item 6: an unknown scope in a link was said only at the sidebar's foot (below the
# fold on a desk, hidden on a phone); the main area now says what was asked and what is shown.
@pytest.mark.parametrize(
    "query, lang, words",
    [
        ({"province": "Bali"}, "id", 'Cakupan "Bali" pada tautan tidak ada dalam data'),
        ({"area": "Mandalika"}, "en", 'The scope "Mandalika" in the link is not in the data'),
        ({"scope": "semua"}, "id", 'Cakupan "semua" pada tautan tidak ada dalam data'),
    ],
)
def test_unknown_scope_is_said_in_the_main_area(app_env, query, lang, words):
    at = open_app(lang, **query)
    said = [w.value for w in at.main.warning]
    assert any(w.startswith(words) and "KSPN Borobudur" in w for w in said), said
    assert not at.sidebar.warning
