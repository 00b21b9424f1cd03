"""Evidence files in: typed by content, capped, cleaned, and given a server-drawn preview.

Allowed: PDF, PNG, JPEG, XLSX, DOCX, ODT and ODS, each recognised by its bytes and structure,
never by its name. Everything else is refused with a message naming the file and what it is
(HTML renamed .pdf, SVG, a zip that is no document, ...). Hostile files:
- a PDF with JavaScript or a launch action is refused (a reader's viewer could run it);
- a file that is two things at once (a JPEG or PDF with a zip archive inside) is refused;
- zip-based documents are checked member by member against a zip bomb (count, unpacked total,
  inflation) without unpacking them; macro-enabled documents are refused;
- images are decoded (within a pixel cap) and encoded again: EXIF, GPS and anything appended
  after the picture are gone from what is stored;
- a file larger than the cap is refused after reading at most cap + 1 bytes (a 2 GB sparse file
  costs 20 MB of reading, not 2 GB);
- the file name is cleaned: no folders (../), quotes, control or bidirectional override
  characters, at most 120 characters, and its extension follows the content.
Nothing here touches the store; lib/storage/evidence.py stores what passes.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from PIL import Image, ImageOps

from lib.core import config
from lib.core.evidence import BIDI_AND_CONTROL, TYPES, clean_name
from lib.storage import evidence as store_evidence

MB = 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; beyond that a decompression bomb
THUMB_PX = 320
MAX_URL = 2000


@dataclass(frozen=True)
class IntakeLimits:
    max_bytes: int = 20 * MB
    max_members: int = 2000
    max_uncompressed: int = 300 * MB
    max_ratio: float = 150.0
    max_part: int = 4 * MB  # a member read to learn the type ([Content_Types].xml, mimetype)


ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


class IntakeRefused(ValueError):
    """The file (or link) is not stored; `key` names the reason for the translated message."""

    def __init__(self, key: str, file: str, **params):
        super().__init__(f"{key}: {file}")
        self.key = key
        self.file = file
        self.params = params


@dataclass(frozen=True)
class Checked:
    file_name: str  # cleaned, its extension following the content
    type: str  # a key of TYPES
    media_type: str
    kind: str
    data: bytes | memoryview  # what is stored: the file as sent, or the image encoded again
    thumbnail: bytes | None  # a small PNG drawn on the server (images, a PDF's first page)
    notes: tuple[str, ...]  # message ids of what was changed (renamed, metadata removed)


def shown_name(name: str) -> str:
    """The name as a refusal shows it: cleaned too, so a message never carries ../ or an RTL
    override back to the screen."""
    return clean_name(name)


# --- reading ----------------------------------------------------------------------------------


def read_capped(source: bytes | BinaryIO, name: str, limits: IntakeLimits) -> bytes | memoryview:
    """The file's bytes, refused once past the cap without reading the rest. An upload already
    in memory (Streamlit's UploadedFile, a BytesIO) is viewed, not copied."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = source
    elif hasattr(source, "getvalue"):
        # A BytesIO made from bytes shares them: getvalue() hands back that very object
        # (getbuffer() would first copy it).
        data = source.getvalue()
    else:
        data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise IntakeRefused("evidence_too_big", shown_name(name), limit=limits.max_bytes // MB)
    if not len(data):
        raise IntakeRefused("evidence_empty", shown_name(name))
    return data


class _View(io.RawIOBase):
    """A read-only, seekable stream over bytes already in memory, for readers that want a
    file (PDFium, zipfile) without a second copy of a 20 MB upload."""

    def __init__(self, data):
        self.data, self.at = memoryview(data), 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size is None or size < 0 else min(self.at + size, len(self.data))
        out = bytes(self.data[self.at : end])
        self.at = end
        return out

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.at, 2: len(self.data)}[whence]
        self.at = max(0, base + offset)
        return self.at

    def tell(self) -> int:
        return self.at


def _looks_like(data) -> str:
    """What a refused file looks like, for its message."""
    data = bytes(data[:2048])
    head = data.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if b"<svg" in head or (head.startswith(b"<?xml") and b"svg" in head):
        return "svg"
    if head.startswith((b"<!doctype html", b"<html", b"<script", b"<head", b"<body")) or (
        b"<html" in head or b"<script" in head
    ):
        return "html"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "xml"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if data.startswith(b"PK"):
        return "zip"
    if data.startswith((b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")):
        return "image"
    if data.startswith((b"MZ", b"\x7fELF", b"#!")):
        return "program"
    return "unknown"


def _is_zip(data) -> bool:
    """A zip archive ends with its directory (within the last 64 KB): a file that is also a
    zip has one there, whatever it starts with."""
    return zipfile.is_zipfile(_View(data))


# --- the check --------------------------------------------------------------------------------


def check_file(
    name: str, source: bytes | BinaryIO, limits: IntakeLimits = IntakeLimits()
) -> Checked:
    """Check an uploaded evidence file; IntakeRefused says why it cannot be stored."""
    data = read_capped(source, name, limits)
    shown = shown_name(name)
    head = bytes(data[:16])
    if head.startswith(b"%PDF-"):
        return _pdf(name, shown, data)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image(name, shown, data, "png")
    if head.startswith(b"\xff\xd8\xff"):
        return _image(name, shown, data, "jpeg")
    if head.startswith(b"PK\x03\x04"):
        return _zipped(name, shown, data, limits)
    what = _looks_like(data)
    if what == "ole":
        raise IntakeRefused("evidence_legacy_office", shown)
    raise IntakeRefused("evidence_type_refused", shown, what=what)


def _result(name: str, kind_key: str, data: bytes, thumb: bytes | None, notes) -> Checked:
    extension, media, kind = TYPES[kind_key]
    cleaned = clean_name(name, extension)
    notes = list(notes)
    if cleaned != clean_name(name):
        notes.append("evidence_note_renamed")
    return Checked(cleaned, kind_key, media, kind, data, thumb, tuple(notes))


def _name_pattern(word: str) -> bytes:
    """A PDF name as a viewer reads it: any character may be written as #xx (/J#61vaScript)."""
    return b"".join(
        b"(?:%s|#%s)"
        % (
            re.escape(c.encode()),
            "".join(f"[{h.lower()}{h.upper()}]" for h in f"{ord(c):02x}").encode(),
        )
        for c in word
    )


_PDF_ACTIVE = re.compile(
    rb"/(?:"
    + b"|".join(_name_pattern(w) for w in ("JavaScript", "JS", "Launch", "RichMedia"))
    + rb")(?![A-Za-z0-9#])"
)


_STREAM = re.compile(rb"stream\r?\n")
_END_STREAM = re.compile(rb"endstream")
_TOKEN = re.compile(_STREAM.pattern + rb"|" + _PDF_ACTIVE.pattern)
MAX_OBJECT_STREAM = 16 * MB  # an object stream unpacked to look for scripts, at most


def _pdf_is_active(data) -> bool:
    """JavaScript or a launch action anywhere in the PDF's objects: in plain objects, and in
    the compressed object streams (/ObjStm) PDF 1.5 packs objects into. Other streams (page
    content, images, fonts) are skipped: their bytes are data, and a 20 MB scan of a
    photograph holds "/JS" by chance."""
    at = 0
    while found := _TOKEN.search(data, at):
        if not bytes(found.group()).startswith(b"stream"):
            return True
        ends = _END_STREAM.search(data, found.end())
        stop = ends.start() if ends else len(data)
        header = bytes(data[max(0, found.start() - 512) : found.start()])
        if b"/ObjStm" in header[header.rfind(b"obj") :] and _packed_is_active(data, found, stop):
            return True
        at = ends.end() if ends else len(data)
    return False


def _packed_is_active(data, found, stop: int) -> bool:
    unpack = zlib.decompressobj()
    try:
        objects = unpack.decompress(bytes(data[found.end() : stop]), MAX_OBJECT_STREAM)
    except zlib.error:
        return False
    return bool(_PDF_ACTIVE.search(objects))


def _pdf(name: str, shown: str, data: bytes) -> Checked:
    import pypdfium2 as pdfium  # noqa: PLC0415 (its native library loads only when needed)

    if _is_zip(data):
        raise IntakeRefused("evidence_polyglot", shown)
    if _pdf_is_active(data):
        raise IntakeRefused("evidence_pdf_script", shown)
    try:
        document = pdfium.PdfDocument(_View(data))
    except pdfium.PdfiumError:
        raise IntakeRefused("evidence_pdf_broken", shown) from None
    try:
        if len(document) == 0:
            raise IntakeRefused("evidence_pdf_broken", shown)
        # Scripts inside compressed object streams are found by PDFium itself.
        if pdfium.raw.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0:
            raise IntakeRefused("evidence_pdf_script", shown)
        thumb = _pdf_thumbnail(document)
    finally:
        document.close()
    return _result(name, "pdf", data, thumb, ())


def _pdf_thumbnail(document) -> bytes | None:
    page = document[0]
    try:
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            return None
        scale = min((THUMB_PX - 2) / width, 2 * THUMB_PX / height, 2.0)  # 2: the edge
        bitmap = page.render(scale=scale, draw_annots=False)
        # A grey edge: a white page must not vanish into a white page around it.
        image = ImageOps.expand(bitmap.to_pil().convert("RGB"), border=1, fill=(170, 170, 170))
        return _png(image)
    except Exception:  # a page PDFium cannot draw: the file is fine, the preview is not
        return None
    finally:
        page.close()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def _image(name: str, shown: str, data: bytes, kind_key: str) -> Checked:
    if _is_zip(data):
        raise IntakeRefused("evidence_polyglot", shown)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(_View(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise IntakeRefused("evidence_image_too_large", shown, limit=MAX_PIXELS // 10**6)
            probe.verify()
        with Image.open(_View(data)) as image:
            image.draft("RGB", (4096, 4096))  # a huge JPEG is decoded at a reduced scale
            image.load()
            image = ImageOps.exif_transpose(image)
    except IntakeRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise IntakeRefused("evidence_image_too_large", shown, limit=MAX_PIXELS // 10**6) from None
    except Exception:
        raise IntakeRefused("evidence_image_broken", shown) from None
    # Encoded again from the pixels alone: no EXIF (GPS), no comments, nothing appended.
    out = io.BytesIO()
    if kind_key == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    else:
        keep = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")
        keep.save(out, "PNG", optimize=True)
    thumb = image.copy()
    thumb.thumbnail((THUMB_PX, THUMB_PX))
    return _result(name, kind_key, out.getvalue(), _png(thumb), ("evidence_note_reencoded",))


def _zipped(name: str, shown: str, data: bytes, limits: IntakeLimits) -> Checked:
    try:
        archive = zipfile.ZipFile(_View(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise IntakeRefused("evidence_zip_broken", shown) from None
    if len(members) > limits.max_members:
        raise IntakeRefused("evidence_zip_bomb", shown)
    declared = sum(m.file_size for m in members)
    if declared > limits.max_uncompressed or declared > limits.max_ratio * len(data):
        raise IntakeRefused("evidence_zip_bomb", shown)
    if any(m.flag_bits & 0x1 for m in members):
        raise IntakeRefused("evidence_encrypted", shown)
    names = {m.filename for m in members}
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") or n.startswith("basic/") for n in lowered):
        raise IntakeRefused("evidence_macro", shown)
    if "mimetype" in names:
        mimetype = _member(archive, "mimetype", limits, shown).decode("ascii", "replace").strip()
        if mimetype in ODF:
            return _result(name, ODF[mimetype], data, None, ())
        raise IntakeRefused("evidence_type_refused", shown, what="zip")
    if "[Content_Types].xml" in names:
        types = _member(archive, "[Content_Types].xml", limits, shown).lower()
        if b"macroenabled" in types:
            raise IntakeRefused("evidence_macro", shown)
        if "word/document.xml" in names:
            return _result(name, "docx", data, None, ())
        if "xl/workbook.xml" in names:
            return _result(name, "xlsx", data, None, ())
    raise IntakeRefused("evidence_type_refused", shown, what="zip")


def _member(archive: zipfile.ZipFile, member: str, limits: IntakeLimits, shown: str) -> bytes:
    """A small member read whole, but never more than the cap, whatever its header claims."""
    try:
        with archive.open(member) as handle:
            data = handle.read(limits.max_part + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise IntakeRefused("evidence_zip_broken", shown) from None
    if len(data) > limits.max_part:
        raise IntakeRefused("evidence_zip_bomb", shown)
    return data


# --- links ------------------------------------------------------------------------------------


def check_link(url: str) -> str:
    """A public web address kept as text (never fetched): http(s), a host, no credentials."""
    text = (url or "").strip()
    shown = text[:80]
    if not text or len(text) > MAX_URL or BIDI_AND_CONTROL.search(text) or re.search(r"\s", text):
        raise IntakeRefused("evidence_link_refused", shown)
    try:
        parts = urlsplit(text)
    except ValueError:
        raise IntakeRefused("evidence_link_refused", shown) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise IntakeRefused("evidence_link_refused", shown)
    if parts.username or parts.password:
        raise IntakeRefused("evidence_link_refused", shown)
    return text


# --- into the store ---------------------------------------------------------------------------


def attach_upload(
    engine,
    user,
    *,
    region_code: str,
    target: tuple[str, str],
    title: str,
    name: str,
    source: bytes | BinaryIO,
    limits: IntakeLimits | None = None,
    region_cap: int | None = None,
) -> tuple[int, Checked]:
    """Check a file and attach it to a row: IntakeRefused (the file) or EvidenceRefused
    (rights, the region's cap), each audited, nothing stored. Returns (id, the checked file)."""
    limits = limits or IntakeLimits(max_bytes=config.evidence_file_cap())
    # Rights first: a file from someone who may not attach is not even read.
    store_evidence.require_attach(engine, user, region_code, shown_name(name))
    try:
        checked = check_file(name, source, limits)
    except IntakeRefused as refusal:
        store_evidence.refuse_file(
            engine, user, refusal.key, region=region_code, file=refusal.file, **refusal.params
        )
        raise
    new_id = store_evidence.attach(
        engine,
        store_evidence.DatabaseBlobs(engine),
        user,
        region_code=region_code,
        target_table=target[0],
        target_key=target[1],
        kind=checked.kind,
        title=title.strip() or checked.file_name,
        data=checked.data,
        file_name=checked.file_name,
        media_type=checked.media_type,
        thumbnail=checked.thumbnail,
        region_cap=region_cap if region_cap is not None else config.evidence_region_cap(),
    )
    return new_id, checked


def attach_link(engine, user, *, region_code: str, target: tuple[str, str], title: str, url: str):
    """Attach a public web address, kept as text and never fetched."""
    try:
        checked = check_link(url)
    except IntakeRefused as refusal:
        store_evidence.refuse_file(engine, user, refusal.key, region=region_code, file=refusal.file)
        raise
    return store_evidence.attach(
        engine,
        None,
        user,
        region_code=region_code,
        target_table=target[0],
        target_key=target[1],
        kind="link",
        title=title.strip() or checked,
        url=checked,
        region_cap=config.evidence_region_cap(),
    )
