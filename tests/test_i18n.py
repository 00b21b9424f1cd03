"""The locale layer: formats through Babel, and a message catalogue with no missing, unused or
mismatched entries."""

import ast
import datetime as dt
import string

import pytest

from lib.core import vocab
from lib.core.i18n import (
    CATALOGUE,
    LANGS,
    MissingMessage,
    enum_label,
    fmt_date,
    fmt_date_range,
    fmt_int,
    fmt_number,
    t,
)
from lib.core.schema import TABLES
from lib.storage import accounts, approval
from lib.views import approvals as approvals_view
from tests.conftest import PROJECT
from tests.test_audit_view import _recorded_actions


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


@pytest.mark.parametrize(
    "key, lang, count, text",
    [
        ("in_n_regions", "en", 1, "in 1 region"),
        ("in_n_regions", "en", 3, "in 3 regions"),
        ("in_n_regions", "id", 1, "di 1 wilayah"),
        ("confirm_removals", "en", 1, "I understand that 1 row will be removed."),
        ("confirm_removals", "en", 2, "I understand that 2 rows will be removed."),
    ],
)
def test_plural_forms_follow_the_count(key, lang, count, text):
    assert t(key, lang, n=count) == text


def test_a_missing_message_id_fails_loudly():
    with pytest.raises(MissingMessage):
        t("no_such_message_anywhere", "id")


def test_vocabulary_labels_come_from_the_vocabulary_file():
    assert enum_label("status", "in_progress", "id") == "Berjalan"
    assert enum_label("kind", "kota", "en") == "City"
    assert enum_label("deliverable", 1, "id") == "Analisis kesiapan (buku 1)"
    for kind, terms in vocab.VOCAB.items():
        for term in terms:
            assert set(term.labels) == set(LANGS) == set(term.written), (kind, term.code)


# --- the catalogue against the code -----------------------------------------------------------

# Ids the code builds at run time (f"role_{role}"), listed so the unused-id check can see them.
DYNAMIC_IDS = {
    *(f"role_{role}" for role in accounts.ROLES),
    *(f"action_{action}" for action in ("seed", "upload", "rollback", "revert")),
    *(f"cs_state_{state}" for state in approval.STATES),
    *(f"cs_col_{column}" for column in approvals_view.COLUMNS),
    *(f"cs_move_{move}" for move in ("verify", "return", "approve")),
    *(f"audit_action_change_set_{move}" for move in ("verify", "return", "approve")),
    *(f"filter_{kind}" for kind in ("dimension", "horizon", "status")),
    *(f"status_{s}" for s in ("matched", "ambiguous", "unmatched", "non_administrative")),
    *(f"scope_{kind}" for kind in ("area", "province")),
    *(f"audit_action_{action}" for action in _recorded_actions()),
    *(f"readme_col_{name}" for name in ("sheet", "column", "required", "choices", "description")),
    *(f"readme_kind_{kind}" for kind in ("text", "int", "float", "date")),
    *(
        f"audit_detail_{key}"
        for key in [
            "username",
            "role",
            "regions",
            "active",
            "failures",
            "files",
            "problems",
            "sha256",
            "version",
            "target",
            "reason",
            "change_set",
            "change_sets",
            "move",
            "from",
            "to",
            "table",
            "region",
            "locks",
            "replaces",
            "file",
        ]
    ),
    # the plain title of each Frictionless code the problem catalogue uses
    *{"problem_" + e["code"].replace("-", "_") for e in CATALOGUE.values() if "code" in e},
    *(f"field_{table.name}_{column}" for table in TABLES.values() for column in table.columns),
    *(f"rows_{kind}" for kind in ("added", "changed", "removed")),
    # how files write sheet names and headers (lib.core.schema.sheet_name, lib.core.schema.header)
    *(f"file_sheet_{name}" for name in TABLES),
    *(f.header_key or f"file_col_{f.name}" for table in TABLES.values() for f in table.fields),
}
LOOKUPS = {"t", "problem_message", "message"}


