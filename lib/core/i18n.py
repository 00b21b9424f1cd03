"""The locale layer: message ids in Bahasa Indonesia (first) and English from
lib/core/messages/*.toml, vocabulary labels from lib/core/vocab.toml, number/date formats and
the month names dates are read with, through Babel."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pandas as pd
from babel import Locale
from babel.dates import format_skeleton, get_month_names
from babel.lists import format_list
from babel.numbers import format_decimal

from lib.core import vocab
from lib.core.languages import DEFAULT_LANG, LANGS, LANGUAGES, REGISTRY  # noqa: F401 (re-exported)

LANGUAGE_NAMES = LANGUAGES
LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "WIB")
LOCALES = {lang: Locale.parse(REGISTRY[lang].tag, sep="-") for lang in LANGS}
MONTHS = {lang: list(get_month_names("wide", locale=LOCALES[lang]).values()) for lang in LANGS}
SHORT_MONTHS = {
    lang: list(get_month_names("abbreviated", "stand-alone", LOCALES[lang]).values())
    for lang in LANGS
}
MONTH_SPELLINGS_FILE = Path(__file__).with_name("month_spellings.toml")


def month_numbers(locales, extra: dict[int, list[str]]) -> dict[str, int]:
    """Every name a typed date may give its month by ("agustus", "agu", "sept"), lower case
    without a dot: the wide and abbreviated names of each locale, as Babel writes them in a
    date and standing alone, and the extra spellings. A name that would mean two months refuses
    to load: the date parser never guesses."""
    numbers: dict[str, int] = {}
    names = [
        (name, month)
        for locale in locales
        for width in ("wide", "abbreviated")
        for context in ("format", "stand-alone")
        for month, name in get_month_names(width, context, locale).items()
    ]
    for name, month in names + [(name, m) for m, spelled in extra.items() for name in spelled]:
        key = name.lower().rstrip(".")
        if numbers.setdefault(key, month) != month:
            raise ValueError(f"month name {name!r} would mean months {numbers[key]} and {month}")
    return numbers


MONTH_NUMBERS = month_numbers(
    LOCALES.values(),
    {int(m): s for m, s in tomllib.loads(MONTH_SPELLINGS_FILE.read_text("utf-8")).items()},
)


class MissingMessage(KeyError):
    """A message id no file defines: a programming error, never shown as a raw id."""


MESSAGE_DIR = Path(__file__).with_name("messages")


def load_catalogue(directory: Path = MESSAGE_DIR) -> dict[str, dict]:
    """Message files: one TOML table per message id, a text per language.

    A language's text may be a table of plural forms (``one``, ``other``) chosen by the
    ``count`` parameter (or ``n``). Each feature keeps its words in a file of its own.
    """
    catalogue: dict[str, dict] = {}
    for path in sorted(directory.glob("*.toml")):
        for key, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if key in catalogue:
                raise ValueError(f"message id {key!r} is defined twice ({path.name})")
            missing = [lang for lang in LANGS if lang not in entry]
            if missing:
                raise ValueError(f"message id {key!r} in {path.name} lacks {missing}")
            catalogue[key] = entry
    return catalogue


CATALOGUE = load_catalogue()


def plural_form(count, lang: str) -> str:
    """CLDR plural category through Babel: Indonesian has one form, English 'one' and 'other'."""
    try:
        number = abs(float(count)) if count is not None else 0
    except (TypeError, ValueError):
        number = 0
    return LOCALES[lang].plural_form(number)


def has_message(key: str) -> bool:
    return key in CATALOGUE


def message(key: str, lang: str, count=None) -> str:
    """The raw text of a message id (the plural form for count), before filling placeholders."""
    try:
        text = CATALOGUE[key][lang]
    except KeyError:
        raise MissingMessage(key) from None
    if isinstance(text, dict):
        text = text.get(plural_form(count, lang), text["other"])
    return text


def t(key: str, lang: str, **params) -> str:
    text = message(key, lang, params.get("count", params.get("n")))
    return text.format(**params) if params else text


def enum_label(kind: str, value, lang: str) -> str:
    """A coded value's label; stages also carry their deliverable."""
    if kind == "deliverable":
        found = vocab.term("stage", value)
        return found.extra["deliverable"][lang] if found else str(value)
    found = vocab.term(kind, value)
    return found.labels[lang] if found else str(value)


def choice_list(values, lang: str) -> str:
    """'rencana, berjalan, atau selesai': allowed values as the language lists alternatives."""
    return format_list([str(v) for v in values], "or", LOCALES[lang])


def enum_choices_help(kind: str, lang: str) -> str:
    """'rencana, berjalan, atau selesai.': the values as files in this language write them."""
    return choice_list(vocab.written(kind, lang).values(), lang) + "."


class Unfilled(dict):
    """A placeholder its producer did not fill shows as an ellipsis, never as '{value}'."""

    def __missing__(self, key):
        return "…"


def problem_code(key: str) -> str | None:
    """The Frictionless code the problem catalogue gives a problem id."""
    return CATALOGUE.get(key, {}).get("code")


def problem_title(code: str, lang: str) -> str:
    """'constraint-error' in plain words."""
    return t("problem_" + code.replace("-", "_"), lang)


def problem_message(key: str, lang: str, params: dict) -> str:
    """A problem's message; parameters that hold words (allowed values, sheet names) are
    rendered in the reader's language."""
    text = message(key, lang, params.get("count", params.get("n")))
    params = {k: _param_text(k, v, lang) for k, v in params.items()}
    try:
        return text.format_map(Unfilled(params))
    except (IndexError, ValueError):
        return text


def _param_text(name: str, value, lang: str):
    if hasattr(value, "text"):  # words in the reader's language (allowed values, sheet names)
        return value.text(lang)
    if name == "limit" and isinstance(value, int):  # a cap reads as a number: 1.500.000
        return fmt_int(value, lang)
    return value  # rows and columns stay as the spreadsheet numbers them


def fmt_int(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_decimal(int(value), locale=LOCALES[lang])


def fmt_number(value, lang: str, decimals: int = 1) -> str:
    if value is None or pd.isna(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(float(value), pattern, locale=LOCALES[lang])


def fmt_pct(fraction, lang: str) -> str:
    if fraction is None or pd.isna(fraction):
        return "–"
    return f"{fmt_number(fraction * 100, lang, 0)}%"


def fmt_date(value, lang: str) -> str:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def fmt_date_range(start, end, lang: str) -> str:
    """20–21 September 2021; 27 September – 8 Oktober 2021; one date when start == end."""
    start_missing = start is None or pd.isna(start)
    end_missing = end is None or pd.isna(end)
    if start_missing and end_missing:
        return "–"
    if start_missing or end_missing or start == end:
        return fmt_date(end if start_missing else start, lang)
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{fmt_date(end, lang)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[lang][start.month - 1]} – {fmt_date(end, lang)}"
    return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"


def fmt_datetime(value: dt.datetime, lang: str) -> str:
    clock = format_skeleton("Hm", value, locale=LOCALES[lang])  # 24-hour: 14.05 / 14:05
    zone = f" {value.tzname()}" if value.tzinfo and value.tzname() else ""
    return f"{fmt_date(value.date(), lang)} {clock}{zone}"
