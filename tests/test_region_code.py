"""One rule reads a region code, whoever brings it: an upload's cell (parse_region_code) or a
boundary file's attribute (boundaries.match_features). Each row below is an input one of the two
former rules (parse.parse_region_code, boundaries._code_of) was tested or documented with, or a
form the shared geo files' notes name (../shared/geo/SOURCE.md, "Quirks")."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from lib.core.parse import ParseError, as_region_code, parse_region_code
from lib.geo.boundaries import match_features

READ = [
    # upload cells (tests/test_parse.py)
    ("33.23", "33.23"),
    ("33.20", "33.20"),
    (" 33.20 ", "33.20"),
    ("3320", "33.20"),
    ("ID3323", "33.23"),
    (33.2, "33.20"),  # Excel stored the code as a number
    (33.23, "33.23"),
    (3323, "33.23"),
    (3320.0, "33.20"),  # BPS code stored as a number
    # boundary files (tests/test_boundaries.py, SOURCE.md): official_code, without dots,
    # ID-prefixed, GADM's CC_2, an integer column with a blank (3322.0), Excel numbers (33.1)
    ("3322", "33.22"),
    ("id3323", "33.23"),
    ("ID33.23", "33.23"),
    (3322.0, "33.22"),
    (np.float64(3322.0), "33.22"),
    (np.int64(3322), "33.22"),
    (33.1, "33.10"),
    (np.float64(33.2), "33.20"),
    # accepted by the boundary rule only, now by both: a text with one reading
    ("3323.0", "33.23"),  # an integer column with a blank, written out as text
    ("ID3323.00", "33.23"),
    ("33.2", "33.20"),  # how Excel writes its number 33.20 into a CSV
]

NOT_A_CODE = [
    # refused by both former rules
    "33",
    "33.2.3",
    "Semarang",
    "333.23",
    True,
    33.204,  # would round onto 33.20: a code must match exactly
    33.199,
    33.0,
    3.32,
    "33.204",
    "ID33.2",
    "",
    None,
    float("nan"),
    # accepted by the boundary rule's regex by accident (two optional parts together), refused
    # by the upload's: three groups of digits are no code, as "33.2.3" is not
    "33.23.0",
    "ID33.23.00",
]


@pytest.mark.parametrize("raw, code", READ, ids=repr)
def test_every_form_of_a_code_reads_as_its_stored_form(raw, code):
    assert as_region_code(raw) == code
    assert parse_region_code(raw) == code


@pytest.mark.parametrize("raw", NOT_A_CODE, ids=repr)
def test_what_is_no_code_is_refused_by_both(raw):
    assert as_region_code(raw) is None
    with pytest.raises(ParseError) as error:
        parse_region_code(raw)
    assert error.value.key == "bad_code"


REGIONS = pd.DataFrame(
    {
        "region_code": ["33.23", "33.20", "33.22", "33.10", "34.04"],
        "name": ["Temanggung", "Jepara", "Semarang", "Klaten", "Sleman"],
        "kind": ["kabupaten"] * 5,
    }
)


@pytest.mark.parametrize("raw, code", [*READ, *((raw, None) for raw in NOT_A_CODE)], ids=repr)
def test_a_boundary_file_matches_by_the_same_rule(raw, code):
    """A feature whose only attribute is the code (beside one that makes it the code column):
    matched to the region the rule reads, or not matched at all."""
    frame = gpd.GeoDataFrame(
        {"kode": pd.Series([raw, "34.04"], dtype=object)},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
    )
    report = match_features(frame, REGIONS)
    first = report.iloc[0]
    assert (None if pd.isna(first["file_code"]) else first["file_code"]) == code
    assert (first["method"] == "code") == (code is not None)  # "Semarang" may match by name


@given(st.integers(11, 99), st.integers(1, 99))
def test_a_code_reads_back_from_every_form_files_write_it_in(province, regency):
    code = f"{province:02d}.{regency:02d}"
    digits = code.replace(".", "")
    forms = [code, digits, f"ID{digits}", f"{digits}.0", int(digits), float(digits), float(code)]
    assert {as_region_code(form) for form in forms} == {code}
