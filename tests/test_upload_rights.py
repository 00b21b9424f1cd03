"""A regional editor's round trip: own-region template, unchanged rows of others allowed."""

import io

import openpyxl
import pytest

from lib.core.schema import TABLES, header, sheet_name
from lib.ingest.upload import apply_upload, check_rights, inspect_upload
from lib.ingest.workbook import scoped_frames, workbook_bytes
from lib.storage import store
from lib.storage.accounts import NotAllowed, User
from lib.views.refusals import refusal_text
from tests.conftest import stage_workbook

JEPARA, KUDUS = "33.20", "33.19"
EDITOR = User("editor.jepara", "Editor Jepara", "regional_editor", frozenset({JEPARA}))


def current(engine):
    return store.read_all(engine, store.current_version(engine))


def change_budget(data: bytes, region: str, lang: str = "id") -> bytes:
    """Add 1,000 to the first program budget of `region`, as a user would in Excel."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    programs = TABLES["programs"]
    sheet = book[sheet_name(programs, lang)]
    headers = [c.value for c in sheet[1]]
    code_col = headers.index(header(programs.field("region_code"), lang))
    budget_col = headers.index(header(programs.field("budget_idr"), lang))
    for row in sheet.iter_rows(min_row=2):
        if row[code_col].value == region and row[budget_col].value is not None:
            row[budget_col].value += 1000
            break
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def region_codes_per_sheet(data: bytes) -> dict[str, set[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = {}
    for table in TABLES.values():
        sheet = book[sheet_name(table, "id")]
        headers = [c.value for c in sheet[1]]
        col = headers.index(header(table.field("region_code"), "id"))
        out[table.name] = {r[col] for r in sheet.iter_rows(min_row=2, values_only=True)}
    return out


def test_editor_template_holds_only_own_regions(seeded_engine):
    data = workbook_bytes(scoped_frames(current(seeded_engine), EDITOR.regions), "id")
    assert region_codes_per_sheet(data) == {name: {JEPARA} for name in TABLES}


@pytest.mark.parametrize("scoped", [True, False], ids=["own-template", "full-template"])
def test_editor_changes_one_jepara_budget_and_applies(seeded_engine, scoped):
    frames = current(seeded_engine)
    template = workbook_bytes(scoped_frames(frames, EDITOR.regions) if scoped else frames, "id")
    preview = inspect_upload(seeded_engine, [("jepara.xlsx", change_budget(template, JEPARA))])
    assert preview.ok, preview.problems
    assert sum(d.counts()["changed"] for d in preview.diffs.values()) == 1
    assert preview.removals == 0
    check_rights(EDITOR, preview)  # unchanged rows of other regions are no change
    assert apply_upload(seeded_engine, preview, EDITOR) == 2


def test_editor_change_to_another_region_is_refused_naming_the_row(seeded_engine):
    template = workbook_bytes(current(seeded_engine), "id")
    edited = change_budget(change_budget(template, JEPARA), KUDUS)
    preview = inspect_upload(seeded_engine, [("semua.xlsx", edited)])
    with pytest.raises(NotAllowed) as refusal:
        check_rights(EDITOR, preview)
    rows = refusal.value.params["rows"].text("id")
    assert rows.startswith("KDS-") and "· Kabupaten Kudus (program baris " in rows
    assert "," not in rows
    with pytest.raises(NotAllowed):
        apply_upload(seeded_engine, preview, EDITOR)
    assert store.current_version(seeded_engine) == 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [("id", "Penggantian per wilayah"), ("en", "Replacement per region")],
)
def test_read_me_explains_replacement_per_region(seeded_engine, lang, words):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(current(seeded_engine), lang)))
    assert words in book.worksheets[0]["A1"].value


# Issue 29 item 7: the refusal named "program 17 (33.19)" (a sheet row and a code) and ended
# "Stored rows it would remove: -.". Each row is named by its stage or program and its region,
# and a sentence with nothing to name is left out.
KUDUS_STAGE_2 = [KUDUS, 2, "selesai"]
REFUSALS = {
    "changed only, id": (
        [
            [JEPARA, 1, "selesai"],
            [KUDUS, 1, "selesai"],
            KUDUS_STAGE_2,
            [KUDUS, 3, "rencana"],
            [KUDUS, 4, "rencana"],
        ],
        "id",
        "Ditolak seluruhnya: berkas ini mengubah data wilayah yang bukan wewenang Anda. "
        "Baris yang diubah atau ditambah: Bimtek 2 · Kabupaten Kudus (tahap baris 4). "
        "Baris yang sama persis dengan data tersimpan tidak dihitung; hapus atau kembalikan "
        "baris tersebut.",
    ),
    "changed only, en": (
        [
            [JEPARA, 1, "selesai"],
            [KUDUS, 1, "selesai"],
            KUDUS_STAGE_2,
            [KUDUS, 3, "rencana"],
            [KUDUS, 4, "rencana"],
        ],
        "en",
        "Refused as a whole: this file changes data of regions that are not yours. "
        "Rows changed or added: Bimtek 2 · Kabupaten Kudus (tahap row 4). "
        "Rows identical to the stored ones do not count; delete or restore those rows.",
    ),
    "removed only, en": (
        [
            [JEPARA, 1, "selesai"],
            [KUDUS, 1, "selesai"],
            [KUDUS, 3, "rencana"],
            [KUDUS, 4, "rencana"],
        ],
        "en",
        "Refused as a whole: this file changes data of regions that are not yours. "
        "Stored rows it would remove: Bimtek 2 · Kabupaten Kudus. "
        "Rows identical to the stored ones do not count; delete or restore those rows.",
    ),
}


@pytest.mark.parametrize("rows, lang, expected", REFUSALS.values(), ids=REFUSALS)
def test_refusal_names_rows_by_stage_and_region(seeded_engine, rows, lang, expected):
    preview = inspect_upload(seeded_engine, [("f.xlsx", stage_workbook(rows))])
    with pytest.raises(NotAllowed) as refusal:
        check_rights(EDITOR, preview)
    assert refusal_text(refusal.value, lang) == expected


def test_refusal_names_a_program_by_id_and_region(seeded_engine):
    template = workbook_bytes(current(seeded_engine), "en")
    preview = inspect_upload(seeded_engine, [("all.xlsx", change_budget(template, KUDUS, "en"))])
    with pytest.raises(NotAllowed) as refusal:
        check_rights(EDITOR, preview)
    text = refusal_text(refusal.value, "en")
    kudus = current(seeded_engine)["programs"].query("region_code == @KUDUS").program_id
    first = sorted(kudus)[0]
    assert f"Rows changed or added: {first} · Kabupaten Kudus (programs row " in text
    assert "remove" not in text
