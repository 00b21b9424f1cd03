"""The three-way merge of an upload made from an older version: table of cases."""

import pandas as pd
import pytest

from lib.core.schema import TABLES, coerce_frame
from lib.ingest.merge import (
    ADDED_SINCE,
    CELL,
    CHANGED_REMOVED,
    CHANGED_SINCE,
    REMOVED_CHANGED,
    REMOVED_SINCE,
    merge_three_way,
)

STAGES = TABLES["stages"]


def frame(*rows: tuple) -> pd.DataFrame:
    """Stages of Jepara as (stage, status, venue)."""
    records = [
        {"region_code": "33.20", "stage": s, "status": status, "venue": venue, "_row": i + 2}
        for i, (s, status, venue) in enumerate(rows)
    ]
    return coerce_frame(
        pd.DataFrame.from_records(
            records, columns=["region_code", "stage", "status", "venue", "_row"]
        ),
        STAGES,
    )


def rows(merged: pd.DataFrame) -> list[tuple]:
    return [(int(r.stage), r.status, r.venue) for r in merged.itertuples()]


BASE = frame((1, "done", "Aula"), (2, "planned", "Aula"))

CASES = [
    # name, now, file, merged rows, kept (reason, column), conflicts (kind, column, file, then, now)
    (
        "file changes a cell nobody else touched",
        BASE,
        frame((1, "done", "Aula"), (2, "in_progress", "Aula")),
        [(1, "done", "Aula"), (2, "in_progress", "Aula")],
        [],
        [],
    ),
    (
        "others changed a cell the file left: the newer value is kept",
        frame((1, "done", "Pendopo"), (2, "planned", "Aula")),
        BASE,
        [(1, "done", "Pendopo"), (2, "planned", "Aula")],
        [(CHANGED_SINCE, "venue")],
        [],
    ),
    (
        "both changed the same cell to the same value: no conflict",
        frame((1, "done", "Aula"), (2, "done", "Aula")),
        frame((1, "done", "Aula"), (2, "done", "Aula")),
        [(1, "done", "Aula"), (2, "done", "Aula")],
        [],
        [],
    ),
    (
        "both changed the same cell differently: a conflict, the current value until chosen",
        frame((1, "done", "Aula"), (2, "done", "Aula")),
        frame((1, "done", "Aula"), (2, "in_progress", "Aula")),
        [(1, "done", "Aula"), (2, "done", "Aula")],
        [],
        [(CELL, "status", "in_progress", "planned", "done")],
    ),
    (
        "a row others added since is not removed by the old file",
        frame((1, "done", "Aula"), (2, "planned", "Aula"), (3, "planned", "Balai")),
        BASE,
        [(1, "done", "Aula"), (2, "planned", "Aula"), (3, "planned", "Balai")],
        [(ADDED_SINCE, None)],
        [],
    ),
    (
        "a row others removed since, left as it was by the file, stays removed",
        frame((1, "done", "Aula")),
        BASE,
        [(1, "done", "Aula")],
        [(REMOVED_SINCE, None)],
        [],
    ),
    (
        "a row others removed since and the file changed is a conflict",
        frame((1, "done", "Aula")),
        frame((1, "done", "Aula"), (2, "done", "Aula")),
        [(1, "done", "Aula")],
        [],
        [(CHANGED_REMOVED, None, None, None, None)],
    ),
    (
        "the file removes a row nobody changed: removed",
        BASE,
        frame((1, "done", "Aula")),
        [(1, "done", "Aula")],
        [],
        [],
    ),
    (
        "the file removes a row others changed since: a conflict, kept until chosen",
        frame((1, "done", "Aula"), (2, "done", "Aula")),
        frame((1, "done", "Aula")),
        [(1, "done", "Aula"), (2, "done", "Aula")],
        [],
        [(REMOVED_CHANGED, None, None, None, None)],
    ),
    (
        "the file adds a row",
        BASE,
        frame((1, "done", "Aula"), (2, "planned", "Aula"), (3, "planned", "Balai")),
        [(1, "done", "Aula"), (2, "planned", "Aula"), (3, "planned", "Balai")],
        [],
        [],
    ),
]


