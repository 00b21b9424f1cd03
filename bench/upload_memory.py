"""Peak memory of the upload check for the worst files the caps admit (issue 9 item 1).

Each file is built here, written to disk, and checked (read + validate + diff against a fresh
seeded SQLite store) in a fresh process; the figure is that process's peak resident memory
(VmHWM), imports included, with its resident memory before the check. Target: < 1 GB.

    .venv/bin/python bench/upload_memory.py [file names, e.g. cells.xlsx, to run only those]
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.core.schema import TABLES, header  # noqa: E402
from lib.ingest.xlsx import DEFAULT_LIMITS  # noqa: E402

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROGRAM_HEADER = [header(f, "id") for f in TABLES["programs"].fields]  # as the Indonesian template


def workbook(sheet_xml: bytes, shared_xml: bytes | None = None, name: str = "program") -> bytes:
    """A minimal, valid .xlsx around one sheet (and a shared-string table)."""
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared_xml
            else ""
        )
        + "</Types>"
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    book = (
        f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if shared_xml
            else ""
        )
        + "</Relationships>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_xml:
            archive.writestr("xl/sharedStrings.xml", shared_xml)
    return out.getvalue()


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows) -> bytes:
    body = "".join(f"<row>{''.join(cells)}</row>" for cells in rows)
    head = f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>'
    return f"{head}{body}</sheetData></worksheet>".encode()


def dimension_bomb() -> bytes:
    """The issue's file: a few KB claiming A1:XFD1048576, with a cell in the last row."""
    header = "".join(_inline(h) for h in PROGRAM_HEADER)
    xml = (
        f'<?xml version="1.0"?><worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/>'
        f'<sheetData><row r="1">{header}</row><row r="1048576">{_inline("x")}</row>'
        "</sheetData></worksheet>"
    )
    return workbook(xml.encode())


