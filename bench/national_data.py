"""A national-size dataset (up to 514 regions x 4 stages, any number of programs), valid against
the data contract, for the national benchmark and the national-size tests.

The nine shipped KSPN Borobudur regions keep their codes and names; the others get synthetic
codes in 38 provinces, a few of them grouped into the other super-priority areas.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd

from lib.core.schema import DIMENSIONS, HORIZONS, STATUSES

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("KSPN Danau Toba", "KSPN Mandalika", "KSPN Labuan Bajo", "KSPN Likupang", "IKN")
PROVINCE_CODES = [
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    21,
    31,
    32,
    33,
    34,
    35,
    36,
    51,
    52,
    53,
    61,
    62,
    63,
    64,
] + [65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96]


def generate(n_regions: int = 514, n_programs: int = 50_000, seed: int = 7) -> dict:
    """regions, stages, programs frames as the store holds them (first the nine shipped)."""
    rng = random.Random(seed)
    shipped = pd.read_csv(ROOT / "data" / "regions.csv", dtype=str)
    rows = []
    for record in shipped.head(min(9, n_regions)).to_dict("records"):
        rows.append({**record, "lat": float(record["lat"]), "lon": float(record["lon"])})
    used = {r["region_code"] for r in rows}
    index = 0
    while len(rows) < n_regions:
        province = PROVINCE_CODES[index % len(PROVINCE_CODES)]
        number = 1 + index // len(PROVINCE_CODES)
        index += 1
        code = f"{province:02d}.{number:02d}"
        if code in used:
            continue
        used.add(code)
        kota = number > 70
        n = len(rows)
        rows.append(
            {
                "region_code": code,
                "name": f"{'Kota' if kota else 'Kabupaten'} Uji {code}",
                "kind": "kota" if kota else "kabupaten",
                "province_code": f"{province:02d}",
                "province": f"Provinsi {province:02d}",
                "seat": f"Ibu kota {code}",
                "lat": round(-10.5 + 16 * rng.random(), 3),
                "lon": round(95.5 + 45 * rng.random(), 3),
                "area": AREAS[n % len(AREAS)] if n < 57 else None,
                "target_date": "2022-11-30",
            }
        )
    regions = pd.DataFrame(rows)
    regions["target_date"] = pd.to_datetime(regions["target_date"])
    stages = []
    for code in regions["region_code"]:
        done = rng.choice((0, 1, 1, 2, 2, 3, 4))
        for stage in range(1, 5):
            start = dt.date(2021, 6, 1) + dt.timedelta(days=45 * (stage - 1) + rng.randint(0, 20))
            end = start + dt.timedelta(days=rng.randint(1, 3))
            status = (
                "done" if stage <= done else ("in_progress" if stage == done + 1 else "planned")
            )
            stages.append(
                {
                    "region_code": code,
                    "stage": stage,
                    "status": status,
                    "planned_start": start,
                    "planned_end": end,
                    "actual_start": start if status == "done" else None,
                    "actual_end": end if status == "done" else None,
                    "venue": None,
                    "source": "sample",
                    "notes": None,
                }
            )
    stages = pd.DataFrame(stages)
    for column in ("planned_start", "planned_end", "actual_start", "actual_end"):
        stages[column] = pd.to_datetime(stages[column])
    codes = list(regions["region_code"])
    programs = pd.DataFrame(
        {
            "program_id": [f"P{i:06d}" for i in range(n_programs)],
            "region_code": [codes[i % len(codes)] for i in range(n_programs)],
            "name": [f"Program uji {i}" for i in range(n_programs)],
            "dimension": [rng.choice(DIMENSIONS) for _ in range(n_programs)],
            "horizon": [rng.choice(HORIZONS) for _ in range(n_programs)],
            "quick_win": [rng.random() < 0.1 for _ in range(n_programs)],
            "status": [rng.choice(STATUSES) for _ in range(n_programs)],
            "lead_agency": [
                rng.choice(("Bappeda", "Diskominfo", "Dinas PUPR")) for _ in range(n_programs)
            ],
            "budget_idr": [rng.randrange(0, 5_000_000_000, 50_000_000) for _ in range(n_programs)],
            "start_year": 2022,
            "end_year": 2026,
            "source": "sample",
            "notes": None,
        }
    )
    return {"regions": regions, "stages": stages, "programs": programs}


def write_csv(frames: dict, folder: Path) -> Path:
    """The frames as data/-style CSV files (a DASHBOARD_DATA_DIR the app seeds from)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        out = frame.copy()
        for column in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[column]):
                out[column] = out[column].dt.strftime("%Y-%m-%d")
        out.to_csv(folder / f"{name}.csv", index=False)
    return folder
