"""Briefing benchmark (issue 14): not a test; run `make bench` or this file directly.

Seconds to make (figures + layout + PDF bytes, fonts subset and embedded):
1. one region's A4 briefing (Jepara, the fullest shipped page) and its share PNG;
2. the ministry pack of the nine shipped regions (summary + 9 pages);
3. the pack of 514 generated regions (the shipped nine copied under new codes and names,
   their stages and programs with them), the national scale the design card names.
Medians of RUNS timed runs after one warm-up; the 514 pack once (it takes long enough).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.briefing.export import pack_file, region_file  # noqa: E402
from lib.ingest.dataset import Dataset, load_shipped  # noqa: E402

RUNS = 5
REFERENCE = dt.date(2021, 11, 15)


def synthetic_dataset(count: int) -> Dataset:
    """`count` regions made from the shipped nine: same stages and programs, new codes/names."""
    frames, problems = load_shipped(ROOT / "data")
    assert not problems, problems
    regions, stages, programs = frames["regions"], frames["stages"], frames["programs"]
    picks = [index % len(regions) for index in range(count)]
    mapping = pd.DataFrame(
        {
            "region_code": regions["region_code"].iloc[picks].to_numpy(),
            "new_code": [f"{11 + i // 99:02d}.{i % 99 + 1:02d}" for i in range(count)],
            "copy": [str(i) for i in range(count)],
        }
    )
    out_regions = regions.iloc[picks].reset_index(drop=True)
    out_regions["name"] = [
        f"{name} {i // len(regions) + 1}" for i, name in enumerate(out_regions["name"])
    ]
    out_regions["region_code"] = mapping["new_code"]
    out_regions["province"] = [f"Provinsi {i // 40 + 1}" for i in range(count)]

    def copied(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.merge(mapping, on="region_code").drop(columns="region_code")
        return out.rename(columns={"new_code": "region_code"})

    out_stages = copied(stages).drop(columns="copy")
    out_programs = copied(programs)
    out_programs["program_id"] = out_programs["program_id"] + "-" + out_programs.pop("copy")
    return Dataset(
        version=1,
        info=None,
        regions=out_regions,
        stages=out_stages[stages.columns],
        programs=out_programs[programs.columns],
    )


def median_seconds(make, runs: int = RUNS) -> tuple[float, bytes]:
    make()
    times, data = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        data = make()
        times.append(time.perf_counter() - start)
    return statistics.median(times), data


def main() -> dict:
    nine = synthetic_dataset(9)
    figures = {}
    for fmt in ("pdf", "png"):
        seconds, data = median_seconds(
            lambda f=fmt: region_file(nine, "11.07", REFERENCE, "id", f)[1]
        )
        figures[f"region_{fmt}_s"] = round(seconds, 3)
        figures[f"region_{fmt}_kb"] = round(len(data) / 1024, 1)
    seconds, data = median_seconds(lambda: pack_file(nine, REFERENCE, "id", "semua")[1])
    figures["pack_9_s"] = round(seconds, 3)
    figures["pack_9_kb"] = round(len(data) / 1024, 1)
    big = synthetic_dataset(514)
    start = time.perf_counter()
    data = pack_file(big, REFERENCE, "id", "semua")[1]
    figures["pack_514_s"] = round(time.perf_counter() - start, 2)
    figures["pack_514_kb"] = round(len(data) / 1024, 1)
    figures["pack_514_per_region_s"] = round(figures["pack_514_s"] / 514, 3)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "briefing.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
