"""Upload: files -> validated tables -> preview of changes -> apply as one new version.

Semantics: for each region present in a table of the upload, the upload's rows of that table
replace that region's rows; regions absent from the upload are untouched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from lib.core.region_names import split_name
from lib.core.schema import TABLES, HeadersOf, SheetsOf, Table, coerce_frame, normalise_token
from lib.ingest.dataset import read_problem
from lib.ingest.merge import Conflict, Kept, merge_three_way
from lib.ingest.reader import HEADER_SEARCH, RawSheet, ReadError, header_score
from lib.ingest.row_refs import RowRef, RowRefs
from lib.ingest.validate import Problem, capped, check_foreign_keys, map_headers, validate_sheet
from lib.ingest.xlsx import DEFAULT_LIMITS, Limits, read_upload
from lib.storage import accounts, approval, store
from lib.storage.accounts import User
from lib.storage.diff import TableDiff, diff_table

__all__ = [
    "ConflictsUnresolved",
    "RemovalsNotConfirmed",
    "UploadPreview",
    "apply_upload",
    "check_rights",
    "inspect_upload",
    "with_choices",
]


class RemovalsNotConfirmed(RuntimeError):
    """Rows would be removed and the user has not confirmed it."""


class ConflictsUnresolved(RuntimeError):
    """An older file and others since changed the same cells; not every one has been chosen."""


@dataclass
class UploadPreview:
    files: list[str]
    sha256: str
    base_version: int
    problems: list[Problem] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    scope: dict[str, set[str]] = field(default_factory=dict)
    diffs: dict[str, TableDiff] = field(default_factory=dict)
    # What was read in a way the user should know before applying (a header found below a
    # title, a hidden sheet read); shown with the preview, never blocking.
    notices: list[Problem] = field(default_factory=list)
    # table -> (file, sheet as the file names it): where a row reference points the user
    sources: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)  # code -> name, for refusals

    # file -> the data version it records having been made from (None: hand-made)
    made_from: dict[str, int | None] = field(default_factory=dict)
    # table -> (data at the file's version, current data, the file's rows, its columns): the
    # inputs of the three-way merge of a table whose file was made from an older version
    merge_inputs: dict[str, tuple] = field(default_factory=dict)
    kept: dict[str, list[Kept]] = field(default_factory=dict)
    conflicts: dict[str, list[Conflict]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unresolved(self) -> int:
        return sum(c.chosen is None for found in self.conflicts.values() for c in found)

    @property
    def removals(self) -> int:
        return sum(len(d.removed) for d in self.diffs.values())

    @property
    def has_changes(self) -> bool:
        return any(d.has_changes for d in self.diffs.values())


def table_for_sheet(sheet: RawSheet) -> Table | None:
    """XLSX sheets are named after their table; a CSV is recognised by its headers."""
    if sheet.sheet is not None:
        token = normalise_token(sheet.sheet)
        return next((t for t in TABLES.values() if token in t.spellings()), None)
    headers = {normalise_token(h) for h in sheet.headers if h is not None}

    def score(table: Table) -> tuple[int, int]:
        lookup = table.header_lookup()
        fields = {lookup[h] for h in headers if h in lookup}
        required = {f.name for f in table.fields if f.required}
        return (len(required & fields) == len(required), len(fields))

    best = max(TABLES.values(), key=score)
    return best if score(best)[1] >= 2 else None


# Sheets of our own template that hold no data: the read-me and the hidden drop-down lists.
TEMPLATE_SHEETS = {"baca_saya", "read_me", "daftar", "lists"}


def _sheet_problems(sheet: RawSheet) -> list[Problem]:
    problems = []
    for ref in sheet.merged:
        column, row, last_row = re.match(r"([A-Z]+)(\d+)(?::[A-Z]+(\d+))?", ref).groups()
        if int(last_row or row) < sheet.header_row:
            continue  # a merged title above the header is not data
        problems.append(
            Problem(
                file=sheet.file,
                sheet=sheet.sheet,
                row=int(row),
                column=column,
                value=ref,
                key="merged_cells",
                params={"value": ref},
            )
        )
    problems += [
        Problem(
            file=sheet.file, sheet=sheet.sheet, row=row, column=column, key="formula_without_value"
        )
        for row, column in sheet.formulas
    ]
    return problems


def _unknown_sheet(sheet: RawSheet) -> list[Problem]:
    """A sheet that is no table: a CSV is refused; a workbook sheet holding anything is named
    (data on "programs 2024" is never dropped silently); our template's own sheets and empty
    sheets are skipped, and a hidden sheet of the user's own is only noted."""
    if sheet.sheet is None:
        return [Problem(file=sheet.file, key="unknown_table")]
    if normalise_token(sheet.sheet) in TEMPLATE_SHEETS or not (sheet.headers or sheet.rows):
        return []
    expected = SheetsOf(tuple(TABLES))
    key = "unknown_hidden_sheet" if sheet.hidden else "unknown_sheet"
    return [
        Problem(
            file=sheet.file,
            sheet=sheet.sheet,
            key=key,
            params={"sheet": sheet.sheet, "expected": expected},
        )
    ]


