"""An older commit of the project as a directory to serve, for "before" figures measured in
the same run as "after" (bench/page_render.py, bench/first_visit.py: BENCH_BEFORE=<git ref>)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def extract(ref: str, into: Path) -> Path:
    """The tree of `ref` under `into`, with Leaflet copied in as real files (Streamlit answers
    400 for a symlinked static file, which would blank the map)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    vendor = ROOT / "static" / "vendor"
    if vendor.exists():
        shutil.copytree(vendor, into / "static" / "vendor", symlinks=False, dirs_exist_ok=True)
    return into
