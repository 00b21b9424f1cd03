"""Cell parsers: turn what Indonesian and English users type (or Excel stores) into typed values.

Each parser returns a value or raises ParseError with a message key; the validator turns that
into a located, translated error. Parsers never guess silently between readings that differ.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from operator import methodcaller

import pandas as pd

from lib.core.i18n import MONTH_NUMBERS, MONTHS
from lib.core.schema import normalise_token


class ParseError(ValueError):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class MonthOf:
    """A month of a year as a problem message names it, in the reader's language
    ("Februari 2022")."""

    year: int
    month: int

    def text(self, lang: str) -> str:
        return f"{MONTHS[lang][self.month - 1]} {self.year}"


EXCEL_EPOCH = dt.date(1899, 12, 30)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "benar", "x", "iya"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "salah", "bukan"}


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if raw.__class__ is str:  # the common case first: most cells of a file are text
        return not raw or raw.isspace()
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and raw.strip() == ""


def is_blank_row(row: list[object]) -> bool:
    try:  # a row of text (every CSV row): one join instead of a check per cell
        return not "".join(row).strip()
    except TypeError:
        return all(is_blank(c) for c in row)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_missing(value: object) -> bool:
    """None, pandas NA/NaT or NaN: a value that is not there (a blank string is a value)."""
    if value is None or value is pd.NA:
        return True
    return not isinstance(value, str) and bool(pd.isna(value))


def parse_text(raw: object, max_length: int = 2000) -> str:
    text = str(raw).strip() if not isinstance(raw, str) else raw.strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # our own export's neutralising quote: the round trip gives text back
    if CONTROL_CHARS.search(text):
        raise ParseError("control_chars")
    if len(text) > max_length:
        raise ParseError("too_long")
    return text


def parse_texts(values: list[str], max_length: int = 2000) -> dict[str, object]:
    """parse_text over many distinct texts at once: {text: parsed or ParseError}. Plain text
    (no control character, no leading quote, not too long) is checked with one regex scan
    and C-level string methods; anything else goes through parse_text one by one."""
    if CONTROL_CHARS.search("\n".join(values)) is None:
        stripped = list(map(str.strip, values))
        plain = max(map(len, stripped), default=0) <= max_length and not any(
            map(methodcaller("startswith", "'"), stripped)
        )
        if plain:
            return dict(zip(values, stripped, strict=True))
    out: dict[str, object] = {}
    for value in values:
        try:
            out[value] = parse_text(value, max_length)
        except ParseError as error:
            out[value] = error
    return out


# The forms a region code arrives in, each with one reading (README, Data contract):
DOTTED_CODE = re.compile(r"(?:ID)?(\d{2})\.(\d{2})")  # "33.23", "ID33.23"
# BPS "3323", "ID3323"; "3323.0" when an integer column with a blank was written out as text
BPS_CODE = re.compile(r"(?:ID)?(\d{2})(\d{2})(?:\.0+)?")
SHORT_CODE = re.compile(r"(\d{2})\.(\d)")  # "33.2": how Excel and pandas write the number 33.20


def as_region_code(raw: object) -> str | None:
    """The stored form ("33.23") of a region code in any form a file brings it: "33.23",
    "3323", "ID3323", "3323.0", the number 3323 or 3323.0, and 33.2 (Excel's number for
    "33.20"). None when raw is no code: blank, true/false, a name, or a number that is not a
    code exactly. The one rule for uploads (parse_region_code) and boundary files."""
    if is_missing(raw) or isinstance(raw, bool):
        return None
    if pd.api.types.is_float(raw):
        number = float(raw)
        # Excel keeps 33.20 as the number 33.2; the shortest repr is what was typed, so 33.204
        # stays 33.204 (refused) instead of being rounded onto another region's code.
        text = str(int(number)) if number.is_integer() else repr(number)
    else:
        text = str(raw).strip().upper()
    for form in (DOTTED_CODE, BPS_CODE):
        match = form.fullmatch(text)
        if match:
            return f"{match[1]}.{match[2]}"
    match = SHORT_CODE.fullmatch(text)
    return f"{match[1]}.{match[2]}0" if match else None


def parse_region_code(raw: object) -> str:
    """Codes are strings: "33.23". Excel may have stored 33.2 (a number) or BPS "3323"."""
    code = as_region_code(raw)
    if code is None:
        raise ParseError("bad_code")
    return code


def _number_text(raw: str) -> str:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    text = re.sub(r"^(rp\.?|idr)", "", text, flags=re.IGNORECASE)
    return text


def parse_int(raw: object) -> int:
    if isinstance(raw, bool):
        raise ParseError("not_integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise ParseError("not_integer")
    text = _number_text(str(raw))
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if re.fullmatch(r"\d+", digits):
        return sign * int(digits)
    # 1.250.000 (Indonesian) or 1,250,000 (English): groups of exactly three digits.
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits) or re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
        return sign * int(re.sub(r"[.,]", "", digits))
    # A trailing zero fraction written by Excel exports: 1250000,00 or 1.250.000,00
    match = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+|\d+),0+", digits) or re.fullmatch(
        r"(\d{1,3}(?:,\d{3})+|\d+)\.0+", digits
    )
    if match:
        return sign * int(re.sub(r"[.,]", "", match.group(1)))
    raise ParseError("not_integer")


def parse_float(raw: object) -> float:
    if isinstance(raw, bool):
        raise ParseError("not_number")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ParseError("not_number")
        return float(raw)
    text = _number_text(str(raw))
    if "," in text and "." in text:
        # The separator that comes last is the decimal one: 1.234,5 or 1,234.5
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        raise ParseError("not_number")
    try:
        value = float(text)
    except ValueError:
        raise ParseError("not_number") from None
    if not math.isfinite(value):
        raise ParseError("not_number")
    return value


def parse_date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return _in_range(raw.date())
    if isinstance(raw, dt.date):
        return _in_range(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _from_excel_serial(float(raw))
    text = str(raw).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_excel_serial(float(text))
    text = re.sub(r"[T ]00:00(:00(\.0+)?)?$", "", text)
    patterns = (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", ("y", "m", "d")),
        (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", ("d", "m", "y")),
        (r"(\d{4})/(\d{1,2})/(\d{1,2})", ("y", "m", "d")),
    )
    for pattern, order in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            return _make_date(parts["y"], parts["m"], parts["d"])
    match = re.fullmatch(r"(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})", text)
    if match and match.group(2).lower() in MONTH_NUMBERS:
        month = MONTH_NUMBERS[match.group(2).lower()]
        return _make_date(int(match.group(3)), month, int(match.group(1)))
    raise ParseError("not_date")


def _from_excel_serial(serial: float) -> dt.date:
    if not 1 <= serial <= 2958465 or int(serial) == 60:  # 60 is 1900-02-29, which never was
        raise ParseError("not_date")
    if serial < 60:  # before Excel's phantom leap day its serials are one day ahead
        return _in_range(EXCEL_EPOCH + dt.timedelta(days=int(serial) + 1))
    return _in_range(EXCEL_EPOCH + dt.timedelta(days=int(serial)))


def _in_range(date: dt.date) -> dt.date:
    """Every date, typed as text or stored by Excel as a date cell, lies in 1900-2100."""
    if not 1900 <= date.year <= 2100:
        raise ParseError("year_out_of_range")
    return date


def _make_date(year: int, month: int, day: int) -> dt.date:
    if not 1900 <= year <= 2100:
        raise ParseError("year_out_of_range")
    # The form was right but the date never was (31/02, 29/02 of a common year, month 13):
    # say that, not "not a date", which sends the user looking for another way to write it.
    if not 1 <= month <= 12:
        raise ParseError("no_such_month", month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ParseError("no_such_day", day=day, month=MonthOf(year, month), days=days)
    return dt.date(year, month, day)


def parse_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    token = normalise_token(raw) if not isinstance(raw, int | float) else str(int(raw))
    if token in TRUE_WORDS:
        return True
    if token in FALSE_WORDS:
        return False
    raise ParseError("not_bool")


def parse_enum(raw: object, lookup: dict[str, object]) -> object:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    token = normalise_token(raw)
    if token in lookup:
        return lookup[token]
    raise ParseError("not_allowed")
