"""Evidence files in (issue 21): typed by content, hostile files refused or neutralised, each
with a message naming the file and what is wrong, in both languages."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from lib.core.evidence import clean_name
from lib.ingest import evidence_intake as intake
from lib.views import evidence as evidence_view
from tests import evidence_files as files

JS_PDF = files.raw_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
ESCAPED_JS_PDF = files.raw_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")
LAUNCH_PDF = files.raw_pdf(b"/OpenAction << /S /Launch /F (calc.exe) >>")
POLYGLOT = files.jpeg_with_gps() + files.zip_of({"index.html": files.HTML})
PDF_ZIP = files.pdf() + files.zip_of({"a.txt": b"x"})

# name, bytes, refusal key, words the Indonesian and English messages must hold
HOSTILE = [
    ("pdf_js", "rencana.pdf", JS_PDF, "evidence_pdf_script", ("JavaScript", "JavaScript")),
    ("pdf_js_escaped", "rencana.pdf", ESCAPED_JS_PDF, "evidence_pdf_script", ("JavaScript",) * 2),
    (
        "pdf_js_packed",
        "rencana.pdf",
        files.pdf_with_packed_script(),
        "evidence_pdf_script",
        ("JavaScript",) * 2,
    ),
    ("pdf_launch", "rencana.pdf", LAUNCH_PDF, "evidence_pdf_script", ("program", "program")),
    ("html_as_pdf", "laporan.pdf", files.HTML, "evidence_type_refused", ("HTML", "HTML")),
    ("svg", "peta.svg", files.SVG, "evidence_type_refused", ("SVG", "SVG")),
    ("svg_as_png", "foto.png", files.SVG, "evidence_type_refused", ("SVG", "SVG")),
    ("polyglot_jpeg_zip", "foto.jpg", POLYGLOT, "evidence_polyglot", ("zip", "zip")),
    ("polyglot_pdf_zip", "dok.pdf", PDF_ZIP, "evidence_polyglot", ("zip", "zip")),
    (
        "zip_bomb_docx",
        "notulen.docx",
        files.docx_bomb(),
        "evidence_zip_bomb",
        ("bom zip", "zip bomb"),
    ),
    (
        "macro_docm",
        "makro.docx",
        files.office("docx", {"word/vbaProject.bin": b"x"}),
        "evidence_macro",
        ("makro", "macros"),
    ),
    (
        "plain_zip",
        "arsip.zip",
        files.zip_of({"a.txt": b"x"}),
        "evidence_type_refused",
        ("zip", "zip"),
    ),
    (
        "legacy_doc",
        "lama.doc",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "evidence_legacy_office",
        (".doc", ".doc"),
    ),
    ("gif", "anim.gif", b"GIF89a" + b"\0" * 40, "evidence_type_refused", ("GIF", "GIF")),
    (
        "exe",
        "setup.pdf",
        b"MZ\x90\0" + b"\0" * 100,
        "evidence_type_refused",
        ("program", "program"),
    ),
    (
        "broken_png",
        "rusak.png",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 50,
        "evidence_image_broken",
        ("rusak", "damaged"),
    ),
    (
        "broken_pdf",
        "rusak.pdf",
        b"%PDF-1.4\nnothing here",
        "evidence_pdf_broken",
        ("rusak", "damaged"),
    ),
    ("empty", "kosong.pdf", b"", "evidence_empty", ("kosong", "empty")),
]


@pytest.mark.parametrize(
    "name, data, key, words", [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_files_are_refused_naming_the_file_and_the_reason(name, data, key, words):
    with pytest.raises(intake.IntakeRefused) as refused:
        intake.check_file(name, data)
    assert refused.value.key == key
    for lang, word in zip(("id", "en"), words, strict=True):
        text = evidence_view.refusal_text(refused.value, lang)
        assert name in text
        assert word.lower() in text.lower()


def test_a_2_gb_sparse_file_is_refused_after_reading_only_past_the_cap(tmp_path):
    path = tmp_path / "besar.pdf"
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(2 * 1024**3)

    class Counting(io.RawIOBase):
        def __init__(self, handle):
            self.handle, self.read_bytes = handle, 0

        def read(self, size=-1):
            data = self.handle.read(size)
            self.read_bytes += len(data)
            return data

    with open(path, "rb") as handle:
        counting = Counting(handle)
        with pytest.raises(intake.IntakeRefused) as refused:
            intake.check_file("besar.pdf", counting)
    assert refused.value.key == "evidence_too_big"
    assert counting.read_bytes == 20 * 1024 * 1024 + 1
    assert "20 MB" in evidence_view.refusal_text(refused.value, "id")


HOSTILE_NAME = "../../..\\\"evil'\u202egpj.exe" + "a" * 300 + ".png"


def test_a_hostile_file_name_is_neutralised_and_follows_the_content():
    checked = intake.check_file(HOSTILE_NAME, files.png())
    name = checked.file_name
    assert name.endswith(".png") and len(name) <= 120
    for bad in ("/", "\\", '"', "'", "\u202e", ".."):
        assert bad not in name
    assert name.startswith("_evil_gpj.exe")


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\foto.jpg", "foto.jpg"),
        ("\u202eexe.pdf", "exe.pdf"),
        ("   .hidden  ", "hidden"),
        ("", "berkas"),
        ("a\"b'c.pdf", "a_b_c.pdf"),
    ],
)
def test_clean_names(raw, clean):
    assert clean_name(raw) == clean


def test_a_pdf_named_jpg_is_stored_as_pdf_and_said_so():
    checked = intake.check_file("foto.jpg", files.pdf())
    assert (checked.file_name, checked.media_type) == ("foto.pdf", "application/pdf")
    assert "evidence_note_renamed" in checked.notes


def test_photos_lose_their_exif_and_gps_and_get_a_thumbnail():
    original = files.jpeg_with_gps((1600, 1200))
    assert Image.open(io.BytesIO(original)).getexif()  # the test photo does carry EXIF
    checked = intake.check_file("bimtek.jpg", original)
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "JPEG" and not stored.getexif()
    assert b"KameraUji" not in checked.data
    thumb = Image.open(io.BytesIO(checked.thumbnail))
    assert max(thumb.size) <= intake.THUMB_PX and thumb.format == "PNG"


def test_a_pdf_gets_its_first_page_drawn_as_a_thumbnail():
    checked = intake.check_file("masterplan.pdf", files.pdf(pages=3))
    thumb = Image.open(io.BytesIO(checked.thumbnail))
    assert thumb.format == "PNG" and thumb.width <= intake.THUMB_PX
    assert checked.data.startswith(b"%PDF")  # a PDF is stored as sent


@pytest.mark.parametrize(
    "kind, media, category",
    [
        ("docx", "wordprocessingml", "document"),
        ("xlsx", "spreadsheetml", "spreadsheet"),
        ("odt", "opendocument.text", "document"),
        ("ods", "opendocument.spreadsheet", "spreadsheet"),
    ],
)
def test_office_documents_are_recognised_by_their_members(kind, media, category):
    checked = intake.check_file(f"berkas.{kind}", files.office(kind))
    assert media in checked.media_type and checked.kind == category
    assert checked.file_name == f"berkas.{kind}"


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://jdih.jepara.go.id/perbup-12-2021.pdf", True),
        ("http://example.go.id/a?b=c", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://user:pw@example.go.id/", False),
        ("https://exa mple.go.id/", False),
        ("https://\u202eexample.go.id/", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("", False),
    ],
)
def test_links_are_public_web_addresses_kept_as_text(url, ok):
    if ok:
        assert intake.check_link(url) == url
    else:
        with pytest.raises(intake.IntakeRefused) as refused:
            intake.check_link(url)
        assert "http" in evidence_view.refusal_text(refused.value, "en")


def test_script_words_inside_a_pages_data_are_not_scripts():
    """A photograph's compressed bytes hold "/JS" by chance: only objects are read for it."""
    data = files.raw_pdf(padding=b"\x00/JS (x) /JavaScript\x00" * 100)
    assert intake.check_file("foto_scan.pdf", data).type == "pdf"
