"""Upload benchmark (issue 3): validate + diff + apply of a 50,000-row programs file.

For CSV and XLSX: median of 3 of the whole pipeline (inspect_upload + apply_upload into a
fresh seeded SQLite store), its peak Python memory (tracemalloc, in a separate run) and the
process's peak RSS, and
the ratio to only reading the same file with the fastest reader here (pandas + pyarrow for CSV,
openpyxl read-only values for XLSX). Target: total <= 2x read, <= 300 MB peak.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from lib import store  # noqa: E402
from lib.accounts import operator  # noqa: E402
from lib.dataset import ensure_seeded  # noqa: E402
from lib.upload import apply_upload, inspect_upload  # noqa: E402
from lib.xlsx import Limits  # noqa: E402

ROWS = 50_000
RUNS = 3
CODES = ["33.23", "33.22", "34.04", "33.06", "33.74", "33.19", "33.20", "33.12", "33.13"]
HEADER = [
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


def rows() -> list[list]:
    rng = random.Random(50)
    dims = ["tata kelola", "branding", "ekonomi", "kehidupan", "masyarakat", "lingkungan"]
    out = []
    for i in range(ROWS):
        start = rng.randint(2022, 2026)
        out.append(
            [
                f"B-{i:06d}",
                CODES[i % 9],
                f"Program contoh nomor {i}",
                rng.choice(dims),
                rng.choice(["pendek", "menengah", "panjang"]),
                rng.choice(["ya", "tidak"]),
                rng.choice(["rencana", "berjalan", "selesai"]),
                f"Dinas {rng.randint(1, 40)}",
                f"{rng.randint(1, 500) * 1_000_000:,}".replace(",", "."),
                start,
                start + rng.randint(0, 9),
                "sample",
                "",
            ]
        )
    return out


def csv_bytes(data: list[list]) -> bytes:
    lines = [";".join(HEADER)] + [";".join(map(str, r)) for r in data]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(data: list[list]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("program")
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_only(name: str, data: bytes) -> None:
    if name.endswith(".csv"):
        pd.read_csv(io.BytesIO(data), sep=";", dtype=str, engine="pyarrow")
    else:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()


def pipeline(name: str, data: bytes, trace_memory: bool = False) -> dict:
    """One full run into a fresh seeded store. Memory is traced only when asked: tracemalloc
    slows allocation-heavy code several-fold, so timed runs go without it."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(f"sqlite:///{tmp}/bench.db")
        ensure_seeded(engine, ROOT / "data")
        if trace_memory:
            tracemalloc.start()
        start = time.perf_counter()
        preview = inspect_upload(engine, [(name, data)], limits=Limits(max_rows=ROWS))
        checked = time.perf_counter()
        assert preview.ok, preview.problems[:3]
        version = apply_upload(engine, preview, operator("bench"), confirm_removals=True)
        done = time.perf_counter()
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        tracemalloc.stop()
        assert version == 2
        engine.dispose()
    return {
        "inspect_s": checked - start,
        "apply_s": done - checked,
        "total_s": done - start,
        "peak_python_mb": peak / 2**20,
    }


def median_of(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 3)


def main() -> dict:
    data = rows()
    results = {}
    for name, payload in (("programs.csv", csv_bytes(data)), ("programs.xlsx", xlsx_bytes(data))):
        reads = []
        for _ in range(RUNS):
            start = time.perf_counter()
            read_only(name, payload)
            reads.append(time.perf_counter() - start)
        runs = [pipeline(name, payload) for _ in range(RUNS)]
        memory = pipeline(name, payload, trace_memory=True)["peak_python_mb"]
        read = statistics.median(reads)
        results[name] = {
            "bytes": len(payload),
            "read_only_s": round(read, 3),
            "inspect_s": median_of(runs, "inspect_s"),
            "apply_s": median_of(runs, "apply_s"),
            "total_s": median_of(runs, "total_s"),
            "ratio_total_to_read": round(median_of(runs, "total_s") / read, 2),
            "peak_python_mb": round(memory, 1),
            **rss_in_subprocess(name, payload),
        }
    return results


def peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def rss_in_subprocess(name: str, payload: bytes) -> dict:
    """Peak RSS of a fresh process that imports the app, reads the prepared file from disk and
    runs the pipeline once; with its RSS just before the upload, to show what the upload adds."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(payload)
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec from this big parent.
        code = (
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); import bench.upload_50k as b; "
            f"from pathlib import Path; payload = Path({str(path)!r}).read_bytes(); "
            f"before = b.peak_rss_kb(); b.pipeline({name!r}, payload); "
            "print(before, b.peak_rss_kb())"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    before, after = (int(v) / 1024 for v in out[-2:])
    return {"rss_before_upload_mb": round(before, 1), "rss_peak_mb": round(after, 1)}


if __name__ == "__main__":
    figures = main()
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "upload_50k.json").write_text(json.dumps(figures, indent=2))
