"""Evidence: the types accepted, file names, and completeness, defined once (README).

An attachment names its row by target table and key: a stage by "region_code|stage"
("33.20|4"), a program by its program_id. A "done" stage or program has evidence when at
least one live attachment names it. Completeness counts, per region, per stage and per
dimension, how many done rows have evidence; "done without evidence" is what the overview's
needs-attention list and the briefing report.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from lib.core.schema import DIMENSIONS, STAGES

Target = tuple[str, str]
MAX_NAME = 120

# type -> (extension, media type, kind)
TYPES = {
    "pdf": ("pdf", "application/pdf", "document"),
    "png": ("png", "image/png", "photo"),
    "jpeg": ("jpg", "image/jpeg", "photo"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "document",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "spreadsheet",
    ),
    "odt": ("odt", "application/vnd.oasis.opendocument.text", "document"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet", "spreadsheet"),
}
MEDIA_TYPES = {media for _ext, media, _kind in TYPES.values()}

BIDI_AND_CONTROL = re.compile(
    r"[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE = re.compile(r"[\"'`<>:|?*;\\/]")


def clean_name(name: str, extension: str | None = None) -> str:
    """A file name that is only a name: the last path part, without quotes, control or
    bidirectional override characters, at most MAX_NAME characters, ending in `extension`."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = BIDI_AND_CONTROL.sub("", name)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if extension is not None:
        ext = extension
    stem = stem.strip(" .") or "berkas"
    room = MAX_NAME - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or "berkas"
    return f"{stem}.{ext}" if ext else stem


def stage_key(region_code: str, stage: int) -> str:
    return f"{region_code}|{int(stage)}"


def stage_target(region_code: str, stage: int) -> Target:
    return ("stages", stage_key(region_code, stage))


def program_target(program_id: str) -> Target:
    return ("programs", str(program_id))


def _stage_flags(stages: pd.DataFrame, evidenced: set[Target]) -> pd.DataFrame:
    done = stages[stages["status"] == "done"][["region_code", "stage"]].copy()
    done["with_evidence"] = [
        stage_target(code, stage) in evidenced
        for code, stage in zip(done["region_code"], done["stage"], strict=True)
    ]
    return done


def _program_flags(programs: pd.DataFrame, evidenced: set[Target]) -> pd.DataFrame:
    done = programs[programs["status"] == "done"][["region_code", "program_id", "dimension"]].copy()
    done["with_evidence"] = [program_target(p) in evidenced for p in done["program_id"]]
    return done


def by_region(
    regions: pd.DataFrame, stages: pd.DataFrame, programs: pd.DataFrame, evidenced: set[Target]
) -> pd.DataFrame:
    """One row per region: stages_done, stages_with, programs_done, programs_with, and the
    done rows without evidence (missing = stages + programs)."""
    stage_flags = _stage_flags(stages, evidenced)
    program_flags = _program_flags(programs, evidenced)
    out = regions[["region_code", "name"]].copy().reset_index(drop=True)
    for prefix, flags in (("stages", stage_flags), ("programs", program_flags)):
        grouped = flags.groupby("region_code")["with_evidence"]
        out[f"{prefix}_done"] = out["region_code"].map(grouped.size()).fillna(0).astype(int)
        out[f"{prefix}_with"] = out["region_code"].map(grouped.sum()).fillna(0).astype(int)
    out["missing"] = (
        out["stages_done"] - out["stages_with"] + out["programs_done"] - out["programs_with"]
    )
    return out


def by_stage(stages: pd.DataFrame, evidenced: set[Target]) -> pd.DataFrame:
    """Per stage number (1-4): how many regions have it done, and how many of those with
    evidence."""
    flags = _stage_flags(stages, evidenced)
    grouped = flags.groupby("stage")["with_evidence"]
    out = pd.DataFrame({"stage": list(STAGES)})
    out["done"] = out["stage"].map(grouped.size()).fillna(0).astype(int)
    out["with_evidence"] = out["stage"].map(grouped.sum()).fillna(0).astype(int)
    return out


def by_dimension(programs: pd.DataFrame, evidenced: set[Target]) -> pd.DataFrame:
    """Per dimension: done programs, and how many of those with evidence."""
    flags = _program_flags(programs, evidenced)
    grouped = flags.groupby("dimension")["with_evidence"]
    out = pd.DataFrame({"dimension": list(DIMENSIONS)})
    out["done"] = out["dimension"].map(grouped.size()).fillna(0).astype(int)
    out["with_evidence"] = out["dimension"].map(grouped.sum()).fillna(0).astype(int)
    return out
