import io

import pandas as pd

from lib.core import metrics
from lib.ingest import export
from lib.views import tables
from tests.conftest import MINI_REFERENCE


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
    assert links == [("Bimtek 1 · example.org", "https://example.org/a")]
