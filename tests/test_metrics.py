"""Transforms against hand-worked expected tables (tests/expected, reference date 2021-10-15).

Mini dataset: Kota Semarang has all four stages done; Kabupaten Semarang has stage 1 done and
stage 2 late (planned end 1 Oct, in progress); Jepara has stage 1 late and stage 2 with no dates.
"""

import datetime as dt

import pandas as pd
import pytest

from lib.core import metrics
from lib.core.schema import DIMENSIONS, STATUSES
from tests.conftest import EXPECTED, MINI_REFERENCE


def expected(name: str) -> pd.DataFrame:
    return pd.read_csv(EXPECTED / name, dtype={"region_code": str})


def test_region_progress(mini_frames):
    got = metrics.region_progress(mini_frames["regions"], mini_frames["stages"], MINI_REFERENCE)
    want = expected("region_progress.csv")
    got = got[want.columns].astype(object).where(got[want.columns].notna(), None)
    want = want.astype(object).where(want.notna(), None)
    assert got.values.tolist() == want.values.tolist()


def test_headline(mini_frames):
    figures = metrics.headline(
        mini_frames["regions"], mini_frames["stages"], mini_frames["programs"], MINI_REFERENCE
    )
    assert figures == {
        "regions": 3,
        "stages_done": 5,
        "stages_total": 12,
        "masterplans_complete": 1,
        "programs": 6,
        "quick_wins": 2,
        "stages_late": 2,
        "regions_late": 2,
    }


@pytest.mark.parametrize(
    "reference, late",
    [
        (dt.date(2021, 9, 10), 0),  # Jepara's stage 1 ends that day: not yet late
        (dt.date(2021, 9, 11), 1),
        (dt.date(2021, 10, 2), 2),
        (dt.date(2021, 10, 30), 3),  # Kab. Semarang stage 3 now late too
        (dt.date(2030, 1, 1), 4),
    ],
)
def test_a_stage_is_late_after_its_planned_end_unless_done(mini_frames, reference, late):
    marked = metrics.stages_with_late(mini_frames["stages"], reference)
    assert int(marked["late"].sum()) == late


def test_stage_rows_of_unknown_regions_are_kept(mini_frames):
    stages = pd.concat(
        [mini_frames["stages"], mini_frames["stages"].iloc[[0]].assign(region_code="33.99")],
        ignore_index=True,
    )
    progress = metrics.region_progress(mini_frames["regions"], stages, MINI_REFERENCE)
    assert "33.99" in set(progress["region_code"])


def test_dimension_matrix(mini_frames):
    got = metrics.dimension_matrix(mini_frames["programs"], mini_frames["regions"])
    want = expected("dimension_matrix.csv").set_index("name")
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_names=False)


def test_top_agencies_skip_blank_agencies(mini_frames):
    got = metrics.top_agencies(mini_frames["programs"])
    pd.testing.assert_frame_equal(got, expected("top_agencies.csv"), check_dtype=False)


def test_program_counts_by_status_include_zeros(mini_frames):
    counts = metrics.program_counts(mini_frames["programs"], mini_frames["regions"], "status")
    semarang = counts[counts.region_code == "33.22"].pivot(
        index="dimension", columns="status", values="count"
    )
    want = expected("program_counts_status_semarang.csv").set_index("dimension")
    pd.testing.assert_frame_equal(
        semarang.loc[want.index, want.columns], want, check_dtype=False, check_names=False
    )
    assert len(counts) == 3 * len(DIMENSIONS) * len(STATUSES)  # every combination, zeros too


@pytest.mark.parametrize(
    "filters, ids",
    [
        ({}, ["P1", "P2", "P3", "P4", "P5", "P6"]),
        ({"quick_win_only": True}, ["P1", "P4"]),
        ({"horizons": ["short"], "statuses": ["planned"]}, ["P1", "P5"]),
        ({"dimensions": ["governance"], "region_code": "33.22"}, ["P1", "P2"]),
    ],
)
def test_filter_programs(mini_frames, filters, ids):
    assert list(metrics.filter_programs(mini_frames["programs"], **filters)["program_id"]) == ids


def test_click_near_a_seat_finds_that_region(mini_frames):
    progress = metrics.region_progress(
        mini_frames["regions"], mini_frames["stages"], MINI_REFERENCE
    )
    assert metrics.region_at(progress, -6.99, 110.42) == "33.74"  # Kota, not Kabupaten Semarang
    assert metrics.region_at(progress, -7.14, 110.40) == "33.22"
