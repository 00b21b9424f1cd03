"""Changes as people read them: labels, formatted values, counts in words, named keys."""

import pandas as pd
import pytest

from lib.core import vocab
from lib.core.schema import TABLES
from lib.storage.diff import diff_table
from lib.views.change_text import cell_changes_frame, counts_text, done_without_dates, summary_words

REGIONS = {"33.20": "Kabupaten Jepara", "33.19": "Kabupaten Kudus"}


@pytest.mark.parametrize(
    ("counts", "lang", "text"),
    [
        ({"added": 0, "changed": 1, "removed": 0}, "id", "1 baris diubah"),
        ({"added": 0, "changed": 1, "removed": 0}, "en", "1 row changed"),
        ({"added": 2, "changed": 0, "removed": 1}, "en", "2 rows added, 1 row removed"),
        ({"added": 1200, "changed": 0, "removed": 0}, "id", "1.200 baris ditambah"),
        ({"added": 0, "changed": 0, "removed": 0}, "id", "tidak ada perubahan"),
        ({"added": 0, "changed": 0, "removed": 0}, "en", "no changes"),
    ],
)
def test_counts_in_words(counts, lang, text):
    assert counts_text(counts, lang) == text


def test_summary_names_tables_and_skips_unchanged_ones():
    summary = {"stages": {"added": 0, "changed": 1, "removed": 0}, "programs": {}}
    assert summary_words(summary, "id") == "tahap: 1 baris diubah"
    assert summary_words(summary, "en") == "stages: 1 row changed"


def programs(budget, status="planned"):
    row = {c: None for c in TABLES["programs"].columns}
    row.update(
        program_id="JPR-GOV-01",
        region_code="33.20",
        name="Aplikasi dukcapil daring",
        dimension="governance",
        horizon="short",
        quick_win=True,
        status=status,
        budget_idr=budget,
    )
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "id",
            [
                ["Kabupaten Jepara (33.20)", "JPR-GOV-01 · Aplikasi dukcapil daring",
                 "Status", "Rencana", "Selesai"],
                ["Kabupaten Jepara (33.20)", "JPR-GOV-01 · Aplikasi dukcapil daring",
                 "Anggaran (Rp)", "750.000.000", "1.250.000.000"],
            ],
        ),
        (
            "en",
            [
                ["Kabupaten Jepara (33.20)", "JPR-GOV-01 · Aplikasi dukcapil daring",
                 "Status", "Planned", "Done"],
                ["Kabupaten Jepara (33.20)", "JPR-GOV-01 · Aplikasi dukcapil daring",
                 "Budget (IDR)", "750,000,000", "1,250,000,000"],
            ],
        ),
    ],
)  # fmt: skip
def test_changed_cells_are_labelled_formatted_and_named(lang, expected):
    diff = diff_table(programs(750_000_000), programs(1_250_000_000, "done"), TABLES["programs"])
    assert cell_changes_frame(diff, REGIONS, lang).values.tolist() == expected


def stage(status, actual_end=None):
    row = {c: None for c in TABLES["stages"].columns}
    row.update(region_code="33.19", stage=2, status=status, actual_end=actual_end)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("status", "actual_end", "warned"),
    [
        ("done", None, ["Kabupaten Kudus (33.19) · Bimtek 2"]),
        ("done", pd.Timestamp("2021-09-21"), []),
        ("in_progress", None, []),
    ],
)
def test_stage_set_to_done_without_actual_dates_is_flagged(status, actual_end, warned):
    diff = diff_table(stage("planned"), stage(status, actual_end), TABLES["stages"])
    assert done_without_dates({"stages": diff}, REGIONS, "id") == warned


KEYS = {"region_code": "33.20", "stage": 2, "program_id": "JPR-GOV-01"}
ENUMS = [(table, f) for table in TABLES.values() for f in table.fields if f.kind == "enum"]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    ("table", "field"), ENUMS, ids=[f"{table.name}.{f.name}" for table, f in ENUMS]
)
def test_every_enum_field_of_the_schema_changes_in_words(table, field, lang):
    """A coded value that changes reads as its label (Rencana -> Selesai), never as its code:
    for every enum field the schema has, those of tables added later included."""
    first, last = field.choices[0], field.choices[-1]

    def row(value):
        values = {c: None for c in table.columns}
        values.update({k: v for k, v in KEYS.items() if k in values}, **{field.name: value})
        return pd.DataFrame([values])

    diff = diff_table(row(first), row(last), table)
    [[*_, old, new]] = cell_changes_frame(diff, REGIONS, lang).values.tolist()
    assert (old, new) == (vocab.term(field.name, first).labels[lang],
                          vocab.term(field.name, last).labels[lang])  # fmt: skip
