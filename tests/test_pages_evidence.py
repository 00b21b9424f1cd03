"""The region page's evidence section and the overview's done-without-evidence, through AppTest:
what each reader sees, an attach and a refusal as the editor meets them."""

import pytest

from lib.core.plain_text import escape_markdown
from lib.ingest import evidence_intake as intake
from lib.storage import accounts, store
from lib.storage import evidence as ev
from tests import evidence_files as files
from tests.conftest import open_app, sign_in

PASSWORD = "Kata-Sandi-Wilayah-1"


@pytest.fixture
def people(app_env):
    engine = store.make_engine(app_env)
    accounts.add_user(
        engine, "editor.jepara", PASSWORD, "regional_editor", regions={"33.20"},
        display_name="Editor Jepara",
    )  # fmt: skip
    accounts.add_user(engine, "editor.kudus", PASSWORD, "regional_editor", regions={"33.19"})
    yield engine
    engine.dispose()


def region_page(user=None, lang="id"):
    at = open_app(lang)
    if user:
        sign_in(at, user, PASSWORD)
    at.query_params["region"] = "33.20"
    at.switch_page("pages/region.py").run()
    assert not at.exception, at.exception
    return at


def texts(at):
    return (
        [m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption]
    )


def attach(at, name, data, target_index=3):
    at.selectbox(key="evidence_target").select_index(target_index)
    at.text_input(key="evidence_title_input").input("Masterplan bertanda tangan")
    at.file_uploader(key="evidence_file").upload(name, data, "application/octet-stream")
    at.button(key="FormSubmitter:evidence_form-Lampirkan").click().run()
    return at


@pytest.mark.parametrize("lang", ["id", "en"])
def test_anonymous_readers_see_completeness_but_no_file(people, lang):
    at = region_page(lang=lang)
    shown = texts(at)
    words = {"id": "Tahap selesai berbukti: 0 dari 4", "en": "Done stages with evidence: 0 of 4"}
    assert any(words[lang] in s for s in shown)
    assert any(s.startswith(("Masuk dengan akun", "Sign in with an account")) for s in shown)
    assert "evidence_target" not in [box.key for box in at.selectbox]  # no attach form


def test_an_editor_attaches_a_pdf_to_stage_4_and_sees_it_listed(people):
    at = attach(region_page("editor.jepara"), "../masterplan\u202e.pdf", files.pdf())
    assert at.success[0].value == escape_markdown("Bukti masterplan.pdf dilampirkan.")
    shown = texts(at)
    assert "**Tahap 4**" in shown
    link = f"[{escape_markdown('Unduh masterplan.pdf')}](/evidence/1?lang=id)"
    assert link in shown
    assert any("Tahap selesai berbukti: 1 dari 4" in s for s in shown)
    assert len(at.get("image")) == 1  # the first page drawn on the server
    [item] = ev.for_region(people, "33.20")
    assert (item.target_key, item.author, item.title) == (
        "33.20|4",
        "editor.jepara",
        "Masterplan bertanda tangan",
    )


def test_a_hostile_file_is_refused_on_the_page_naming_it(people):
    at = attach(region_page("editor.jepara"), "laporan.pdf", files.HTML)
    assert at.error[0].value.startswith("Berkas laporan.pdf ditolak: isinya halaman HTML")
    assert ev.for_region(people, "33.20") == []


def test_another_regions_editor_sees_no_file_and_no_form(people):
    engine = people
    jepara = accounts.User(
        "editor.jepara", "Editor Jepara", "regional_editor", frozenset({"33.20"})
    )

    intake.attach_upload(
        engine, jepara, region_code="33.20", target=("stages", "33.20|4"), title="x",
        name="a.pdf", source=files.pdf(),
    )  # fmt: skip
    at = region_page("editor.kudus")
    assert not any("/evidence/" in s for s in texts(at))
    assert any(s.startswith("Masuk dengan akun") for s in texts(at))


def test_the_overview_lists_done_without_evidence(people):
    at = open_app("en")
    assert any(h.value == "Done without evidence" for h in at.subheader)
    assert any(
        c.value.startswith("Done stages with evidence, per stage: stage 1: 0 of")
        for c in at.caption
    )
    assert any(escape_markdown("done without evidence: stages") in m.value for m in at.markdown)
