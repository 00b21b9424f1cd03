"""Rows of an upload named as their owner knows them, for a refusal: "KDS-BRD-02 · Kabupaten
Kudus (program baris 17)", not "program 17 (33.19)" (a sheet row and a code)."""

from __future__ import annotations

from dataclasses import dataclass

from lib.core.i18n import enum_label, t


@dataclass(frozen=True)
class RowRef:
    table: str
    key: tuple
    region: str  # the region's name, or its code when the store has no name for it
    where: str | None = None  # the sheet (or file) the row is on; None for a stored row
    row: int | None = None  # its spreadsheet row number

    def text(self, lang: str) -> str:
        if self.table == "stages":
            named = f"{enum_label('stage', int(self.key[1]), lang)} · {self.region}"
        elif self.table == "programs":
            named = f"{self.key[0]} · {self.region}"
        else:
            named = self.region
        if self.where is None:
            return named
        at = t("refusal_row_at", lang, where=self.where, row=self.row) if self.row else self.where
        return f"{named} ({at})"


@dataclass(frozen=True)
class RowRefs:
    """A refusal parameter in the reader's language; empty when there is nothing to name."""

    rows: tuple[RowRef, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def text(self, lang: str) -> str:
        return ", ".join(r.text(lang) for r in self.rows)
