"""The dataset the pages show: one consistent version of the three tables, seeded from data/."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from lib.core.schema import SAMPLE_SOURCE, TABLES
from lib.geo.boundaries import seed_default_boundaries
from lib.ingest.reader import ReadError, read_csv_path
from lib.ingest.validate import Problem, check_dataset, check_foreign_keys, validate_sheet
from lib.storage import approval, migrations, store


@dataclass
class Dataset:
    version: int
    info: store.VersionInfo | None
    regions: pd.DataFrame
    stages: pd.DataFrame
    programs: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    # () for the store as of `version`; ("official", token) for its official view while change
    # sets are pending (lib/storage/approval.py): part of every cache key of derived figures.
    view_key: tuple = ()


def read_problem(error: ReadError) -> Problem:
    """A file that cannot be read, located as far as the reader got (row, column)."""
    return Problem(
        file=error.file,
        sheet=error.sheet,
        row=error.params.get("row"),
        column=error.params.get("column"),
        code="io-error",
        key=error.key,
        params=error.params,
    )


def load_shipped(data_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read and validate data/*.csv; problems name file, row and column."""
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, table in TABLES.items():
        path = Path(data_dir) / f"{name}.csv"
        if not path.exists():
            problems.append(Problem(file=path.name, key="missing_file"))
            continue
        try:
            sheet = read_csv_path(path)
        except ReadError as error:
            problems.append(read_problem(error))
            continue
        except OSError as error:
            problems.append(
                Problem(
                    file=path.name,
                    key="unreadable",
                    params={"reason": error.strerror or str(error)},
                )
            )
            continue
        frame, sheet_problems = validate_sheet(sheet, table)
        frames[name] = frame
        problems += sheet_problems
    if "regions" in frames:
        codes = set(frames["regions"]["region_code"].dropna())
        for name in ("stages", "programs"):
            if name in frames:
                problems += check_foreign_keys(frames[name], TABLES[name], codes, f"{name}.csv")
    return frames, problems


def ensure_seeded(engine: sa.Engine, data_dir: Path) -> list[Problem]:
    """Create the schema and, on an empty store, load data/ as version 1 and the shipped
    boundary set. Never half-seeds."""
    migrations.upgrade(engine)
    seed_default_boundaries(engine, data_dir)
    if store.current_version(engine):
        return []
    frames, problems = load_shipped(data_dir)
    if problems:
        return problems
    # Another process may seed first: the same data, so a stale version means nothing to do.
    with contextlib.suppress(store.StaleVersion):
        store.write_version(
            engine,
            frames,
            author="system",
            action="seed",
            expected_version=0,
            file_name="data/",
            sha256=None,
        )
    return []


def open_dataset(engine: sa.Engine, version: int, official_token: int | None = None) -> Dataset:
    """The data as of `version`; with `official_token` (approval.state_token), its official
    view: only approved change sets' rows (README, "Verified data")."""
    if official_token is None:
        frames, view_key = store.read_all(engine, version), ()
    else:
        frames = approval.read_official(engine, version)
        view_key = ("official", official_token)
    return Dataset(
        version=version,
        info=store.version_info(engine, version),
        regions=frames["regions"],
        stages=frames["stages"],
        programs=frames["programs"],
        problems=check_dataset(frames, "database"),
        view_key=view_key,
    )


def has_sample_rows(*frames: pd.DataFrame) -> bool:
    return any(
        "source" in f and (f["source"].fillna("").str.strip().str.lower() == SAMPLE_SOURCE).any()
        for f in frames
    )