def _header_not_found(sheet: RawSheet, table: Table) -> Problem:
    """No row among the first ones names the table's columns: say where the header was
    expected and which names it may hold, instead of a flood of unknown/missing columns."""
    known = HeadersOf(table.name)
    return Problem(
        file=sheet.file,
        sheet=sheet.sheet,
        row=sheet.first_row,
        key="header_not_found",
        params={
            "first": sheet.first_row,
            "last": sheet.first_row + HEADER_SEARCH - 1,
            "known": known,
        },
    )


def _region_name_hint(problems: list[Problem], regions: pd.DataFrame) -> list[Problem]:
    """'Semarang' in a code column: say which codes the user may mean (Kabupaten or Kota)."""
    by_base: dict[str, list[tuple[str | None, str]]] = {}
    for row in regions.itertuples():
        kind, base = split_name(row.name)
        by_base.setdefault(base, []).append((kind or row.kind, f"{row.region_code} ({row.name})"))
    out = []
    for p in problems:
        if p.key == "bad_code":
            kind, base = split_name(p.value)
            codes = [code for k, code in by_base.get(base, ()) if kind in (None, k)]
            if codes:
                p = dataclasses.replace(p, key="name_not_code", params={"codes": ", ".join(codes)})
        out.append(p)
    return out


def _key_clashes(
    frame: pd.DataFrame,
    current: pd.DataFrame,
    table: Table,
    scope: set[str],
    file: str,
    sheet: str | None,
) -> list[Problem]:
    """A program_id the upload uses that another region (not in the upload) already holds."""
    if len(table.key) != 1 or table.name == "regions" or frame.empty:
        return []
    key = table.key[0]
    outside = current[~current["region_code"].isin(scope)]
    owners = dict(zip(outside[key], outside["region_code"], strict=True))
    clashing = frame[frame[key].isin(owners)]
    return [
        Problem(
            file=file,
            sheet=sheet,
            row=int(row_number),
            column=key,
            value=str(value),
            key="key_of_other_region",
            params={"region": owners[value]},
        )
        for value, row_number in zip(clashing[key], clashing["_row"], strict=True)
    ]