def max_cells(limits=DEFAULT_LIMITS) -> bytes:
    """As many cells as the cap admits, every column the reader keeps, each a distinct text."""
    columns = limits.max_columns
    header = [_inline(h) for h in PROGRAM_HEADER] + [
        _inline(f"x{c}") for c in range(columns - len(PROGRAM_HEADER))
    ]

    def rows():
        yield header
        for r in range(limits.max_cells // columns - 1):
            yield [_inline(f"{r}.{c}") for c in range(columns)]

    return workbook(sheet(rows()))


def wrong_rows(r: int) -> list[str]:
    """A program row in which every cell is distinct and refused (codes, words, numbers)."""
    return [
        f"id {r} {'x' * 12}",
        f"99.{r % 100:02d}{r}",
        f"nama {r}\x01",
        f"dimensi {r}",
        f"jangka {r}",
        f"qw {r}",
        f"status {r}",
        f"opd {r}",
        f"{r}.{r}.{r}",
        f"tahun {r}",
        f"{r}x",
        f"sumber {r}",
        f"catatan {r}\x02",
    ]


def wrong_xlsx(limits=DEFAULT_LIMITS) -> bytes:
    """The row cap's worth of program rows, every cell distinct and wrong."""

    def rows():
        yield [_inline(h) for h in PROGRAM_HEADER]
        for r in range(limits.max_rows):
            yield [_inline(v.replace("\x01", "&#9;").replace("\x02", "")) for v in wrong_rows(r)]

    return workbook(sheet(rows()))


def wrong_csv(limits=DEFAULT_LIMITS) -> bytes:
    out = [";".join(PROGRAM_HEADER)]
    out += [";".join(wrong_rows(r)) for r in range(limits.max_rows)]
    return ("\n".join(out) + "\n").encode()


def valid_csv(limits=DEFAULT_LIMITS) -> bytes:
    """The largest valid file: the row cap's worth of distinct programs, read, checked and
    diffed against the store."""
    codes = ["33.23", "33.22", "34.04", "33.06", "33.74", "33.19", "33.20", "33.12", "33.13"]
    out = [";".join(PROGRAM_HEADER)]
    for r in range(limits.max_rows):
        out.append(
            f"V-{r:06d};{codes[r % 9]};Program contoh nomor {r};ekonomi;pendek;ya;rencana;"
            f"Dinas {r % 40};{(r % 500 + 1) * 1_000_000:,};2024;2026;sample;catatan {r}".replace(
                ",", "."
            )
        )
    return ("\n".join(out) + "\n").encode()


def shared_string_flood(limits=DEFAULT_LIMITS) -> bytes:
    """A shared-string table at the caps: as many texts as a file may hold cells, as long as
    the streamed-part cap allows. openpyxl keeps the table whole."""
    count = limits.max_cells
    width = (limits.max_part_bytes - 1_000_000) // count - len("<si><t></t></si>")
    strings = "".join(f"<si><t>{i:07d}{'x' * (width - 7)}</t></si>" for i in range(count))
    shared = f'<?xml version="1.0"?><sst xmlns="{NS}" count="{count}">{strings}</sst>'
    header = "".join(_inline(h) for h in PROGRAM_HEADER)
    return workbook(sheet([[header]]), shared.encode())


def junk_elements(limits=DEFAULT_LIMITS) -> bytes:
    """A sheet of elements the reader does not know, just under the element cap (every 20th
    with a random attribute, to pass the inflation-ratio cap)."""
    rng = random.Random(8)
    header = "".join(_inline(h) for h in PROGRAM_HEADER)
    plain = "<x/>" * 19
    junk = "".join(
        f'{plain}<x a="{rng.randrange(10**6)}"/>' for _ in range((limits.max_elements - 100) // 20)
    )
    xml = (
        f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData><row r="1">{header}</row>'
        f"</sheetData>{junk}</worksheet>"
    )
    return workbook(xml.encode())


def one_huge_cell(limits=DEFAULT_LIMITS) -> bytes:
    """One text cell as long as the streamed-part cap allows, varied enough to pass the
    inflation-ratio cap."""
    rng = random.Random(9)
    size = limits.max_part_bytes - 1_000_000
    text = "".join(rng.choice("abcdefghij") + "x" * 99 for _ in range(size // 100))
    header = "".join(_inline(h) for h in PROGRAM_HEADER)
    xml = (
        f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData><row r="1">{header}</row>'
        f'<row r="2">{_inline(text)}</row></sheetData></worksheet>'
    )
    return workbook(xml.encode())


def csv_max_cells(limits=DEFAULT_LIMITS) -> bytes:
    """A CSV as large as the byte cap allows: the most, shortest, distinct cells."""
    out = [";".join(PROGRAM_HEADER)]
    size = len(out[0])
    r = 0
    while size < limits.max_bytes - 400 and r < limits.max_rows:
        line = ";".join(f"{(r * 64 + c) % 997:x}" for c in range(64))
        out.append(line)
        size += len(line) + 1
        r += 1
    return ("\n".join(out) + "\n").encode()


def csv_blank_lines(limits=DEFAULT_LIMITS) -> bytes:
    return (";".join(PROGRAM_HEADER) + "\n").encode() + b"\n" * (limits.max_bytes - 1000)


CHECK = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from lib.storage import store
from lib.ingest.dataset import ensure_seeded
from lib.ingest.upload import inspect_upload

def peak():
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024

engine = store.make_engine({url!r})
ensure_seeded(engine, Path({root!r}) / "data")
payload = Path({path!r}).read_bytes()
before = peak()
start, cpu = time.perf_counter(), time.process_time()
preview = inspect_upload(engine, [({name!r}, payload)])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
first = preview.problems[0] if preview.problems else None
print(json.dumps({{"before_mb": round(before, 1), "peak_mb": round(peak(), 1),
                  "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                  "problems": len(preview.problems),
                  "first": [first.key, first.sheet, first.row, first.column] if first else None}}))
"""


def measure(name: str, data: bytes) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        code = CHECK.format(root=str(ROOT), url=f"sqlite:///{tmp}/m.db", path=str(path), name=name)
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
    return {"bytes": len(data), **json.loads(out.stdout.strip().splitlines()[-1])}


def main() -> dict:
    files = {
        "dimension A1:XFD1048576 + last row (xlsx)": ("bomb.xlsx", dimension_bomb),
        "1,500,000 distinct cells in 64 columns (xlsx)": ("cells.xlsx", max_cells),
        "100,000 rows x 13 columns, distinct cells, most refused (xlsx)": (
            "wrong.xlsx",
            wrong_xlsx,
        ),
        "100,000 rows x 13 columns, distinct cells, most refused (csv)": ("wrong.csv", wrong_csv),
        "100,000 valid distinct rows (csv)": ("valid.csv", valid_csv),
        "1,500,000 shared strings filling the 128 MB part cap (xlsx)": (
            "strings.xlsx",
            shared_string_flood,
        ),
        "6,000,000 unknown XML elements in a sheet (xlsx)": ("junk.xlsx", junk_elements),
        "one 127 MB text cell (xlsx)": ("huge_cell.xlsx", one_huge_cell),
        "20 MB of short distinct cells (csv)": ("cells.csv", csv_max_cells),
        "20 MB of blank lines (csv)": ("blank.csv", csv_blank_lines),
    }
    chosen = sys.argv[1:]
    results = {}
    for label, (name, build) in files.items():
        if chosen and name not in chosen:
            continue
        data = build()
        if len(data) > DEFAULT_LIMITS.max_bytes:
            results[label] = {"bytes": len(data), "refused": "over the byte cap"}
            continue
        results[label] = measure(name, data)
        print(label, results[label], flush=True)
    return results


if __name__ == "__main__":
    figures = main()
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "upload_memory.json").write_text(json.dumps(figures, indent=2))
