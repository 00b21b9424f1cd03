"""Security headers and the Host check for every HTTP answer (ASGI middleware, no Streamlit).

Settings come from the environment so a deployment behind a proxy can adapt them:
- DASHBOARD_SECURITY_HEADERS=off: send none (the proxy sets its own).
- DASHBOARD_FRAME_ANCESTORS: who may frame the dashboard (CSP frame-ancestors), default 'self'
  (Streamlit frames its own components, so 'none' would blank the map). X-Frame-Options follows
  when the value is 'self' (SAMEORIGIN) or 'none' (DENY); a list of hosts can only be said by CSP.
- DASHBOARD_REFERRER_POLICY: default same-origin (links out do not carry our URLs).
The Host check uses Streamlit's own server.allowedHosts, which Streamlit itself applies only to
the websocket: here a page request with a foreign Host (DNS rebinding) is refused too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from lib.core import config
from lib.core.i18n import LANGS, t


@dataclass(frozen=True)
class HeaderSettings:
    enabled: bool = True
    frame_ancestors: str = "'self'"
    referrer_policy: str = "same-origin"

    @classmethod
    def from_env(cls, environ=os.environ) -> HeaderSettings:
        return cls(
            enabled=config.security_headers_enabled(environ),
            frame_ancestors=environ.get("DASHBOARD_FRAME_ANCESTORS", "").strip() or "'self'",
            referrer_policy=environ.get("DASHBOARD_REFERRER_POLICY", "").strip() or "same-origin",
        )

    def headers(self) -> list[tuple[bytes, bytes]]:
        if not self.enabled:
            return []
        out = [
            ("content-security-policy", f"frame-ancestors {self.frame_ancestors}"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", self.referrer_policy),
        ]
        frame_options = {"'self'": "SAMEORIGIN", "'none'": "DENY"}.get(self.frame_ancestors)
        if frame_options:
            out.append(("x-frame-options", frame_options))
        return [(k.encode(), v.encode()) for k, v in out]


def host_allowed(host: str | None, allowed: list[str]) -> bool:
    """The rule of Streamlit's server.allowedHosts: empty accepts all, ports are ignored,
    '*.example.org' matches subdomains, '*' anything."""
    if not allowed:
        return True
    if not host:
        return False
    try:
        name = urlsplit(f"//{host}").hostname
    except ValueError:
        return False
    if not name:
        return False
    name = name.lower().rstrip(".")
    for pattern in (p.strip().lower().rstrip(".") for p in allowed):
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


# No page language is known here: the refusal says it in every language, with the fix.
HOST_REFUSED = "\n".join(t("host_not_allowed", lang) for lang in LANGS).encode()


class SecurityHeaders:
    def __init__(
        self,
        app,
        settings: HeaderSettings | None = None,
        allowed_hosts: Callable[[], list[str]] = list,
    ):
        self.app = app
        self.headers = (settings or HeaderSettings.from_env()).headers()
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
        if not host_allowed(host, list(self.allowed_hosts() or [])):
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), *self.headers],
                }
            )
            await send({"type": "http.response.body", "body": HOST_REFUSED})
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
