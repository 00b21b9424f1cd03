"""No English on an Indonesian page: every text a user reads, checked against the English
catalogue (messages and vocabulary labels that differ from their Indonesian words)."""

import io
import json
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from lib.core import vocab
from lib.core.i18n import CATALOGUE
from lib.core.schema import TABLES, header, sheet_name
from lib.ingest.workbook import workbook_bytes
from lib.storage import store
from tests.conftest import PROJECT, card_tables, sign_in, stage_workbook

APP = str(PROJECT / "app.py")


def _english_only() -> set[str]:
    """English texts whose Indonesian text is different (so seeing them means English)."""
    out = set()
    for entry in CATALOGUE.values():
        forms_en, forms_id = entry["en"], entry["id"]
        en = list(forms_en.values()) if isinstance(forms_en, dict) else [forms_en]
        id_ = set(forms_id.values()) if isinstance(forms_id, dict) else {forms_id}
        out |= {text for text in en if text not in id_ and "{" not in text}
    for terms in vocab.VOCAB.values():
        out |= {t.labels["en"] for t in terms if t.labels["en"] != t.labels["id"]}
    return out


def _machine_words() -> set[str]:
    """Words a program writes that no reader should meet: Python's booleans and the problem
    catalogue's Frictionless codes (type-error, extra-label, ...)."""
    codes = {entry["code"] for entry in CATALOGUE.values() if "code" in entry}
    return {"True", "False", *codes}


ENGLISH = _english_only() | _machine_words()
# Long English sentences are also caught inside a longer text; short words only as a whole.
ENGLISH_SENTENCES = {text for text in ENGLISH if len(text) >= 20}


def visible_texts(at: AppTest) -> list[str]:
    texts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "info",
        "warning",
        "error",
        "success",
    ):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in (
        "button",
        "selectbox",
        "multiselect",
        "radio",
        "toggle",
        "checkbox",
        "text_input",
        "date_input",
        "number_input",
    ):
        for element in getattr(at, kind):
            texts.append(str(element.label))
            if kind in ("selectbox", "multiselect", "radio"):
                texts += [str(o) for o in element.options]
    for m in at.metric:
        texts += [str(m.label), str(m.value)]
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
        # The cells too: previews, problem lists and reports carry words of their own.
        texts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    for frame in card_tables(at):
        texts += [*frame.columns, *frame.to_numpy().ravel()]
    for chart in at.get("plotly_chart"):
        texts += plotly_texts(chart.proto)
    return [t for t in texts if t]


# Where a plotly chart's texts join: tags, placeholders, line breaks, " · ", ": ", brackets.
PLOTLY_JOINS = re.compile(r"<[^>]+>|%\{[^}]*\}|\n| · |: |, |[()]")


def flat(values) -> list[str]:
    if isinstance(values, list):
        return [text for value in values for text in flat(value)]
    return [str(values)]


def plotly_texts(proto) -> list[str]:
    """Every word a plotly chart shows: axis labels, hover text, its text equivalent, and the
    mode bar's tooltips (the locale's dictionary)."""
    spec, config = json.loads(proto.spec), json.loads(proto.config)
    raw = [proto.alt]
    for trace in spec["data"]:
        raw += [str(v) for v in [*trace.get("x", []), *trace.get("y", [])]]
        raw.append(trace.get("hovertemplate", ""))
        raw += flat(trace.get("customdata", []))
    for locale in config.get("locales", {}).values():
        raw += locale["dictionary"].values()
    parts = [part.strip() for text in raw for part in PLOTLY_JOINS.split(text)]
    return [part for part in parts if part and not part.replace(".", "").isdigit()]


def english_in(texts: list[str]) -> list[str]:
    found = [t for t in texts if t in ENGLISH]
    found += [f"{s!r} in {t!r}" for t in texts for s in ENGLISH_SENTENCES if s in t and s != t]
    return found


PAGES = [
    "pages/overview.py",
    "pages/region.py",
    "pages/dimensions.py",
    "pages/upload.py",
    "pages/history.py",
    "pages/boundaries.py",
    "pages/audit.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_an_indonesian_page_shows_no_english(app_env, page):
    at = sign_in(AppTest.from_file(APP, default_timeout=60).run())
    at.switch_page(page).run()
    assert not at.exception, at.exception
    texts = visible_texts(at)
    assert len(texts) > 3  # the page did render
    assert english_in(texts) == []


def test_the_check_reads_a_charts_words():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/dimensions.py").run()
    (chart,) = at.get("plotly_chart")
    words = set(plotly_texts(chart.proto))
    assert {"Tata kelola", "Jumlah program", "Rencana", "Atur ulang sumbu"} <= words
    at.radio(key="lang").set_value("en").run()
    (chart,) = at.get("plotly_chart")
    assert {"Governance", "Planned", "Reset axes"} <= set(english_in(plotly_texts(chart.proto)))


def test_the_check_would_see_english():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.radio(key="lang").set_value("en").run()
    assert "Reference date" in english_in(visible_texts(at))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in_page(page: str) -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=120).run())
    at.switch_page(page).run()
    return at


def edited_template(engine) -> bytes:
    """The template with one program's quick win flipped and one program added."""
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(store.read_all(engine, 1), "id")))
    sheet = book[sheet_name(TABLES["programs"], "id")]
    headers = [c.value for c in sheet[1]]
    quick = headers.index(header(TABLES["programs"].field("quick_win"), "id"))
    first = [c.value for c in sheet[2]]
    sheet.cell(2, quick + 1).value = "tidak" if first[quick] == "ya" else "ya"
    sheet.append(["JPR-BARU-01", *first[1:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Issue 29 item 3: True/False in previews, problem codes in the Kode column, the boundary
# report's Cara "code", the map's "Simplified." and "30 mi".
def test_problem_list_shows_no_code_or_english(app_env):
    at = signed_in_page("pages/upload.py")
    bad = stage_workbook(
        [["33.20", 9, "finished", "x"]], ("kode_wilayah", "tahap", "status", "warna")
    )
    at.get("file_uploader")[0].upload("salah.xlsx", bad, XLSX).run()
    texts = visible_texts(at)
    assert any("Kolom tidak dikenal" in t for t in texts)  # the problems are listed
    assert english_in(texts) == []


def test_previews_and_history_show_no_english(app_env):
    engine = store.make_engine(app_env)
    at = signed_in_page("pages/upload.py")
    at.get("file_uploader")[0].upload("program.xlsx", edited_template(engine), XLSX).run()
    texts = visible_texts(at)
    assert "Quick win" in texts and {"ya", "tidak"} <= set(texts)
    assert english_in(texts) == []
    at.button(key="apply").click().run()
    at.switch_page("pages/history.py").run()
    texts = visible_texts(at)  # the compare and the rollback previews of versions 1 and 2
    assert {"ya", "tidak"} <= set(texts)
    assert english_in(texts) == []


def test_boundary_report_and_map_show_no_english(app_env):
    at = signed_in_page("pages/boundaries.py")
    data = (PROJECT / "data" / "boundaries.geojson").read_bytes()
    at.get("file_uploader")[0].upload("batas.geojson", data, "application/geo+json").run()
    texts = visible_texts(at)
    assert "kode" in texts
    assert english_in(texts) == []
    at.switch_page("pages/overview.py").run()
    map_html = json.dumps(json.loads(at.get("component_instance")[0].proto.json_args))
    assert "Simplified" not in map_html and "Disederhanakan." in map_html
    assert "L.control.scale({imperial: false})" in map_html
