import datetime as dt

import pytest

from lib.i18n import ENUM_LABELS, TEXT, fmt_date, fmt_date_range, fmt_int, fmt_number, t


@pytest.mark.parametrize(
    "lang, value, text",
    [("id", 1234567, "1.234.567"), ("en", 1234567, "1,234,567"), ("id", 0, "0"), ("id", None, "–")],
)
def test_integers(lang, value, text):
    assert fmt_int(value, lang) == text


@pytest.mark.parametrize("lang, text", [("id", "1.234,5"), ("en", "1,234.5")])
def test_decimals(lang, text):
    assert fmt_number(1234.5, lang) == text


@pytest.mark.parametrize(
    "lang, day, text",
    [
        ("id", dt.date(2021, 9, 20), "20 September 2021"),
        ("id", dt.date(2021, 8, 6), "6 Agustus 2021"),
        ("en", dt.date(2021, 8, 6), "6 August 2021"),
        ("id", dt.date(2021, 12, 1), "1 Desember 2021"),
    ],
)
def test_dates(lang, day, text):
    assert fmt_date(day, lang) == text


@pytest.mark.parametrize(
    "start, end, text",
    [
        ("2021-09-20", "2021-09-21", "20–21 September 2021"),
        ("2021-09-27", "2021-10-08", "27 September – 8 Oktober 2021"),
        ("2021-12-30", "2022-01-02", "30 Desember 2021 – 2 Januari 2022"),
        ("2021-06-28", "2021-06-28", "28 Juni 2021"),
        (None, None, "–"),
    ],
)
def test_date_ranges(start, end, text):
    parse = lambda v: None if v is None else dt.date.fromisoformat(v)  # noqa: E731
    assert fmt_date_range(parse(start), parse(end), "id") == text


def test_every_text_has_both_languages_and_they_differ_where_words_are_translated():
    for key, (indonesian, english) in TEXT.items():
        assert indonesian and english, key
    assert t("page_overview", "id") == "Ringkasan"
    assert t("page_overview", "en") == "Overview"
    for labels in ENUM_LABELS.values():
        assert all(len(pair) == 2 for pair in labels.values())
