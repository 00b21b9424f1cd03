"""Derived figures, defined once (the README documents them):

- a region's Bimtek progress is done stages / 4;
- its current stage is the lowest stage not done (None when all four are done);
- a stage is late when its planned_end is before the reference date and it is not done;
- a region is projected to miss its target_date when it is not complete and either the target
  date has passed, or its pace so far (days from its first stage start to the reference date per
  stage done, a region with none done counted as if its first stage ended on the reference date)
  puts the end of stage 4 after the target date;
- a region needs attention when it has a late stage or is projected to miss its target date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.core.schema import DIMENSIONS, HORIZONS, STAGES, STATUSES

STAGE_COUNT = len(STAGES)


def _reference(reference_date: dt.date) -> pd.Timestamp:
    return pd.Timestamp(reference_date)


def stages_with_late(stages: pd.DataFrame, reference_date: dt.date) -> pd.DataFrame:
    out = stages.copy()
    out["late"] = (
        out["planned_end"].notna()
        & (out["planned_end"] < _reference(reference_date))
        & (out["status"] != "done")
    ).astype(bool)
    return out


def region_progress(
    regions: pd.DataFrame, stages: pd.DataFrame, reference_date: dt.date
) -> pd.DataFrame:
    """One row per region, sorted by progress (most advanced first), then by name."""
    marked = stages_with_late(stages, reference_date)
    done = marked[marked["status"] == "done"].groupby("region_code").size()
    late = marked[marked["late"]].groupby("region_code").size()
    open_stages = marked[marked["status"] != "done"].groupby("region_code")["stage"].min()
    out = regions[["region_code", "name", "kind", "lat", "lon"]].copy()
    # Stage rows whose region is not in regions must not vanish: show them under their code.
    orphan_codes = sorted(set(marked["region_code"].dropna()) - set(out["region_code"]))
    if orphan_codes:
        orphans = pd.DataFrame({"region_code": orphan_codes, "name": orphan_codes})
        out = pd.concat([out, orphans], ignore_index=True)
    out["stages_done"] = out["region_code"].map(done).fillna(0).astype(int)
    out["stages_late"] = out["region_code"].map(late).fillna(0).astype(int)
    out["progress"] = out["stages_done"] / STAGE_COUNT
    out["complete"] = out["stages_done"] >= STAGE_COUNT
    missing_stage_rows = ~out["region_code"].isin(marked["region_code"])
    current = out["region_code"].map(open_stages)
    current = current.where(~missing_stage_rows, 1)
    out["current_stage"] = current.astype("Int64")
    out["is_late"] = out["stages_late"] > 0
    out = out.sort_values(["stages_done", "name"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def headline(
    regions: pd.DataFrame,
    stages: pd.DataFrame,
    programs: pd.DataFrame,
    reference_date: dt.date,
    progress: pd.DataFrame | None = None,
) -> dict[str, int]:
    """Overview figures; pass region_progress's result when you have it, to skip recomputing."""
    if progress is None:
        progress = region_progress(regions, stages, reference_date)
    return {
        "regions": len(regions),
        "stages_done": int(progress["stages_done"].sum()),
        "stages_total": len(regions) * STAGE_COUNT,
        "masterplans_complete": int(progress["complete"].sum()),
        "programs": len(programs),
        "quick_wins": int(programs["quick_win"].fillna(False).astype(bool).sum()),
        "stages_late": int(progress["stages_late"].sum()),
        "regions_late": int(progress["is_late"].sum()),
    }


CATEGORY_ORDER = {"status": STATUSES, "horizon": HORIZONS}


