"""The routes that carry the sign-in cookie: a Streamlit script cannot set cookies itself.

POST /auth/session exchanges the one-time ticket the script made after checking the password
for the session token, sent back as an HttpOnly, SameSite=Strict cookie (Secure under HTTPS).
The cookie lives as long as the browser session; idle expiry is decided in the store.
POST /auth/logout revokes the token and clears the cookie. No Streamlit import here; the
handlers are plain functions, so Starlette runs their store calls in its thread pool.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lib.core import config
from lib.storage import sessions
from lib.storage.engines import engine_for

COOKIE = sessions.COOKIE
TICKET_HEADER = "x-session-ticket"


def _engine():
    return engine_for(config.database_url())


def _secure(request: Request) -> bool:
    """Secure under HTTPS: seen directly, or told by DASHBOARD_HTTPS behind a TLS proxy."""
    return config.https_forced() or request.url.scheme == "https"


def _same_origin(request: Request) -> bool:
    # A cross-site page cannot read the answer, but it must not plant a session either.
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def session(request: Request) -> Response:
    ticket = request.headers.get(TICKET_HEADER, "")
    if not ticket or not _same_origin(request):
        return Response(status_code=400)
    token = sessions.redeem(_engine(), ticket)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE,
        token,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


def logout(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=400)
    sessions.revoke(_engine(), request.cookies.get(COOKIE))
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


ROUTES = [
    Route("/auth/session", session, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]