def inspect_upload(
    engine: sa.Engine, uploads: list[tuple[str, bytes]], limits: Limits = DEFAULT_LIMITS
) -> UploadPreview:
    """Read, validate and diff; writes nothing. Every problem of every file at once."""
    digest = hashlib.sha256()
    for name, data in sorted(uploads):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    base = store.current_version(engine)
    preview = UploadPreview([n for n, _ in uploads], digest.hexdigest(), base)
    sheets: list[RawSheet] = []
    for name, data in uploads:
        try:
            sheets += read_upload(name, data, limits)
        except ReadError as error:
            preview.problems.append(read_problem(error))
    assigned: dict[str, RawSheet] = {}
    for sheet in sheets:
        table = table_for_sheet(sheet)
        if table is None:
            noted = sheet.sheet is not None and sheet.hidden
            (preview.notices if noted else preview.problems).extend(_unknown_sheet(sheet))
            continue
        if sheet.hidden:
            preview.notices.append(Problem(file=sheet.file, sheet=sheet.sheet, key="hidden_sheet"))
        if table.name in assigned:
            preview.problems.append(
                Problem(
                    file=sheet.file,
                    sheet=sheet.sheet,
                    key="table_twice",
                    params={"table": SheetsOf((table.name,))},
                )
            )
            continue
        assigned[table.name] = sheet
        preview.sources[table.name] = (sheet.file, sheet.sheet)
    if not assigned and not preview.problems:
        expected = SheetsOf(tuple(TABLES))
        preview.problems.append(
            Problem(
                file=", ".join(preview.files), key="no_known_sheet", params={"expected": expected}
            )
        )
    current = store.read_all(engine, base)
    older: dict[int, dict[str, pd.DataFrame]] = {}
    regions = current["regions"]
    preview.region_names = dict(zip(regions.region_code, regions.name, strict=True))
    present: dict[str, set[str]] = {}
    for name, sheet in assigned.items():
        if header_score(sheet.headers, sheet.sheet) < 2 and sheet.headers:
            preview.problems.append(_header_not_found(sheet, TABLES[name]))
            continue
        if sheet.header_row != sheet.first_row:
            preview.notices.append(
                Problem(
                    file=sheet.file,
                    sheet=sheet.sheet,
                    row=sheet.header_row,
                    key="header_row_used",
                    params={"row": sheet.header_row, "first": sheet.first_row},
                )
            )
        present[name] = set(map_headers(sheet, TABLES[name])[0].values())
        preview.problems += _sheet_problems(sheet)
        if not sheet.rows:
            preview.problems.append(
                Problem(file=sheet.file, sheet=sheet.sheet, row=sheet.header_row, key="no_rows")
            )
        frame, problems = validate_sheet(sheet, TABLES[name])
        sheet.rows = []  # the raw cells are done with: the diff below runs without them
        preview.problems += problems
        preview.frames[name] = frame
    known = set(current["regions"]["region_code"])
    if "regions" in preview.frames:
        known |= set(preview.frames["regions"]["region_code"].dropna())
    for name, frame in preview.frames.items():
        sheet = assigned[name]
        preview.scope[name] = set(frame["region_code"].dropna())
        unknown = check_foreign_keys(frame, TABLES[name], known, sheet.file, sheet.sheet)
        clashes = _key_clashes(
            frame, current[name], TABLES[name], preview.scope[name], sheet.file, sheet.sheet
        )
        preview.problems += capped(unknown, sheet.file, sheet.sheet)
        preview.problems += capped(clashes, sheet.file, sheet.sheet)
    preview.problems = _region_name_hint(preview.problems, current["regions"])
    if preview.problems:
        return preview
    for name, frame in preview.frames.items():
        made = assigned[name].made_from
        preview.made_from[assigned[name].file] = made
        if made is not None and made < base:
            # An older template: merged against the data it was made from, so it does not
            # undo what others applied since (lib/ingest/merge.py).
            then = older.setdefault(made, store.read_all(engine, made))[name]
            preview.merge_inputs[name] = (then, current[name], frame, present[name])
        else:
            preview.frames[name] = keep_absent_columns(
                frame, current[name], TABLES[name], present[name]
            )
    _merge(preview, {})
    preview.diffs = {
        name: diff_table(current[name], frame, TABLES[name], preview.scope[name])
        for name, frame in preview.frames.items()
    }
    return preview


def _merge(preview: UploadPreview, choices: dict[str, str]) -> None:
    for name, (then, now, frame, present) in preview.merge_inputs.items():
        result = merge_three_way(then, now, frame, TABLES[name], present, choices)
        preview.frames[name] = result.frame
        preview.kept[name], preview.conflicts[name] = result.kept, result.conflicts


def with_choices(preview: UploadPreview, choices: dict[str, str]) -> UploadPreview:
    """The preview with its conflicts decided (conflict id -> "file" | "now"): the merged rows
    and their diff made again from the kept inputs; the store is not read."""
    chosen = dataclasses.replace(
        preview,
        frames=dict(preview.frames),
        diffs=dict(preview.diffs),
        kept=dict(preview.kept),
        conflicts=dict(preview.conflicts),
    )
    _merge(chosen, choices)
    for name, (_, now, _, _) in chosen.merge_inputs.items():
        chosen.diffs[name] = diff_table(now, chosen.frames[name], TABLES[name], chosen.scope[name])
    return chosen


def keep_absent_columns(
    frame: pd.DataFrame, current: pd.DataFrame, table: Table, present: set[str]
) -> pd.DataFrame:
    """A column left out of the file keeps its stored values: a sheet with only code, stage and
    status updates statuses; it does not blank every date, source and note."""
    absent = [c for c in table.columns if c not in present]
    if not absent or frame.empty:
        return frame
    key = list(table.key)
    merged = frame.drop(columns=absent).merge(current[key + absent], on=key, how="left")
    return coerce_frame(merged, table)


def _row_numbers(frame: pd.DataFrame, table: Table) -> dict[tuple, int]:
    key = list(table.key)
    return {
        tuple(values[:-1]): int(values[-1])
        for values in frame[[*key, "_row"]].itertuples(index=False)
    }


