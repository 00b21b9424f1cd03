"""Dates are read with the month names Babel gives every registered language (plus the spellings
of lib/core/month_spellings.toml), the same names the app writes dates with."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from babel import Locale
from babel.dates import format_date, get_month_names

from lib.charts.palette import month_ticks
from lib.core.i18n import LOCALES, fmt_date, month_numbers
from lib.core.languages import LANGS
from lib.core.parse import parse_date

# Every entry of the hand-typed table the parser read months with before (parse.MONTHS): each
# must still be read, as the month it meant.
FORMER_TABLE = {
    **dict.fromkeys(["januari", "january", "jan"], 1),
    **dict.fromkeys(["februari", "february", "feb"], 2),
    **dict.fromkeys(["maret", "march", "mar"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "june", "jun"], 6),
    **dict.fromkeys(["juli", "july", "jul"], 7),
    **dict.fromkeys(["agustus", "august", "agu", "agt", "aug"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "october", "okt", "oct"], 10),
    **dict.fromkeys(["november", "nov"], 11),
    **dict.fromkeys(["desember", "december", "des", "dec"], 12),
}


@pytest.mark.parametrize("spelling, month", FORMER_TABLE.items())
def test_every_month_spelling_read_before_is_still_read(spelling, month):
    for written in (spelling, spelling.title(), spelling.upper(), spelling.title() + "."):
        assert parse_date(f"6 {written} 2021") == dt.date(2021, month, 6)


DAYS = [dt.date(2021, month, day) for month in range(1, 13) for day in (1, 28)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_date_the_app_writes_reads_back_in_every_language(lang, day):
    assert parse_date(fmt_date(day, lang)) == day
    for pattern in ("d MMM y", "d MMMM y"):  # Babel's abbreviated and wide names
        assert parse_date(format_date(day, pattern, locale=LOCALES[lang])) == day


def test_a_spelling_meaning_two_months_refuses_to_load():
    with pytest.raises(ValueError, match="Agu"):
        month_numbers([Locale.parse("id")], {1: ["Agu"]})


@pytest.mark.parametrize("lang", LANGS)
def test_chart_month_ticks_use_the_locales_short_names(lang):
    """A chart's ticks take the locale's own abbreviations, never a name cut at three letters
    (en-GB writes "Sept", Indonesian "Agu")."""
    _, labels = month_ticks(pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31"), lang)
    short = get_month_names("abbreviated", "stand-alone", LOCALES[lang])
    assert labels == [f"{short[month]} 2021" for month in range(1, 13)]