def _code_files():
    yield PROJECT / "app.py"
    for folder in ("lib", "pages"):
        yield from sorted((PROJECT / folder).rglob("*.py"))


def _scan():
    """Every string literal in the code, and the literal ids passed to a lookup function."""
    literals: set[str] = set()
    looked_up: set[tuple[str, str]] = set()
    for path in _code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                first = node.args[0]
                if name in LOOKUPS and isinstance(first, ast.Constant):
                    looked_up.add((first.value, f"{path.name}:{node.lineno}"))
    return literals, looked_up


def test_every_looked_up_message_id_exists():
    _, looked_up = _scan()
    missing = sorted(where + " " + key for key, where in looked_up if key not in CATALOGUE)
    assert missing == []


def test_every_message_id_is_used():
    literals, _ = _scan()
    unused = sorted(set(CATALOGUE) - literals - DYNAMIC_IDS)
    assert unused == []


def test_dynamic_ids_exist():
    assert sorted(DYNAMIC_IDS - set(CATALOGUE)) == []


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_and_plural_form_has_the_same_placeholders():
    wrong = []
    for key, entry in CATALOGUE.items():
        forms = []
        for lang in LANGS:
            text = entry[lang]
            forms += list(text.values()) if isinstance(text, dict) else [text]
            if isinstance(text, dict) and "other" not in text:
                wrong.append(f"{key} {lang}: no 'other' form")
        if not all(form.strip() for form in forms):
            wrong.append(f"{key}: an empty text")
        if len({frozenset(_placeholders(form)) for form in forms}) != 1:
            wrong.append(f"{key}: placeholders differ")
    assert wrong == []


# --- the problem catalogue ----------------------------------------------------------------------


def _program_problems(horizon: str):
    from lib.ingest.reader import RawSheet
    from lib.ingest.validate import validate_sheet

    headers = ["id_program", "kode_wilayah", "nama_program", "dimensi", "jangka", "status"]
    sheet = RawSheet(
        "program.xlsx",
        "program",
        headers,
        [["JPR-GOV-01", "33.20", "Satu data", "tata kelola", horizon, "rencana"]],
        [2],
    )
    return validate_sheet(sheet, TABLES["programs"])[1]


@pytest.mark.parametrize(
    "lang, message, title",
    [
        (
            "id",
            "Nilai tidak diizinkan. Pilihan: pendek, menengah, atau panjang.",
            "Nilai melanggar aturan",
        ),
        ("en", "Value not allowed. Choose one of: short, medium or long.", "Value breaks a rule"),
    ],
)
def test_allowed_values_are_listed_as_files_in_that_language_write_them(lang, message, title):
    from lib.views.report import problems_frame

    problems = _program_problems("sangat panjang")
    assert [(p.code, p.key, p.column) for p in problems] == [
        ("constraint-error", "not_allowed", "jangka")
    ]
    report = problems_frame(problems, lang)
    assert report[t("col_message", lang)].tolist() == [message]
    assert report[t("col_problem", lang)].tolist() == [title]
    assert t("col_code", lang) not in report.columns


def test_a_problem_is_built_with_keywords_and_takes_its_code_from_the_catalogue():
    from lib.ingest.validate import Problem

    assert Problem(file="f.csv", key="required").code == "constraint-error"
    assert Problem(file="f.csv", key="not_date").code == "type-error"
    with pytest.raises(TypeError):
        Problem("f.csv", None, 2, "tahap", "type-error", "x", "not_integer")  # noqa
    with pytest.raises(ValueError, match="no code"):
        Problem(file="f.csv", key="not_allowed_action")  # a refusal, not a data problem


def test_indonesian_problem_messages_name_sheets_the_indonesian_way():
    from lib.core.i18n import problem_message
    from lib.core.schema import SheetsOf

    params = {"table": SheetsOf(("stages",))}
    assert problem_message("table_twice", "id", params) == (
        "Tabel 'tahap' ada lebih dari sekali dalam unggahan."
    )
    assert "'stages'" in problem_message("table_twice", "en", params)
