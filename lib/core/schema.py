"""The data contract: one definition per table, read by the validator, the store, the template
and the docs, so a column or an allowed value is never spelled out twice."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from lib.core import vocab
from lib.core.i18n import LANGS, choice_list, enum_choices_help, t

DIMENSIONS = vocab.codes("dimension")
HORIZONS = vocab.codes("horizon")
STATUSES = vocab.codes("status")
KINDS = vocab.codes("kind")
STAGES = vocab.codes("stage")
SAMPLE_SOURCE = "sample"
REGION_CODE_PATTERN = re.compile(r"^\d{2}\.\d{2}$")
ROW = "_row"  # spreadsheet row number kept beside the values while checking


def normalise_token(text: str) -> str:
    """Header and value spellings differ in case, spacing and punctuation; compare them folded."""
    folded = re.sub(r"[^0-9a-z]+", "_", str(text).strip().lower())
    return folded.strip("_")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # code | text | int | float | date | bool | enum
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple = ()
    choice_aliases: dict = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 2000
    help_key: str = ""  # message id of the read-me description; enums describe themselves
    header_key: str = ""  # message id of its header in files, when not file_col_<name>

    def header_spellings(self) -> set[str]:
        headers = (header(self, lang) for lang in LANGS)
        return {normalise_token(s) for s in (self.name, *headers, *self.aliases)}

    def help(self, lang: str) -> str:
        if self.kind == "enum":
            return enum_choices_help(self.name, lang)
        return t(self.help_key, lang) if self.help_key else ""

    def choice_lookup(self) -> dict[str, object]:
        lookup = {normalise_token(str(c)): c for c in self.choices}
        for spelling, value in self.choice_aliases.items():
            lookup[normalise_token(spelling)] = value
        return lookup


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    # Row rules across columns: (first, second) means second must not be before first.
    ordered_pairs: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return self._by_name()[name]

    def _by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def spellings(self) -> set[str]:
        """How a file may name its sheet (or CSV): its name, or its sheet name in any language."""
        names = (self.name, *(sheet_name(self, lang) for lang in LANGS))
        return {normalise_token(name) for name in names}

    def header_lookup(self) -> dict[str, str]:
        return {spelling: f.name for f in self.fields for spelling in f.header_spellings()}


REGION_CODE = Field(
    "region_code",
    "code",
    required=True,
    aliases=("kode", "kode wilayah", "kode_kab_kota", "code", "region code", "kode kemendagri"),
    help_key="help_region_code",
)

STATUS = Field(
    "status",
    "enum",
    required=True,
    choices=STATUSES,
    choice_aliases=vocab.spellings("status"),
)

SOURCE = Field(
    "source",
    "text",
    aliases=("source", "referensi"),
    help_key="help_source",
)
NOTES = Field(
    "notes",
    "text",
    aliases=("keterangan", "note"),
    help_key="help_notes",
)

REGIONS = Table(
    name="regions",
    key=("region_code",),
    fields=(
        REGION_CODE,
        Field(
            "name",
            "text",
            required=True,
            aliases=("nama wilayah", "region", "wilayah"),
            help_key="help_region_name",
        ),
        Field(
            "kind",
            "enum",
            required=True,
            choices=KINDS,
            choice_aliases=vocab.spellings("kind"),
        ),
        Field(
            "province_code",
            "text",
            aliases=("kode prov",),
            help_key="help_province_code",
        ),
        Field(
            "province",
            "text",
            help_key="help_province",
        ),
        Field(
            "seat",
            "text",
            aliases=("ibukota", "pusat pemerintahan"),
            help_key="help_seat",
        ),
        Field(
            "lat",
            "float",
            required=True,
            aliases=("latitude",),
            minimum=-11.5,
            maximum=6.5,
            help_key="help_lat",
        ),
        Field(
            "lon",
            "float",
            required=True,
            aliases=("longitude", "lng"),
            minimum=94.0,
            maximum=141.5,
            help_key="help_lon",
        ),
        Field(
            "area",
            "text",
            aliases=("kawasan strategis", "kspn"),
            max_length=200,
            help_key="help_area",
        ),
        Field(
            "target_date",
            "date",
            aliases=("target",),
            help_key="help_target_date",
        ),
    ),
)

STAGES_TABLE = Table(
    name="stages",
    key=("region_code", "stage"),
    ordered_pairs=(("planned_start", "planned_end"), ("actual_start", "actual_end")),
    fields=(
        REGION_CODE,
        Field(
            "stage",
            "int",
            required=True,
            aliases=("bimtek", "tahap bimtek"),
            minimum=1,
            maximum=4,
            help_key="help_stage",
        ),
        STATUS,
        Field("planned_start", "date"),
        Field("planned_end", "date"),
        Field("actual_start", "date", aliases=("mulai",)),
        Field("actual_end", "date", aliases=("selesai",)),
        Field("venue", "text", aliases=("lokasi",)),
        SOURCE,
        NOTES,
    ),
)

PROGRAMS = Table(
    name="programs",
    key=("program_id",),
    ordered_pairs=(("start_year", "end_year"),),
    fields=(
        Field(
            "program_id",
            "text",
            required=True,
            aliases=("kode program", "id"),
            max_length=64,
            help_key="help_program_id",
        ),
        REGION_CODE,
        Field(
            "name",
            "text",
            required=True,
            aliases=("nama", "program"),
            header_key="file_col_program_name",
            help_key="help_program_name",
        ),
        Field(
            "dimension",
            "enum",
            required=True,
            choices=DIMENSIONS,
            choice_aliases=vocab.spellings("dimension"),
        ),
        Field(
            "horizon",
            "enum",
            required=True,
            choices=HORIZONS,
            choice_aliases=vocab.spellings("horizon"),
        ),
        Field(
            "quick_win",
            "bool",
            aliases=("qw", "program unggulan"),
            help_key="help_quick_win",
        ),
        STATUS,
        Field(
            "lead_agency",
            "text",
            aliases=("opd", "perangkat daerah", "instansi", "lead agency"),
            help_key="help_lead_agency",
        ),
        Field(
            "budget_idr",
            "int",
            aliases=("anggaran", "anggaran rp", "budget"),
            minimum=0,
            maximum=10**15,
            help_key="help_budget_idr",
        ),
        Field(
            "start_year",
            "int",
            minimum=2000,
            maximum=2100,
            help_key="help_start_year",
        ),
        Field(
            "end_year",
            "int",
            minimum=2000,
            maximum=2100,
            help_key="help_end_year",
        ),
        SOURCE,
        NOTES,
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (REGIONS, STAGES_TABLE, PROGRAMS)}
ENUM_FIELDS = {f.name for table in TABLES.values() for f in table.fields if f.kind == "enum"}


def written_value(field_name: str, value: object, lang: str) -> object:
    """A coded value as files in this language write it; other values unchanged."""
    if isinstance(value, bool):
        return t("file_true" if value else "file_false", lang)
    if field_name in ENUM_FIELDS:
        return vocab.written(field_name, lang).get(value, value)
    return value


def header(field_: Field, lang: str) -> str:
    return t(field_.header_key or f"file_col_{field_.name}", lang)


def sheet_name(table: Table, lang: str) -> str:
    return t(f"file_sheet_{table.name}", lang)


DTYPES = {
    "code": "str",
    "text": "str",
    "enum": "str",
    "int": "Int64",
    "float": "Float64",
    "bool": "boolean",
    "date": "datetime64[s]",
}


def coerce_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Give a frame of plain Python values the contract's dtypes (shared by files and the store)."""
    columns = {}
    for f in table.fields:
        values = frame[f.name] if f.name in frame else pd.Series([None] * len(frame), frame.index)
        if f.kind == "date":
            columns[f.name] = pd.to_datetime(values, errors="coerce").astype("datetime64[s]")
        else:
            columns[f.name] = values.astype(DTYPES[f.kind])
    if ROW in frame:
        columns[ROW] = frame[ROW]
    # Built at once: inserting column by column grows an Arrow-backed column index each time,
    # which cost more than the conversions themselves.
    return pd.DataFrame(columns, index=frame.index)


