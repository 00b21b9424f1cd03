"""The language a browser chose, remembered in a cookie: a Streamlit script can read cookies
(st.context.cookies) but cannot set them, so the page asks this route to.

POST /prefs/lang with the header X-Lang: en sets `kspn_lang` for a year. Only a registered
language is accepted; anything else is refused and sets nothing."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lib.core.i18n import LANGS
from lib.core.languages import LANG_COOKIE
from lib.web.auth import _same_origin, _secure

COOKIE = LANG_COOKIE
HEADER = "x-lang"
YEAR_S = 365 * 24 * 60 * 60


def remember_language(request: Request) -> Response:
    chosen = request.headers.get(HEADER, "")
    if chosen not in LANGS or not _same_origin(request):
        return Response(status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE,
        chosen,
        max_age=YEAR_S,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


ROUTES = [Route("/prefs/lang", remember_language, methods=["POST"])]
