"""Uploading a template made from an older version: merged, never undoing what others applied."""

import io
import json
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.core.i18n import t
from lib.ingest.upload import ConflictsUnresolved, apply_upload, inspect_upload, with_choices
from lib.ingest.workbook import csv_zip_bytes, scoped_frames, workbook_bytes
from lib.storage import accounts, store
from lib.views.change_text import program_names, region_names
from lib.views.merge_text import conflicts_frame, kept_frame
from tests.test_upload import ADMIN
from tests.test_upload_rights import change_budget

JEPARA, KUDUS = "33.20", "33.19"


def current(engine) -> dict[str, pd.DataFrame]:
    return store.read_all(engine, store.current_version(engine))


def set_budget(engine, region: str, budget: int) -> int:
    """Someone else's apply: the first program of `region` gets a new budget."""
    programs = current(engine)["programs"].copy()
    first = programs.index[programs["region_code"] == region][0]
    programs.loc[first, "budget_idr"] = budget
    version, _ = store.write_version(
        engine,
        {"programs": programs},
        author="colleague",
        action="upload",
        expected_version=store.current_version(engine),
    )
    return version


def first_budget(engine, region: str) -> int:
    programs = current(engine)["programs"]
    return int(programs.loc[programs["region_code"] == region, "budget_idr"].iloc[0])


def template(engine, version: int, regions=None) -> bytes:
    frames = scoped_frames(store.read_all(engine, version), regions)
    return workbook_bytes(frames, "id", version)


both_stores = pytest.mark.both_stores  # SQLite and PostgreSQL


@both_stores
def test_an_old_template_keeps_what_others_applied_since(seeded_engine):
    monday = template(seeded_engine, 1)
    kudus_before = first_budget(seeded_engine, KUDUS)
    set_budget(seeded_engine, JEPARA, 2_222_000_000)  # version 2, by a colleague
    friday = change_budget(monday, KUDUS)  # the editor changes a Kudus budget only
    preview = inspect_upload(seeded_engine, [("senin.xlsx", friday)])
    assert preview.ok, preview.problems
    assert preview.made_from == {"senin.xlsx": 1} and preview.base_version == 2
    changed = [(c.column, c.old, c.new) for d in preview.diffs.values() for c in d.cells]
    assert changed == [("budget_idr", kudus_before, kudus_before + 1000)]
    kept = [(k.region, k.column, k.now) for k in preview.kept["programs"]]
    assert kept == [(JEPARA, "budget_idr", 2_222_000_000)]
    assert apply_upload(seeded_engine, preview, ADMIN) == 3
    assert first_budget(seeded_engine, JEPARA) == 2_222_000_000  # not reverted
    assert first_budget(seeded_engine, KUDUS) == kudus_before + 1000


@both_stores
@pytest.mark.parametrize("choice, budget", [("file", None), ("now", 2_222_000_000)])
def test_a_cell_changed_in_the_file_and_since_waits_for_a_choice(seeded_engine, choice, budget):
    monday = template(seeded_engine, 1, {JEPARA})
    mine = first_budget(seeded_engine, JEPARA) + 1000
    set_budget(seeded_engine, JEPARA, 2_222_000_000)
    preview = inspect_upload(seeded_engine, [("senin.xlsx", change_budget(monday, JEPARA))])
    (conflict,) = preview.conflicts["programs"]
    assert (conflict.file, conflict.now) == (mine, 2_222_000_000)
    with pytest.raises(ConflictsUnresolved):
        apply_upload(seeded_engine, preview, ADMIN)
    refused = [r for r in accounts.audit_rows(seeded_engine) if r["action"] == "upload_refused"]
    assert json.loads(refused[0]["detail"])["reason"] == "conflicts_unresolved"
    assert store.current_version(seeded_engine) == 2
    version = apply_upload(seeded_engine, with_choices(preview, {conflict.id: choice}), ADMIN)
    assert first_budget(seeded_engine, JEPARA) == (budget or mine)
    assert version == (3 if choice == "file" else None)  # "now" leaves nothing to change


