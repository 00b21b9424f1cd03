"""Memory of the check is bounded by what a file holds, never by what it claims (issue 9 item 1).

Each file is checked in a fresh process (read + validate + diff against a real seeded store),
and that process's peak resident memory (VmHWM from /proc) is compared with the 1 GB bound.
The worst files the caps admit are measured by bench/upload_memory.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT
from tests.test_upload import SHEET1, patch_xlsx, valid_xlsx

GB = 1024**3
HUGE = '<dimension ref="A1:XFD1048576"/>'


def claiming(rows_xml: str) -> bytes:
    def change(xml: str) -> str:
        xml = xml.replace('<dimension ref="A1:E2"/>', HUGE)
        return xml.replace("</sheetData>", rows_xml + "</sheetData>")

    return patch_xlsx(valid_xlsx(), SHEET1, change)


def far_cells(rows: int) -> str:
    return "".join(
        f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(3, 3 + rows)
    )


def empty_rows(count: int) -> str:
    return "".join(f'<row r="{r}"/>' for r in range(3, 3 + count))


def styled_blank_cells(rows: int) -> str:
    """Rows of empty formatted cells across every column, as formatting a whole sheet leaves."""
    cells = "".join(f'<c r="{c}{{r}}" s="0"/>' for c in ("A", "XFD"))
    return "".join(
        f'<row r="{r}" spans="1:16384">{cells.format(r=r)}</row>' for r in range(3, 3 + rows)
    )


CASES = {
    "claims A1:XFD1048576, holds 2 rows": (claiming(""), []),
    "claims the sheet, one cell in the last row": (
        claiming('<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'),
        ["row_beyond_limit"],
    ),
    "a cell in column XFD of 20,000 rows": (claiming(far_cells(20_000)), ["column_beyond_limit"]),
    "200,000 empty row elements": (claiming(empty_rows(200_000)), ["too_many_rows"]),
    "20,000 rows of formatted blank cells to XFD": (claiming(styled_blank_cells(20_000)), []),
}

CHECK = """
import sys, json
from pathlib import Path
sys.path.insert(0, {root!r})
from lib.storage import store
from lib.ingest.upload import inspect_upload
engine = store.make_engine({url!r})
preview = inspect_upload(engine, [("f.xlsx", Path({path!r}).read_bytes())])
status = Path("/proc/self/status").read_text()
peak = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmHWM:"))
print(json.dumps({{"peak_kb": peak, "keys": [p.key for p in preview.problems]}}))
"""


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_memory_of_the_check_follows_the_cells_not_the_claim(seeded_engine, tmp_path, case):
    data, keys = CASES[case]
    assert len(data) < 20 * 1024 * 1024  # within the upload cap
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    code = CHECK.format(root=str(PROJECT), url=str(seeded_engine.url), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["keys"][:1] == keys  # refused where the first far cell is, or accepted
    assert result["peak_kb"] * 1024 < GB, f"{result['peak_kb'] / 1024:.0f} MB"