@pytest.mark.parametrize(
    "now, file, merged, kept, conflicts", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_three_way_merge(now, file, merged, kept, conflicts):
    result = merge_three_way(BASE, now, file, STAGES)
    assert sorted(rows(result.frame)) == merged
    assert [(k.reason, k.column) for k in result.kept] == kept
    assert [(c.kind, c.column, c.file, c.then, c.now) for c in result.conflicts] == conflicts
    assert len(result.unresolved) == len(conflicts)


@pytest.mark.parametrize(
    "now, file, choice, merged",
    [
        (
            frame((1, "done", "Aula"), (2, "done", "Aula")),
            frame((1, "done", "Aula"), (2, "in_progress", "Aula")),
            "file",
            [(1, "done", "Aula"), (2, "in_progress", "Aula")],
        ),
        (
            frame((1, "done", "Aula"), (2, "done", "Aula")),
            frame((1, "done", "Aula"), (2, "in_progress", "Aula")),
            "now",
            [(1, "done", "Aula"), (2, "done", "Aula")],
        ),
        (
            frame((1, "done", "Aula")),
            frame((1, "done", "Aula"), (2, "done", "Aula")),
            "file",
            [(1, "done", "Aula"), (2, "done", "Aula")],
        ),
        (
            frame((1, "done", "Aula")),
            frame((1, "done", "Aula"), (2, "done", "Aula")),
            "now",
            [(1, "done", "Aula")],
        ),
        (
            frame((1, "done", "Aula"), (2, "done", "Aula")),
            frame((1, "done", "Aula")),
            "file",
            [(1, "done", "Aula")],
        ),
        (
            frame((1, "done", "Aula"), (2, "done", "Aula")),
            frame((1, "done", "Aula")),
            "now",
            [(1, "done", "Aula"), (2, "done", "Aula")],
        ),
    ],
)
def test_a_chosen_conflict_takes_the_chosen_side(now, file, choice, merged):
    (open_conflict,) = merge_three_way(BASE, now, file, STAGES).conflicts
    result = merge_three_way(BASE, now, file, STAGES, choices={open_conflict.id: choice})
    assert sorted(rows(result.frame)) == merged
    assert result.unresolved == []


def test_columns_the_file_leaves_out_are_taken_from_the_current_data():
    now = frame((1, "done", "Pendopo"), (2, "planned", "Aula"))
    file = frame((1, "done", None), (2, "in_progress", None))
    result = merge_three_way(BASE, now, file, STAGES, present={"region_code", "stage", "status"})
    assert sorted(rows(result.frame)) == [(1, "done", "Pendopo"), (2, "in_progress", "Aula")]
    assert result.kept == [] and result.conflicts == []


def test_rows_of_regions_the_file_does_not_hold_are_left_out():
    other = coerce_frame(
        pd.DataFrame([{"region_code": "33.19", "stage": 1, "status": "done"}]), STAGES
    )
    now = pd.concat([BASE, other], ignore_index=True)
    result = merge_three_way(BASE, now, BASE, STAGES)
    assert set(result.frame["region_code"]) == {"33.20"}
    assert result.kept == []


@pytest.mark.parametrize(
    "made_from, notes",
    [
        ({"a.xlsx": 9}, []),
        ({"a.xlsx": 7}, [("made_from_older", {"file": "a.xlsx", "made_on": 7, "current": 9})]),
        ({"a.csv": None}, [("made_from_none", {"file": "a.csv", "current": 9})]),
        ({"a.xlsx": 12}, [("made_from_unknown", {"file": "a.xlsx", "made_on": 12, "current": 9})]),
    ],
    ids=["current", "older", "hand-made", "unknown"],
)
def test_the_preview_says_where_each_file_came_from(made_from, notes):
    from lib.views.merge_text import made_from_notes

    assert made_from_notes(made_from, 9) == notes


def test_a_conflict_reads_file_then_now_in_the_users_words():
    from lib.views.merge_text import conflicts_frame

    now = frame((1, "done", "Aula"), (2, "done", "Aula"))
    result = merge_three_way(
        BASE, now, frame((1, "done", "Aula"), (2, "in_progress", "Aula")), STAGES
    )
    table = conflicts_frame({"stages": result.conflicts}, {"33.20": "Kabupaten Jepara"}, 7, 9, "id")
    assert table.columns.tolist() == [
        "Konflik",
        "Wilayah",
        "Baris",
        "Kolom",
        "Berkas",
        "Dulu (versi 7)",
        "Kini (versi 9)",
    ]
    assert table.values.tolist() == [
        [1, "Kabupaten Jepara (33.20)", "Bimtek 2", "Status", "Berjalan", "Rencana", "Selesai"]
    ]
