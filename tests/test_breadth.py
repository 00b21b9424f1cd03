"""From one region to 514: scope, charts, tables and derived figures at every size."""

import datetime as dt
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from bench.national_data import generate
from lib.charts import palette
from lib.charts import svg as svg_charts
from lib.core import metrics
from lib.core import scope as scopes
from lib.ingest.dataset import Dataset
from lib.views import tables
from tests.test_svg_charts import heatmap_cells, images

REFERENCE = dt.date(2021, 11, 15)
SIZES = [1, 9, 28, 60, 514]


@pytest.fixture(scope="module")
def national():
    return generate(514, 3000)


def first(frames, n):
    regions = frames["regions"].head(n).reset_index(drop=True)
    codes = set(regions["region_code"])
    return {
        "regions": regions,
        "stages": frames["stages"][frames["stages"]["region_code"].isin(codes)],
        "programs": frames["programs"][frames["programs"]["region_code"].isin(codes)],
    }


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("by", ["status", "horizon"])
def test_dimension_figures_build_at_every_size(national, n, by):
    frames = first(national, n)
    counts = metrics.program_counts(frames["programs"], frames["regions"], by)
    if n <= palette.SMALL_MULTIPLES_MAX:
        markup = svg_charts.dimension_chart(counts, by, "id")
        assert len(images(markup)) == n  # one panel per region
    else:
        if n > 60:
            counts = metrics.counts_by_province(counts, frames["regions"])
        markup = svg_charts.category_heatmap(counts, by, "en")
        # every program is counted once, whatever the grouping
        assert sum(heatmap_cells(markup).values()) == len(frames["programs"])
        height = float(ET.fromstring(svg_charts.svg_of(markup)).get("height"))
        assert height < 1600  # a page, not 17,546 px
        assert " · " in images(markup)[0]["alt"]


@pytest.mark.parametrize("n", SIZES)
def test_progress_reads_at_every_size(national, n):
    frames = first(national, n)
    progress = metrics.region_progress(frames["regions"], frames["stages"], REFERENCE)
    if n <= palette.SMALL_MULTIPLES_MAX:
        (image,) = images(svg_charts.progress_chart(progress, "id"))
        assert len(image["alt"].splitlines()) == n + 1  # the title, then one line per region
    else:
        table = tables.progress_table(progress, "en")
        assert list(table["#"]) == list(range(1, n + 1))
        assert table["Progress"].is_monotonic_decreasing


@pytest.mark.parametrize("n", SIZES)
def test_attention_is_late_or_projected_to_miss(national, n):
    frames = first(national, n)
    attention = metrics.attention(frames["regions"], frames["stages"], REFERENCE)
    assert len(attention) == n
    flagged = attention[attention["needs_attention"]]
    assert (flagged["is_late"] | flagged["projected_miss"]).all()
    assert not attention.loc[attention["complete"], "projected_miss"].any()
    table = tables.attention_table(attention, "id")
    assert len(table) == len(flagged)


def region_frames(start, done, target):
    regions = pd.DataFrame(
        {"region_code": ["1"], "name": ["A"], "kind": ["kota"], "lat": [0.0], "lon": [0.0]}
    ).assign(target_date=pd.Timestamp(target))
    stages = pd.DataFrame(
        {
            "region_code": ["1"] * 4,
            "stage": [1, 2, 3, 4],
            "status": ["done"] * done + ["planned"] * (4 - done),
            "planned_start": [pd.Timestamp(start)] + [pd.NaT] * 3,
            "planned_end": [pd.NaT] * 4,
            "actual_start": [pd.NaT] * 4,
        }
    )
    return regions, stages


@pytest.mark.parametrize(
    "start, done, target, miss",
    [
        ("2021-06-01", 2, "2022-12-31", False),  # 2 stages in 5.5 months: 11 months for 4
        ("2021-06-01", 1, "2021-12-31", True),  # 1 stage in 5.5 months: 22 months for 4
        ("2021-06-01", 0, "2023-06-30", False),  # none done: counted as one done today
        ("2021-06-01", 0, "2021-12-31", True),
        ("2021-06-01", 4, "2021-07-01", False),  # complete: never a miss
        ("2021-06-01", 3, "2021-11-01", True),  # target passed, not complete
        ("2022-01-01", 0, "2022-02-01", False),  # not started yet: no pace
    ],
)
def test_projected_miss_rule(start, done, target, miss):
    regions, stages = region_frames(start, done, target)
    row = metrics.attention(regions, stages, REFERENCE).iloc[0]
    assert bool(row.projected_miss) is miss


def test_area_comparison_counts_each_area(national):
    progress = metrics.region_progress(national["regions"], national["stages"], REFERENCE)
    table = metrics.area_comparison(national["regions"], national["programs"], progress)
    assert table["regions"].sum() == 514
    assert table["programs"].sum() == len(national["programs"])
    assert table.iloc[-1]["area"] == ""  # regions without an area, listed last
    borobudur = table[table["area"] == "KSPN Borobudur"].iloc[0]
    assert borobudur["regions"] == 9


def dataset_of(frames):
    return Dataset(1, None, frames["regions"], frames["stages"], frames["programs"])


def test_scope_options_default_and_filtering(national, mini_frames):
    options = scopes.options(national["regions"])
    assert scopes.Scope("area", "KSPN Borobudur") in options and options[-1] == scopes.ALL
    assert scopes.default(national["regions"]) == scopes.ALL
    scoped = scopes.apply(dataset_of(national), scopes.Scope("area", "KSPN Borobudur"))
    assert len(scoped.regions) == 9
    assert set(scoped.programs["region_code"]) <= set(scoped.regions["region_code"])
    province = scopes.apply(dataset_of(national), scopes.Scope("province", "Jawa Tengah"))
    assert set(province.regions["province"]) == {"Jawa Tengah"}
    # Files without an area column stay valid: their scope is all regions.
    assert "area" not in mini_frames["regions"] or mini_frames["regions"]["area"].isna().all()
    assert scopes.default(mini_frames["regions"].drop(columns="area", errors="ignore")) == (
        scopes.ALL
    )


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, None),
        ({"area": "KSPN Borobudur"}, scopes.Scope("area", "KSPN Borobudur")),
        ({"province": "Jawa Tengah"}, scopes.Scope("province", "Jawa Tengah")),
        ({"scope": "all"}, scopes.ALL),
        ({"area": "Atlantis"}, None),
    ],
)
def test_scope_from_a_link(params, expected):
    regions = pd.read_csv("data/regions.csv", dtype=str)
    assert scopes.from_query(params, regions) == expected
    if expected is not None:
        default = scopes.default(regions)
        assert scopes.from_query(scopes.query(expected, default), regions) in (None, expected)


def test_shipped_data_opens_on_kspn_borobudur():
    regions = pd.read_csv("data/regions.csv", dtype=str)
    assert scopes.default(regions) == scopes.Scope("area", "KSPN Borobudur")
    assert scopes.label(scopes.default(regions), "id") == "Kawasan KSPN Borobudur"


def test_heatmap_zero_has_its_own_colour():
    zero, one, most = (svg_charts.heat_colour(v, 5) for v in (0, 1, 5))
    assert zero == palette.ZERO_COLOUR and len({zero, one, most}) == 3
    assert one == "#c6dbef"  # 1 already in the blues, the lightest


def test_no_duplicate_program_names_within_a_region():
    programs = pd.read_csv("data/programs.csv", dtype=str)
    assert not programs.duplicated(["region_code", "name"]).any()
