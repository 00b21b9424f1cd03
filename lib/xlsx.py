"""Reading untrusted spreadsheets safely, and writing ones that open cleanly in Excel.

Uploads are untrusted: sizes and inflation are checked from the zip directory before any XML is
parsed (a zip member cannot inflate past its declared size: zipfile stops and fails the CRC),
macro workbooks and encrypted/legacy files are refused, and openpyxl parses XML through
defusedxml (entity bombs raise instead of expanding).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import openpyxl
import openpyxl.xml

from lib.export import neutralise
from lib.reader import RawSheet, ReadError, read_csv_bytes, sheet_from_records

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and password-protected .xlsx


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_members: int = 500
    max_uncompressed: int = 300 * 1024 * 1024
    max_ratio: float = 150.0


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


SHEET_PATH = re.compile(rb'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"')
MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _sheet_xml(archive: zipfile.ZipFile) -> dict[str, bytes]:
    """Sheet name -> its XML, to look for merged cells and formulas without opening openpyxl."""
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = dict(re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    out = {}
    for sheet_name, rel_id in SHEET_PATH.findall(archive.read("xl/workbook.xml")):
        target = targets.get(rel_id, b"").decode()
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if path in archive.namelist():
            out[_unescape(sheet_name.decode("utf-8", "replace"))] = archive.read(path)
    return out


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _read_xlsx(name: str, data: bytes, limits: Limits) -> list[RawSheet]:
    if not openpyxl.xml.DEFUSEDXML:
        raise ReadError("unsafe_xml_parser", name)
    archive = _check_zip(name, data, limits)
    try:
        xml_by_sheet = _sheet_xml(archive)
    except (KeyError, zipfile.BadZipFile, OSError):
        raise ReadError("corrupt_xlsx", name) from None
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken or hostile XML
        key = "unsafe_xml" if _refused_by_defusedxml(error) else "corrupt_xlsx"
        raise ReadError(key, name) from None
    formulas_without_values = _formula_cells_without_values(data, xml_by_sheet)
    sheets = []
    try:
        for worksheet in values.worksheets:
            sheet = _read_sheet(worksheet, name, limits)
            xml = xml_by_sheet.get(worksheet.title, b"")
            sheet.merged = [_cell_range(m) for m in MERGE.findall(xml)]
            sheet.formulas = formulas_without_values.get(worksheet.title, [])
            sheets.append(sheet)
    except ReadError:
        raise
    except Exception:
        raise ReadError("corrupt_xlsx", name) from None
    finally:
        values.close()
    return sheets


def _refused_by_defusedxml(error: BaseException | None) -> bool:
    """openpyxl wraps parser errors in ValueError; defusedxml's *Forbidden sits in the chain."""
    while error is not None:
        if type(error).__name__.endswith("Forbidden"):
            return True
        error = error.__cause__ or error.__context__
    return False


def _cell_range(match: tuple[bytes, ...]) -> str:
    first_col, first_row, last_col, last_row = (m.decode() for m in match)
    return f"{first_col}{first_row}:{last_col}{last_row}" if last_col else f"{first_col}{first_row}"


def _formula_cells_without_values(data: bytes, xml_by_sheet: dict[str, bytes]) -> dict:
    """Cells holding a formula but no cached value (a file saved by a program that never
    calculated): their value is unknown, so they are reported instead of read as blank."""
    if not any(b"<f>" in x or b"<f " in x for x in xml_by_sheet.values()):
        return {}
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    cached = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    found: dict[str, list[tuple[int, str]]] = {}
    try:
        for ws_f, ws_v in zip(formulas.worksheets, cached.worksheets, strict=True):
            for row_f, row_v in zip(ws_f.iter_rows(), ws_v.iter_rows(), strict=False):
                for cell_f, cell_v in zip(row_f, row_v, strict=False):
                    if getattr(cell_f, "data_type", None) == "f" and cell_v.value is None:
                        found.setdefault(ws_f.title, []).append((cell_f.row, cell_f.column_letter))
    finally:
        formulas.close()
        cached.close()
    return found


def _read_sheet(worksheet, file: str, limits: Limits) -> RawSheet:
    records: list[list[object]] = []
    numbers: list[int] = []
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if len(records) > limits.max_rows + 1:
            raise ReadError("too_many_rows", file, worksheet.title, limit=limits.max_rows)
        records.append(list(row))
        numbers.append(number)
    if not records:
        return RawSheet(file, worksheet.title, [], [], [])
    try:
        sheet = sheet_from_records(records, file, worksheet.title, numbers)
    except ReadError as error:
        if error.key == "empty_file":
            return RawSheet(file, worksheet.title, [], [], [])
        raise
    _check_rows(sheet, limits)
    return sheet


def write_cell(worksheet, row: int, column: int, value: object) -> None:
    """Text that looks like a formula is written as neutralised text, never as a formula."""
    value = neutralise(value)
    cell = worksheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
