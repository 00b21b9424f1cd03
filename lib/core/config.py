"""Settings from the environment (or .streamlit/secrets.toml via the UI layer)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    return os.environ.get("DASHBOARD_REQUIRE_LOGIN", "").lower() in ("1", "true", "yes")


def admin_password() -> str | None:
    """First start only: the password of the admin account created when there is none."""
    return os.environ.get("DASHBOARD_ADMIN_PASSWORD") or None


def session_minutes() -> int:
    return int(os.environ.get("DASHBOARD_SESSION_MINUTES", "480"))


def static_cache_dir() -> str | None:
    """Where compressed copies of Streamlit's bundles are kept (default: the system temp dir)."""
    return os.environ.get("DASHBOARD_STATIC_CACHE") or None
