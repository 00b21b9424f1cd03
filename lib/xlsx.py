"""Reading untrusted spreadsheets safely, and writing ones that open cleanly in Excel.

Uploads are untrusted: sizes and inflation are checked from the zip directory before any XML is
parsed (a zip member cannot inflate past its declared size: zipfile stops and fails the CRC),
macro workbooks and encrypted/legacy files are refused, and openpyxl parses XML through
defusedxml (entity bombs raise instead of expanding).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import openpyxl
import openpyxl.xml
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from lib.export import neutralise
from lib.parse import is_blank
from lib.reader import HEADER_SEARCH, RawSheet, ReadError, read_csv_bytes, sheet_from_records

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and password-protected .xlsx


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_members: int = 500
    max_uncompressed: int = 300 * 1024 * 1024
    max_ratio: float = 150.0
    max_columns: int = 64  # the widest table has 13 columns


DEFAULT_LIMITS = Limits()


def read_upload(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[RawSheet]:
    """Raw sheets of an uploaded .csv or .xlsx; ReadError says why a file cannot be read."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if len(data) > limits.max_bytes:
        raise ReadError("too_big", name, limit=limits.max_bytes // (1024 * 1024))
    if suffix in ("csv", "txt", "tsv"):
        sheet = read_csv_bytes(data, name)
        _check_rows(sheet, limits)
        return [sheet]
    if suffix in ("xlsm", "xltm", "xlam"):
        raise ReadError("macro_file", name)
    if suffix == "xls" or (suffix == "xlsx" and data.startswith(OLE_MAGIC)):
        raise ReadError("encrypted_or_legacy", name)
    if suffix != "xlsx":
        raise ReadError("unsupported_type", name)
    if not data:
        raise ReadError("empty_file", name)
    if not data.startswith(b"PK"):
        raise ReadError("not_xlsx", name)
    return _read_xlsx(name, data, limits)


def _check_rows(sheet: RawSheet, limits: Limits) -> None:
    if len(sheet.rows) > limits.max_rows:
        raise ReadError("too_many_rows", sheet.file, sheet.sheet, limit=limits.max_rows)


def _check_zip(name: str, data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError("corrupt_xlsx", name) from None
    if len(members) > limits.max_members:
        raise ReadError("zip_bomb", name)
    declared = sum(m.file_size for m in members)
    if declared > limits.max_uncompressed or declared > limits.max_ratio * max(len(data), 1):
        raise ReadError("zip_bomb", name)
    names = {m.filename for m in members}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ReadError("macro_file", name)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ReadError("not_xlsx", name)
    return archive


class _SheetParser(WorkSheetParser):
    """openpyxl's streaming sheet parser, noting cells that hold a formula but no cached value
    (a file saved by a program that never calculated): their value is unknown, so they are
    reported instead of read as blank. Merged ranges come from the parser's model of the sheet
    (namespace-aware), whatever prefix the file writes them with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formulas_without_values: list[tuple[int, str]] = []

    def parse_cell(self, element):
        if (
            element.get("t", "n") == "n"
            and int(element.get("s", 0) or 0) in self.date_formats
            and (element.findtext(VALUE_TAG) or "").strip() in ("60", "60.0")
        ):
            # Serial 60 is 1900-02-29, a day that never was (Lotus's leap-year bug): handed
            # on as text so the date parser refuses it instead of shifting it a day.
            cell = super().parse_cell(element)
            return {**cell, "value": "1900-02-29", "data_type": "s"}
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            self.formulas_without_values.append((cell["row"], get_column_letter(cell["column"])))
        return cell


def _read_xlsx(name: str, data: bytes, limits: Limits) -> list[RawSheet]:
    if not openpyxl.xml.DEFUSEDXML:
        raise ReadError("unsafe_xml_parser", name)
    archive = _check_zip(name, data, limits)
    archive.close()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken or hostile XML
        key = "unsafe_xml" if _refused_by_defusedxml(error) else "corrupt_xlsx"
        raise ReadError(key, name) from None
    sheets = []
    try:
        for worksheet in book.worksheets:
            sheet = _read_sheet(book, worksheet, name, limits)
            sheet.hidden = worksheet.sheet_state != "visible"
            sheets.append(sheet)
    except ReadError:
        raise
    except Exception as error:
        key = "unsafe_xml" if _refused_by_defusedxml(error) else "corrupt_xlsx"
        raise ReadError(key, name) from None
    finally:
        book.close()
    return sheets


def _refused_by_defusedxml(error: BaseException | None) -> bool:
    """openpyxl wraps parser errors in ValueError; defusedxml's *Forbidden sits in the chain."""
    while error is not None:
        if type(error).__name__.endswith("Forbidden"):
            return True
        error = error.__cause__ or error.__context__
    return False


def _read_sheet(book, worksheet, file: str, limits: Limits) -> RawSheet:
    """Rows as the parser streams them, sparse: memory follows the cells a file holds, never
    the size its <dimension> claims, and a cell far right or far down is refused where it is
    instead of padding every row and every gap."""
    title = worksheet.title
    records: list[list[object]] = []
    numbers: list[int] = []
    last_content = 0
    with worksheet._get_source() as source:
        parser = _SheetParser(
            source,
            book.shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for count, (number, cells) in enumerate(parser.parse(), start=1):
            if count > limits.max_rows + HEADER_SEARCH:
                raise ReadError("too_many_rows", file, title, limit=limits.max_rows)
            values = [c for c in cells if not is_blank(c["value"])]
            if not values:
                continue
            if number > limits.max_rows + HEADER_SEARCH:
                raise ReadError("row_beyond_limit", file, title, row=number, limit=limits.max_rows)
            width = max(c["column"] for c in values)
            if width > limits.max_columns:
                column = get_column_letter(width)
                raise ReadError(
                    "column_beyond_limit",
                    file,
                    title,
                    row=number,
                    column=column,
                    limit=get_column_letter(limits.max_columns),
                )
            row: list[object] = [None] * width
            for cell in values:
                row[cell["column"] - 1] = cell["value"]
            # Blank rows between rows with content stay (a blank row in the data is reported).
            for gap in range(last_content + 1, number):
                records.append([])
                numbers.append(gap)
            records.append(row)
            numbers.append(number)
            last_content = number
        merged = parser.merged_cells
        formulas = parser.formulas_without_values
    if not records:
        return RawSheet(file, title, [], [], [])
    sheet = sheet_from_records(records, file, title, numbers)
    sheet.merged = [str(m.ref) for m in merged.mergeCell] if merged else []
    sheet.formulas = formulas
    _check_rows(sheet, limits)
    return sheet


def write_cell(worksheet, row: int, column: int, value: object) -> None:
    """Text that looks like a formula is written as neutralised text, never as a formula."""
    value = neutralise(value)
    cell = worksheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
