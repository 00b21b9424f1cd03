"""The spreadsheet round trip: real XLSX and CSV files built here, a real SQLite store.

Every hostile or broken file must end with a clear, located message and nothing written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest

from bench.upload_memory import NS, sheet, workbook
from lib.core.i18n import CATALOGUE, problem_message
from lib.ingest.upload import RemovalsNotConfirmed, apply_upload, inspect_upload
from lib.ingest.workbook import csv_zip_bytes, workbook_bytes
from lib.ingest.xlsx import Limits
from lib.storage import accounts, store
from lib.storage.accounts import User, operator
from lib.views.report import problems_frame

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL

ADMIN = operator("tester")
STAGES_ID = ["kode_wilayah", "tahap", "status", "rencana_mulai", "rencana_selesai"]
PROGRAM_HEADERS = [
    "id_program",
    "kode_wilayah",
    "nama_program",
    "dimensi",
    "jangka",
    "status",
    "anggaran_idr",
    "tahun_mulai",
    "tahun_selesai",
]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def current(engine) -> dict:
    return store.read_all(engine, store.current_version(engine))


def inspect(engine, name: str, data: bytes, **kwargs):
    return inspect_upload(engine, [(name, data)], **kwargs)


def problem_keys(preview) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.code, p.key) for p in preview.problems]


# --- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_exported_workbook_imports_back_with_no_changes(seeded_engine, lang):
    data = workbook_bytes(current(seeded_engine), lang)
    preview = inspect(seeded_engine, "export.xlsx", data)
    assert preview.ok, problems_frame(preview.problems, "en")
    assert not preview.has_changes


@pytest.mark.parametrize("lang", ["id", "en"])
def test_exported_csv_files_import_back_with_no_changes(seeded_engine, lang):
    archive = zipfile.ZipFile(io.BytesIO(csv_zip_bytes(current(seeded_engine), lang)))
    uploads = [(n, archive.read(n)) for n in archive.namelist()]
    preview = inspect_upload(seeded_engine, uploads)
    assert preview.ok, problems_frame(preview.problems, "en")
    assert not preview.has_changes


def test_edit_preview_apply_and_same_file_twice(seeded_engine):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(current(seeded_engine), "id")))
    for row in book["tahap"].iter_rows(min_row=2):
        if row[0].value == "33.23" and row[1].value == 3:
            row[2].value = "Selesai"
    out = io.BytesIO()
    book.save(out)
    preview = inspect(seeded_engine, "temanggung.xlsx", out.getvalue())
    assert preview.ok
    assert {n: d.counts() for n, d in preview.diffs.items()}["stages"] == {
        "added": 0,
        "changed": 1,
        "removed": 0,
    }
    assert store.current_version(seeded_engine) == 1  # a preview writes nothing
    version = apply_upload(seeded_engine, preview, operator("Bappeda Temanggung"))
    assert version == 2
    info = store.version_info(seeded_engine, 2)
    assert (info.author, info.file_name, info.sha256) == (
        "Bappeda Temanggung",
        "temanggung.xlsx",
        preview.sha256,
    )
    again = inspect(seeded_engine, "temanggung.xlsx", out.getvalue())
    assert again.ok and not again.has_changes
    assert apply_upload(seeded_engine, again, user=ADMIN) is None
    assert store.current_version(seeded_engine) == 2


def test_only_regions_in_the_file_are_replaced_and_removals_need_confirmation(seeded_engine):
    programs = current(seeded_engine)["programs"]
    jepara = programs[programs.region_code == "33.20"]
    rows = [PROGRAM_HEADERS] + [
        [
            r.program_id,
            r.region_code,
            r.name,
            r.dimension,
            r.horizon,
            r.status,
            None if r.budget_idr is None or str(r.budget_idr) == "<NA>" else int(r.budget_idr),
            r.start_year,
            r.end_year,
        ]
        for r in jepara.itertuples()
    ][:-1]  # the last Jepara program is left out: it will be removed
    preview = inspect(seeded_engine, "jepara.xlsx", xlsx({"program": rows}))
    assert preview.ok, problems_frame(preview.problems, "en")
    assert preview.removals == 1
    assert preview.scope == {"programs": {"33.20"}}
    with pytest.raises(RemovalsNotConfirmed):
        apply_upload(seeded_engine, preview, user=ADMIN)
    assert store.current_version(seeded_engine) == 1
    apply_upload(seeded_engine, preview, user=ADMIN, confirm_removals=True)
    after = current(seeded_engine)["programs"]
    assert len(after) == len(programs) - 1
    others = programs[programs.region_code != "33.20"].reset_index(drop=True)
    assert after[after.region_code != "33.20"].reset_index(drop=True).equals(others)


def test_data_changed_between_preview_and_apply_is_refused(seeded_engine):
    rows = [STAGES_ID, ["33.19", 2, "selesai", "2021-09-13", "2021-10-08"]]
    preview = inspect(seeded_engine, "kudus.xlsx", xlsx({"tahap": rows}))
    other = inspect(
        seeded_engine,
        "other.xlsx",
        xlsx({"tahap": [STAGES_ID, ["33.12", 3, "selesai", None, None]]}),
    )
    apply_upload(seeded_engine, other, user=ADMIN, confirm_removals=True)
    with pytest.raises(store.StaleVersion) as error:
        apply_upload(seeded_engine, preview, user=ADMIN, confirm_removals=True)
    assert error.value.current == 2
    assert store.current_version(seeded_engine) == 2


def test_crash_during_apply_leaves_previous_version(seeded_engine, monkeypatch):
    preview = inspect(
        seeded_engine, "k.xlsx", xlsx({"tahap": [STAGES_ID, ["33.19", 2, "selesai", None, None]]})
    )

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "_apply_diff", crash)
    with pytest.raises(OSError):
        apply_upload(seeded_engine, preview, user=ADMIN, confirm_removals=True)
    assert store.current_version(seeded_engine) == 1
    stages = current(seeded_engine)["stages"]
    assert (
        stages[(stages.region_code == "33.19") & (stages.stage == 2)].status.item() == "in_progress"
    )


# --- what real users write --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"kode_wilayah;tahap;status;rencana_mulai;rencana_selesai\n"
        b"33.20;2;Selesai;27/09/2021;28/09/2021\n;;;;\n",
        "\ufeffKODE WILAYAH,Tahap, Status ,Rencana Mulai,Rencana Selesai\r\n"
        "33.20,2,SELESAI,2021-09-27,28 September 2021\r\n\r\n".encode(),
        "region_code\tstage\tstatus\tplanned_start\tplanned_end\n"
        "3320\t2\tdone\t27 Sep 2021\t28.09.2021\n".encode("cp1252"),
    ],
)
def test_csv_as_users_write_it(seeded_engine, data):
    preview = inspect(seeded_engine, "tahap.csv", data)
    assert preview.ok, problems_frame(preview.problems, "en")
    cells = {(c.column, str(c.new)) for c in preview.diffs["stages"].cells}
    assert ("planned_start", "2021-09-27 00:00:00") in cells
    assert preview.scope["stages"] == {"33.20"}


def test_indonesian_numbers_and_excel_dates_in_xlsx(seeded_engine):
    rows = [
        PROGRAM_HEADERS,
        [
            "JPR-NEW-1",
            "33.20",
            "Program baru",
            "Ekonomi",
            "Jangka Pendek",
            "berjalan",
            "1.250.000",
            2022,
            2022,
        ],
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "program"
    for row in rows:
        sheet.append(row)
    stage_sheet = book.create_sheet("tahap")
    stage_sheet.append(STAGES_ID)
    stage_sheet.append(["33.20", 2, "selesai", 44466, 44467])  # Excel serials: 27-28 Sep 2021
    out = io.BytesIO()
    book.save(out)
    preview = inspect(seeded_engine, "x.xlsx", out.getvalue())
    assert preview.ok, problems_frame(preview.problems, "en")
    added = preview.diffs["programs"].added.set_index("program_id").loc["JPR-NEW-1"]
    assert (added.budget_idr, added.dimension, added.horizon, added.region_code) == (
        1_250_000,
        "economy",
        "short",
        "33.20",
    )


def test_code_typed_as_number_in_excel_stays_a_code(seeded_engine):
    preview = inspect(
        seeded_engine, "x.xlsx", xlsx({"tahap": [STAGES_ID, [33.2, 2, "selesai", None, None]]})
    )
    assert preview.ok
    assert preview.scope["stages"] == {"33.20"}


def test_html_and_script_text_is_stored_as_text(seeded_engine):
    name = "<script>alert(1)</script> `${x}` <img src=x onerror=alert(1)>"
    rows = [
        PROGRAM_HEADERS,
        ["JPR-X", "33.20", name, "society", "short", "planned", None, 2022, 2022],
    ]
    preview = inspect(seeded_engine, "x.xlsx", xlsx({"program": rows}))
    apply_upload(seeded_engine, preview, user=ADMIN, confirm_removals=True)
    stored = current(seeded_engine)["programs"].set_index("program_id").loc["JPR-X", "name"]
    assert stored == name


# --- hostile and broken files -----------------------------------------------------------------


def valid_xlsx() -> bytes:
    return xlsx({"tahap": [STAGES_ID, ["33.20", 2, "selesai", None, None]]})


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def entity_bomb() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    out = io.BytesIO()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[-1]
                data = laughs.encode() + body.replace(b'name="tahap"', b'name="&lol3;"')
            archive.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, key",
    [
        ("empty.csv", b"", "empty_file"),
        ("empty.xlsx", b"", "empty_file"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "not_xlsx"),
        ("text.xlsx", b"kode;nama\n33.20;Jepara\n", "not_xlsx"),
        ("macro.xlsm", valid_xlsx(), "macro_file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted_or_legacy"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted_or_legacy"),
        ("cut.xlsx", valid_xlsx()[:3000], "corrupt_xlsx"),
        ("bomb.xlsx", zip_bomb(), "zip_bomb"),
        ("entities.xlsx", entity_bomb(), "unsafe_xml"),
        ("notes.pdf", b"%PDF-1.4", "unsupported_type"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(seeded_engine, name, data, key):
    preview = inspect(seeded_engine, name, data)
    assert [(p.file, p.key) for p in preview.problems] == [(name, key)]
    message = problems_frame(preview.problems, "id")["Pesan"].iloc[0]
    assert message and message != key
    assert store.current_version(seeded_engine) == 1


def test_zip_bomb_is_refused_without_opening_the_workbook(seeded_engine, monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    assert problem_keys(inspect(seeded_engine, "bomb.xlsx", zip_bomb()))[0][-1] == "zip_bomb"


def test_row_cap(seeded_engine):
    rows = [STAGES_ID] + [["33.20", 1, "selesai", None, None]] * 11
    preview = inspect(seeded_engine, "big.xlsx", xlsx({"tahap": rows}), limits=Limits(max_rows=10))
    assert [p.key for p in preview.problems] == ["too_many_rows"]
    assert problems_frame(preview.problems, "en")["Message"].iloc[0] == "Too many rows (limit 10)."


@pytest.mark.parametrize(
    "sheets, expected",
    [
        ({"Sheet1": []}, [(None, None, None, "missing-label", "no_known_sheet")]),
        ({"Sheet1": [["a"], [1]]}, [("Sheet1", None, None, "unknown-sheet", "unknown_sheet")]),
        ({"tahap": [STAGES_ID]}, [("tahap", 1, None, "blank-row", "no_rows")]),
        (
            {"tahap": [["kode_wilayah", "tahap"], ["33.20", 1]]},
            [("tahap", 1, "status", "missing-label", "missing_label")],
        ),
        (
            {"tahap": [STAGES_ID + ["status"], ["33.20", 1, "selesai", None, None, "x"]]},
            [("tahap", 1, "status", "duplicate-label", "duplicate_label")],
        ),
        (
            {"tahap": [["kode_wilayah", None, "tahap", "status"], ["33.20", "x", 1, "selesai"]]},
            [("tahap", 1, None, "blank-label", "blank_label")],
        ),
        (
            {"tahap": [STAGES_ID, ["33.99", 1, "selesai", None, None]]},
            [("tahap", 2, "kode_wilayah", "foreign-key", "unknown_region")],
        ),
        (
            {"tahap": [STAGES_ID, ["33.20", 5, "selesai", None, None]]},
            [("tahap", 2, "tahap", "constraint-error", "out_of_range")],
        ),
        (
            {"tahap": [STAGES_ID, ["33.20", 1, "selesai sebagian", None, None]]},
            [("tahap", 2, "status", "constraint-error", "not_allowed")],
        ),
        (
            {"tahap": [STAGES_ID, ["33.20", 1, "selesai", "2021-09-02", "2021-09-01"]]},
            [("tahap", 2, "rencana_selesai", "constraint-error", "before_first")],
        ),
        (
            {"tahap": [STAGES_ID, ["33.20", 1, "selesai", "20021-01-01", None]]},
            [("tahap", 2, "rencana_mulai", "type-error", "not_date")],
        ),
        (
            {
                "program": [
                    PROGRAM_HEADERS,
                    ["P", "33.20", "n", "economy", "short", "planned", -5, 2022, 2022],
                ]
            },
            [("program", 2, "anggaran_idr", "constraint-error", "out_of_range")],
        ),
        (
            {
                "program": [
                    PROGRAM_HEADERS,
                    ["P", "33.20", "n", "economy", "short", "planned", 1, 20021, 2022],
                ]
            },
            [("program", 2, "tahun_mulai", "constraint-error", "out_of_range")],
        ),
        (
            {
                "program": [
                    PROGRAM_HEADERS,
                    ["P", "33.20", "x" * 1_000_000, "economy", "short", "planned", 1, 2022, 2022],
                ]
            },
            [("program", 2, "nama_program", "constraint-error", "too_long")],
        ),
    ],
)
def test_each_problem_is_located(seeded_engine, sheets, expected):
    preview = inspect(seeded_engine, "f.xlsx", xlsx(sheets))
    assert problem_keys(preview) == expected
    assert store.current_version(seeded_engine) == 1


def test_unknown_region_lists_valid_codes(seeded_engine):
    preview = inspect(
        seeded_engine, "f.xlsx", xlsx({"tahap": [STAGES_ID, ["33.99", 1, "selesai", None, None]]})
    )
    message = problems_frame(preview.problems, "en")["Message"].iloc[0]
    assert message.startswith("Unknown region code. Valid codes: 33.06, 33.12, 33.13,")


def test_duplicate_keys_name_both_rows(seeded_engine):
    rows = [
        STAGES_ID,
        ["33.20", 1, "selesai", None, None],
        ["33.20", 2, "selesai", None, None],
        ["33.20", 1, "rencana", None, None],
    ]
    preview = inspect(seeded_engine, "f.xlsx", xlsx({"tahap": rows}))
    assert [(p.row, p.code, p.params["rows"]) for p in preview.problems] == [
        (2, "unique-error", "4"),
        (4, "unique-error", "2"),
    ]


def test_semarang_by_name_suggests_both_codes(seeded_engine):
    preview = inspect(
        seeded_engine,
        "f.xlsx",
        xlsx({"tahap": [STAGES_ID, ["Semarang", 1, "selesai", None, None]]}),
    )
    message = problems_frame(preview.problems, "id")["Pesan"].iloc[0]
    assert message == (
        "Ini nama, bukan kode wilayah. Maksud Anda: 33.22 (Kabupaten Semarang), "
        "33.74 (Kota Semarang)?"
    )


@pytest.mark.parametrize(
    "row, key",
    [
        (["33.74", "Kabupaten Semarang", "kabupaten"], "kind_code_mismatch"),
        (["33.22", "Kota Semarang", "kabupaten"], "name_kind_mismatch"),
        (["33.22", "KOTA SEMARANG", "kabupaten"], "name_kind_mismatch"),
        (["33.22", "Semarang", "kabupaten"], "name_kind_mismatch"),
        # the kind words of lib/core/vocab.toml, as region_names reads them everywhere
        (["33.22", "Kab. Semarang", "kabupaten"], None),
        (["33.22", "Semarang Regency", "kabupaten"], None),
        (["33.74", "Kotamadya Semarang", "kota"], None),
    ],
)
def test_kabupaten_and_kota_semarang_cannot_be_confused(seeded_engine, row, key):
    header = ["kode_wilayah", "nama", "jenis", "lintang", "bujur"]
    preview = inspect(seeded_engine, "f.xlsx", xlsx({"wilayah": [header, [*row, -7.0, 110.4]]}))
    assert [p.key for p in preview.problems] == ([key] if key else [])


def test_formula_without_cached_value_is_reported(seeded_engine):
    preview = inspect(
        seeded_engine,
        "f.xlsx",
        xlsx({"tahap": [STAGES_ID, ["33.20", "=1+1", "selesai", None, None]]}),
    )
    assert ("tahap", 2, "B", "type-error", "formula_without_value") in problem_keys(preview)


def test_merged_cells_are_reported(seeded_engine):
    book = openpyxl.load_workbook(io.BytesIO(valid_xlsx()))
    book["tahap"].merge_cells("D2:E2")
    out = io.BytesIO()
    book.save(out)
    preview = inspect(seeded_engine, "f.xlsx", out.getvalue())
    assert problem_keys(preview) == [("tahap", 2, "D", "constraint-error", "merged_cells")]


def test_nul_and_control_characters(seeded_engine):
    data = (
        "id_program;kode_wilayah;nama_program;dimensi;jangka;status\n"
        "P1;33.20;ab\x00c;economy;short;planned\nP2;33.20;bell\x07;economy;short;planned\n"
    )
    preview = inspect(seeded_engine, "p.csv", data.encode())
    assert [(p.row, p.key) for p in preview.problems] == [
        (2, "control_chars"),
        (3, "control_chars"),
    ]


def test_program_id_of_another_region_is_refused(seeded_engine):
    rows = [
        PROGRAM_HEADERS,
        ["TMG-GOV-01", "33.20", "n", "economy", "short", "planned", 1, 2022, 2022],
    ]
    preview = inspect(seeded_engine, "f.xlsx", xlsx({"program": rows}))
    assert [(p.key, p.params) for p in preview.problems] == [
        ("key_of_other_region", {"region": "33.23"})
    ]


def test_columns_left_out_of_the_file_keep_their_values(seeded_engine):
    rows = [
        ["kode_wilayah", "tahap", "status"],
        ["33.23", 1, "selesai"],
        ["33.23", 2, "selesai"],
        ["33.23", 3, "selesai"],
        ["33.23", 4, "rencana"],
    ]
    preview = inspect(seeded_engine, "f.xlsx", xlsx({"tahap": rows}))
    assert [(c.key, c.column) for c in preview.diffs["stages"].cells] == [(("33.23", 3), "status")]
    apply_upload(seeded_engine, preview, user=ADMIN)
    stages = current(seeded_engine)["stages"]
    venue = stages[(stages.region_code == "33.23") & (stages.stage == 2)].venue.item()
    assert venue == "Aula Progo, Bappeda Kabupaten Temanggung"


# --- hostile and odd files, one class per row (issue 9) ---------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def patch_xlsx(data: bytes, member: str, change) -> bytes:
    """The same workbook with one part's XML rewritten, as a hostile program would write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            part = source.read(item.filename)
            archive.writestr(
                item, change(part.decode()).encode() if item.filename == member else part
            )
    return out.getvalue()


