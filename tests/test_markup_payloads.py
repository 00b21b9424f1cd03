"""Data-derived text is shown as text on every page: Markdown in any field never becomes an
image or a link (issue 9 item 9). Every text field a page can display carries a payload."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.plain_text import escape_markdown
from lib.ingest.dataset import ensure_seeded
from lib.storage import accounts, store
from tests.conftest import ADMIN_PASSWORD, PROJECT, sign_in

APP = str(PROJECT / "app.py")
PAYLOADS = {
    "image": "![](http://host/x)",
    "link": "[text](http://host/y)",
}
TEXT_FIELDS = {  # every free-text field of the contract
    "regions": ("name", "province", "seat", "area"),
    "stages": ("venue", "source", "notes"),
    "programs": ("name", "lead_agency", "source", "notes"),
}
PAGES = [
    ("pages/overview.py", {}),
    ("pages/region.py", {"region": "33.20"}),
    ("pages/region.py", {"region": "![](http://host/q)"}),  # a hostile link, said back
    ("pages/dimensions.py", {}),
    ("pages/upload.py", {}),
    ("pages/history.py", {}),
    ("pages/audit.py", {}),
    ("pages/boundaries.py", {}),
]


def hostile_store(db_url: str, payload: str) -> None:
    engine = store.make_engine(db_url)
    assert ensure_seeded(engine, PROJECT / "data") == []
    frames = store.read_all(engine, 1)
    for table, columns in TEXT_FIELDS.items():
        for column in columns:
            if column in frames[table]:
                frames[table][column] = [f"{payload} {i}" for i in range(len(frames[table]))]
    store.write_version(
        engine, frames, author=payload, action="upload", expected_version=1, file_name=payload
    )
    accounts.ensure_admin(engine, ADMIN_PASSWORD)
    accounts.add_user(engine, "hostile", "Sandi-Uji-12345", "ministry_admin", display_name=payload)
    engine.dispose()


def markdown_texts(at: AppTest) -> list[str]:
    """The source of every element Streamlit renders as Markdown."""
    texts = []
    for kind in ("markdown", "caption", "title", "header", "subheader"):
        texts += [e.value for e in at.get(kind)]
    for kind in ("info", "warning", "error", "success"):
        texts += [e.value for e in getattr(at, kind)]
    texts += [m.label for m in at.metric]
    texts += [e.label for e in at.expander]
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "text_input", "button"):
        texts += [w.label for w in at.get(kind) if getattr(w, "label", None)]
    return texts


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_no_page_turns_data_into_markup(app_env, payload):
    hostile_store(app_env, payload)
    at = AppTest.from_file(APP, default_timeout=90).run()
    sign_in(at, "hostile", "Sandi-Uji-12345")
    seen_escaped = 0
    for page, query in PAGES:
        at.query_params.clear()
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        for text in markdown_texts(at):
            assert "](" not in text and "http://" not in text, (page, text)
            seen_escaped += escape_markdown(payload) in text
    assert seen_escaped  # the payloads were on screen, as text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("![](http://host/x)", r"\!\[\]\(http\:\/\/host\/x\)"),
        ("[text](http://host/y)", r"\[text\]\(http\:\/\/host\/y\)"),
        ("Kabupaten Jepara", "Kabupaten Jepara"),
        (":red[merah] **tebal** $x$", r"\:red\[merah\] \*\*tebal\*\* \$x\$"),
        ("# judul\n- butir", r"\# judul \- butir"),
        ("<img src=x>", r"\<img src\=x\>"),
    ],
)
def test_escape_markdown(text, escaped):
    assert escape_markdown(text) == escaped
