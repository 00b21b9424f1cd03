"""Each page, in both languages, through Streamlit's AppTest: the figures a user would read."""

import datetime as dt
import json
import re
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.core.i18n import t
from tests.conftest import APP, PROJECT, REFERENCE, charts_drawn, open_app
from tests.test_plotly_charts import spec_of, text_cells

BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_markdown(text: str) -> str:
    """What a Markdown renderer shows for backslash-escaped punctuation."""
    return BACKSLASH_ESCAPE.sub(r"\1", text)


def table_shown(at, index: int) -> pd.DataFrame:
    """A static table as the reader sees it: st.table renders text cells as Markdown, so the
    page passes data text in escaped."""
    return at.table[index].value.map(lambda v: unescape_markdown(v) if isinstance(v, str) else v)


PROGRAMS = pd.read_csv(PROJECT / "data" / "programs.csv", dtype=str)


def metrics_shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "id",
            {
                "Wilayah": "9",
                "Tahap selesai": "23",
                "Masterplan rampung": "2",
                "Program": "77",
                "Quick win": "14",
                "Tahap terlambat": "6",
            },
        ),
        (
            "en",
            {
                "Regions": "9",
                "Stages done": "23",
                "Plans complete": "2",
                "Programs": "77",
                "Quick wins": "14",
                "Stages late": "6",
            },
        ),
    ],
)
def test_overview_headline(app_env, lang, expected):
    at = open_app(lang)
    assert metrics_shown(at) == expected
    title = {"id": "Ringkasan kemajuan masterplan", "en": "Masterplan progress overview"}
    assert at.title[0].value == title[lang]


def test_language_and_reference_date_pickers_change_the_overview(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Masterplan progress overview"
    assert at.query_params["lang"] == "en"
    late = {m.label: m.value for m in at.metric}["Stages late"]
    at.date_input(key="reference_date").set_value(dt.date(2021, 8, 1)).run()
    assert {m.label: m.value for m in at.metric}["Stages late"] != late
    at.date_input(key="reference_date").set_value(REFERENCE).run()
    assert {m.label: m.value for m in at.metric}["Stages late"] == "6"


def test_overview_late_card_counts_regions(app_env):
    at = open_app("en")
    late = next(m for m in at.metric if m.label == "Stages late")
    assert late.proto.delta == "in 5 regions"


def test_overview_draws_map_and_charts_and_says_sample(app_env):
    at = open_app("id")
    maps = at.get("component_instance")
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    labels = json.loads(re.search(r"var labels = (\[.*?\]), bounds", args["script"]).group(1))
    assert len(labels) == 9  # one per region, placed in the browser only where it fits
    assert "geoBoundaries" in args["html"]  # the shipped boundary set, credited under the map
    assert at.get("plotly_chart") == []  # drawn on the server: no plotly.js to load
    charts = [html.proto.body for html in charts_drawn(at)]
    assert len(charts) == 2  # ranked progress bars, program counts per region
    assert all("Kabupaten Jepara" in chart for chart in charts)  # in the images alt text
    assert any("data contoh" in info.value for info in at.info)
    assert at.caption[0].value.startswith("Data versi 1 (")


def test_overview_lists_regions_needing_attention(app_env):
    at = open_app("en")
    assert at.warning[0].value.startswith("7 of 9 regions need attention: 5 with a late stage")
    table = next(d.value for d in at.dataframe if "Why" in d.value.columns)
    reasons = dict(zip(table["Region"], table["Why"], strict=True))
    assert reasons["Kabupaten Kudus"].startswith("2 stages late")
    assert "Kabupaten Jepara" not in reasons  # complete: never needs attention
    assert "Nine" not in at.caption[1].value and "KSPN Borobudur: 9" in at.caption[1].value


def test_clicking_a_region_on_the_map_opens_its_page(app_env, monkeypatch):
    import streamlit_folium

    clicked = {"last_object_clicked": {"lat": -6.99, "lng": 110.423}}
    # The map component's value after a click (AppTest cannot click inside the component).
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda *a, **k: clicked)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "Kota Semarang"  # Kota, not Kabupaten Semarang
    assert at.query_params["region"] == "33.74"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_region_page_from_a_shared_link(app_env, lang):
    at = open_app(lang, "pages/region.py", region="33.20")
    assert at.title[0].value == "Kabupaten Jepara"
    shown = metrics_shown(at)
    labels = {"id": ("Kemajuan", "Tahap saat ini"), "en": ("Progress", "Current stage")}[lang]
    assert shown[labels[0]] == "4/4"
    assert shown[labels[1]] == {"id": "Rampung", "en": "Complete"}[lang]
    stages = table_shown(at, 0)  # a static table: every column shown, none cut
    assert len(stages) == 4
    deliverable = {"id": "Luaran", "en": "Deliverable"}[lang]
    assert deliverable in stages.columns
    venue = {"id": "Tempat", "en": "Venue"}[lang]
    assert stages[venue].iloc[3] == "Gedung Shima, Setda Jepara"
    quick_wins = table_shown(at, 1)
    assert len(quick_wins) == 6
    timeline, phone_timeline, by_horizon = (html.proto.body for html in charts_drawn(at))
    assert at.get("plotly_chart") == []  # read-only charts drawn on the server
    bimtek = {"id": "Bimtek 1 · Rencana: ", "en": "Bimtek 1 · Planned: "}[lang]
    assert bimtek in timeline and "2021" in timeline and bimtek in phone_timeline
    assert {"id": "Pendek (1 th)", "en": "Short (1 yr)"}[lang] in by_horizon
    assert "Simoncer: sistem informasi monitoring dan evaluasi CSR" in set(
        quick_wins[{"id": "Program", "en": "Program"}[lang]]
    )


