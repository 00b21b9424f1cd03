"""Streamlit: derived figures cached by what they depend on (data version, scope, date).

A data version never changes once written, so anything computed from it (with the scope and
reference date) can be kept until the version, scope or date changes: a rerun at 514 regions
and 50,000 programs then recomputes nothing that has not changed. The store's URL is part of
every key, so two stores in one process (tests, the benchmark) never see each other's figures.
Arguments starting with "_" are not hashed: the key says everything they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import streamlit as st

from lib.core import config, metrics
from lib.core import scope as scopes
from lib.core.scope import Scope
from lib.ingest.dataset import Dataset
from lib.storage import history, store
from lib.storage.diff import TableDiff
from lib.ui import store as ui_store

T = TypeVar("T")
PROVINCE_ROWS_FROM = 60  # beyond this many regions a heatmap has one row per province


def data_key(dataset: Dataset, scope: Scope | None = None) -> tuple:
    """What a figure of this (scoped) dataset depends on, besides its own parameters."""
    return (config.database_url(), dataset.version, dataset.view_key, scope.key if scope else None)


@st.cache_resource(show_spinner=False, max_entries=16)
def _scoped(key: tuple, _dataset: Dataset, _scope: Scope) -> Dataset:
    return scopes.apply(_dataset, _scope)


def scoped(dataset: Dataset, scope: Scope) -> Dataset:
    """The version restricted to the scope, one shared copy like the version itself (ui_store):
    nothing may change it."""
    return _scoped(data_key(dataset, scope), dataset, scope)


@st.cache_data(show_spinner=False, max_entries=32)
def _scope_choices(key: tuple, lang: str, _dataset: Dataset) -> dict:
    choices = scopes.options(_dataset.regions)
    return {
        "choices": choices,
        "default": scopes.default(_dataset.regions),
        "labels": scopes.option_labels(choices, _dataset.regions, lang),
    }


def scope_choices(dataset: Dataset, lang: str) -> dict:
    """The scope picker's choices (areas, provinces, all), default and labels for the whole
    dataset of a version: drawn on every page, so worked out once per version."""
    return _scope_choices(data_key(dataset), lang, dataset)


@st.cache_data(show_spinner=False, max_entries=32)
def _overview(key: tuple, reference: dt.date, with_areas: bool, _dataset: Dataset) -> dict:
    regions, stages = _dataset.regions, _dataset.stages
    progress = metrics.region_progress(regions, stages, reference)
    figures = {
        "progress": progress,
        "headline": metrics.headline(
            regions, stages, _dataset.programs, reference, progress=progress
        ),
        "attention": metrics.attention(regions, stages, reference, progress=progress),
        "areas": None,
    }
    if with_areas:
        figures["areas"] = metrics.area_comparison(regions, _dataset.programs, progress)
    return figures


def overview(dataset: Dataset, scope: Scope, reference: dt.date) -> dict:
    """progress (one row per region), headline (the cards), attention, and areas (the areas
    compared, at scope "all" when the data names areas; else None)."""
    with_areas = scope.kind == "all" and "area" in dataset.regions
    return _overview(data_key(dataset, scope), reference, with_areas, dataset)


@st.cache_data(show_spinner=False, max_entries=64)
def _program_counts(key: tuple, by: str, by_province: bool, _dataset: Dataset) -> pd.DataFrame:
    counts = metrics.program_counts(_dataset.programs, _dataset.regions, by)
    return metrics.counts_by_province(counts, _dataset.regions) if by_province else counts


def program_counts(
    dataset: Dataset, scope: Scope, by: str, by_province: bool = False
) -> pd.DataFrame:
    """metrics.program_counts of the scoped dataset (summed per province when asked)."""
    return _program_counts(data_key(dataset, scope), by, by_province, dataset)


@st.cache_data(show_spinner=False, max_entries=64)
def _dimension_view(
    key: tuple, horizons: tuple, statuses: tuple, quick_only: bool, _dataset: Dataset
) -> dict:
    chosen = metrics.filter_programs(
        _dataset.programs, horizons=horizons, statuses=statuses, quick_win_only=quick_only
    )
    counts = metrics.program_counts(chosen, _dataset.regions, "status")
    if len(_dataset.regions) > PROVINCE_ROWS_FROM:
        counts = metrics.counts_by_province(counts, _dataset.regions)
    return {"shown": len(chosen), "counts": counts, "agencies": metrics.top_agencies(chosen)}


def dimension_view(
    dataset: Dataset, scope: Scope, horizons: list, statuses: list, quick_only: bool
) -> dict:
    """The Dimensions page's filtered figures: shown (programs kept), counts (per region x
    dimension x status, per province beyond PROVINCE_ROWS_FROM regions), agencies (top)."""
    return _dimension_view(
        data_key(dataset, scope), tuple(horizons), tuple(statuses), bool(quick_only), dataset
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(key: Hashable, _build: Callable[[], T]) -> T:
    return _build()


def figure(key: Hashable, build: Callable[[], T]) -> T:
    """The chart `build` makes (SVG markup from lib.charts.svg, or a plotly figure), built once
    per key and shared, never copied: nothing may change a chart got from here."""
    return _figure(key, build)


@st.cache_data(show_spinner=False, max_entries=16)
def _compare(url: str, older: int, newer: int) -> dict[str, TableDiff]:
    return history.compare_frames(_frames(ui_store.load(older)), _frames(ui_store.load(newer)))


def compare(older: int, newer: int) -> dict[str, TableDiff]:
    """What changed from one stored version to another: versions never change once written,
    so a pair is diffed once (a rollback's preview is compare(current, target))."""
    return _compare(config.database_url(), older, newer)


def _frames(dataset: Dataset) -> dict[str, pd.DataFrame]:
    return {name: getattr(dataset, name) for name in store.DATA_TABLES}
