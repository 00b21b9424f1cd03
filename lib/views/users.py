"""The accounts as an admin reads them on the Users page: roles in words (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from lib.core.i18n import t


def users_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("username", lang): [r["username"] for r in rows],
            t("users_display_name", lang): [r["display_name"] for r in rows],
            t("users_role", lang): [t(f"role_{r['role']}", lang) for r in rows],
            t("cs_col_regions", lang): [r["regions"] or "–" for r in rows],
            t("users_col_active", lang): [t("yes" if r["active"] else "no", lang) for r in rows],
        }
    )


def region_codes(text: str) -> set[str]:
    """'33.20, 33' as {'33.20', '33'}: regions and provinces as typed, blanks dropped."""
    return {code.strip() for code in (text or "").split(",") if code.strip()}
