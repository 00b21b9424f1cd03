"""Bad data is reported row by row, in the user's language, and nothing is silently dropped."""

import shutil

import pytest

from lib.core.schema import TABLES
from lib.ingest.dataset import load_shipped
from lib.ingest.reader import read_csv_bytes
from lib.ingest.validate import validate_sheet
from lib.views.report import problems_frame
from tests.conftest import MINI, PROJECT


def validate(text: str, table: str):
    return validate_sheet(read_csv_bytes(text.encode(), f"{table}.csv"), TABLES[table])


STAGE_HEADER = "region_code,stage,status,planned_start,planned_end\n"


@pytest.mark.parametrize(
    "body, row, column, code, key",
    [
        ("33.23,5,done,,\n", 2, "stage", "constraint-error", "out_of_range"),
        ("33.23,1,selesai sebagian,,\n", 2, "status", "constraint-error", "not_allowed"),
        (
            "33.23,1,done,2021-09-21,2021-09-20\n",
            2,
            "planned_end",
            "constraint-error",
            "before_first",
        ),
        ("33.23,x,done,,\n", 2, "stage", "type-error", "not_integer"),
        ("33.23,1,done,31/02/2021,\n", 2, "planned_start", "constraint-error", "no_such_day"),
        ("33.23,1,done,kemarin,\n", 2, "planned_start", "type-error", "not_date"),
        ("Semarang,1,done,,\n", 2, "region_code", "type-error", "bad_code"),
        (",1,done,,\n", 2, "region_code", "constraint-error", "required"),
        ("33.23,1,done,,\n\n33.23,2,done,,\n", 3, None, "blank-row", "blank_row"),
    ],
)
def test_each_bad_stage_row_is_named(body, row, column, code, key):
    frame, problems = validate(STAGE_HEADER + body, "stages")
    assert [(p.row, p.column, p.code, p.key) for p in problems] == [(row, column, code, key)]


def test_duplicate_stage_names_both_rows():
    _, problems = validate(
        STAGE_HEADER + "33.23,1,done,,\n33.23,2,done,,\n33.23,1,planned,,\n", "stages"
    )
    duplicates = [(p.row, p.params["rows"]) for p in problems if p.code == "unique-error"]
    assert duplicates == [(2, "4"), (4, "2")]


def test_all_problems_are_reported_at_once():
    _, problems = validate(
        STAGE_HEADER + "33.23,5,done,,\n33.23,1,nope,,\n33.23,2,done,2021-02-02,2021-01-01\n",
        "stages",
    )
    assert [p.row for p in problems] == [2, 3, 4]


def test_headers_in_indonesian_any_case_and_spacing():
    frame, problems = validate(
        "Kode Wilayah; TAHAP ;Status;Rencana Mulai\n33.23;2;Selesai;20/09/2021\n", "stages"
    )
    assert problems == []
    assert frame.loc[0, "region_code"] == "33.23"
    assert frame.loc[0, "status"] == "done"
    assert str(frame.loc[0, "planned_start"].date()) == "2021-09-20"


@pytest.mark.parametrize(
    "header, code",
    [
        ("region_code,stage,status,colour\n", "extra-label"),
        ("region_code,stage\n", "missing-label"),
        ("region_code,stage,status,tahap\n", "duplicate-label"),
        ("region_code,stage,,status\n", "blank-label"),
    ],
)
def test_header_problems(header, code):
    _, problems = validate(header + "33.23,1,done,x\n", "stages")
    assert code in {p.code for p in problems}
    assert all(p.row == 1 for p in problems if p.code == code)


def test_messages_in_both_languages_name_file_row_column():
    _, problems = validate(STAGE_HEADER + "33.23,5,done,,\n", "stages")
    indonesian = problems_frame(problems, "id").iloc[0]
    english = problems_frame(problems, "en").iloc[0]
    assert (indonesian["Berkas"], indonesian["Baris"], indonesian["Kolom"]) == (
        "stages.csv",
        "2",
        "stage",
    )
    assert indonesian["Pesan"] == "Di luar rentang 1–4."
    assert english["Message"] == "Outside the range 1–4."


@pytest.fixture
def bad_data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def test_unknown_region_code_in_shipped_data_lists_valid_codes(bad_data_dir):
    path = bad_data_dir / "stages.csv"
    path.write_text(path.read_text() + "33.99,1,done,,,,,,sample,\n")
    _, problems = load_shipped(bad_data_dir)
    assert [(p.file, p.row, p.code) for p in problems] == [("stages.csv", 12, "foreign-key")]
    assert problems[0].params["codes"] == "33.20, 33.22, 33.74"


def test_missing_file_is_reported(bad_data_dir):
    (bad_data_dir / "programs.csv").unlink()
    _, problems = load_shipped(bad_data_dir)
    assert [(p.file, p.key) for p in problems] == [("programs.csv", "missing_file")]


def test_shipped_data_is_valid():
    frames, problems = load_shipped(PROJECT / "data")
    assert problems == []
    assert len(frames["regions"]) == 9
    assert len(frames["stages"]) == 36
    assert set(frames["regions"]["region_code"]) == {
        "33.23",
        "33.22",
        "34.04",
        "33.06",
        "33.74",
        "33.19",
        "33.20",
        "33.12",
        "33.13",
    }
