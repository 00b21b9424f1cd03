"""Read spreadsheet files into raw cells, keeping every value as the user wrote it.

Nothing is inferred here (pandas would turn "33.20" into 33.2): typing is the validator's job.
Row numbers are the ones the user sees in Excel, so messages can point at them.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lib.core.parse import is_blank
from lib.core.schema import TABLES, normalise_token

DELIMITERS = ";,\t|"
HEADER_SEARCH = 10  # a report title or notes above the header: rows looked at for the header
MAX_CELL_CHARS = 32_767  # what an Excel cell holds; longer text is no cell a person wrote
MAX_COLUMNS = 64


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
    hidden: bool = False
    first_row: int = 1  # the first row with content: above the header when a title is there
    made_from: int | None = None  # the data version our template or export was made from


# Lead bytes of UTF-8 sequences with their continuation bytes: text holding these is UTF-8.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _row_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252 as Excel writes CSV on
    Indonesian Windows. A file that is UTF-8 with a broken byte, or that is not plausibly
    Windows-1252, is refused at the row of the first bad byte: mojibake is never read."""
    head = data[:4096]
    # A binary file is full of NULs; a stray NUL in a text cell is reported on its cell instead.
    if head.count(b"\x00") > len(head) // 20 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("not_text", file)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ReadError("bad_encoding", file, row=None, position=error.start) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_bad = error.start
    if UTF8_SEQUENCE.search(data):
        raise ReadError("bad_encoding", file, row=_row_of(data, first_bad))
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:  # bytes Windows-1252 leaves undefined
        raise ReadError("bad_encoding", file, row=_row_of(data, error.start)) from None


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA: the column as a spreadsheet shows it."""
    # Not openpyxl's get_column_letter: a CSV row has no last column and it raises past ZZZ.
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _delimiter(text: str) -> str:
    """The delimiter under which a row of the first ones names most columns; a title line
    above the header splits under none. Without any column names: the first line decides."""
    head = itertools.islice(io.StringIO(text), HEADER_SEARCH + 1)  # not a list of every line
    lines = [line for line in head if line.strip()]
    best, best_score = None, 1
    for delimiter in DELIMITERS:
        score = max(header_score(line.split(delimiter), None) for line in lines)
        if score > best_score:
            best, best_score = delimiter, score
    return best or sniff_delimiter(lines[0] if lines else "")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter is the one that splits the header most; a header never holds prose."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_bytes(
    data: bytes, file: str, max_rows: int | None = None, max_cells: int | None = None
) -> RawSheet:
    """Raw rows of a CSV; past max_rows lines (the header search included) or max_cells
    fields the file is refused at the line where the cap is passed, before reading on."""
    if not data.strip():
        raise ReadError("empty_file", file)
    text = decode_text(data, file)
    delimiter = _delimiter(text)
    # The csv module stops at 128 KB a field with a bare error; the cap here says which cell.
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    max_records = (max_rows or len(data)) + HEADER_SEARCH
    max_cells = max_cells or len(data) + 1
    records = _records_at_once(text, delimiter, max_records, max_cells)
    if records is not None:
        return sheet_from_records(records, file, None, list(range(1, len(records) + 1)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    cells = 0
    try:
        for record in reader:
            row = len(records) + 1
            cells += len(record)
            if row > max_records:
                raise ReadError("too_many_rows", file, limit=max_rows)
            if cells > max_cells:
                raise ReadError("too_many_cells", file, row=row, limit=max_cells)
            if record and max(map(len, record)) > MAX_CELL_CHARS:
                column = next(i for i, c in enumerate(record) if len(c) > MAX_CELL_CHARS)
                raise ReadError(
                    "cell_too_long",
                    file,
                    row=row,
                    column=column_letter(column + 1),
                    limit=MAX_CELL_CHARS,
                )
            if len(record) > MAX_COLUMNS and any(not is_blank(c) for c in record[MAX_COLUMNS:]):
                last = max(i for i, c in enumerate(record) if not is_blank(c))
                raise ReadError(
                    "column_beyond_limit",
                    file,
                    row=row,
                    column=column_letter(last + 1),
                    limit=column_letter(MAX_COLUMNS),
                )
            records.append(record[:MAX_COLUMNS])
    except csv.Error as error:
        # The csv module's own cap (128 KB a field) or a broken quote: said where it happened.
        key = "cell_too_long" if "field larger" in str(error) else "csv_broken"
        raise ReadError(key, file, row=len(records) + 1, limit=MAX_CELL_CHARS) from None
    return sheet_from_records(records, file, None, list(range(1, len(records) + 1)))


OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _records_at_once(
    text: str, delimiter: str, max_records: int, max_cells: int
) -> list[list[str]] | None:
    """Every record in one pass when counts taken in C prove the row and cell caps hold (a
    record ends at a line break, a field at a delimiter) and no cell is over-long or beyond
    the last column read. None sends the file through the row-by-row reader, which says
    where the problem is."""
    breaks = text.count("\n") + text.count("\r")
    if breaks + 1 > max_records or text.count(delimiter) + breaks + 1 > max_cells:
        return None
    # One object per distinct text: codes, words, years and amounts repeat down a column, so a
    # 50,000-row file holds a fraction of its 650,000 cells as objects (bench/upload_50k.py).
    same: dict[str, str] = {}
    # Lines as a list of str, not a StringIO (four bytes a character): the same lines when the
    # text holds no line break beyond \r and \n (str.splitlines knows eight more).
    lines = (
        io.StringIO(text, newline="")
        if OTHER_LINE_BREAKS.search(text)
        else text.splitlines(keepends=True)
    )
    try:
        records = [
            list(map(same.setdefault, record, record))
            for record in csv.reader(lines, delimiter=delimiter)
        ]
    except csv.Error:
        return None
    if max(map(len, records), default=0) > MAX_COLUMNS:
        return None
    if max(map(len, itertools.chain.from_iterable(records)), default=0) > MAX_CELL_CHARS:
        return None
    return records


def read_csv_path(path: Path) -> RawSheet:
    return read_csv_bytes(Path(path).read_bytes(), Path(path).name)


def _tables_for(sheet: str | None) -> list:
    """The table a sheet is named after; every table for a CSV or an unknown sheet name."""
    tables = list(TABLES.values())
    if sheet is None:
        return tables
    token = normalise_token(sheet)
    named = [t for t in tables if token in t.spellings()]
    return named or tables


def header_score(cells: list[object], sheet: str | None) -> int:
    """How many columns of the sheet's table (any table for a CSV) a row names."""
    tokens = {normalise_token(c) for c in cells if isinstance(c, str) and c.strip()}
    if not tokens:
        return 0
    scores = []
    for table in _tables_for(sheet):
        lookup = table.header_lookup()
        scores.append(len({lookup[token] for token in tokens if token in lookup}))
    return max(scores)


