"""Which regions a reader looks at: one area (kawasan), one province, or all regions.

Every page, headline figure, template and export is computed on the scoped dataset, so a figure
never mixes regions the reader did not choose. In the URL: ?area=..., ?province=..., ?scope=all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from lib.core.i18n import fmt_int, t

KINDS = ("area", "province", "all")


@dataclass(frozen=True)
class Scope:
    kind: str  # area | province | all
    value: str | None = None

    @property
    def key(self) -> str:
        """A stable string for widgets and caches: "area:KSPN Borobudur", "all"."""
        return "all" if self.kind == "all" else f"{self.kind}:{self.value}"


ALL = Scope("all")


def from_key(key: str) -> Scope:
    kind, _, value = key.partition(":")
    return ALL if kind == "all" or not value else Scope(kind, value)


def _values(regions: pd.DataFrame, column: str) -> pd.Series:
    """The column as stripped text, "" where missing (how region_mask compares it)."""
    if column not in regions:
        return pd.Series("", index=regions.index, dtype=object)
    return regions[column].fillna("").astype(str).str.strip()


def _names(regions: pd.DataFrame, column: str) -> list[str]:
    return sorted(v for v in _values(regions, column).unique() if v)


def options(regions: pd.DataFrame) -> list[Scope]:
    """Areas first (the programme is organised by them), then provinces, then everything."""
    return (
        [Scope("area", a) for a in _names(regions, "area")]
        + [Scope("province", p) for p in _names(regions, "province")]
        + [ALL]
    )


def default(regions: pd.DataFrame) -> Scope:
    """The one area every region belongs to (the shipped KSPN Borobudur data), else all."""
    areas = _names(regions, "area")
    if len(areas) == 1 and not regions["area"].isna().any():
        return Scope("area", areas[0])
    return ALL


def from_query(params, regions: pd.DataFrame, choices: list[Scope] | None = None) -> Scope | None:
    """The scope a link names, if it names one that exists; None when it names none.
    `choices` is options(regions) when the caller has it already."""
    if params.get("scope") == "all":
        return ALL
    for kind in ("area", "province"):
        value = params.get(kind)
        if value is not None:
            scope = Scope(kind, value)
            return scope if scope in (choices or options(regions)) else None
    return None


def query(scope: Scope, default_scope: Scope) -> dict[str, str]:
    if scope == default_scope:
        return {}
    return {"scope": "all"} if scope.kind == "all" else {scope.kind: scope.value}


def region_mask(regions: pd.DataFrame, scope: Scope) -> pd.Series:
    if scope.kind == "all":
        return pd.Series(True, index=regions.index)
    return _values(regions, scope.kind) == scope.value


def apply(dataset, scope: Scope):
    """The dataset restricted to the scope's regions (their stages and programs with them).

    At "all", rows whose region is unknown stay, so the data problems they cause stay visible.
    """
    if scope.kind == "all":
        return dataset
    regions = dataset.regions[region_mask(dataset.regions, scope)]
    codes = set(regions["region_code"])
    return dataclasses.replace(
        dataset,
        regions=regions.reset_index(drop=True),
        stages=dataset.stages[dataset.stages["region_code"].isin(codes)].reset_index(drop=True),
        programs=dataset.programs[dataset.programs["region_code"].isin(codes)].reset_index(
            drop=True
        ),
    )


def label(scope: Scope, lang: str) -> str:
    if scope.kind == "all":
        return t("scope_all", lang)
    if scope.kind == "area":
        return t("scope_area", lang, name=scope.value)
    return t("scope_province", lang, name=scope.value)


def option_label(scope: Scope, regions: pd.DataFrame, lang: str) -> str:
    """ "Kawasan: KSPN Borobudur (9)": the count tells the reader how big the view will be."""
    return option_labels([scope], regions, lang)[scope.key]


def option_labels(choices: list[Scope], regions: pd.DataFrame, lang: str) -> dict[str, str]:
    """option_label of each choice, keyed by scope key, counting each column once."""
    counts = {kind: _values(regions, kind).value_counts() for kind in ("area", "province")}
    labels = {}
    for scope in choices:
        count = len(regions) if scope.kind == "all" else int(counts[scope.kind].get(scope.value, 0))
        labels[scope.key] = f"{label(scope, lang)} ({fmt_int(count, lang)})"
    return labels


def file_part(scope: Scope) -> str:
    """For download names: "kspn_borobudur", "jawa_tengah", "semua"."""
    if scope.kind == "all":
        return "semua"
    return "".join(c if c.isalnum() else "_" for c in scope.value.lower()).strip("_") or "wilayah"