def program_counts(programs: pd.DataFrame, regions: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per region x dimension x category (status or horizon), zeros included."""
    names = regions.set_index("region_code")["name"]
    codes = _codes_by_name(regions, programs)
    grid = pd.MultiIndex.from_product(
        [codes, DIMENSIONS, CATEGORY_ORDER[by]], names=["region_code", "dimension", by]
    )
    counts = programs.groupby(["region_code", "dimension", by]).size().reindex(grid, fill_value=0)
    out = counts.rename("count").reset_index()
    out.insert(1, "name", out["region_code"].map(names).fillna(out["region_code"]))
    return out


def counts_by_province(counts: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """program_counts summed per province (its name in "name"): one row of a national heatmap
    per province instead of 514 unreadable ones."""
    province = regions.set_index("region_code")["province"]
    named = counts["region_code"].map(province).fillna("").astype(str).str.strip()
    out = counts.assign(name=named.where(named != "", "–"))
    by = [c for c in out.columns if c not in ("region_code", "name", "dimension", "count")][0]
    summed = out.groupby(["name", "dimension", by], sort=True)["count"].sum().reset_index()
    return summed.assign(region_code=summed["name"])[["region_code", *summed.columns]]


def filter_programs(
    programs: pd.DataFrame,
    *,
    dimensions: list[str] | None = None,
    horizons: list[str] | None = None,
    statuses: list[str] | None = None,
    quick_win_only: bool = False,
    region_code: str | None = None,
) -> pd.DataFrame:
    mask = pd.Series(True, index=programs.index)
    if region_code is not None:
        mask &= programs["region_code"] == region_code
    if dimensions:
        mask &= programs["dimension"].isin(dimensions)
    if horizons:
        mask &= programs["horizon"].isin(horizons)
    if statuses:
        mask &= programs["status"].isin(statuses)
    if quick_win_only:
        mask &= programs["quick_win"].fillna(False).astype(bool)
    return programs[mask]


def dimension_matrix(programs: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Region name (rows, in regions order) x the six dimensions (columns): program counts."""
    names = regions.set_index("region_code")["name"]
    counts = programs.groupby(["region_code", "dimension"]).size().unstack(fill_value=0)
    codes = _codes_by_name(regions, programs)
    matrix = counts.reindex(index=codes, columns=list(DIMENSIONS), fill_value=0).astype(int)
    matrix.index = [names.get(c, c) for c in matrix.index]
    matrix.index.name = "name"
    return matrix


def _codes_by_name(regions: pd.DataFrame, programs: pd.DataFrame) -> list[str]:
    """Regions alphabetically, then any code the programs use that regions lacks (never dropped)."""
    known = list(regions.sort_values("name", kind="stable")["region_code"])
    return known + sorted(set(programs["region_code"].dropna().unique()) - set(known))


def dimension_by_horizon(programs: pd.DataFrame) -> pd.DataFrame:
    counts = programs.groupby(["dimension", "horizon"]).size().unstack(fill_value=0)
    return counts.reindex(index=list(DIMENSIONS), columns=list(HORIZONS), fill_value=0).astype(int)


def top_agencies(programs: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Per dimension, the n lead agencies with most programs (ties broken by name)."""
    known = programs[programs["lead_agency"].fillna("").str.strip() != ""]
    counts = known.groupby(["dimension", "lead_agency"]).size().rename("count").reset_index()
    counts["dimension"] = pd.Categorical(counts["dimension"], categories=DIMENSIONS, ordered=True)
    counts = counts.sort_values(
        ["dimension", "count", "lead_agency"], ascending=[True, False, True]
    )
    top = counts.groupby("dimension", observed=True).head(n).copy()
    top["rank"] = top.groupby("dimension", observed=True).cumcount() + 1
    top["dimension"] = top["dimension"].astype(str)
    return top[["dimension", "rank", "lead_agency", "count"]].reset_index(drop=True)


def region_at(progress: pd.DataFrame, lat: float, lon: float) -> str | None:
    """The region whose seat is nearest a clicked point (the map's markers are the seats)."""
    located = progress.dropna(subset=["lat", "lon"])
    if located.empty:
        return None
    distance = (located["lat"] - lat) ** 2 + (located["lon"] - lon) ** 2
    return str(located.loc[distance.idxmin(), "region_code"])


def attention(
    regions: pd.DataFrame,
    stages: pd.DataFrame,
    reference_date: dt.date,
    progress: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """region_progress plus start, target_date, projected_end, projected_miss, needs_attention.

    Sorted with the regions needing attention first (most late stages, then least progress)."""
    if progress is None:
        progress = region_progress(regions, stages, reference_date)
    reference = _reference(reference_date)
    first = stages["actual_start"].fillna(stages["planned_start"])
    start = first.groupby(stages["region_code"]).min()
    target = regions.set_index("region_code")["target_date"] if "target_date" in regions else {}
    out = progress.copy()
    out["start"] = pd.to_datetime(out["region_code"].map(start))
    out["target_date"] = pd.to_datetime(out["region_code"].map(target))
    elapsed = (reference - out["start"]).dt.days
    per_stage = elapsed / out["stages_done"].clip(lower=1)
    out["projected_end"] = out["start"] + pd.to_timedelta(per_stage * STAGE_COUNT, unit="D")
    out.loc[out["complete"] | (elapsed <= 0) | out["start"].isna(), "projected_end"] = pd.NaT
    past_target = out["target_date"].notna() & (out["target_date"] < reference)
    behind = out["projected_end"].notna() & out["target_date"].notna()
    behind &= out["projected_end"] > out["target_date"]
    out["projected_miss"] = (~out["complete"] & (past_target | behind)).astype(bool)
    out["needs_attention"] = out["is_late"] | out["projected_miss"]
    out = out.sort_values(
        ["needs_attention", "stages_late", "stages_done", "name"],
        ascending=[False, False, True, True],
        kind="stable",
    )
    return out.reset_index(drop=True)


def area_comparison(
    regions: pd.DataFrame, programs: pd.DataFrame, progress: pd.DataFrame
) -> pd.DataFrame:
    """One row per area (regions without one grouped under an empty name, listed last)."""
    area = regions.set_index("region_code")["area"] if "area" in regions else pd.Series(dtype=str)
    frame = progress.assign(area=progress["region_code"].map(area).fillna("").astype(str))
    by_area = frame.groupby("area", sort=False)
    out = pd.DataFrame(
        {
            "regions": by_area.size(),
            "stages_done": by_area["stages_done"].sum(),
            "masterplans_complete": by_area["complete"].sum(),
            "regions_late": by_area["is_late"].sum(),
        }
    )
    out["stages_total"] = out["regions"] * STAGE_COUNT
    program_area = programs["region_code"].map(area).fillna("").astype(str)
    out["programs"] = program_area.value_counts().reindex(out.index, fill_value=0)
    out["progress"] = out["stages_done"] / out["stages_total"]
    out = out.reset_index().astype({"masterplans_complete": int, "regions_late": int})
    out["_unnamed"] = out["area"] == ""
    out = out.sort_values(["_unnamed", "area"], kind="stable").drop(columns="_unnamed")
    return out.reset_index(drop=True)