def find_header(records: list[list[object]], sheet: str | None) -> int | None:
    """Index of the header among the first rows with content: the first row unless a row
    below it names clearly more columns (a report title or notes sit above the header).
    None when no row names two columns (the first row is then taken, as before)."""
    candidates = []
    for i, record in enumerate(records):
        if len(candidates) == HEADER_SEARCH:
            break
        if not all(is_blank(c) for c in record):
            candidates.append(i)
    scores = [(header_score(records[i], sheet), i) for i in candidates]
    if not scores:
        return None
    best = max(s for s, _ in scores)
    if best < 2:
        return None
    return next(i for s, i in scores if s == best)


def sheet_from_records(
    records: list[list[object]], file: str, sheet: str | None, numbers: list[int]
) -> RawSheet:
    # Leading blank rows are skipped: the header is the first row with content, or the row
    # below it that names the columns when a title sits above.
    first = next((i for i, r in enumerate(records) if not all(is_blank(c) for c in r)), None)
    if first is None:
        raise ReadError("empty_file", file, sheet)
    found = find_header(records, sheet)
    start = first if found is None else found
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
    # Rows of the header's width (a CSV's usually are already: those are not copied).
    rows = [
        r if len(r) == width else list(r[:width]) + [None] * (width - len(r[:width])) for r in body
    ]
    extra = [r for r in body if any(not is_blank(c) for c in r[width:])]
    if extra and not headers:
        raise ReadError("no_header", file, sheet)
    return RawSheet(
        file,
        sheet,
        headers,
        rows,
        body_numbers,
        header_row=numbers[start],
        first_row=numbers[first],
    )