@both_stores
def test_a_template_of_the_current_version_behaves_as_a_file_without_one(seeded_engine):
    set_budget(seeded_engine, JEPARA, 2_222_000_000)
    frames = current(seeded_engine)
    recorded = change_budget(workbook_bytes(frames, "id", 2), KUDUS)
    bare = change_budget(workbook_bytes(frames, "id"), KUDUS)
    with_version = inspect_upload(seeded_engine, [("t.xlsx", recorded)])
    without = inspect_upload(seeded_engine, [("t.xlsx", bare)])
    assert with_version.made_from == {"t.xlsx": 2} and without.made_from == {"t.xlsx": None}
    assert with_version.merge_inputs == {} and with_version.kept == {}
    assert {n: d.cells for n, d in with_version.diffs.items()} == {
        n: d.cells for n, d in without.diffs.items()
    }


@both_stores
def test_a_csv_of_an_old_zip_is_merged_by_the_version_in_its_name(seeded_engine):
    archive = zipfile.ZipFile(io.BytesIO(csv_zip_bytes(current(seeded_engine), "id", 1)))
    assert "baca_saya.txt" in archive.namelist()
    set_budget(seeded_engine, JEPARA, 2_222_000_000)
    name = "program (versi 1).csv"
    preview = inspect_upload(seeded_engine, [(name, archive.read(name))])
    assert preview.made_from == {name: 1}
    assert not preview.has_changes  # unchanged: the colleague's budget is kept, not reverted
    assert [k.now for k in preview.kept["programs"]] == [2_222_000_000]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_an_unchanged_template_of_any_earlier_version_never_changes_the_store(new_store_url, data):
    """Others apply random edits (cells, rows added and removed); uploading any earlier
    version's template as it was downloaded changes nothing."""
    seeded_engine = store.make_engine(new_store_url("seeded"))  # a fresh copy per example
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        frames = current(seeded_engine)
        programs, stages = frames["programs"].copy(), frames["stages"].copy()
        row = data.draw(st.integers(0, len(programs) - 1), label="program")
        edit = data.draw(st.sampled_from(["budget", "status", "remove", "add"]), label="edit")
        if edit == "budget":
            programs.loc[row, "budget_idr"] = data.draw(st.integers(0, 10**12), label="idr")
        elif edit == "status":
            at = data.draw(st.integers(0, len(stages) - 1), label="stage")
            stages.loc[at, "status"] = data.draw(st.sampled_from(["planned", "done"]))
        elif edit == "remove":
            programs = programs.drop(index=row).reset_index(drop=True)
        else:
            added = programs.loc[[row]].copy()
            added["program_id"] = f"NEW-{store.current_version(seeded_engine)}"
            programs = pd.concat([programs, added], ignore_index=True)
        store.write_version(
            seeded_engine,
            {"programs": programs, "stages": stages},
            author="colleague",
            action="upload",
            expected_version=store.current_version(seeded_engine),
        )
    latest = store.current_version(seeded_engine)
    earlier = data.draw(st.integers(1, latest), label="template version")
    regions = data.draw(st.sampled_from([None, {JEPARA}, {JEPARA, KUDUS}]), label="regions")
    preview = inspect_upload(seeded_engine, [("t.xlsx", template(seeded_engine, earlier, regions))])
    assert preview.ok, preview.problems
    assert not preview.has_changes
    assert preview.unresolved == 0
    seeded_engine.dispose()
    seeded_engine.dispose()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_conflicts_and_kept_values_name_the_program_as_the_preview_does(seeded_engine, lang):
    """A conflict reads "JPR-GOV-01 · <name>", like the changed cells below it: an id alone
    makes the editor look the program up before choosing."""
    monday = template(seeded_engine, 1)
    set_budget(seeded_engine, JEPARA, 2_222_000_000)
    set_budget(seeded_engine, KUDUS, 3_333_000_000)
    preview = inspect_upload(seeded_engine, [("senin.xlsx", change_budget(monday, JEPARA))])
    programs = current(seeded_engine)["programs"]
    names = program_names(preview.frames["programs"])
    regions = region_names(current(seeded_engine)["regions"])
    conflicts = conflicts_frame(preview.conflicts, regions, 1, 3, lang, names)
    kept = kept_frame(preview.kept, regions, lang, names)
    for frame, region in ((conflicts, JEPARA), (kept, KUDUS)):
        first = programs[programs["region_code"] == region].iloc[0]
        assert list(frame[t("change_row", lang)]) == [f"{first['program_id']} · {first['name']}"]
