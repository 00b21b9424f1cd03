"""Validation: raw sheets in, typed frames and every problem out, all at once.

Problem codes follow Frictionless (missing-label, extra-label, duplicate-label, blank-label,
blank-row, type-error, constraint-error, unique-error, foreign-key). Messages are rendered in the
user's language later, from the key and params kept here.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrorReason

from lib.core import region_names, schema
from lib.core.i18n import DEFAULT_LANG, problem_code
from lib.core.parse import (
    ParseError,
    is_blank,
    is_blank_row,
    parse_bool,
    parse_date,
    parse_enum,
    parse_float,
    parse_int,
    parse_region_code,
    parse_text,
    parse_texts,
)
from lib.core.schema import (
    REGION_CODE_PATTERN,
    ROW,
    TABLES,
    ChoicesOf,
    Field,
    HeadersOf,
    Table,
    coerce_frame,
    normalise_token,
)
from lib.ingest.reader import RawSheet


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One problem, built with keywords: Problem(file=..., row=..., column=..., key="required").

    `key` names its entry in the problem catalogue (lib/core/messages/problems.toml), which gives
    the Frictionless `code` unless one is passed (the same check can be a type or a
    constraint error depending on where it runs)."""

    file: str
    key: str
    sheet: str | None = None
    row: int | str | None = None  # spreadsheet row number, or the record key for stored data
    column: str | None = None
    value: str = ""
    code: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        if not self.code:
            code = problem_code(self.key)
            if code is None:
                raise ValueError(f"problem {self.key!r} has no code in the catalogue")
            object.__setattr__(self, "code", code)


def cell_parser(f: Field):
    """The parser for one column, built once (an enum's alias table is not rebuilt per cell)."""
    if f.kind == "code":
        return parse_region_code
    if f.kind == "int":
        return parse_int
    if f.kind == "float":
        return parse_float
    if f.kind == "date":
        return parse_date
    if f.kind == "bool":
        return parse_bool
    if f.kind == "enum":
        lookup = f.choice_lookup()
        return lambda raw: parse_enum(raw, lookup)
    return lambda raw: parse_text(raw, f.max_length)


BLANK = object()  # a cell with nothing in it, told apart from a parsed value or a failure

# Problems shown for one sheet: past this a file is wrong throughout, and a million problems
# would cost more memory than the file (issue 9: a wholly wrong file at the caps).
MAX_PROBLEMS = 1000


def _blank_rows(rows: list[list[object]]) -> list[bool]:
    """Which rows hold nothing: for rows of text (every CSV row) one join and strip per row
    at C level; rows holding numbers or dates (XLSX) are looked at cell by cell."""
    try:
        return list(map(operator.not_, map(str.strip, map("".join, rows))))
    except TypeError:
        return list(map(is_blank_row, rows))


def _parse_distinct(distinct: dict, f: Field) -> dict[object, tuple[object, object]]:
    """{key: (True, value) | (False, ParseError) | (BLANK, None)} for each distinct raw."""
    if f.kind == "text" and distinct and set(map(type, distinct)) == {str}:
        # A text column of a CSV: every distinct text checked at once; blank is what strips
        # to nothing (str.strip removes exactly what str.isspace calls space).
        return {
            key: (BLANK, None)
            if parsed == ""
            else (False, parsed)
            if isinstance(parsed, ParseError)
            else (True, parsed)
            for key, parsed in parse_texts(list(distinct), f.max_length).items()
        }
    outcomes: dict[object, tuple[object, object]] = {}
    texts = []
    for key, raw in distinct.items():
        if is_blank(raw):
            outcomes[key] = (BLANK, None)
        elif f.kind == "text" and raw.__class__ is str:
            texts.append(raw)
        else:
            outcomes[key] = None
    if texts:
        for text, parsed in parse_texts(texts, f.max_length).items():
            ok = not isinstance(parsed, ParseError)
            outcomes[text] = (True, parsed) if ok else (False, parsed)
    parse = cell_parser(f)
    for key, outcome in outcomes.items():
        if outcome is None:
            try:
                outcomes[key] = (True, parse(distinct[key]))
            except ParseError as error:
                outcomes[key] = (False, error)
    return outcomes


def _shown(raw: object) -> str:
    text = "" if raw is None else str(raw)
    return text if len(text) <= 80 else text[:77] + "..."


