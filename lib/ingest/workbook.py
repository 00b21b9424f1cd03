"""The spreadsheet we hand out: template and export are the same file, with or without data.

Headers and coded values follow the user's language; both languages are read back on upload.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lib.core.i18n import choice_list, t
from lib.core.schema import TABLES, Table, header, plain_values, sheet_name, written_value
from lib.ingest import made_from
from lib.ingest.export import csv_bytes
from lib.ingest.xlsx import write_cell

HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")
HEADER_FONT = Font(bold=True, color="FFFFFF")
VALIDATED_ROWS = 2000  # drop-downs reach this far below the data, for rows users add
README_COLUMNS = ("sheet", "column", "required", "choices", "description")


def _choices(field, lang: str, region_codes: list[str]) -> list[str]:
    if field.kind == "code":
        return region_codes
    if field.kind == "bool":
        return [str(written_value(field.name, v, lang)) for v in (True, False)]
    if field.name == "stage":
        return [str(s) for s in field_range(field)]
    return [str(written_value(field.name, c, lang)) for c in field.choices]


def field_range(field) -> range:
    return range(int(field.minimum), int(field.maximum) + 1)


def _readme(book, lang: str, region_codes: list[str], version: int | None) -> None:
    sheet = book.create_sheet(t("readme_sheet", lang), 0)
    sheet["A1"] = t("readme_intro", lang)
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A1:E1")
    sheet.row_dimensions[1].height = 110
    if version is not None:
        sheet["A2"] = t("readme_made_from", lang, version=version)
        sheet["A2"].font = Font(bold=True)
    for col, name in enumerate(README_COLUMNS, start=1):
        cell = sheet.cell(row=3, column=col, value=t(f"readme_col_{name}", lang))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    row = 4
    for table in TABLES.values():
        for field in table.fields:
            choices = (
                _choices(field, lang, region_codes)
                if field.choices or field.kind in ("bool", "code") or field.name == "stage"
                else []
            )
            values = (
                sheet_name(table, lang),
                header(field, lang),
                t("yes" if field.required else "no", lang),
                choice_list(choices, lang) if choices else t(f"readme_kind_{field.kind}", lang),
                field.help(lang),
            )
            for col, value in enumerate(values, start=1):
                sheet.cell(row=row, column=col, value=value)
            row += 1
    for col, width in zip("ABCDE", (14, 20, 8, 48, 70), strict=True):
        sheet.column_dimensions[col].width = width


def _lists_sheet(book, lang: str, region_codes: list[str]) -> dict[tuple[str, str], str]:
    """Hidden sheet holding every drop-down list; returns (table, field) -> range reference."""
    sheet = book.create_sheet(t("file_lists_sheet", lang))
    refs = {}
    column = 1
    for table in TABLES.values():
        for field in table.fields:
            if not (field.choices or field.kind in ("bool", "code") or field.name == "stage"):
                continue
            values = _choices(field, lang, region_codes)
            if not values:
                continue
            letter = get_column_letter(column)
            sheet.cell(row=1, column=column, value=f"{table.name}.{field.name}")
            for i, value in enumerate(values, start=2):
                write_cell(sheet, i, column, value)
            refs[(table.name, field.name)] = (
                f"'{sheet.title}'!${letter}$2:${letter}${len(values) + 1}"
            )
            column += 1
    sheet.sheet_state = "hidden"
    return refs


def _data_sheet(book, table: Table, frame: pd.DataFrame, lang: str, refs: dict) -> None:
    sheet = book.create_sheet(sheet_name(table, lang))
    for col, field in enumerate(table.fields, start=1):
        cell = sheet.cell(row=1, column=col, value=header(field, lang))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = max(12, len(cell.value) + 4)
    last_row = len(frame) + 1
    columns = [plain_values(frame[f.name], f.kind) for f in table.fields]
    for row_number, row in enumerate(zip(*columns, strict=True), start=2):
        for col, (field, value) in enumerate(zip(table.fields, row, strict=True), start=1):
            if value is None:
                continue
            write_cell(sheet, row_number, col, written_value(field.name, value, lang))
            if field.kind == "date":
                sheet.cell(row=row_number, column=col).number_format = "yyyy-mm-dd"
    for col, field in enumerate(table.fields, start=1):
        letter = get_column_letter(col)
        area = f"{letter}2:{letter}{last_row + VALIDATED_ROWS}"
        if field.kind in ("code", "text", "enum"):
            # Text format keeps "33.20" from becoming the number 33.2 when typed in Excel.
            for r in range(2, last_row + 1):
                sheet.cell(row=r, column=col).number_format = "@"
        ref = refs.get((table.name, field.name))
        if ref:
            validation = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
            validation.error = "Pilih dari daftar / choose from the list"
            validation.add(area)
            sheet.add_data_validation(validation)
        elif field.kind == "date":
            validation = DataValidation(type="date", operator="greaterThan", formula1="1")
            validation.add(area)
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def scoped_frames(
    frames: dict[str, pd.DataFrame], regions: frozenset[str] | set[str] | None
) -> dict[str, pd.DataFrame]:
    """Only the rows of `regions` (None: all): a regional editor's template holds the regions
    that editor may change, so an upload of it touches no other region."""
    if regions is None:
        return frames
    return {
        name: frame[frame["region_code"].isin(regions)].reset_index(drop=True)
        for name, frame in frames.items()
    }


def workbook_bytes(frames: dict[str, pd.DataFrame], lang: str, version: int | None = None) -> bytes:
    """Template and export in one: a read-me, one sheet per table, hidden drop-down lists.
    `version`, the data version the frames are, is recorded so an upload of the file later is
    merged against it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    if version is not None:
        made_from.record_in_workbook(book, version)
    region_codes = sorted(frames["regions"]["region_code"].dropna()) if "regions" in frames else []
    _readme(book, lang, region_codes, version)
    lists = _lists_sheet(book, lang, region_codes)
    for table in TABLES.values():
        frame = frames.get(table.name, pd.DataFrame(columns=table.columns))
        _data_sheet(book, table, frame, lang, lists)
    book.move_sheet(book.worksheets[1], offset=len(book.worksheets) - 2)  # lists go last
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_csv(table: Table, frame: pd.DataFrame, lang: str) -> bytes:
    return csv_bytes(
        pd.DataFrame({header(f, lang): _csv_column(frame, f, lang) for f in table.fields})
    )


def _csv_column(frame: pd.DataFrame, field, lang: str) -> list:
    """Dates as ISO text, coded values as files in this language write them."""
    values = plain_values(frame[field.name], field.kind)
    if field.kind == "date":
        return [None if value is None else value.isoformat() for value in values]
    return [written_value(field.name, value, lang) for value in values]


def csv_zip_bytes(frames: dict[str, pd.DataFrame], lang: str, version: int | None = None) -> bytes:
    """One CSV per table; with `version`, each file's name records it ("tahap (versi 7).csv")
    and a read-me says what that means."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if version is not None:
            text = t("readme_made_from", lang, version=version) + "\n"
            archive.writestr(t("file_zip_readme", lang), text.encode("utf-8"))
        for table in TABLES.values():
            frame = frames.get(table.name, pd.DataFrame(columns=table.columns))
            name = made_from.csv_name(table, lang, version)
            archive.writestr(name, table_csv(table, frame, lang))
    return out.getvalue()
