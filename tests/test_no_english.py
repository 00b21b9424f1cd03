"""No English on an Indonesian page: every text a user reads, checked against the English
catalogue (messages and vocabulary labels that differ from their Indonesian words)."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from lib.core import vocab
from lib.core.i18n import CATALOGUE
from tests.conftest import PROJECT, sign_in

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


ENGLISH = _english_only()
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
