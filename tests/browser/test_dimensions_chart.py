"""The Dimensi heatmap (plotly) in Chromium, network blocked, at a desk and on a phone, in both
languages: drawn, every dimension label inside the screen, hover and mode bar in the page
language, a text equivalent a screen reader reaches, a click that opens the region."""

import re
from pathlib import Path

import pytest

from lib.charts import plotly_locale
from lib.core.i18n import SHORT_MONTHS, enum_label, t
from lib.core.schema import DIMENSIONS
from tests.browser.conftest import screenshot, start_server, wait_until_drawn
from tests.test_no_english import english_in

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"]'
SCREENS = {"desk": (1440, 900), "phone": (390, 844)}


@pytest.fixture
def open_dimensions(browser, server):
    contexts = []

    def open_(lang: str, screen: str):
        width, height = SCREENS[screen]
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(
                    ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
                )
                else r.abort()
            ),
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/dimensi?lang={lang}")
        wait_until_drawn(page)
        page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
        page.locator(CHART).scroll_into_view_if_needed()
        return page

    yield open_
    for context in contexts:
        context.close()


def hover_first_cell(page) -> str:
    area = page.locator(f"{CHART} .nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + area["width"] / 12, area["y"] + 8)  # first row, first column
    hover = page.locator(f"{CHART} .hoverlayer .hovertext")
    hover.first.wait_for(timeout=10_000)
    return hover.first.text_content()


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_heatmap_fits_and_speaks_the_page_language(open_dimensions, lang, screen):
    page = open_dimensions(lang, screen)
    width = SCREENS[screen][0]
    labels = page.locator(f"{CHART} .xtick text").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent, r.left, r.right]; })"
    )
    assert [text for text, _, _ in labels] == [enum_label("dimension", d, lang) for d in DIMENSIONS]
    assert all(left >= 0 and right <= width for _, left, right in labels), labels
    # Labels do not run into each other (at 30 degrees on a phone they did).
    boxes = page.locator(f"{CHART} .xtick text").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })"
    )
    assert all(a[1] <= b[0] + 1 for a, b in zip(boxes, boxes[1:], strict=False)), boxes
    chart_box = page.locator(CHART).bounding_box()
    assert chart_box["x"] >= 0 and chart_box["x"] + chart_box["width"] <= width
    hover = hover_first_cell(page)
    assert "Kabupaten Jepara" in hover
    assert f"{enum_label('status', 'planned', lang)}: " in hover
    assert f"{t('col_count', lang)}: " in hover
    alt = page.locator(CHART).get_attribute("aria-label")  # what a screen reader reads
    assert f"Kabupaten Jepara · {enum_label('dimension', 'governance', lang)}: " in alt
    titles = page.locator(f"{CHART} .modebar-btn:visible").evaluate_all(
        "els => els.map(e => e.getAttribute('data-title'))"
    )
    assert t("modebar_reset_axes", lang) in titles
    if lang == "id":
        chart_words = page.locator(f"{CHART} .main-svg text").all_text_contents()
        assert english_in(titles + chart_words + hover.split(": ")) == []
        assert not set(titles) & set(plotly_locale.MODEBAR_WORDS)
    page.mouse.move(0, 0)
    screenshot(page, f"dimensions-plotly-{screen}-{lang}")


def test_a_click_on_a_cell_opens_its_region(open_dimensions):
    page = open_dimensions("id", "desk")
    area = page.locator(f"{CHART} .nsewdrag").first.bounding_box()
    page.mouse.click(area["x"] + area["width"] / 12, area["y"] + 10)
    page.get_by_role("heading", name="Kabupaten Jepara").wait_for(timeout=30_000)
    assert "region=33.20" in page.url


def test_the_figures_table_opens(open_dimensions):
    page = open_dimensions("id", "phone")
    page.get_by_text(t("chart_table", "id")).click()
    page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').wait_for(timeout=30_000)


def test_the_overview_never_fetches_plotly_and_dimensi_does(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    try:
        page = context.new_page()
        page.goto(f"{server}/")
        wait_until_drawn(page)
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        assert not [url for url in fetched if "PlotlyChart." in url]
        page.locator('[data-testid="stSidebarNav"] a', has_text="Dimensi").click()
        page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
        assert [url for url in fetched if "PlotlyChart." in url]
    finally:
        context.close()


@pytest.mark.parametrize(
    "lang, other, number",
    [("id", "en", r"\d{1,3}(\.\d{3})+,\d"), ("en", "id", r"\d{1,3}(,\d{3})+\.\d")],
)
def test_a_date_axis_names_the_months_in_the_page_language(browser, lang, other, number):
    process, url = start_server(
        Path("/nonexistent.db"), script=str(Path(__file__).with_name("date_chart_app.py"))
    )
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        page = context.new_page()
        page.goto(f"{url}/?lang={lang}")
        wait_until_drawn(page)
        page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
        months = page.locator(f"{CHART} .xtick text").all_text_contents()
        words = {text.split()[0] for text in months}  # "Mei 2025"
        assert words <= set(SHORT_MONTHS[lang]), months
        assert words - set(SHORT_MONTHS[other]), months  # "Mei", not "May"
        october = page.locator(f"{CHART} .point").nth(3).bounding_box()  # 1 October 2024
        page.mouse.move(october["x"] + october["width"] / 2, october["y"] + october["height"] / 2)
        page.locator(f"{CHART} .hoverlayer .hovertext").first.wait_for(timeout=10_000)
        hover = page.locator(f"{CHART} .hoverlayer").first.text_content()
        assert f"1 {SHORT_MONTHS[lang][9]} 2024" in hover  # day, month, year: "1 Okt 2024"
        numbers = page.locator(f"{CHART} .ytick text").all_text_contents()
        assert numbers and all(re.fullmatch(number, text) for text in numbers), numbers
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=30)
