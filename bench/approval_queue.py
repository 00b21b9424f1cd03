"""Approval at national size (issue 20): not a test; `.venv/bin/python bench/approval_queue.py`.

A national store (514 regions x 4 stages, 50,000 programs, bench/national_data.py) with 500
pending change sets (one per region: a produsen's budget edit, submitted), then:
1. Script: the server's time running the Approvals page (queue of 500, filters, the first
   change set's diff, the bulk preview) and the Overview (the official view while 500 change
   sets are pending), signed in as the pembina, median of BENCH_RUNS warm reruns, taking turns.
2. Bulk: approving the 500 change sets at once (one transaction), wall time.
Targets (issue 20): queue script <= 2x the overview's; bulk approve of 500 < 10 s.
Writes bench/out/approval_queue.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.national import PASSWORD, SCRIPT_TIMES, _open, _time_scripts, _use  # noqa: E402
from bench.national_data import generate, write_csv  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CHANGE_SETS = 500


def _submit_all(engine) -> list[int]:
    """One produsen write per region (its first program's budget + 1,000), each a change set."""
    from lib.core.schema import TABLES
    from lib.storage import approval, store
    from lib.storage.accounts import User
    from lib.storage.diff import diff_table

    programs = store.read_all(engine, store.current_version(engine))["programs"]
    codes = sorted(programs["region_code"].unique())[:CHANGE_SETS]
    ids = []
    for code in codes:
        user = User(f"produsen.{code}", f"Produsen {code}", "regional_editor", frozenset({code}))
        rows = programs[programs["region_code"] == code].copy()
        first = rows.index[0]
        rows.loc[first, "budget_idr"] = (rows.loc[first, "budget_idr"] or 0) + 1000
        diff = diff_table(programs, rows, TABLES["programs"], {code})
        _, submission = approval.guarded_write(
            engine,
            user,
            new_rows={"programs": rows},
            diffs={"programs": diff},
            scope={"programs": {code}},
            author=user.display_name,
            action="upload",
            expected_version=store.current_version(engine),
        )
        ids.append(submission.change_set_id)
    return ids


def main() -> dict:
    from lib.ingest.dataset import ensure_seeded
    from lib.storage import accounts, approval, store

    os.environ["DASHBOARD_APPROVAL"] = "on"
    figures: dict = {"load_average_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        data = write_csv(generate(514, 50_000), tmp / "national")
        target = {"url": f"sqlite:///{tmp / 'approval.db'}", "data": data}
        _use(target)
        engine = store.make_engine(target["url"])
        ensure_seeded(engine, data)
        accounts.ensure_admin(engine, PASSWORD)
        started = time.perf_counter()
        ids = _submit_all(engine)
        figures["submit_500_s"] = round(time.perf_counter() - started, 1)
        _time_scripts()
        apps = {
            name: _open(target, page, signed_in=True)
            for name, page in (("overview", "pages/overview.py"), ("queue", "pages/approvals.py"))
        }
        times: dict = {name: [] for name in apps}
        for _ in range(RUNS):
            for name, at in apps.items():
                SCRIPT_TIMES.clear()
                at.run()
                assert not at.exception, at.exception
                times[name].append(sum(SCRIPT_TIMES))
        figures["script_s"] = {n: round(statistics.median(v), 3) for n, v in times.items()}
        figures["queue_over_overview"] = round(
            figures["script_s"]["queue"] / figures["script_s"]["overview"], 2
        )
        pembina = accounts.User("admin", "Administrator", "ministry_admin", frozenset())
        started = time.perf_counter()
        approval.move_many(engine, ids, pembina, "approve")
        figures["bulk_approve_500_s"] = round(time.perf_counter() - started, 2)
        assert not approval.list_change_sets(engine, approval.PENDING)
        engine.dispose()
    figures["load_average_end"] = os.getloadavg()
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "approval_queue.json").write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
