"""Evidence completeness (lib/core/evidence.py): done rows with and without evidence, per
region, per stage and per dimension; settings of the caps."""

import pandas as pd
import pytest

from lib.core import config
from lib.core import evidence as core

REGIONS = pd.DataFrame({"region_code": ["33.20", "33.19"], "name": ["Jepara", "Kudus"]})
STAGES = pd.DataFrame(
    {
        "region_code": ["33.20"] * 4 + ["33.19"] * 4,
        "stage": [1, 2, 3, 4] * 2,
        "status": ["done"] * 4 + ["done", "done", "in_progress", "planned"],
    }
)
PROGRAMS = pd.DataFrame(
    {
        "program_id": ["J1", "J2", "K1"],
        "region_code": ["33.20", "33.20", "33.19"],
        "dimension": ["governance", "economy", "governance"],
        "status": ["done", "in_progress", "done"],
    }
)
EVIDENCED = {
    core.stage_target("33.20", 4),
    core.stage_target("33.19", 3),  # evidence on a stage not done yet: not counted
    core.program_target("J1"),
    core.program_target("J2"),
}


def test_by_region_counts_done_rows_with_evidence_and_what_is_missing():
    table = core.by_region(REGIONS, STAGES, PROGRAMS, EVIDENCED).set_index("region_code")
    assert table.loc[
        "33.20", ["stages_done", "stages_with", "programs_done", "programs_with"]
    ].tolist() == [4, 1, 1, 1]
    assert table.loc[
        "33.19", ["stages_done", "stages_with", "programs_done", "programs_with"]
    ].tolist() == [2, 0, 1, 0]
    assert table["missing"].to_dict() == {"33.20": 3, "33.19": 3}


def test_by_stage_and_by_dimension():
    stages = core.by_stage(STAGES, EVIDENCED).set_index("stage")
    assert stages["done"].tolist() == [2, 2, 1, 1]
    assert stages["with_evidence"].tolist() == [0, 0, 0, 1]
    dims = core.by_dimension(PROGRAMS, EVIDENCED).set_index("dimension")
    assert dims.loc["governance"].tolist() == [2, 1]
    assert dims.loc["economy"].tolist() == [0, 0]  # J2 has evidence but is not done


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
def test_a_cap_that_is_no_whole_number_of_megabytes_is_refused(value):
    with pytest.raises(config.SettingError, match="EVIDENCE_MAX_FILE_MB"):
        config.evidence_file_cap({"EVIDENCE_MAX_FILE_MB": value})


def test_caps_default_and_follow_the_settings():
    assert config.evidence_file_cap({}) == 20 * config.MB
    assert config.evidence_region_cap({}) == 1024 * config.MB
    assert config.evidence_region_cap({"EVIDENCE_MAX_REGION_MB": "50"}) == 50 * config.MB