def foreign_changes(
    preview: UploadPreview, regions: frozenset[str] | set[str]
) -> dict[str, RowRefs]:
    """What the upload would change outside `regions`, from the diff, not the raw rows: rows
    identical to the stored ones are no change, so a full template with one region edited only
    touches that region. Returns {"rows": upload rows (with their sheet row), "removed": stored
    rows the upload would remove}, each named by stage or program and region."""
    rows: list[tuple[tuple, RowRef]] = []
    removed: list[RowRef] = []
    names = preview.region_names
    for name, diff in preview.diffs.items():
        table = TABLES[name]
        file, sheet = preview.sources.get(name, (name, None))
        where = sheet or file
        numbers = _row_numbers(preview.frames[name], table) if name in preview.frames else {}
        for frame in (diff.added, diff.changed_new):
            for record in frame.itertuples(index=False):
                code = record.region_code
                if code in regions:
                    continue
                key = tuple(getattr(record, k) for k in table.key)
                number = numbers.get(key, 0)
                ref = RowRef(name, key, names.get(code, code), where, number or None)
                rows.append(((where, number), ref))
        for record in diff.removed.itertuples(index=False):
            if record.region_code not in regions:
                key = tuple(getattr(record, k) for k in table.key)
                code = record.region_code
                removed.append(RowRef(name, key, names.get(code, code)))
    return {
        "rows": RowRefs(tuple(ref for _, ref in sorted(rows, key=lambda r: r[0]))),
        "removed": RowRefs(tuple(removed)),
    }


def check_rights(user: User | None, preview: UploadPreview) -> None:
    """Refuse, as a whole, an upload by a regional editor that changes another region's rows,
    naming them. Checked on the diff: unchanged rows of other regions are allowed through."""
    accounts.require(user, "upload")
    if user.role == "ministry_admin":
        return
    outside = foreign_changes(preview, user.regions)
    if outside["rows"] or outside["removed"]:
        raise accounts.NotAllowed(
            "upload_other_regions",
            rows=outside["rows"],
            removed=outside["removed"],
        )


def apply_upload(
    engine: sa.Engine, preview: UploadPreview, user: User | None, confirm_removals: bool = False
) -> int | None:
    """Write the preview as one new version; None when it changes nothing (same file twice).

    The acting user's rights are checked here, at the write: a regional editor's file with
    rows of another region is refused whole. Raises store.StaleVersion when the data changed
    since the preview was made.
    """
    if not preview.ok:
        raise ValueError("an upload with problems is never applied")
    if preview.unresolved:
        _refused(engine, preview, user, "conflicts_unresolved")
        raise ConflictsUnresolved(f"{preview.unresolved} conflicts not chosen")
    audited_rights(engine, preview, user)
    if preview.removals and not confirm_removals:
        _refused(engine, preview, user, "removals_not_confirmed")
        raise RemovalsNotConfirmed(f"{preview.removals} rows would be removed")
    try:
        version, _ = approval.guarded_write(
            engine,
            user,
            new_rows={
                name: frame.drop(columns="_row", errors="ignore")
                for name, frame in preview.frames.items()
            },
            author=user.display_name,
            action="upload",
            expected_version=preview.base_version,
            scope=preview.scope,
            file_name=", ".join(preview.files),
            sha256=preview.sha256,
            diffs=preview.diffs,
            audit=accounts.recorder(
                user.username, "upload_applied", files=preview.files, sha256=preview.sha256
            ),
        )
    except store.StaleVersion as stale:
        _refused(
            engine, preview, user, "stale_version", made_on=stale.expected, current=stale.current
        )
        raise
    except accounts.NotAllowed as refusal:
        # approval's locks: a pending change set's regions, or approved ones (README)
        _refused(engine, preview, user, refusal.key, **refusal.params)
        raise
    return version


def audited_rights(
    engine: sa.Engine, preview: UploadPreview, user: User | None, audit: bool = True
) -> None:
    """The acting user's rights over every row of the upload; a refusal is audited wherever it
    happens (on the page before the preview, or at the write). The page passes audit=False
    when it only redraws a refusal it has already recorded."""
    try:
        check_rights(user, preview)
    except accounts.NotAllowed as refusal:
        if audit:
            _refused(engine, preview, user, refusal.key)
        raise


def _refused(
    engine: sa.Engine, preview: UploadPreview, user: User | None, reason: str, **detail
) -> None:
    actor = user.username if user else "anonymous"
    accounts.record(
        engine,
        actor,
        "upload_refused",
        False,
        files=preview.files,
        reason=reason,
        sha256=preview.sha256,
        **detail,
    )
