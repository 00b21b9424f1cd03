"""Upload benchmark (issue 3): validate + diff + apply of a 50,000-row programs file.

For CSV and XLSX: median of 3 of the whole pipeline (inspect_upload + apply_upload into a
fresh seeded SQLite store), its peak Python memory (tracemalloc, in a separate run) and the
process's peak RSS, and
the ratio to only reading the same file with the fastest reader here (pandas + pyarrow for CSV,
openpyxl read-only values for XLSX). Target: total <= 2x read, <= 300 MB peak.

Before and after, side by side in one run: `--before REF` checks out REF's lib/ into a
temporary directory and alternates fresh processes of the two trees, run by run, so both
sides see the same machine load; each figure is the median of the runs.

    .venv/bin/python bench/upload_50k.py                      # this tree only
    .venv/bin/python bench/upload_50k.py --before c369943     # side by side, CSV and XLSX
    .venv/bin/python bench/upload_50k.py --before c369943 --only csv --runs 7
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

from lib.core.schema import TABLES, header  # noqa: E402
from lib.ingest.dataset import ensure_seeded  # noqa: E402
from lib.ingest.upload import apply_upload, inspect_upload  # noqa: E402
from lib.ingest.xlsx import Limits  # noqa: E402
from lib.storage import store  # noqa: E402
from lib.storage.accounts import operator  # noqa: E402

ROWS = 50_000
RUNS = 3
CODES = ["33.23", "33.22", "34.04", "33.06", "33.74", "33.19", "33.20", "33.12", "33.13"]
HEADER = [header(f, "id") for f in TABLES["programs"].fields]  # as the Indonesian template


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
        seeded_peak_kb = peak_rss_kb()
        # The peak from here on is the upload's: seeding the store (boundaries included) has
        # a peak of its own that is no part of an upload. Linux resets VmHWM on "5".
        Path("/proc/self/clear_refs").write_text("5")
        at_upload_kb = peak_rss_kb()
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
        "rss_seeded_peak_mb": seeded_peak_kb / 1024,
        "rss_at_upload_mb": at_upload_kb / 1024,
        "rss_upload_peak_mb": peak_rss_kb() / 1024,
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
            f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); import bench.upload_50k as b; "
            f"from pathlib import Path; payload = Path({str(path)!r}).read_bytes(); "
            f"before = b.peak_rss_kb(); run = b.pipeline({name!r}, payload); "
            "print(json.dumps({**run, 'imported': before / 1024}))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    run = json.loads(out.strip().splitlines()[-1])
    return {
        "rss_imported_peak_mb": round(run["imported"], 1),
        "rss_seeding_peak_mb": round(run["rss_seeded_peak_mb"], 1),
        "rss_at_upload_mb": round(run["rss_at_upload_mb"], 1),
        "rss_upload_peak_mb": round(run["rss_upload_peak_mb"], 1),
    }


ONE_RUN = """
import importlib.util, json, sys, time
sys.path.insert(0, {tree!r})
import lib.ingest.upload, lib.ingest.xlsx  # this tree's lib, before the bench module adds its own
spec = importlib.util.spec_from_file_location("bench_upload_50k", {bench!r})
b = importlib.util.module_from_spec(spec)
spec.loader.exec_module(b)
name = {name!r}
payload = open({path!r}, "rb").read()  # prepared once by the parent: memory here is the app's
before = b.peak_rss_kb()
run = b.pipeline(name, payload)
peak = b.peak_rss_kb()
start = time.perf_counter()  # after the peak is taken: pyarrow's pool would count otherwise
b.read_only(name, payload)
read = time.perf_counter() - start
print(json.dumps({{**run, "read_only_s": read, "rss_before_upload_mb": before / 1024,
                  "rss_peak_mb": peak / 1024, "lib": lib.ingest.upload.__file__}}))
"""


def side_by_side(before_ref: str, names: list[str]) -> dict:
    """Median of RUNS fresh processes per tree, the trees alternating run by run."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", before_ref, "lib"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        trees = {f"before ({before_ref})": tmp, "after (this tree)": str(ROOT)}
        data = rows()
        paths = {}
        for name in names:
            paths[name] = Path(tmp) / name
            paths[name].write_bytes(csv_bytes(data) if name.endswith(".csv") else xlsx_bytes(data))
        runs: dict = {(side, name): [] for side in trees for name in names}
        for _ in range(RUNS):
            for name in names:
                for side, tree in trees.items():
                    code = ONE_RUN.format(
                        tree=tree, bench=__file__, name=name, path=str(paths[name])
                    )
                    out = subprocess.run(
                        [sys.executable, "-c", code], capture_output=True, text=True, check=True
                    ).stdout
                    runs[(side, name)].append(json.loads(out.strip().splitlines()[-1]))
                    assert runs[(side, name)][-1]["lib"].startswith(tree)
    results = {}
    for (side, name), measured in runs.items():
        # One read figure for both trees (the read does not use the app): the median of all.
        read = statistics.median(
            r["read_only_s"] for (_, other), rs in runs.items() if other == name for r in rs
        )
        total = median_of(measured, "total_s")
        results.setdefault(name, {})[side] = {
            "read_only_s": round(read, 3),
            "inspect_s": median_of(measured, "inspect_s"),
            "apply_s": median_of(measured, "apply_s"),
            "total_s": total,
            "ratio_total_to_read": round(total / read, 1),
            "rss_imported_peak_mb": round(median_of(measured, "rss_before_upload_mb"), 1),
            "rss_seeding_peak_mb": round(median_of(measured, "rss_seeded_peak_mb"), 1),
            "rss_at_upload_mb": round(median_of(measured, "rss_at_upload_mb"), 1),
            "rss_upload_peak_mb": round(median_of(measured, "rss_upload_peak_mb"), 1),
        }
    return results


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="git ref whose lib/ is measured beside this tree's")
    parser.add_argument("--only", choices=["csv", "xlsx"])
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per tree (median)")
    args = parser.parse_args()
    RUNS = args.runs
    if args.before:
        chosen = [n for n in ("programs.csv", "programs.xlsx") if n.endswith(args.only or "")]
        figures = side_by_side(args.before, chosen)
        target = "upload_50k_side_by_side.json"
    else:
        figures = main()
        target = "upload_50k.json"
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / target).write_text(json.dumps(figures, indent=2))