SHEET1 = "xl/worksheets/sheet1.xml"


def claims_huge_range(extra_row: str = "") -> bytes:
    def change(xml: str) -> str:
        xml = xml.replace('<dimension ref="A1:E2"/>', '<dimension ref="A1:XFD1048576"/>')
        return xml.replace("</sheetData>", extra_row + "</sheetData>")

    return patch_xlsx(valid_xlsx(), SHEET1, change)


def styled(cells: dict[str, object], number_format: str = "yyyy-mm-dd") -> bytes:
    """The valid stage sheet with some cells overwritten and given a date format."""
    book = openpyxl.load_workbook(io.BytesIO(valid_xlsx()))
    for ref, value in cells.items():
        book["tahap"][ref].value = value
        book["tahap"][ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def prefixed_merge() -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(valid_xlsx()))
    book["tahap"].merge_cells("D2:E2")
    out = io.BytesIO()
    book.save(out)

    def change(xml: str) -> str:
        xml = xml.replace("<mergeCells", f'<x:mergeCells xmlns:x="{MAIN_NS}"')
        return xml.replace("</mergeCells>", "</x:mergeCells>").replace(
            "<mergeCell ", "<x:mergeCell "
        )

    return patch_xlsx(out.getvalue(), SHEET1, change)


def with_sheets(extra: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(valid_xlsx()))
    for name, rows in extra.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for name in hidden:
        book[name].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def titled(merge_title: bool) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "tahap"
    sheet.append(["Laporan kemajuan Bimtek Kabupaten Jepara 2021"])
    sheet.append([])
    sheet.append(STAGES_ID)
    sheet.append(["33.20", 2, "selesai", None, None])
    if merge_title:
        sheet.merge_cells("A1:E1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stage_cell(preview, column: str):
    added = preview.frames["stages"]
    return added.loc[(added.region_code == "33.20") & (added.stage == 2), column].item()


CSV_HEAD = "kode_wilayah;tahap;status;rencana_mulai;rencana_selesai;catatan\n"


# name, file bytes, problems (sheet, row, column, key), notices (sheet, row, key), check or None
HOSTILE = {
    # 1. A sheet that claims a huge range: memory follows the cells, not the claim.
    "dimension claims A1:XFD1048576": (
        "f.xlsx",
        claims_huge_range(),
        [],
        [],
        lambda p: stage_cell(p, "status") == "done",
    ),
    "dimension claim and a row far down": (
        "f.xlsx",
        claims_huge_range(
            '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        ),
        [("tahap", 1048576, None, "row_beyond_limit")],
        [],
        None,
    ),
    "a cell in the last column": (
        "f.xlsx",
        claims_huge_range('<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>'),
        [("tahap", 3, "XFD", "column_beyond_limit")],
        [],
        None,
    ),
    # 2. Cells longer than any typed value, in CSV (the csv module's own limit is 128 KB).
    "CSV cell over 128 KB": (
        "tahap.csv",
        (CSV_HEAD + "33.20;2;selesai;;;" + "x" * 200_000 + "\n").encode(),
        [(None, 2, "F", "cell_too_long")],
        [],
        None,
    ),
    "CSV cell over an Excel cell": (
        "tahap.csv",
        (CSV_HEAD + "33.20;2;selesai;;;" + "x" * 40_000 + "\n").encode(),
        [(None, 2, "F", "cell_too_long")],
        [],
        None,
    ),
    "CSV cell with an unclosed quote to the end": (
        "tahap.csv",
        (CSV_HEAD + '33.20;2;selesai;;;"' + "x" * 200_000).encode(),
        [(None, 2, "F", "cell_too_long")],
        [],
        None,
    ),
    # 3. Encodings: one broken byte in UTF-8 is refused where it is; Windows-1252 is read.
    "UTF-8 with one invalid byte": (
        "tahap.csv",
        (CSV_HEAD + "33.20;2;selesai;;;Simoncer \u2014 aplikasi CSR\n").encode()
        + b"33.20;3;selesai;;;caf\xe9 \xff\n",
        [(None, 3, None, "bad_encoding")],
        [],
        None,
    ),
    "bytes Windows-1252 leaves undefined": (
        "tahap.csv",
        CSV_HEAD.encode() + b"33.20;2;selesai;;;ok\n33.20;3;selesai;;;\x81\x8d\n",
        [(None, 3, None, "bad_encoding")],
        [],
        None,
    ),
    "Windows-1252 from Excel on Windows": (
        "tahap.csv",
        (CSV_HEAD + "33.20;2;selesai;;;Simoncer \u2013 caf\u00e9\n").encode("cp1252"),
        [],
        [],
        lambda p: stage_cell(p, "notes") == "Simoncer \u2013 caf\u00e9",
    ),
    # 4. Merged cells however the XML spells them.
    "merge written as x:mergeCell": (
        "f.xlsx",
        prefixed_merge(),
        [("tahap", 2, "D", "merged_cells")],
        [],
        None,
    ),
    # 5. Excel date cells outside 1900-2100, and serial 60 (1900-02-29, which never was).
    "date cell in year 1000": (
        "f.xlsx",
        styled({"D2": dt.datetime(1000, 1, 1)}),
        [("tahap", 2, "rencana_mulai", "year_out_of_range")],
        [],
        None,
    ),
    "date cell in year 9999": (
        "f.xlsx",
        styled({"E2": dt.datetime(9999, 12, 31)}),
        [("tahap", 2, "rencana_selesai", "year_out_of_range")],
        [],
        None,
    ),
    "date cell serial 60": (
        "f.xlsx",
        styled({"D2": 60}),
        [("tahap", 2, "rencana_mulai", "no_such_day")],  # Excel shows 29/02/1900
        [],
        None,
    ),
    # 6. A code stored as a number must match exactly; rounding would pick another region.
    "code as the number 33.204": (
        "f.xlsx",
        xlsx({"tahap": [STAGES_ID, [33.204, 2, "selesai", None, None]]}),
        [("tahap", 2, "kode_wilayah", "bad_code")],
        [],
        None,
    ),
    "code as the number 33.2": (
        "f.xlsx",
        xlsx({"tahap": [STAGES_ID, [33.2, 2, "selesai", None, None]]}),
        [],
        [],
        lambda p: p.scope == {"stages": {"33.20"}},
    ),
    # 7. Sheets the reader does not know are named; hidden sheets are named.
    "an unknown second sheet": (
        "f.xlsx",
        with_sheets({"programs 2024": [PROGRAM_HEADERS, ["P", "33.20", "n"]]}),
        [("programs 2024", None, None, "unknown_sheet")],
        [],
        None,
    ),
    "a hidden data sheet": (
        "f.xlsx",
        with_sheets({"baca_saya": [["Petunjuk"]]}, hidden=("tahap",)),
        [],
        [("tahap", None, "hidden_sheet")],
        lambda p: stage_cell(p, "status") == "done",
    ),
    "a hidden sheet of the user's own": (
        "f.xlsx",
        with_sheets({"hitungan": [["a", "b"], [1, 2]]}, hidden=("hitungan",)),
        [],
        [("hitungan", None, "unknown_hidden_sheet")],
        lambda p: stage_cell(p, "status") == "done",
    ),
    "an empty extra sheet": ("f.xlsx", with_sheets({"Sheet2": []}), [], [], None),
    # 8. A report title above the header, with or without a merged title cell.
    "title above the header": (
        "f.xlsx",
        titled(merge_title=False),
        [],
        [("tahap", 3, "header_row_used")],
        lambda p: stage_cell(p, "status") == "done",
    ),
    "merged title above the header": (
        "f.xlsx",
        titled(merge_title=True),
        [],
        [("tahap", 3, "header_row_used")],
        lambda p: stage_cell(p, "status") == "done",
    ),
    "title above a CSV header": (
        "tahap.csv",
        ("Laporan tahap Bimtek 2021\n\n" + CSV_HEAD + "33.20;2;selesai;;;\n").encode(),
        [],
        [(None, 3, "header_row_used")],
        lambda p: stage_cell(p, "status") == "done",
    ),
    "no header in the first rows": (
        "f.xlsx",
        xlsx({"tahap": [["Laporan"], ["33.20", 2, "selesai"]]}),
        [("tahap", 1, None, "header_not_found")],
        [],
        None,
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_and_odd_files(seeded_engine, case):
    name, data, problems, notices, check = HOSTILE[case]
    preview = inspect(seeded_engine, name, data)
    assert [(p.sheet, p.row, p.column, p.key) for p in preview.problems] == problems
    assert [(p.sheet, p.row, p.key) for p in preview.notices] == notices
    for lang, column in (("id", "Pesan"), ("en", "Message")):
        for shown in (preview.problems, preview.notices):
            for message in problems_frame(shown, lang)[column]:
                # A message in the user's words with every placeholder filled.
                assert message and not any(mark in message for mark in "{}…"), message
    if check is not None:
        assert preview.ok and check(preview)
    assert store.current_version(seeded_engine) == 1


# --- the record of an apply (issue 9 item 10) -------------------------------------------------


def audit_of(engine, action: str) -> list[dict]:
    return [
        json.loads(r["detail"]) | {"success": r["success"]}
        for r in accounts.audit_rows(engine)
        if r["action"] == action
    ]


def test_the_audit_row_commits_with_the_version(seeded_engine):
    preview = inspect(seeded_engine, "k.xlsx", valid_xlsx())
    version = apply_upload(seeded_engine, preview, user=ADMIN, confirm_removals=True)
    assert [a["version"] for a in audit_of(seeded_engine, "upload_applied")] == [version]


def test_no_version_without_its_audit_row(seeded_engine, monkeypatch):
    """A failure writing the audit row (a kill, a full disk) takes the version with it."""
    preview = inspect(seeded_engine, "k.xlsx", valid_xlsx())
    write = accounts._log

    def failing(connection, actor, action, success, detail):
        if action == "upload_applied":
            raise OSError("disk full")
        write(connection, actor, action, success, detail)

    monkeypatch.setattr(accounts, "_log", failing)
    with pytest.raises(OSError):
        apply_upload(seeded_engine, preview, user=ADMIN, confirm_removals=True)
    assert store.current_version(seeded_engine) == 1
    assert audit_of(seeded_engine, "upload_applied") == []


@pytest.mark.parametrize(
    "reason", ["upload_other_regions", "removals_not_confirmed", "stale_version"]
)
def test_refusals_at_the_write_are_audited(seeded_engine, reason):
    rows = [STAGES_ID, ["33.20", 2, "selesai", None, None]]
    if reason == "removals_not_confirmed":
        rows = [["kode_wilayah", "tahap", "status"], ["33.20", 1, "selesai"]]
    preview = inspect(seeded_engine, "k.xlsx", xlsx({"tahap": rows}))
    user = ADMIN
    if reason == "upload_other_regions":
        user = User("e", "Editor Kudus", "regional_editor", frozenset({"33.19"}))
    if reason == "stale_version":
        other = inspect(
            seeded_engine,
            "o.xlsx",
            xlsx({"tahap": [STAGES_ID, ["33.12", 3, "selesai", None, None]]}),
        )
        apply_upload(seeded_engine, other, user=ADMIN, confirm_removals=True)
    with pytest.raises((accounts.NotAllowed, RemovalsNotConfirmed, store.StaleVersion)):
        apply_upload(seeded_engine, preview, user, reason != "removals_not_confirmed")
    assert [(a["reason"], a["success"]) for a in audit_of(seeded_engine, "upload_refused")] == [
        (reason, False)
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_problem_message_ever_shows_an_unfilled_placeholder(lang):
    """Over the whole problem catalogue: a parameter its producer left out (a bug) shows as an
    ellipsis, never as a literal '{value}' (the old 'Merged cells {value} are not allowed')."""
    problem_ids = [key for key, entry in CATALOGUE.items() if "code" in entry]
    assert len(problem_ids) > 40
    for key in problem_ids:
        message = problem_message(key, lang, {})
        assert "{" not in message and "}" not in message, (key, message)


# --- caps that bound the check of any admitted file (issue 9 item 1) --------------------------


def shared_strings_xlsx(count: int) -> bytes:
    """A workbook whose shared-string table holds `count` texts, as Excel writes them."""
    strings = "".join(f"<si><t>teks {i}</t></si>" for i in range(count))
    shared = f'<?xml version="1.0"?><sst xmlns="{NS}" count="{count}">{strings}</sst>'
    header = [f'<c t="s"><v>{i}</v></c>' for i in range(min(count, 5))]
    return workbook(sheet([header]), shared.encode())


def stages_in_shared_strings(junk: str = "") -> bytes:
    """The valid stage sheet as Excel writes it: every text in the shared-string table."""
    texts = [*STAGES_ID, "33.20", "selesai"]
    strings = "".join(f"<si><t>{text}</t>{junk}</si>" for text in texts)
    shared = f'<?xml version="1.0"?><sst xmlns="{NS}" count="{len(texts)}">{strings}</sst>'
    header = [f'<c t="s"><v>{i}</v></c>' for i in range(5)]
    row = ['<c t="s"><v>5</v></c>', "<c><v>2</v></c>", '<c t="s"><v>6</v></c>']
    return workbook(sheet([header, row]), shared.encode(), name="tahap")


def test_shared_strings_are_read(seeded_engine):
    preview = inspect(seeded_engine, "f.xlsx", stages_in_shared_strings())
    assert preview.ok and stage_cell(preview, "status") == "done"


def junk_after_rows(count: int) -> bytes:
    """Elements the reader does not know, after the data: kept by no one."""
    return patch_xlsx(
        valid_xlsx(),
        SHEET1,
        lambda xml: xml.replace("</sheetData>", "</sheetData>" + "<x/>" * count),
    )


def wide_row(cells: int) -> bytes:
    row = "".join(f'<c r="{chr(65 + c % 5)}3" s="0"/>' for c in range(cells))
    return patch_xlsx(
        valid_xlsx(),
        SHEET1,
        lambda xml: xml.replace("</sheetData>", f'<row r="3">{row}</row></sheetData>'),
    )


# name, file bytes, caps, problems (sheet, row, column, key): each cap at a scale a test can
# afford; bench/upload_memory.py measures the worst files the default caps admit.
CAPS = {
    "more cells than the cap (xlsx)": (
        "f.xlsx",
        valid_xlsx(),  # 5 header cells, 3 in row 2
        Limits(max_cells=7),
        [("tahap", 2, None, "too_many_cells")],
    ),
    "more fields than the cap (csv)": (
        "tahap.csv",
        (CSV_HEAD + "33.20;2;selesai;;;\n33.20;3;selesai;;;\n").encode(),
        Limits(max_cells=8),
        [(None, 2, None, "too_many_cells")],
    ),
    "a CSV of blank lines past the row cap": (
        "tahap.csv",
        (CSV_HEAD + "33.20;2;selesai;;;\n" + "\n" * 1000).encode(),
        Limits(max_rows=20),
        [(None, None, None, "too_many_rows")],
    ),
    "more shared strings than cells a file may hold": (
        "f.xlsx",
        shared_strings_xlsx(10),
        Limits(max_cells=3),
        [(None, None, None, "too_many_strings")],
    ),
    "shared strings past the element cap": (
        "f.xlsx",
        stages_in_shared_strings(junk="<x/>" * 30),
        Limits(max_elements=100),
        [(None, None, None, "strings_too_complex")],
    ),
    "a part read whole over its cap": (
        "f.xlsx",
        valid_xlsx(),
        Limits(max_whole_part_bytes=600),
        [(None, None, None, "part_too_big")],
    ),
    "a sheet streamed over its cap": (
        "f.xlsx",
        valid_xlsx(),
        Limits(max_part_bytes=800, max_whole_part_bytes=600),
        [(None, None, None, "part_too_big")],
    ),
    "a sheet of junk elements past the element cap": (
        "f.xlsx",
        junk_after_rows(200),
        Limits(max_elements=100),
        [("tahap", 2, None, "sheet_too_complex")],
    ),
    "a row of more elements than a row may hold": (
        "f.xlsx",
        wide_row(300),
        Limits(max_row_elements=200),
        [("tahap", 3, None, "sheet_too_complex")],
    ),
}


@pytest.mark.parametrize("case", list(CAPS), ids=list(CAPS))
def test_caps_refuse_where_they_are_passed(seeded_engine, case):
    name, data, limits, problems = CAPS[case]
    preview = inspect(seeded_engine, name, data, limits=limits)
    assert [(p.sheet, p.row, p.column, p.key) for p in preview.problems] == problems
    for lang, column in (("id", "Pesan"), ("en", "Message")):
        for message in problems_frame(preview.problems, lang)[column]:
            assert message and not any(mark in message for mark in "{}…"), message
    assert store.current_version(seeded_engine) == 1


def test_junk_within_the_caps_is_read_past(seeded_engine):
    preview = inspect(seeded_engine, "f.xlsx", junk_after_rows(200))
    assert preview.ok and stage_cell(preview, "status") == "done"


def test_a_wholly_wrong_file_shows_its_first_thousand_problems_and_says_there_are_more(
    seeded_engine,
):
    rows = "".join(f"33.20;{n};kacau;;;\n" for n in range(1, 1500))
    preview = inspect(seeded_engine, "tahap.csv", (CSV_HEAD + rows).encode())
    keys = [p.key for p in preview.problems]
    assert len(keys) == 1001 and keys[0] == "too_many_problems"  # read first, at the top
    rows = [p.row for p in preview.problems[1:]]
    assert rows == sorted(rows) and rows[0] == 2  # the first ones, top to bottom
    message = problems_frame(preview.problems[:1], "en")["Message"].iloc[0]
    assert message == (
        "More than 1,000 problems on this sheet; only the first 1,000 are shown."
        " Fix these first, then upload again."
    )
