"""Alert icons draw with no internet and no emoji font (issue 29 item 12): Material Symbols
from the font Streamlit serves itself, not emoji that fell back to empty boxes."""

import pytest

from tests.browser.conftest import wait_until_drawn

pytestmark = pytest.mark.browser


def test_an_alert_icon_is_a_glyph_drawn_offline(server, page):
    page.goto(f"{server}/?province=Bali", timeout=120_000)  # an unknown scope: a warning
    wait_until_drawn(page)
    icon = page.locator('[data-testid="stAlertContainer"] [data-testid="stAlertDynamicIcon"]')
    icon.first.wait_for(timeout=30_000)
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert page.evaluate("document.fonts.check('20px \"Material Symbols Rounded\"')")
    box = icon.first.bounding_box()
    assert box["width"] <= 24  # one glyph, not the word "warning" in letters
    assert page.blocked_requests == []
