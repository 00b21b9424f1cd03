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
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, ROW_TAG, VALUE_TAG, WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from lib.core.parse import is_blank
from lib.ingest import made_from
from lib.ingest.export import neutralise
from lib.ingest.reader import HEADER_SEARCH, RawSheet, ReadError, read_csv_bytes, sheet_from_records

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and password-protected .xlsx


MB = 1024 * 1024
MERGE_CELL_TAG = f"{{{SHEET_MAIN_NS}}}mergeCell"
STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"


@dataclass(frozen=True)
class Limits:
    """What an upload may hold. Chosen so the check of the worst file they admit stays under
    1 GB peak memory and about a minute (bench/upload_memory.py); a legitimate file is far
    inside them: 100,000 rows x 13 columns is 1.3 million cells and ~70 MB of sheet XML."""

    max_bytes: int = 20 * MB
    max_rows: int = 100_000
    max_members: int = 500
    max_uncompressed: int = 300 * MB
    max_ratio: float = 150.0
    max_columns: int = 64  # the widest table has 13 columns
    max_cells: int = 1_500_000  # cells read in one file, blank or not (CSV: fields)
    max_part_bytes: int = 128 * MB  # one streamed part (a sheet, the shared strings) unpacked
    max_whole_part_bytes: int = 4 * MB  # a part openpyxl parses whole (styles, workbook, rels)
    max_elements: int = 6_000_000  # XML elements in one sheet or the shared strings
    max_row_elements: int = 100_000  # XML elements inside one row element


DEFAULT_LIMITS = Limits()


