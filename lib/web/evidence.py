"""GET /evidence/{id}: an evidence file, only as a download, only to those who may read its
region (lib/storage/evidence.may_read), read from the sign-in session cookie.

The answer never lets a browser interpret the file: a fixed Content-Type from the intake's
own list (never what the uploader's browser claimed), `Content-Disposition: attachment`,
`X-Content-Type-Options: nosniff` and a CSP sandbox. The bytes are streamed chunk by chunk
from the blob store, so a 20 MB file never sits whole in the server. Every refusal is audited
and said in the language of `?lang=` (default Bahasa Indonesia). No Streamlit import here.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from lib.core import config
from lib.core.evidence import MEDIA_TYPES, clean_name
from lib.core.i18n import LANGS, t
from lib.storage import accounts, sessions
from lib.storage import evidence as store_evidence
from lib.storage.engines import engine_for

FALLBACK_TYPE = "application/octet-stream"


def _engine():
    return engine_for(config.database_url())


def _refusal(status: int, key: str, lang: str) -> Response:
    return PlainTextResponse(
        t(key, lang),
        status_code=status,
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


def disposition(file_name: str) -> str:
    """attachment; an ASCII fallback name and the UTF-8 one (RFC 6266 / 5987)."""
    name = clean_name(file_name)
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(request: Request) -> Response:
    lang = request.query_params.get("lang", "id")
    lang = lang if lang in LANGS else "id"
    engine = _engine()
    attachment_id = request.path_params["attachment_id"]
    found = store_evidence.get(engine, attachment_id)
    user = sessions.user_for_token(
        engine, request.cookies.get(sessions.COOKIE), config.session_minutes()
    )
    actor = user.username if user else "anonymous"
    if found is None or found.sha256 is None or found.purged:
        return _refusal(404, "evidence_not_found", lang)
    if not store_evidence.may_read(user, found.region_code):
        accounts.record(
            engine,
            actor,
            "evidence_download_refused",
            False,
            id=attachment_id,
            region=found.region_code,
        )
        # The same answer whether the id exists or not would hide ids; the region is no secret.
        return _refusal(403, "evidence_download_refused", lang)
    blobs = store_evidence.DatabaseBlobs(engine)
    size = blobs.size(found.sha256)
    if size is None:
        return _refusal(404, "evidence_not_found", lang)
    media = found.media_type if found.media_type in MEDIA_TYPES else FALLBACK_TYPE
    headers = {
        "Content-Disposition": disposition(found.file_name or "bukti"),
        "Content-Length": str(size),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }
    return StreamingResponse(blobs.chunks(found.sha256), media_type=media, headers=headers)


ROUTES = [Route("/evidence/{attachment_id:int}", download, methods=["GET"])]
