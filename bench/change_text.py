"""Change text benchmark (issue 32 item 11): what the upload preview writes about a
50,000-program upload with 10,000 changed cells, before and after in one run.

The upload: the national-size dataset's 50,000 programs (bench/national_data.py) with 10,000
cells changed on 10,000 programs (status, budget, lead agency, in turn), 500 programs removed
and 500 added. The diff is computed once, untimed; each run times what lib/ui/changes.py
builds from it for the page: counts_text per table, cell_changes_frame, rows_frame of the
added and of the removed rows.

Each tree runs in fresh processes of its own (`before` = REF's tree extracted with
bench/before_tree.py, `after` = this tree), alternating run by run so both see the same machine
load; each figure is the median of the runs. Both trees must write the same text: the script
stops if the frames differ.

    .venv/bin/python bench/change_text.py                  # before = 4a47979, 5 runs a tree
    .venv/bin/python bench/change_text.py --before 4a47979 --runs 7
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "4a47979"
RUNS = 5
PROGRAMS = 50_000
CHANGED = 10_000
ADDED = REMOVED = 500
LANG = "id"


def upload() -> tuple[dict, dict[str, str]]:
    """The programs diff of the upload, and the region names the page passes along."""
    import pandas as pd

    from bench.national_data import generate
    from lib.core.schema import STATUSES, TABLES, coerce_frame
    from lib.storage.diff import diff_table
    from lib.views.change_text import region_names

    table = TABLES["programs"]
    data = generate(514, PROGRAMS + REMOVED)
    current = coerce_frame(data["programs"], table).reset_index(drop=True)
    rng = random.Random(32)
    kept = current.iloc[REMOVED:].reset_index(drop=True)
    new = kept.copy()
    rows = sorted(rng.sample(range(len(new)), CHANGED))
    for turn, column in enumerate(("status", "budget_idr", "lead_agency")):
        at = rows[turn::3]
        if column == "status":
            following = {s: STATUSES[(i + 1) % len(STATUSES)] for i, s in enumerate(STATUSES)}
            new.loc[at, column] = new.loc[at, column].map(following)
        elif column == "budget_idr":
            new.loc[at, column] = new.loc[at, column] + 50_000_000
        else:
            new.loc[at, column] = "Bappeda Provinsi"
    added = kept.iloc[:ADDED].copy()
    added["program_id"] = [f"N{i:06d}" for i in range(ADDED)]
    new = coerce_frame(pd.concat([new, added], ignore_index=True), table)
    diff = diff_table(current, new, table)
    assert len(diff.cells) == CHANGED and diff.counts() == {
        "added": ADDED,
        "changed": CHANGED,
        "removed": REMOVED,
    }, diff.counts()
    return diff, region_names(data["regions"])


def change_text(diff, regions: dict[str, str]) -> list:
    """What the preview builds from the diff (lib/ui/changes.py, render_diffs)."""
    from lib.views.change_text import cell_changes_frame, counts_text, rows_frame

    return [
        counts_text(diff.counts(), LANG),
        cell_changes_frame(diff, regions, LANG),
        rows_frame(diff.added, diff.table, LANG),
        rows_frame(diff.removed, diff.table, LANG),
    ]


def fingerprint(parts: list) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part.to_csv().encode())
    return digest.hexdigest()


ONE_RUN = """
import importlib.util, json, sys, time
sys.path.insert(0, {tree!r})
import lib.views.change_text  # this tree's lib
spec = importlib.util.spec_from_file_location("bench_change_text", {bench!r})
b = importlib.util.module_from_spec(spec)
spec.loader.exec_module(b)
diff, regions = b.upload()
start = time.perf_counter()
parts = b.change_text(diff, regions)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "fingerprint": b.fingerprint(parts),
                  "lib": lib.views.change_text.__file__}}))
"""


def side_by_side(before_ref: str, runs: int) -> dict:
    from bench.before_tree import extract

    with tempfile.TemporaryDirectory() as tmp:
        trees = {f"before ({before_ref})": str(extract(before_ref, Path(tmp))), "after": str(ROOT)}
        measured: dict[str, list[dict]] = {side: [] for side in trees}
        for _ in range(runs):
            for side, tree in trees.items():
                code = ONE_RUN.format(tree=tree, bench=__file__)
                out = subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
                run = json.loads(out.strip().splitlines()[-1])
                assert run["lib"].startswith(tree), run["lib"]
                measured[side].append(run)
    prints = {run["fingerprint"] for runs_ in measured.values() for run in runs_}
    assert len(prints) == 1, "the two trees wrote different change text"
    medians = {
        side: statistics.median(r["seconds"] for r in runs_) for side, runs_ in measured.items()
    }
    before, after = medians.values()
    return {
        "programs": PROGRAMS,
        "changed_cells": CHANGED,
        "added": ADDED,
        "removed": REMOVED,
        "runs_per_tree": runs,
        **{f"{side}_s": round(seconds, 3) for side, seconds in medians.items()},
        **{
            f"{side}_runs_s": [round(r["seconds"], 3) for r in runs_]
            for side, runs_ in measured.items()
        },
        "ratio_before_to_after": round(before / after, 1),
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=BEFORE, help="git ref measured beside this tree")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per tree (median)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    figures = side_by_side(args.before, args.runs)
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "change_text.json").write_text(json.dumps(figures, indent=2))