def map_headers(sheet: RawSheet, table: Table) -> tuple[dict[int, str], list[Problem]]:
    lookup = table.header_lookup()
    mapping: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def problem(column, key, **params):
        problems.append(
            Problem(
                file=sheet.file,
                sheet=sheet.sheet,
                row=sheet.header_row,
                column=column,
                key=key,
                params=params,
            )
        )

    for index, header in enumerate(sheet.headers):
        if is_blank(header):
            problem(None, "blank_label", index=index + 1)
            continue
        name = lookup.get(normalise_token(header))
        if name is None:
            problem(str(header), "extra_label", known=HeadersOf(table.name))
        elif name in seen:
            problem(str(header), "duplicate_label")
        else:
            seen[name] = index
            mapping[index] = name
    for f in table.fields:
        if f.required and f.name not in seen:
            problem(schema.header(f, DEFAULT_LANG), "missing_label")
    return mapping, problems


def validate_sheet(sheet: RawSheet, table: Table) -> tuple[pd.DataFrame, list[Problem]]:
    mapping, problems = map_headers(sheet, table)
    header_of = {name: str(sheet.headers[i]) for i, name in mapping.items()}
    blank = _blank_rows(sheet.rows)
    kept_rows = list(itertools.compress(sheet.rows, map(operator.not_, blank)))
    numbers = list(itertools.compress(sheet.row_numbers, map(operator.not_, blank)))
    problems += [
        Problem(file=sheet.file, sheet=sheet.sheet, row=number, key="blank_row")
        for number in itertools.compress(sheet.row_numbers, blank)
    ][:MAX_PROBLEMS]
    columns: dict[str, list] = {ROW: numbers}
    # Column by column, each distinct value parsed once (codes, enums and years repeat a lot),
    # with C-level map/dict work per cell: a 50,000-row file is 650,000 cells
    # (bench/upload_50k.py).
    for index, name in mapping.items():
        f = table.field(name)
        column = header_of[name]
        choices = {"choices": ChoicesOf(f.name)} if f.choices else {}
        raws = list(map(itemgetter(index), kept_rows))
        if set(map(type, raws)) <= {str}:  # every CSV column: text keys itself
            keys = raws
        else:  # 1, 1.0 and True are equal keys in a dict; only text is keyed by itself.
            keys = [raw if raw.__class__ is str else (raw.__class__, raw) for raw in raws]
        distinct = dict(zip(keys, raws, strict=True))
        outcomes = _parse_distinct(distinct, f)
        values = {key: value if ok is True else None for key, (ok, value) in outcomes.items()}
        columns[name] = list(map(values.__getitem__, keys))
        failing_keys = {
            key for key, (ok, _) in outcomes.items() if ok is False or (ok is BLANK and f.required)
        }
        if not failing_keys:
            continue
        # A column's first MAX_PROBLEMS failures (in row order) hold all it adds to the
        # sheet's first MAX_PROBLEMS; a required column's blanks count only when required.
        failing = [i for i, key in enumerate(keys) if key in failing_keys]
        for i in failing[:MAX_PROBLEMS]:
            ok, value = outcomes[keys[i]]
            number = numbers[i]
            if ok is BLANK:
                problems.append(
                    Problem(
                        file=sheet.file,
                        sheet=sheet.sheet,
                        row=number,
                        column=column,
                        key="required",
                    )
                )
                continue
            problems.append(
                Problem(
                    file=sheet.file,
                    sheet=sheet.sheet,
                    row=number,
                    column=column,
                    value=_shown(raws[i]),
                    key=value.key,
                    params={**choices, **value.params},
                )
            )
    records = columns
    frame = pd.DataFrame(
        {ROW: numbers, **{c: records.get(c, [None] * len(numbers)) for c in table.columns}}
    )
    frame = coerce_frame(frame, table)
    labels = {f.name: header_of.get(f.name, schema.header(f, DEFAULT_LANG)) for f in table.fields}
    already = {(p.row, p.column) for p in problems}
    absent = {schema.header(f, DEFAULT_LANG) for f in table.fields if f.name not in header_of}
    for p in check_frame(frame, table, sheet.file, sheet.sheet, labels, limit=MAX_PROBLEMS):
        # A missing column is reported once, on the header; a bad cell once, where it is.
        if (p.row, p.column) not in already and p.column not in absent:
            problems.append(p)
    # Read like the spreadsheet: top to bottom, left to right.
    order = {name: i for i, name in enumerate(header_of.values())}
    problems.sort(key=lambda p: (p.row if isinstance(p.row, int) else 0, order.get(p.column, -1)))
    return frame, capped(problems, sheet.file, sheet.sheet)


