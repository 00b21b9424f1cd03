"""Settings from the environment (or .streamlit/secrets.toml via the UI layer)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
# Every true/false setting and its value when unset or empty.
FLAGS = {
    "DASHBOARD_REQUIRE_LOGIN": False,
    "DASHBOARD_HTTPS": False,
    "DASHBOARD_SECURITY_HEADERS": True,
    "DASHBOARD_APPROVAL": True,
}


class SettingError(ValueError):
    """A setting with a value that means nothing: refused, never read as the default."""


def flag(name: str, environ: Mapping[str, str] = os.environ) -> bool:
    """A true/false setting. A misspelt one is refused: read as the default, a typo such as
    DASHBOARD_REQUIRE_LOGIN=ture silently left the dashboard open to everyone."""
    value = environ.get(name, "").strip().lower()
    if not value:
        return FLAGS[name]
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise SettingError(
        f"{name}={environ[name]!r} is not a true/false value: use one of "
        f"{', '.join(TRUE_WORDS)} or {', '.join(FALSE_WORDS)}"
    )


def check_flags(environ: Mapping[str, str] = os.environ) -> None:
    """Read every true/false setting once at start, so a misspelt one stops the server there
    rather than failing a page or a sign-in later."""
    for name in FLAGS:
        flag(name, environ)


def database_url() -> str:
    default = f"sqlite:///{PROJECT_ROOT / 'var' / 'dashboard.db'}"
    return os.environ.get("DATABASE_URL", default)


def data_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_DATA_DIR", PROJECT_ROOT / "data"))


def map_tile_url() -> str | None:
    """Basemap tiles are optional: offline the map draws on a plain background."""
    return os.environ.get("MAP_TILE_URL") or None


def leaflet_base_url() -> str:
    return os.environ.get("LEAFLET_BASE_URL", "/app/static/vendor/leaflet")


def require_login_to_view() -> bool:
    return flag("DASHBOARD_REQUIRE_LOGIN")


def https_forced() -> bool:
    """Behind a TLS-terminating proxy the app sees plain HTTP: this says it is HTTPS anyway."""
    return flag("DASHBOARD_HTTPS")


def security_headers_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    return flag("DASHBOARD_SECURITY_HEADERS", environ)


def admin_password() -> str | None:
    """First start only: the password of the admin account created when there is none."""
    return os.environ.get("DASHBOARD_ADMIN_PASSWORD") or None


def session_minutes() -> int:
    return int(os.environ.get("DASHBOARD_SESSION_MINUTES", "480"))


def static_cache_dir() -> str | None:
    """Where compressed copies of Streamlit's bundles are kept (default: the system temp dir)."""
    return os.environ.get("DASHBOARD_STATIC_CACHE") or None


def approval_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Satu Data approval (issue 20): a regional editor's write waits for verification and
    approval before it is official. Off for a one-person deployment: writes are official at
    once, as before."""
    return flag("DASHBOARD_APPROVAL", environ)


MB = 1024 * 1024


def _megabytes(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default * MB
    if not value.isdigit() or int(value) <= 0:
        raise SettingError(f"{name}={environ[name]!r} is not a whole number of megabytes")
    return int(value) * MB


def evidence_file_cap(environ: Mapping[str, str] = os.environ) -> int:
    """Bytes one evidence file may hold (EVIDENCE_MAX_FILE_MB, default 20)."""
    return _megabytes("EVIDENCE_MAX_FILE_MB", 20, environ)


def evidence_region_cap(environ: Mapping[str, str] = os.environ) -> int:
    """Bytes a region's evidence may hold in all (EVIDENCE_MAX_REGION_MB, default 1024)."""
    return _megabytes("EVIDENCE_MAX_REGION_MB", 1024, environ)
