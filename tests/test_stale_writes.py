"""Rollback and boundary save write what their user previewed, or nothing (refused, audited),
on SQLite and PostgreSQL; a boundary save never drops the licence credit."""

import json

import pytest

from lib.geo import boundaries
from lib.geo.boundaries import BoundaryError, prepare_boundaries, store_boundaries
from lib.storage import accounts, history, store
from tests.conftest import PROJECT
from tests.test_upload import ADMIN
from tests.test_upload_merge import JEPARA, set_budget

pytestmark = pytest.mark.both_stores
SHIPPED = PROJECT / "data" / "boundaries.geojson"


def refusals(engine, action: str) -> list[dict]:
    return [json.loads(r["detail"]) for r in accounts.audit_rows(engine) if r["action"] == action]


def test_a_rollback_previewed_on_an_older_version_is_refused_and_audited(seeded_engine):
    set_budget(seeded_engine, JEPARA, 1)  # version 2: what the user previewed a rollback from
    set_budget(seeded_engine, JEPARA, 2)  # version 3: someone else, meanwhile
    with pytest.raises(store.StaleVersion) as refused:
        history.rollback(seeded_engine, 1, ADMIN, expected_version=2)
    assert (refused.value.expected, refused.value.current) == (2, 3)
    assert store.current_version(seeded_engine) == 3
    (detail,) = refusals(seeded_engine, "rollback_refused")
    assert (detail["reason"], detail["made_on"], detail["current"]) == ("stale_version", 2, 3)
    assert history.rollback(seeded_engine, 1, ADMIN, expected_version=3) == 4


def prepared(engine):
    regions = store.read_all(engine, store.current_version(engine))["regions"]
    return prepare_boundaries(SHIPPED.name, SHIPPED.read_bytes(), regions)


def save(engine, checked, attribution="Sumber X, CC BY", expected=None):
    return store_boundaries(
        engine,
        checked,
        file_name="peta_baru.geojson",
        data=SHIPPED.read_bytes(),
        author="admin",
        attribution=attribution,
        expected=expected,
    )


@pytest.mark.parametrize("meanwhile", ["boundary save", "upload"])
def test_a_boundary_save_checked_before_another_write_is_refused_and_audited(
    seeded_engine, meanwhile
):
    assert store.latest_boundary_id(seeded_engine) == 1  # the shipped set, seeded
    checked = prepared(seeded_engine)
    seen = (store.latest_boundary_id(seeded_engine), store.current_version(seeded_engine))
    if meanwhile == "upload":
        set_budget(seeded_engine, JEPARA, 1)
    else:
        save(seeded_engine, checked)
    before = store.latest_boundary_id(seeded_engine)
    with pytest.raises(store.StaleBoundaries):
        save(seeded_engine, checked, expected=seen)
    assert store.latest_boundary_id(seeded_engine) == before  # nothing saved
    (detail,) = refusals(seeded_engine, "boundaries_refused")
    assert detail["reason"] == "stale_version" and detail["made_on"] == list(seen)
    now = (store.latest_boundary_id(seeded_engine), store.current_version(seeded_engine))
    assert save(seeded_engine, checked, expected=now) == before + 1


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_attribution_keeps_the_current_credit_never_the_file_name(seeded_engine, typed):
    assert store.latest_boundary_id(seeded_engine) == 1  # the shipped set, seeded
    save(seeded_engine, prepared(seeded_engine), attribution=typed)
    saved = store.latest_boundaries(seeded_engine)["attribution"]
    assert saved == boundaries.DEFAULT_ATTRIBUTION
    assert "peta_baru" not in saved


def test_an_empty_attribution_with_none_stored_is_asked_for(seeded_engine):
    with store.write_transaction(seeded_engine) as connection:  # a store without any set
        connection.execute(store.boundary_sets.delete())
    with pytest.raises(BoundaryError) as refused:
        save(seeded_engine, prepared(seeded_engine), attribution="")
    assert refused.value.key == "geo_attribution_needed"
    assert store.latest_boundary_id(seeded_engine) == 0