def capped(problems: list[Problem], file: str, sheet: str | None) -> list[Problem]:
    """The first MAX_PROBLEMS problems, after a note that there are more (first: the page
    shows problems in a table a user reads from the top)."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    note = Problem(file=file, sheet=sheet, key="too_many_problems", params={"limit": MAX_PROBLEMS})
    return [note] + problems[:MAX_PROBLEMS]


def column_checks(f: Field) -> list[tuple[pa.Check, str]]:
    """A column's checks on typed values, each with the message id of the problem it finds."""
    checks = []
    if f.choices and f.kind == "enum":
        checks.append((pa.Check.isin(list(f.choices)), "not_allowed"))
    if f.minimum is not None:
        checks.append((pa.Check.in_range(f.minimum, f.maximum), "out_of_range"))
    if f.kind == "code":
        checks.append((pa.Check.str_matches(REGION_CODE_PATTERN.pattern), "bad_code"))
    return checks


def pandera_schema(table: Table) -> tuple[pa.DataFrameSchema, dict[tuple[str, int], str]]:
    """Checks on typed values, shared by uploaded files and what is read back from the store,
    with the message id of each by (column, its place among the column's checks): pandera
    reports a failure with that place and hands back a copy of the check, not ours. Keys
    shared by rows are found by duplicate_keys."""
    columns, message_ids = {}, {}
    for f in table.fields:
        checks = column_checks(f)
        message_ids.update({(f.name, i): key for i, (_, key) in enumerate(checks)})
        columns[f.name] = pa.Column(
            nullable=not f.required, checks=[check for check, _ in checks], coerce=False
        )
    return pa.DataFrameSchema(columns, strict=False, name=table.name), message_ids


def failing_cells(frame: pd.DataFrame, table: Table) -> list[tuple[int, str, str, object]]:
    """(row index, column, message id, value) of each cell failing a check, check by check."""
    schema, message_ids = pandera_schema(table)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failing = []
        for error in errors.schema_errors:
            if error.reason_code is SchemaErrorReason.SERIES_CONTAINS_NULLS:
                key = "required"
            else:
                key = message_ids[(error.schema.name, error.check_index)]
            cases = error.failure_cases
            failing += [
                (index, error.schema.name, key, value)
                for index, value in zip(cases["index"], cases["failure_case"], strict=True)
                if index is not None and not pd.isna(index)
            ]
        return failing
    return []


def _first_rows_per_column(failing: list[tuple], limit: int) -> list[tuple]:
    """A column's first `limit` failing cells, top to bottom."""
    kept, per_column = [], Counter()
    for cell in sorted(failing, key=itemgetter(0)):
        per_column[cell[1]] += 1
        if per_column[cell[1]] <= limit:
            kept.append(cell)
    return kept


def duplicate_keys(frame: pd.DataFrame, table: Table) -> pd.Series:
    """Rows sharing their key with another row; a row whose key is blank throughout is left to
    the required check."""
    key_columns = list(table.key)
    shared = frame.duplicated(key_columns, keep=False)
    return shared & frame[key_columns].notna().any(axis=1)


def _row_label(frame: pd.DataFrame, index, table: Table) -> int | str:
    if ROW in frame and pd.notna(frame.at[index, ROW]):
        return int(frame.at[index, ROW])
    return " / ".join(str(frame.at[index, k]) for k in table.key)


