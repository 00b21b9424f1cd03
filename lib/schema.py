"""The data contract: one definition per table, read by the validator, the store, the template
and the docs, so a column or an allowed value is never spelled out twice."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")
HORIZONS = ("short", "medium", "long")
STATUSES = ("planned", "in_progress", "done")
KINDS = ("kabupaten", "kota")
STAGES = (1, 2, 3, 4)
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
    label_id: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple = ()
    choice_aliases: dict = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 2000
    help_id: str = ""
    help_en: str = ""

    def header_spellings(self) -> set[str]:
        return {normalise_token(s) for s in (self.name, self.label_id, *self.aliases)}

    def choice_lookup(self) -> dict[str, object]:
        lookup = {normalise_token(str(c)): c for c in self.choices}
        for spelling, value in self.choice_aliases.items():
            lookup[normalise_token(spelling)] = value
        return lookup


@dataclass(frozen=True)
class Table:
    name: str
    label_id: str
    label_en: str
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

    def header_lookup(self) -> dict[str, str]:
        return {spelling: f.name for f in self.fields for spelling in f.header_spellings()}


STATUS_ALIASES = {
    "rencana": "planned",
    "direncanakan": "planned",
    "belum": "planned",
    "belum mulai": "planned",
    "not started": "planned",
    "berjalan": "in_progress",
    "sedang berjalan": "in_progress",
    "proses": "in_progress",
    "dalam proses": "in_progress",
    "in progress": "in_progress",
    "ongoing": "in_progress",
    "selesai": "done",
    "sudah": "done",
    "complete": "done",
    "completed": "done",
    "finished": "done",
}

REGION_CODE = Field(
    "region_code",
    "code",
    "kode_wilayah",
    required=True,
    aliases=("kode", "kode wilayah", "kode_kab_kota", "code", "region code", "kode kemendagri"),
    help_id='Kode wilayah Kemendagri sebagai teks, mis. "33.23".',
    help_en='Kemendagri region code as text, e.g. "33.23".',
)

STATUS = Field(
    "status",
    "enum",
    "status",
    required=True,
    choices=STATUSES,
    choice_aliases=STATUS_ALIASES,
    help_id="rencana, berjalan atau selesai.",
    help_en="planned, in_progress or done.",
)

SOURCE = Field(
    "source",
    "text",
    "sumber",
    aliases=("source", "referensi"),
    help_id='Sumber fakta (alamat berita/dokumen); "sample" untuk data ilustratif.',
    help_en='Where the fact comes from (article/document); "sample" for illustrative data.',
)
NOTES = Field(
    "notes",
    "text",
    "catatan",
    aliases=("keterangan", "note"),
    help_id="Catatan bebas.",
    help_en="Free notes.",
)

REGIONS = Table(
    name="regions",
    label_id="wilayah",
    label_en="regions",
    key=("region_code",),
    fields=(
        REGION_CODE,
        Field(
            "name",
            "text",
            "nama",
            required=True,
            aliases=("nama wilayah", "region", "wilayah"),
            help_id='Nama resmi, mis. "Kabupaten Temanggung".',
            help_en='Official name, e.g. "Kabupaten Temanggung".',
        ),
        Field(
            "kind",
            "enum",
            "jenis",
            required=True,
            choices=KINDS,
            choice_aliases={"kab": "kabupaten", "regency": "kabupaten", "city": "kota"},
            help_id="kabupaten atau kota.",
            help_en="kabupaten (regency) or kota (city).",
        ),
        Field(
            "province_code",
            "text",
            "kode_provinsi",
            aliases=("kode prov",),
            help_id='Kode provinsi, mis. "33".',
            help_en='Province code, e.g. "33".',
        ),
        Field(
            "province",
            "text",
            "provinsi",
            help_id="Nama provinsi.",
            help_en="Province name.",
        ),
        Field(
            "seat",
            "text",
            "ibu_kota",
            aliases=("ibukota", "pusat pemerintahan"),
            help_id="Ibu kota kabupaten/kota.",
            help_en="Seat of government.",
        ),
        Field(
            "lat",
            "float",
            "lintang",
            required=True,
            aliases=("latitude",),
            minimum=-11.5,
            maximum=6.5,
            help_id="Lintang ibu kota (derajat desimal, WGS84).",
            help_en="Seat latitude (decimal degrees, WGS84).",
        ),
        Field(
            "lon",
            "float",
            "bujur",
            required=True,
            aliases=("longitude", "lng"),
            minimum=94.0,
            maximum=141.5,
            help_id="Bujur ibu kota (derajat desimal, WGS84).",
            help_en="Seat longitude (decimal degrees, WGS84).",
        ),
        Field(
            "target_date",
            "date",
            "tanggal_target",
            aliases=("target",),
            help_id="Target penyelesaian masterplan.",
            help_en="Masterplan target date.",
        ),
    ),
)

STAGES_TABLE = Table(
    name="stages",
    label_id="tahap",
    label_en="stages",
    key=("region_code", "stage"),
    ordered_pairs=(("planned_start", "planned_end"), ("actual_start", "actual_end")),
    fields=(
        REGION_CODE,
        Field(
            "stage",
            "int",
            "tahap",
            required=True,
            aliases=("bimtek", "tahap bimtek"),
            minimum=1,
            maximum=4,
            help_id="Tahap Bimtek 1-4.",
            help_en="Bimtek stage 1-4.",
        ),
        STATUS,
        Field("planned_start", "date", "rencana_mulai", help_id="", help_en=""),
        Field("planned_end", "date", "rencana_selesai", help_id="", help_en=""),
        Field("actual_start", "date", "realisasi_mulai", aliases=("mulai",)),
        Field("actual_end", "date", "realisasi_selesai", aliases=("selesai",)),
        Field("venue", "text", "tempat", aliases=("lokasi",)),
        SOURCE,
        NOTES,
    ),
)

PROGRAMS = Table(
    name="programs",
    label_id="program",
    label_en="programs",
    key=("program_id",),
    ordered_pairs=(("start_year", "end_year"),),
    fields=(
        Field(
            "program_id",
            "text",
            "id_program",
            required=True,
            aliases=("kode program", "id"),
            max_length=64,
            help_id='Kode unik program, mis. "JPR-GOV-01".',
            help_en='Unique program code, e.g. "JPR-GOV-01".',
        ),
        REGION_CODE,
        Field(
            "name",
            "text",
            "nama_program",
            required=True,
            aliases=("nama", "program"),
            help_id="Nama program.",
            help_en="Program name.",
        ),
        Field(
            "dimension",
            "enum",
            "dimensi",
            required=True,
            choices=DIMENSIONS,
            choice_aliases={
                "tata kelola": "governance",
                "smart governance": "governance",
                "smart government": "governance",
                "government": "governance",
                "pemerintahan": "governance",
                "smart branding": "branding",
                "pemasaran": "branding",
                "ekonomi": "economy",
                "perekonomian": "economy",
                "smart economy": "economy",
                "kehidupan": "living",
                "hunian": "living",
                "smart living": "living",
                "masyarakat": "society",
                "sosial": "society",
                "smart society": "society",
                "lingkungan": "environment",
                "smart environment": "environment",
            },
            help_id="governance (tata kelola), branding, economy (ekonomi), living (kehidupan), "
            "society (masyarakat), environment (lingkungan).",
            help_en="governance, branding, economy, living, society, environment.",
        ),
        Field(
            "horizon",
            "enum",
            "jangka",
            required=True,
            choices=HORIZONS,
            choice_aliases={
                "pendek": "short",
                "jangka pendek": "short",
                "menengah": "medium",
                "jangka menengah": "medium",
                "panjang": "long",
                "jangka panjang": "long",
            },
            help_id="pendek (1 tahun), menengah (5 tahun), panjang (10 tahun).",
            help_en="short (1 year), medium (5 years), long (10 years).",
        ),
        Field(
            "quick_win",
            "bool",
            "quick_win",
            aliases=("qw", "program unggulan"),
            help_id="ya/tidak.",
            help_en="yes/no.",
        ),
        STATUS,
        Field(
            "lead_agency",
            "text",
            "opd_pengampu",
            aliases=("opd", "perangkat daerah", "instansi", "lead agency"),
            help_id="Perangkat daerah pengampu.",
            help_en="Lead agency.",
        ),
        Field(
            "budget_idr",
            "int",
            "anggaran_idr",
            aliases=("anggaran", "anggaran rp", "budget"),
            minimum=0,
            maximum=10**15,
            help_id="Anggaran dalam rupiah (bilangan bulat, tidak negatif).",
            help_en="Budget in rupiah (whole number, not negative).",
        ),
        Field(
            "start_year",
            "int",
            "tahun_mulai",
            minimum=2000,
            maximum=2100,
            help_id="Tahun mulai.",
            help_en="Start year.",
        ),
        Field(
            "end_year",
            "int",
            "tahun_selesai",
            minimum=2000,
            maximum=2100,
            help_id="Tahun selesai.",
            help_en="End year.",
        ),
        SOURCE,
        NOTES,
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (REGIONS, STAGES_TABLE, PROGRAMS)}

# How coded values are written in Indonesian files (each is also an accepted alias above).
INDONESIAN_VALUES: dict[str, dict[object, str]] = {
    "status": {"planned": "rencana", "in_progress": "berjalan", "done": "selesai"},
    "horizon": {"short": "pendek", "medium": "menengah", "long": "panjang"},
    "dimension": {
        "governance": "tata kelola",
        "branding": "branding",
        "economy": "ekonomi",
        "living": "kehidupan",
        "society": "masyarakat",
        "environment": "lingkungan",
    },
    "kind": {"kabupaten": "kabupaten", "kota": "kota"},
    "quick_win": {True: "ya", False: "tidak"},
}
ENGLISH_BOOL = {True: "yes", False: "no"}


def written_value(field_name: str, value: object, lang: str) -> object:
    """A coded value as files in this language write it; other values unchanged."""
    if lang == "id" and field_name in INDONESIAN_VALUES:
        return INDONESIAN_VALUES[field_name].get(value, value)
    if lang == "en" and field_name == "quick_win" and isinstance(value, bool):
        return ENGLISH_BOOL[value]
    return value


def header(field_: Field, lang: str) -> str:
    return field_.label_id if lang == "id" else field_.name


def sheet_name(table: Table, lang: str) -> str:
    return table.label_id if lang == "id" else table.name


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
    out = pd.DataFrame(index=frame.index)
    for f in table.fields:
        values = frame[f.name] if f.name in frame else pd.Series([None] * len(frame), frame.index)
        if f.kind == "date":
            out[f.name] = pd.to_datetime(values, errors="coerce").astype("datetime64[s]")
        else:
            out[f.name] = values.astype(DTYPES[f.kind])
    if ROW in frame:
        out[ROW] = frame[ROW]
    return out
