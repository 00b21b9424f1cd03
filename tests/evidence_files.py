"""Evidence files for tests and the benchmark, made in memory: good ones and hostile ones."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from fpdf import FPDF
from PIL import Image


def pdf(text: str = "Masterplan smart city, tahap 4", pages: int = 1) -> bytes:
    document = FPDF()
    # A fixed date: the same text makes the same bytes (dedup tests compare them).
    document.set_creation_date(dt.datetime(2021, 11, 12, tzinfo=dt.UTC))
    for number in range(pages):
        document.add_page()
        document.set_font("helvetica", size=16)
        document.cell(text=f"{text} ({number + 1})")
    return bytes(document.output())


def raw_pdf(extra_catalog: bytes = b"", padding: bytes = b"") -> bytes:
    """A minimal one-page PDF written by hand, its catalog carrying `extra_catalog`; `padding`
    goes into an unreferenced stream (a large file of a chosen size)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    if padding:
        objects.append(b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (7.0, 36.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(40, 30), colour=(30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def office(kind: str, extra: dict[str, bytes] | None = None) -> bytes:
    members = {
        "docx": {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "word/document.xml": b"<w:document/>",
        },
        "xlsx": {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "xl/workbook.xml": b"<workbook/>",
        },
        "odt": {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
        "ods": {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"<x/>",
        },
    }[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**members, **(extra or {})}.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bomb(megabytes: int = 40) -> bytes:
    """A DOCX whose document part unpacks from ~40 KB to `megabytes` of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def pdf_with_packed_script() -> bytes:
    """A PDF 1.5 whose OpenAction JavaScript sits inside a compressed object stream."""
    import zlib

    packed = b"4 0 << /S /JavaScript /JS (app.alert(1)) >>"
    body = zlib.compress(packed)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        body
    )
    return raw_pdf(b"/OpenAction 4 0 R", padding=b"").replace(
        b"trailer", b"5 0 obj\n" + stream + body + b"\nendstream\nendobj\ntrailer"
    )
