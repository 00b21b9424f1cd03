"""Read spreadsheet files into raw cells, keeping every value as the user wrote it.

Nothing is inferred here (pandas would turn "33.20" into 33.2): typing is the validator's job.
Row numbers are the ones the user sees in Excel, so messages can point at them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from lib.parse import is_blank

DELIMITERS = ";,\t|"


class ReadError(ValueError):
    """The file cannot be read at all; key names the reason for the translated message."""

    def __init__(self, key: str, file: str, sheet: str | None = None, **params):
        super().__init__(f"{key}: {file}")
        self.key = key
        self.file = file
        self.sheet = sheet
        self.params = params


@dataclass
class RawSheet:
    file: str
    sheet: str | None
    headers: list[object]
    rows: list[list[object]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 1
    merged: list[str] = field(default_factory=list)  # merged ranges, e.g. "B3:C3"
    formulas: list[tuple[int, str]] = field(default_factory=list)  # (row, column) without value


def decode_text(data: bytes, file: str) -> str:
    head = data[:4096]
    # A binary file is full of NULs; a stray NUL in a text cell is reported on its cell instead.
    if head.count(b"\x00") > len(head) // 20 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("not_text", file)
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ():
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter is the one that splits the header most; a header never holds prose."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_bytes(data: bytes, file: str) -> RawSheet:
    if not data.strip():
        raise ReadError("empty_file", file)
    text = decode_text(data, file)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    records = list(reader)
    return sheet_from_records(records, file, None, list(range(1, len(records) + 1)))


def read_csv_path(path: Path) -> RawSheet:
    return read_csv_bytes(Path(path).read_bytes(), Path(path).name)


def sheet_from_records(
    records: list[list[object]], file: str, sheet: str | None, numbers: list[int]
) -> RawSheet:
    # Leading blank rows are skipped: the header is the first row with content.
    start = next((i for i, r in enumerate(records) if not all(is_blank(c) for c in r)), None)
    if start is None:
        raise ReadError("empty_file", file, sheet)
    headers = list(records[start])
    while headers and is_blank(headers[-1]):
        headers.pop()
    body = records[start + 1 :]
    body_numbers = numbers[start + 1 :]
    # Trailing blank rows are what Excel leaves behind; they are not data.
    while body and all(is_blank(c) for c in body[-1]):
        body.pop()
        body_numbers.pop()
    width = len(headers)
    rows = [list(r[:width]) + [None] * (width - len(r[:width])) for r in body]
    extra = [r for r in body if any(not is_blank(c) for c in r[width:])]
    if extra and not headers:
        raise ReadError("no_header", file, sheet)
    return RawSheet(file, sheet, headers, rows, body_numbers, header_row=numbers[start])
