"""The briefing buttons where users look for them: the region page and the overview."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import open_app


def download_buttons(at: AppTest) -> dict[str, object]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


@pytest.mark.parametrize(
    "lang, pdf, png",
    [
        ("id", "Unduh briefing (PDF)", "Unduh gambar untuk dibagikan (PNG)"),
        ("en", "Download briefing (PDF)", "Download share image (PNG)"),
    ],
)
def test_region_page_offers_the_briefing_and_the_share_image(app_env, lang, pdf, png):
    at = open_app(lang, "pages/region.py", region="33.20")
    buttons = download_buttons(at)
    assert pdf in buttons and png in buttons


@pytest.mark.parametrize(
    "lang, label",
    [
        ("id", "Unduh paket briefing kementerian (PDF, 9 wilayah)"),
        ("en", "Download the ministry briefing pack (PDF, 9 regions)"),
    ],
)
def test_overview_offers_the_pack_for_the_scope(app_env, lang, label):
    at = open_app(lang)
    assert label in download_buttons(at)
