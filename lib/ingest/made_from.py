"""The data version a template or export was made from, recorded in the file itself.

An upload of an older file is then merged against the data it was made from (lib/ingest/merge.py)
instead of silently undoing what others applied since. XLSX: a custom document property (Excel
and LibreOffice keep it when they save) and a line on the read-me sheet for people. CSV: the
file name ("tahap (versi 7).csv"), the one thing of a CSV that is not data, and a read-me in the
zip.
"""

from __future__ import annotations

import re

from openpyxl.packaging.custom import IntProperty

from lib.core.i18n import t
from lib.core.languages import LANGS
from lib.core.schema import Table, sheet_name

PROPERTY = "kspn_data_version"


def record_in_workbook(book, version: int) -> None:
    book.custom_doc_props.append(IntProperty(name=PROPERTY, value=int(version)))


def recorded_in_workbook(book) -> int | None:
    for prop in getattr(book, "custom_doc_props", None) or []:
        if prop.name == PROPERTY:
            try:
                version = int(prop.value)
            except (TypeError, ValueError):
                return None
            return version if version > 0 else None
    return None


def csv_name(table: Table, lang: str, version: int | None) -> str:
    if version is None:
        return f"{sheet_name(table, lang)}.csv"
    return f"{sheet_name(table, lang)} ({t('file_made_from_version', lang, version=version)}).csv"


def _name_pattern() -> re.Pattern:
    words = {re.escape(t("file_made_from_version", lang, version=0)[:-1]) for lang in LANGS}
    return re.compile(rf"\((?:{'|'.join(sorted(words))})(\d+)\)", re.IGNORECASE)


NAME_PATTERN = _name_pattern()


def version_in_file_name(name: str) -> int | None:
    """ "tahap (versi 7).csv", also as a browser saves a second copy: "tahap (versi 7) (1).csv"."""
    found = NAME_PATTERN.search(name)
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None