# Every form a data file's code may take opens the region (issue 29 item 8: ?region=3320 and
# ?region=33.2 were "no such region"); the URL then carries the stored form.
@pytest.mark.parametrize(
    "form", ["33.20", "3320", "33.2", "ID3320", "id33.20", " 33.20 ", "3320.0"]
)
def test_region_link_accepts_every_code_form(app_env, form):
    at = open_app("id", "pages/region.py", region=form)
    assert not at.warning
    assert at.title[0].value == "Kabupaten Jepara"
    assert at.query_params["region"] == "33.20"


def test_region_page_filters_and_counts(app_env):
    at = open_app("id", "pages/region.py", region="33.20")
    total = int((PROGRAMS.region_code == "33.20").sum())
    governance = int(
        ((PROGRAMS.region_code == "33.20") & (PROGRAMS.dimension == "governance")).sum()
    )
    assert f"{total} dari {total} program ditampilkan" in [c.value for c in at.caption]
    at.multiselect(key="region_dim").set_value(["governance"]).run()
    assert f"{governance} dari {total} program ditampilkan" in [c.value for c in at.caption]
    assert len(at.dataframe[0].value) == governance


def test_region_page_flags_late_stages(app_env):
    at = open_app("en", "pages/region.py", region="33.19")
    statuses = table_shown(at, 0)["Status"].tolist()
    assert statuses == ["Done", "⚠ In progress (late)", "⚠ Planned (late)", "Planned"]


@pytest.mark.parametrize(
    "lang, title",
    [("id", "Program per wilayah dan dimensi"), ("en", "Programs by region and dimension")],
)
def test_dimensions_page(app_env, lang, title):
    at = open_app(lang, "pages/dimensions.py")
    assert at.title[0].value == title
    (heatmap,) = at.get("plotly_chart")  # a chart a reader explores: hover, click
    assert sum(text_cells(heatmap.proto.alt).values()) == len(PROGRAMS)
    assert sum(map(sum, spec_of(heatmap)["data"][0]["z"])) == len(PROGRAMS)  # the colours
    assert json.loads(heatmap.proto.config)["locale"] == lang
    (figures,) = [e for e in at.expander if e.label == t("chart_table", lang)]
    assert figures.dataframe[0].value[t("col_count", lang)].sum() == len(PROGRAMS)
    at.toggle(key="dim_quick").set_value(True).run()
    (heatmap,) = at.get("plotly_chart")
    assert sum(text_cells(heatmap.proto.alt).values()) == 14


def test_unreadable_data_dir_shows_what_is_wrong(empty_app_env, monkeypatch, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(PROJECT / "data", broken)
    stages = broken / "stages.csv"
    lines = stages.read_text().splitlines()
    lines[3] = lines[3].replace("33.23,3,in_progress", "33.23,5,in_progress")
    stages.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(broken))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value.startswith("Data tidak dapat dimuat")
    problems = at.dataframe[0].value
    assert problems[["Berkas", "Baris", "Kolom", "Masalah"]].values.tolist() == [
        ["stages.csv", "4", "stage", "Nilai melanggar aturan"]
    ]
    assert problems["Pesan"].iloc[0] == "Di luar rentang 1–4."
