"""Peak memory of the upload check for the worst files the caps admit (issue 9 item 1).

Each file is built here, written to disk, and checked (read + validate + diff against a fresh
seeded SQLite store) in a fresh process; the figure is that process's peak resident memory
(VmHWM), imports included, with its resident memory before the check. Target: < 1 GB.

    .venv/bin/python bench/upload_memory.py
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.xlsx import DEFAULT_LIMITS  # noqa: E402

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROGRAM_HEADER = [
    "id_program",
    "kode_wilayah",
    "nama_program",
    "dimensi",
    "jangka",
    "quick_win",
    "status",
    "opd_pengampu",
    "anggaran_idr",
    "tahun_mulai",
    "tahun_selesai",
    "sumber",
    "catatan",
]


def workbook(sheet_xml: bytes, shared_xml: bytes | None = None) -> bytes:
    """A minimal, valid .xlsx around one sheet called 'program' (and a shared-string table)."""
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
        '<sheet name="program" sheetId="1" r:id="rId1"/></sheets></workbook>'
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
    """Every row the cap admits, every column the reader keeps, every cell a distinct text."""
    columns = limits.max_columns
    header = [_inline(h) for h in PROGRAM_HEADER] + [
        _inline(f"x{c}") for c in range(columns - len(PROGRAM_HEADER))
    ]

    def rows():
        yield header
        for r in range(limits.max_rows):
            yield [_inline(f"{r}.{c}") for c in range(columns)]

    return workbook(sheet(rows()))


def shared_string_flood(limits=DEFAULT_LIMITS) -> bytes:
    """A shared-string table as large as the inflation caps allow: openpyxl reads it whole."""
    budget = min(limits.max_uncompressed, limits.max_bytes * limits.max_ratio) - 1_000_000
    count = int(budget // len("<si><t>1234567</t></si>"))
    strings = "".join(f"<si><t>{i:07d}</t></si>" for i in range(count))
    shared = f'<?xml version="1.0"?><sst xmlns="{NS}" count="{count}">{strings}</sst>'
    header = "".join(_inline(h) for h in PROGRAM_HEADER)
    return workbook(sheet([[header]]), shared.encode())


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


CHECK = """
import json, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from lib import store
from lib.dataset import ensure_seeded
from lib.upload import inspect_upload

def peak():
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024

engine = store.make_engine({url!r})
ensure_seeded(engine, Path({root!r}) / "data")
payload = Path({path!r}).read_bytes()
before = peak()
preview = inspect_upload(engine, [({name!r}, payload)])
print(json.dumps({{"before_mb": round(before, 1), "peak_mb": round(peak(), 1),
                  "problems": len(preview.problems),
                  "first": preview.problems[0].key if preview.problems else None}}))
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
        "100,000 rows x 64 distinct cells (xlsx)": ("cells.xlsx", max_cells),
        "shared-string table at the inflation cap (xlsx)": ("strings.xlsx", shared_string_flood),
        "20 MB of short distinct cells (csv)": ("cells.csv", csv_max_cells),
    }
    results = {}
    for label, (name, build) in files.items():
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