def check_frame(
    frame: pd.DataFrame,
    table: Table,
    file: str,
    sheet: str | None = None,
    labels: dict[str, str] | None = None,
    limit: int | None = None,
) -> list[Problem]:
    """Problems of typed values; with a limit, each kind stops at the first `limit` rows
    (a caller showing the first `limit` problems of a sheet loses nothing by it)."""
    labels = labels or {f.name: schema.header(f, DEFAULT_LANG) for f in table.fields}
    problems: list[Problem] = []
    key_columns = list(table.key)
    shared = duplicate_keys(frame, table)
    # Rows sharing a key, found once by grouping (not by scanning the frame per row).
    keyed = frame.loc[shared, key_columns].dropna()
    rows_of_key: dict[tuple, list] = {}
    for index, values in zip(keyed.index, keyed.itertuples(index=False), strict=True):
        rows_of_key.setdefault(tuple(values), []).append(index)
    for index in sorted(frame.index[shared])[:limit]:
        key_text = " / ".join(str(frame.at[index, k]) for k in table.key)
        same = rows_of_key.get(tuple(frame.loc[index, key_columns]), [])
        others = [_row_label(frame, j, table) for j in same if j != index]
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                row=_row_label(frame, index, table),
                column=labels[table.key[-1]],
                value=key_text,
                key="duplicate_key",
                params={"rows": ", ".join(str(o) for o in others)},
            )
        )
    failing = failing_cells(frame, table)
    if limit is not None:
        failing = _first_rows_per_column(failing, limit)
    for index, column, key, failure in failing:
        if column not in labels:
            continue
        f = table.field(column)
        params = {
            "minimum": f.minimum,
            "maximum": f.maximum,
            "choices": ChoicesOf(f.name) if f.choices else "",
        }
        value = "" if failure is None or pd.isna(failure) else failure
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                row=_row_label(frame, int(index), table),
                column=labels[column],
                code="constraint-error",
                value=_shown(value),
                key=key,
                params=params,
            )
        )
    if table.name == "regions":
        problems += _region_kind_rules(frame, table, file, sheet, labels)
    flagged = {(p.row, p.column) for p in problems}
    for first, second in table.ordered_pairs:
        bad = frame[first].notna() & frame[second].notna() & (frame[second] < frame[first])
        for index in frame.index[bad][:limit]:
            row = _row_label(frame, index, table)
            if (row, labels[first]) in flagged or (row, labels[second]) in flagged:
                continue  # an out-of-range value already explains it
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    row=_row_label(frame, index, table),
                    column=labels[second],
                    value=_shown(_plain(frame.at[index, second])),
                    key="before_first",
                    params={"first": labels[first], "first_value": _plain(frame.at[index, first])},
                )
            )
    return problems


def _region_kind_rules(frame, table, file, sheet, labels) -> list[Problem]:
    """Kemendagri codes 71-99 are cities (kota), 01-69 regencies: this, and the name's kind word,
    keep Kabupaten Semarang (33.22) and Kota Semarang (33.74) from being confused."""
    problems = []
    for index in frame.index:
        code, kind, name = (frame.at[index, c] for c in ("region_code", "kind", "name"))
        if pd.isna(code) or pd.isna(kind):
            continue
        expected = "kota" if int(str(code)[-2:]) >= 70 else "kabupaten"
        if kind != expected:
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    row=_row_label(frame, index, table),
                    column=labels["kind"],
                    value=str(kind),
                    key="kind_code_mismatch",
                    params={"code": code, "expected": expected},
                )
            )
        elif pd.notna(name) and region_names.split_name(name)[0] != expected:
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    row=_row_label(frame, index, table),
                    column=labels["name"],
                    value=_shown(name),
                    key="name_kind_mismatch",
                    params={"expected": expected.capitalize()},
                )
            )
    return problems


def _plain(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def check_foreign_keys(
    frame: pd.DataFrame,
    table: Table,
    known_codes: set[str],
    file: str,
    sheet: str | None = None,
    label: str | None = None,
) -> list[Problem]:
    if "region_code" not in frame or table.name == "regions":
        return []
    valid = ", ".join(sorted(known_codes))
    bad = frame["region_code"].notna() & ~frame["region_code"].isin(known_codes)
    return [
        Problem(
            file=file,
            sheet=sheet,
            row=_row_label(frame, i, table),
            column=label or "kode_wilayah",
            value=str(frame.at[i, "region_code"]),
            key="unknown_region",
            params={"codes": valid},
        )
        for i in frame.index[bad]
    ]


def check_dataset(frames: dict[str, pd.DataFrame], origin: str) -> list[Problem]:
    """Consistency of a whole dataset (as stored or as shipped): every rule, every table."""
    problems: list[Problem] = []
    codes = set(frames["regions"]["region_code"].dropna())
    for name, table in TABLES.items():
        frame = frames[name]
        file = f"{origin}:{name}"
        problems += check_frame(frame, table, file)
        problems += check_foreign_keys(frame, table, codes, file)
    return problems