def read_upload(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[RawSheet]:
    """Raw sheets of an uploaded .csv or .xlsx; ReadError says why a file cannot be read."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if len(data) > limits.max_bytes:
        raise ReadError("too_big", name, limit=limits.max_bytes // (1024 * 1024))
    if suffix in ("csv", "txt", "tsv"):
        sheet = read_csv_bytes(data, name, limits.max_rows, limits.max_cells)
        _check_rows(sheet, limits)
        sheet.made_from = made_from.version_in_file_name(name)
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


class _GuardedZip(zipfile.ZipFile):
    """The archive as openpyxl sees it: `read` is how it parses a part whole (a tree in
    memory), `open` how it streams one; each is refused past its cap before any XML is read."""

    def guard(self, file: str, limits: Limits) -> _GuardedZip:
        self.file, self.limits = file, limits
        return self

    def _part_too_big(self, name, limit: int) -> None:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if info.file_size > limit:
            raise ReadError("part_too_big", self.file, part=info.filename, limit=limit // MB)

    def read(self, name, pwd=None):
        self._part_too_big(name, self.limits.max_whole_part_bytes)
        return super().read(name, pwd)

    def open(self, name, mode="r", pwd=None, **kwargs):
        if mode == "r":
            self._part_too_big(name, self.limits.max_part_bytes)
        return super().open(name, mode, pwd, **kwargs)


class _Sheet(ReadOnlyWorksheet):
    def _get_size(self):
        """openpyxl reads the <dimension> claim here, keeping every element before the sheet
        data; nothing here uses the claim (memory follows the cells), so it is not read."""


class _BookReader(ExcelReader):
    """openpyxl's workbook reader, with the parts that grow with the file bounded: shared
    strings are streamed under the cell and element caps, sheets are opened lazily without
    their size claim, and chart sheets (no data, whole-parsed drawings) are not read."""

    def __init__(self, file: str, data: bytes, limits: Limits):
        super().__init__(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        self.archive = _GuardedZip(io.BytesIO(data)).guard(file, limits)
        self.file, self.limits = file, limits

    def read_strings(self):
        found = self.package.find(SHARED_STRINGS)
        if found is not None:
            with self.archive.open(found.PartName[1:]) as source:
                self.shared_strings = _shared_strings(source, self.file, self.limits)

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _bounded_tree(source, file: str, sheet: str | None, limits: Limits, whole: str = ROW_TAG):
    """The elements of a streamed part as they end, holding in memory only the open
    elements' path: an element is detached from its parent once handled, so a part of a
    million elements (or of junk the reader does not know) costs what one row costs. A `whole`
    element (a row; a shared string) keeps its children until it ends (its parser needs
    them), and is capped."""
    path = []
    elements = row_elements = 0
    in_row = False
    row = None  # the row being read or last read, as the file numbers it: where a refusal is

    def too_complex(limit: int) -> ReadError:
        if whole != ROW_TAG:
            return ReadError("strings_too_complex", file, limit=limit)
        return ReadError("sheet_too_complex", file, sheet, row=row, limit=limit)

    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            elements += 1
            if in_row:
                row_elements += 1
                if row_elements > limits.max_row_elements:
                    raise too_complex(limits.max_row_elements)
            elif element.tag == whole:
                in_row, row_elements = True, 0
                number = element.get("r", "")
                row = int(number) if number.isdigit() else (row or 0) + 1
            if elements > limits.max_elements:
                raise too_complex(limits.max_elements)
            path.append(element)
            continue
        path.pop()
        if in_row and element.tag != whole:
            continue
        in_row = False
        yield element
        element.clear()
        if path:
            del path[-1][-1]


def _shared_strings(source, file: str, limits: Limits) -> list[str]:
    """openpyxl's shared-string table, read within the caps: no more strings than cells a
    file may hold, and junk elements are not kept."""
    strings: list[str] = []
    for element in _bounded_tree(source, file, None, limits, whole=STRING_TAG):
        if element.tag == STRING_TAG:
            if len(strings) == limits.max_cells:
                raise ReadError("too_many_strings", file, limit=limits.max_cells)
            strings.append(Text.from_tree(element).content.replace("x005F_", ""))
    return strings


class _SheetParser(WorkSheetParser):
    """openpyxl's streaming sheet parser, noting cells that hold a formula but no cached value
    (a file saved by a program that never calculated): their value is unknown, so they are
    reported instead of read as blank. Merged ranges are read by the element's namespaced name,
    whatever prefix the file writes them with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formulas_without_values: list[tuple[int, str]] = []
        self.merged: list[str] = []

    def rows(self, file: str, sheet: str, limits: Limits):
        """(row number, cells) of each row element, in bounded memory (see _bounded_tree)."""
        for element in _bounded_tree(self.source, file, sheet, limits):
            if element.tag == ROW_TAG:
                yield self.parse_row(element)
            elif element.tag == MERGE_CELL_TAG and len(self.merged) < 1000:
                # Each merge in the data is a problem; a thousand say enough.
                self.merged.append(element.get("ref", ""))

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


def _read_error_in(error: BaseException | None) -> ReadError | None:
    """openpyxl wraps what its reading raises in ValueError; a cap's refusal is in the chain."""
    while error is not None:
        if isinstance(error, ReadError):
            return error
        error = error.__cause__ or error.__context__
    return None


def _read_xlsx(name: str, data: bytes, limits: Limits) -> list[RawSheet]:
    if not openpyxl.xml.DEFUSEDXML:
        raise ReadError("unsafe_xml_parser", name)
    archive = _check_zip(name, data, limits)
    archive.close()
    try:
        reader = _BookReader(name, data, limits)
        reader.read()
        book = reader.wb
    except Exception as error:  # openpyxl raises many types for broken or hostile XML
        refusal = _read_error_in(error)
        if refusal is not None:
            raise refusal from None
        key = "unsafe_xml" if _refused_by_defusedxml(error) else "corrupt_xlsx"
        raise ReadError(key, name) from None
    sheets = []
    cells = [0]  # cells read so far in this file, over all its sheets
    version = made_from.recorded_in_workbook(book)
    try:
        for worksheet in book.worksheets:
            sheet = _read_sheet(book, worksheet, name, limits, cells)
            sheet.hidden = worksheet.sheet_state != "visible"
            sheet.made_from = version
            sheets.append(sheet)
    except Exception as error:
        refusal = _read_error_in(error)
        if refusal is not None:
            raise refusal from None
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


def _read_sheet(book, worksheet, file: str, limits: Limits, cells_read: list[int]) -> RawSheet:
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
            worksheet._shared_strings,  # the workbook object's own list stays empty
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for count, (number, cells) in enumerate(parser.rows(file, title, limits), start=1):
            if count > limits.max_rows + HEADER_SEARCH:
                raise ReadError("too_many_rows", file, title, limit=limits.max_rows)
            cells_read[0] += len(cells)
            if cells_read[0] > limits.max_cells:
                raise ReadError("too_many_cells", file, title, row=number, limit=limits.max_cells)
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
            # Blank rows between rows with content stay (a blank row in the data is
            # reported).
            for gap in range(last_content + 1, number):
                records.append([])
                numbers.append(gap)
            records.append(row)
            numbers.append(number)
            last_content = number
        merged = parser.merged
        formulas = parser.formulas_without_values
    if not records:
        return RawSheet(file, title, [], [], [])
    sheet = sheet_from_records(records, file, title, numbers)
    sheet.merged = merged
    sheet.formulas = formulas
    _check_rows(sheet, limits)
    return sheet


def write_cell(worksheet, row: int, column: int, value: object) -> None:
    """Text that looks like a formula is written as neutralised text, never as a formula."""
    value = neutralise(value)
    cell = worksheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
