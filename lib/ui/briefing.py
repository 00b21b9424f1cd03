"""Download buttons for briefings: on the region page (PDF and share PNG) and the overview (pack).

The files are made only when a button is pressed (Streamlit calls the function then), so a page
view never pays for a PDF nobody downloads.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.briefing.content import file_name
from lib.briefing.export import pack_file, region_file
from lib.core.i18n import fmt_int, t
from lib.ingest.dataset import Dataset
from lib.storage.evidence import evidenced_targets
from lib.ui.store import engine


def region_buttons(dataset: Dataset, code: str, reference: dt.date, lang: str) -> None:
    row = st.container(horizontal=True)  # each button as wide as its label, side by side
    buttons = (
        ("pdf", "application/pdf", "brief_download_pdf"),
        ("png", "image/png", "brief_download_png"),
    )
    for fmt, mime, label in buttons:
        row.download_button(
            t(label, lang),
            data=lambda fmt=fmt: region_file(
                dataset, code, reference, lang, fmt, evidenced_targets(engine())
            )[1],
            file_name=file_name(code, dataset.version, reference, lang, fmt),
            mime=mime,
            key=f"briefing_{fmt}",
            on_click="ignore",
        )


def pack_button(
    dataset: Dataset,
    reference: dt.date,
    lang: str,
    scope_label: str | None = None,
    scope_slug: str = "all",
) -> None:
    label = scope_label or t("scope_all", lang)
    st.download_button(
        t("brief_download_pack", lang, n=fmt_int(len(dataset.regions), lang)),
        data=lambda: pack_file(
            dataset, reference, lang, label, scope_slug, evidenced_targets(engine())
        )[1],
        file_name=file_name(f"pack-{scope_slug}", dataset.version, reference, lang),
        mime="application/pdf",
        key="briefing_pack",
        on_click="ignore",
    )
