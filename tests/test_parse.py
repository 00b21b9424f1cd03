import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.core.i18n import problem_message
from lib.core.parse import (
    ParseError,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_region_code,
    parse_text,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("Rp 1.250.000", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("-5", -5),
        (1250000.0, 1_250_000),
        (7, 7),
    ],
)
def test_integers_in_indonesian_and_english_notation(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["12,5", "1.25", "abc", "1.2.3,4,5", 2.5])
def test_non_integers_are_rejected(raw):
    with pytest.raises(ParseError):
        parse_int(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("-7,300", -7.3),
        ("-7.300", -7.3),
        ("110,167", 110.167),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        (-7.3, -7.3),
    ],
)
def test_floats_with_comma_or_point_decimals(raw, expected):
    assert parse_float(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2021-09-20", dt.date(2021, 9, 20)),
        ("20/09/2021", dt.date(2021, 9, 20)),
        ("20-09-2021", dt.date(2021, 9, 20)),
        ("20.09.2021", dt.date(2021, 9, 20)),
        ("20 September 2021", dt.date(2021, 9, 20)),
        ("6 Agustus 2021", dt.date(2021, 8, 6)),
        ("12 Nov 2021", dt.date(2021, 11, 12)),
        ("1 Des 2021", dt.date(2021, 12, 1)),
        ("2021-09-20 00:00:00", dt.date(2021, 9, 20)),
        (44459, dt.date(2021, 9, 20)),  # Excel serial
        ("44459", dt.date(2021, 9, 20)),
        (dt.datetime(2021, 9, 20, 0, 0), dt.date(2021, 9, 20)),
    ],
)
def test_dates_as_excel_and_indonesian_users_write_them(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw, key",
    [
        ("20021-01-01", "not_date"),
        ("kemarin", "not_date"),
        # What Excel date cells can hold: the 1900-2100 range holds for them as for text.
        (dt.datetime(1000, 1, 1), "year_out_of_range"),
        (dt.date(9999, 12, 31), "year_out_of_range"),
        (2958465, "year_out_of_range"),  # serial of 9999-12-31
        (60, "not_date"),  # 1900-02-29, Lotus's phantom leap day
        ("60", "not_date"),
        (0, "not_date"),
    ],
)
def test_impossible_dates_are_rejected(raw, key):
    with pytest.raises(ParseError) as error:
        parse_date(raw)
    assert error.value.key == key


# Written in a form we read, but the date never was: the message says so, in the user's words
# (issue 29 item 5: "31/02/2022" was told "not a date, write 20/09/2021").
@pytest.mark.parametrize(
    "raw, lang, message",
    [
        (
            "31/02/2022",
            "id",
            "Tanggal 31 Februari 2022 tidak ada: Februari 2022 hanya punya 28 hari.",
        ),
        (
            "30/02/2024",
            "id",
            "Tanggal 30 Februari 2024 tidak ada: Februari 2024 hanya punya 29 hari.",
        ),
        (
            "29/02/2021",
            "id",
            "Tanggal 29 Februari 2021 tidak ada: Februari 2021 hanya punya 28 hari.",
        ),
        ("31/04/2021", "id", "Tanggal 31 April 2021 tidak ada: April 2021 hanya punya 30 hari."),
        ("2021-06-31", "id", "Tanggal 31 Juni 2021 tidak ada: Juni 2021 hanya punya 30 hari."),
        ("00.01.2021", "id", "Tanggal 0 Januari 2021 tidak ada: Januari 2021 hanya punya 31 hari."),
        ("31/02/2022", "en", "31 February 2022 does not exist: February 2022 has only 28 days."),
        ("2021/09/31", "en", "31 September 2021 does not exist: September 2021 has only 30 days."),
        (
            "20/13/2021",
            "id",
            "Bulan 13 tidak ada (tanggal ditulis hari/bulan/tahun, mis. 20/09/2021).",
        ),
        (
            "09/20/2021",
            "en",
            "There is no month 20 (dates are written day/month/year, e.g. 20/09/2021).",
        ),
    ],
)
def test_a_date_that_never_was_is_said_so(raw, lang, message):
    with pytest.raises(ParseError) as error:
        parse_date(raw)
    assert problem_message(error.value.key, lang, error.value.params) == message


@pytest.mark.parametrize(
    "serial, expected",
    [(1, dt.date(1900, 1, 1)), (59, dt.date(1900, 2, 28)), (61, dt.date(1900, 3, 1))],
)
def test_excel_serials_around_the_phantom_leap_day(serial, expected):
    assert parse_date(serial) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ya", True),
        ("Ya", True),
        ("yes", True),
        ("1", True),
        (1, True),
        ("tidak", False),
        ("No", False),
        ("0", False),
        (False, False),
    ],
)
def test_booleans(raw, expected):
    assert parse_bool(raw) is expected


@pytest.mark.parametrize("raw", ["a\x00b", "x\x07"])
def test_control_characters_are_rejected(raw):
    with pytest.raises(ParseError) as error:
        parse_text(raw)
    assert error.value.key == "control_chars"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_indonesian_thousands_round_trip(value):
    indonesian = f"{value:,}".replace(",", ".")
    assert parse_int(indonesian) == value
    assert parse_int(f"{value:,}") == value


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day):
    for text in (day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day} {day:%B %Y}"):
        assert parse_date(text) == day


@given(st.text())
def test_parsers_never_raise_anything_but_parse_error(text):
    for parser in (parse_int, parse_float, parse_date, parse_region_code, parse_bool):
        with contextlib.suppress(ParseError):
            parser(text)