def plain_values(values: pd.Series, kind: str) -> list:
    """A column as plain Python values by field kind (int, float, bool, datetime.date, str),
    missing ones as None: what the database driver, the workbook and the CSV files take."""
    missing = values.isna().to_numpy()
    if kind == "date":
        plain = pd.to_datetime(values).dt.date.astype(object).tolist()
    elif kind in ("int", "float", "bool"):
        plain = values.astype(DTYPES[kind]).astype(object).tolist()
    else:
        plain = values.astype(object).tolist()
    if not missing.any():
        return plain
    return [None if gone else value for value, gone in zip(plain, missing, strict=True)]


# Problem parameters whose words depend on the reader's language, rendered with the message
# (lib.core.i18n.problem_message calls .text(lang)): allowed values as files in that language write
# them, a table's sheet name, a table's column headers.
@dataclass(frozen=True)
class ChoicesOf:
    field_name: str

    def text(self, lang: str) -> str:
        return choice_list(vocab.written(self.field_name, lang).values(), lang)


@dataclass(frozen=True)
class SheetsOf:
    tables: tuple[str, ...]

    def text(self, lang: str) -> str:
        return ", ".join(sheet_name(TABLES[name], lang) for name in self.tables)


@dataclass(frozen=True)
class HeadersOf:
    table: str

    def text(self, lang: str) -> str:
        return ", ".join(header(f, lang) for f in TABLES[self.table].fields)
