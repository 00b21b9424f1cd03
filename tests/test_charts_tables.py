import io

import pandas as pd

from lib import charts, export, metrics, tables
from tests.conftest import MINI_REFERENCE


def test_progress_chart_sorted_with_late_notes(mini_frames):
    progress = metrics.region_progress(
        mini_frames["regions"], mini_frames["stages"], MINI_REFERENCE
    )
    bar = charts.progress_chart(progress, "id").data[0]
    assert list(bar.y) == ["Kabupaten Jepara", "Kabupaten Semarang", "Kota Semarang"]
    # Short labels stay inside a phone-wide chart; the hover says it in words.
    assert list(bar.text) == ["0/4 ⚠1", "1/4 ⚠1", "4/4"]
    assert list(bar.customdata) == ["· 1 tahap terlambat", "· 1 tahap terlambat", ""]


def test_charts_use_the_users_number_separators(mini_frames):
    counts = metrics.program_counts(mini_frames["programs"], mini_frames["regions"], "horizon")
    assert charts.dimension_chart(counts, "horizon", "id").layout.separators == ",."
    figure = charts.dimension_chart(counts, "horizon", "en")
    assert figure.layout.separators == ".,"
    assert {trace.name for trace in figure.data} == {
        "Short (1 yr)",
        "Medium (5 yrs)",
        "Long (10 yrs)",
    }


def test_timeline_months_in_indonesian(mini_frames):
    stages = mini_frames["stages"][mini_frames["stages"].region_code == "33.22"]
    figure = charts.timeline_chart(stages, "id")
    assert "Okt 2021" in figure.layout.xaxis.ticktext
    assert {trace.name for trace in figure.data} == {"Rencana", "Realisasi"}


def test_heatmap_escapes_names(mini_frames):
    regions = mini_frames["regions"].assign(name=["<b>x</b>", "B", "C"])
    matrix = metrics.dimension_matrix(mini_frames["programs"], regions)
    assert "&lt;b&gt;x&lt;/b&gt;" in charts.heatmap_chart(matrix, "en").data[0].y


def test_stage_table_flags_late_stages(mini_frames):
    stages = metrics.stages_with_late(mini_frames["stages"], MINI_REFERENCE)
    table = tables.stage_table(stages[stages.region_code == "33.22"], "en")
    assert table["Status"].tolist() == ["Done", "⚠ In progress (late)", "Planned", "Planned"]
    assert table["Actual"].iloc[0] == "6–7 September 2021"


def test_program_download_neutralises_formulas_and_keeps_numbers(mini_frames):
    programs = mini_frames["programs"].copy()
    programs.loc[0, "name"] = '=HYPERLINK("http://x")'
    programs.loc[1, "name"] = "@SUM(A1)"
    data = export.csv_bytes(tables.program_export(programs, "id"))
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert back["Program"].iloc[0] == '\'=HYPERLINK("http://x")'
    assert back["Program"].iloc[1] == "'@SUM(A1)"
    assert back["Anggaran (Rp)"].iloc[0] == "1000000"


def test_program_screen_table_formats_budget(mini_frames):
    table = tables.program_table(mini_frames["programs"], "id")
    assert table["Anggaran (Rp)"].iloc[0] == "1.000.000"


def test_sources_are_short_in_the_table_and_linked_below(mini_frames):
    stages = mini_frames["stages"][mini_frames["stages"].region_code == "33.22"].copy()
    stages.loc[stages.stage == 2, "source"] = "https://x.org/a b) [evil](javascript:alert(1))"
    table = tables.stage_table(stages, "id")
    assert table["Sumber"].tolist() == ["example.org", "x.org", "contoh", "contoh"]
    links = tables.source_links(stages, "id")
    assert links == [("Bimtek 1", "https://example.org/a")]
