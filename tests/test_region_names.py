"""One rule says a region's kind, whoever asks: an upload's kind column (the regions table's
enum, from lib/core/vocab.toml), a boundary file's type column and the names in it
(boundaries), the upload's "you wrote a name" hint, and the short names of charts and map. The
rows are the inputs the former rules (vocab.toml's spellings, boundaries.KIND_WORDS and
NAME_PREFIXES, palette.short_name, mapview.short_name, upload's hand-stripped prefixes) were
tested or written with."""

from __future__ import annotations

import pytest

from lib.core.parse import ParseError, parse_enum
from lib.core.region_names import kind_of, short_name, split_name
from lib.core.schema import TABLES
from lib.ingest.upload import inspect_upload

KINDS = [
    # vocab.toml: labels, written forms and accepted spellings of both languages
    ("kabupaten", "kabupaten"),
    ("Kabupaten", "kabupaten"),
    ("Regency", "kabupaten"),
    ("kab", "kabupaten"),
    ("kota", "kota"),
    ("Kota", "kota"),
    ("City", "kota"),
    # boundaries.KIND_WORDS, and the type columns of tests/test_boundaries.py (GADM's TYPE_2 and
    # ENGTYPE_2, a BPS-like "KAB." / "KOTA")
    ("KAB.", "kabupaten"),
    ("KOTA", "kota"),
    ("Kotamadya", "kota"),
    ("Kota Administrasi", "kota"),
    ("kota_administratif", "kota"),
    # no kind: the shared file's region_type for a forest, and other words
    ("Unresolved", None),
    ("Hutan", None),
    ("provinsi", None),
    ("Kabupaten Kota", None),
    ("", None),
    (None, None),
    (float("nan"), None),
]


@pytest.mark.parametrize("word, kind", KINDS, ids=repr)
def test_a_kind_word_means_the_same_kind_in_an_upload_and_a_boundary_file(word, kind):
    assert kind_of(word) == kind
    lookup = TABLES["regions"].field("kind").choice_lookup()
    if kind is None:
        with pytest.raises(ParseError):
            parse_enum(word, lookup)
    else:
        assert parse_enum(word, lookup) == kind


NAMES = [
    # name, kind and base its words say, the charts' short name, the map's shortest label
    ("Kabupaten Karanganyar", "kabupaten", "karanganyar", "Kab. Karanganyar", "Karanganyar"),
    ("Kabupaten Semarang", "kabupaten", "semarang", "Kab. Semarang", "Semarang"),
    ("Kota Semarang", "kota", "semarang", "Kota Semarang", "Kota Semarang"),
    ("Semarang", None, "semarang", "Semarang", "Semarang"),
    ("KABUPATEN SEMARANG", "kabupaten", "semarang", "Kab. SEMARANG", "SEMARANG"),
    ("KOTA SEMARANG", "kota", "semarang", "KOTA SEMARANG", "KOTA SEMARANG"),
    ("Kab. Semarang", "kabupaten", "semarang", "Kab. Semarang", "Semarang"),
    ("Kab Semarang", "kabupaten", "semarang", "Kab Semarang", "Semarang"),
    ("Semarang Regency", "kabupaten", "semarang", "Semarang Regency", "Semarang"),
    ("Semarang City", "kota", "semarang", "Semarang City", "Semarang City"),
    ("Kotamadya Semarang", "kota", "semarang", "Kotamadya Semarang", "Kotamadya Semarang"),
    (
        "Kota Administrasi Jakarta Pusat",
        "kota",
        "jakarta_pusat",
        "Kota Adm. Jakarta Pusat",
        "Kota Adm. Jakarta Pusat",
    ),
    ("Kabupaten Toba", "kabupaten", "toba", "Kab. Toba", "Toba"),
    ("Tanah Laut", None, "tanah_laut", "Tanah Laut", "Tanah Laut"),
    ("Danau Toba", None, "danau_toba", "Danau Toba", "Danau Toba"),
    # a kind word inside a name is no kind word
    ("Kotabaru", None, "kotabaru", "Kotabaru", "Kotabaru"),
    ("Kabupaten Kotabaru", "kabupaten", "kotabaru", "Kab. Kotabaru", "Kotabaru"),
    ("Kota", None, "kota", "Kota", "Kota"),
    # punctuation other than "Kab. " between word and name: matched, never rewritten
    ("(Kabupaten) Toba", "kabupaten", "toba", "(Kabupaten) Toba", "(Kabupaten) Toba"),
]


@pytest.mark.parametrize("name, kind, base, short, bare", NAMES, ids=[n[0] for n in NAMES])
def test_a_name_says_its_kind_and_shortens_the_same_way_everywhere(name, kind, base, short, bare):
    assert split_name(name) == (kind, base)
    assert short_name(name) == short
    assert short_name(name, bare=True) == bare


@pytest.mark.parametrize(
    "typed, codes",
    [
        ("Semarang", "33.22 (Kabupaten Semarang), 33.74 (Kota Semarang)"),
        ("Kabupaten Semarang", "33.22 (Kabupaten Semarang)"),
        ("Kab. Semarang", "33.22 (Kabupaten Semarang)"),
        ("KOTA SEMARANG", "33.74 (Kota Semarang)"),
        ("Kudus", "33.19 (Kabupaten Kudus)"),
    ],
)
def test_a_region_name_in_the_code_column_is_answered_with_its_codes(seeded_engine, typed, codes):
    data = f"kode_wilayah;tahap;status\n{typed};2;selesai\n".encode()
    preview = inspect_upload(seeded_engine, [("tahap.csv", data)])
    hints = [p.params["codes"] for p in preview.problems if p.key == "name_not_code"]
    assert hints == [codes]
