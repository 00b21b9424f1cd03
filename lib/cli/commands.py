"""Command line for operators. Every command takes --lang (see lib/core/languages.py; default id).

    python -m lib.cli import FILE [FILE ...] [--dry-run] [--author NAME] [--confirm-removals]
    python -m lib.cli export --format xlsx|csv --out PATH    (csv: a zip of one CSV per table)
    python -m lib.cli history                                (times in WIB)
    python -m lib.cli rollback VERSION [--author NAME]
    python -m lib.cli boundaries FILE [--dry-run] [--attribution TEXT] [--author NAME]
    python -m lib.cli briefing (--region CODE | --scope all) [--lang LANG] [--format pdf|png]
                               [--out FILE] [--reference-date YYYY-MM-DD] [--version N]
    python -m lib.cli users list
    python -m lib.cli users add NAME --role ROLE [--regions 33.20,33.19] [--email E]
                                     [--display-name D]
    python -m lib.cli users set-role NAME --role ROLE [--regions ...]
    python -m lib.cli users reset-password NAME
    python -m lib.cli users disable NAME
    python -m lib.cli changes list [--state S]
    python -m lib.cli changes verify|approve|return ID [--reason TEXT] --author NAME
    python -m lib.cli db upgrade | current
    python -m lib.cli db revision MESSAGE     (developers: write the next migration)

Passwords are read from the prompt (or stdin when piped), never from arguments.

Exit codes, one meaning each: 0 applied or nothing to do; 1 invalid file (report printed);
2 usage (unknown command or option, missing file, no such version, unwritable path, unknown
region code); 3 refused (removals not confirmed, data changed meanwhile, no right, store of a
newer release); 4 unexpected failure (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import sqlalchemy.exc as sa_exc

from lib.core import config
from lib.core.i18n import DEFAULT_LANG, LANGS, fmt_int, problem_message, t
from lib.core.schema import TABLES, sheet_name
from lib.geo.boundaries import BoundaryError, prepare_boundaries, store_boundaries
from lib.ingest import made_from
from lib.ingest.dataset import ensure_seeded
from lib.ingest.upload import apply_upload, inspect_upload, with_choices
from lib.ingest.workbook import csv_zip_bytes, workbook_bytes
from lib.storage import accounts, approval, clock, migrations, store
from lib.storage import evidence as store_evidence
from lib.storage.accounts import operator
from lib.storage.history import NoSuchVersion, rollback, rollback_diffs, versions_frame
from lib.views import approvals as approvals_view
from lib.views import boundary_report
from lib.views.change_text import (
    cell_changes_frame,
    counts_text,
    program_names,
    region_names,
    rows_frame,
)
from lib.views.merge_text import conflicts_frame, kept_frame, made_from_notes
from lib.views.refusals import refusal_text
from lib.views.report import problems_frame
from lib.views.versions import localized_versions

# One meaning each (documented in the README).
EXIT_OK = 0  # applied, or nothing to do
EXIT_INVALID = 1  # an invalid file: its report is printed
EXIT_USAGE = 2  # usage: unknown command or option, missing file, no such version, bad path
EXIT_REFUSED = 3  # refused: removals not confirmed, data changed meanwhile, no right
EXIT_FAILED = 4  # an unexpected failure (the store unreachable, ...): nothing was written


class Stop(Exception):
    """End the command with a message in the user's language and an exit code."""

    def __init__(self, code: int, key: str, **params):
        super().__init__(key)
        self.code, self.key, self.params = code, key, params


def say(args, key: str, **params) -> None:
    print(t(key, args.lang, **params))


def _engine(args):
    engine = store.make_engine(config.database_url())
    problems = ensure_seeded(engine, config.data_dir())
    if problems:
        print(problems_frame(problems, args.lang).to_string(index=False), file=sys.stderr)
        raise Stop(EXIT_INVALID, "cli_store_unreadable")
    return engine


def _existing(files: list[str]) -> list[Path]:
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise Stop(EXIT_USAGE, "cli_no_such_file", files=", ".join(missing))
    return [Path(f) for f in files]


def _print_diffs(args, diffs: dict, regions: dict[str, str]) -> None:
    """What would change, per table, with every row that would be removed."""
    for name, diff in diffs.items():
        print(f"{sheet_name(TABLES[name], args.lang)}: {counts_text(diff.counts(), args.lang)}")
        if diff.cells:
            print(_indent(cell_changes_frame(diff, regions, args.lang).to_string(index=False)))
        if len(diff.removed):
            say(args, "cli_rows_removed", table=sheet_name(TABLES[name], args.lang))
            print(_indent(rows_frame(diff.removed, name, args.lang).to_string(index=False)))


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _import(args) -> int:
    paths = _existing(args.files)
    engine = _engine(args)
    preview = inspect_upload(engine, [(p.name, p.read_bytes()) for p in paths])
    if not preview.ok:
        print(problems_frame(preview.problems, args.lang).to_string(index=False))
        found = len(preview.problems)
        say(args, "cli_invalid", count=found, n=fmt_int(found, args.lang))
        return EXIT_INVALID
    if preview.notices:  # what the page's preview notes too: a title row, a hidden sheet
        say(args, "notices_title")
        print(_indent(problems_frame(preview.notices, args.lang).to_string(index=False)))
    current = store.read_all(engine, preview.base_version)["regions"]
    regions = region_names(current, preview.frames.get("regions"))
    _print_merge(args, preview, regions)
    if args.resolve and preview.unresolved:
        found = [c for listed in preview.conflicts.values() for c in listed]
        preview = with_choices(preview, {c.id: args.resolve for c in found})
    _print_diffs(args, preview.diffs, regions)
    if args.dry_run:
        say(args, "cli_dry_run", count=preview.removals, n=preview.removals)
        return EXIT_OK
    if preview.unresolved:
        raise Stop(
            EXIT_REFUSED, "cli_conflicts_unresolved", count=preview.unresolved, n=preview.unresolved
        )
    if preview.removals and not args.confirm_removals:
        raise Stop(
            EXIT_REFUSED, "cli_removals_unconfirmed", count=preview.removals, n=preview.removals
        )
    version = apply_upload(engine, preview, operator(args.author), args.confirm_removals)
    say(args, "cli_no_changes" if version is None else "cli_applied", version=version)
    return EXIT_OK


def _print_merge(args, preview, regions: dict[str, str]) -> None:
    """An older template: where it came from, the newer values kept, the conflicts."""
    names = program_names(preview.frames.get("programs"))
    for key, params in made_from_notes(preview.made_from, preview.base_version):
        say(args, key, **params)
    kept = sum(len(found) for found in preview.kept.values())
    if kept:
        say(args, "kept_title", count=kept, n=kept)
        print(_indent(kept_frame(preview.kept, regions, args.lang, names).to_string(index=False)))
    found = sum(len(listed) for listed in preview.conflicts.values())
    if found:
        made_on = min(v for v in preview.made_from.values() if v is not None)
        say(args, "cli_conflicts", count=found, n=found)
        table = conflicts_frame(
            preview.conflicts, regions, made_on, preview.base_version, args.lang, names
        )
        print(_indent(table.to_string(index=False)))


def _export(args) -> int:
    engine = _engine(args)
    version = store.current_version(engine)
    frames = store.read_all(engine, version)
    if args.format == "xlsx":
        data = workbook_bytes(frames, args.lang, version)
    else:
        data = csv_zip_bytes(frames, args.lang, version)
    out = Path(args.out)
    out.write_bytes(data)
    pending = approval.list_change_sets(engine, approval.PENDING)
    if pending:  # an export is the latest data, the basis of the next upload: said so
        say(args, "export_pending", ids=", ".join(f"#{c.id}" for c in pending))
    if args.format == "csv":
        names = ", ".join(
            made_from.csv_name(table, args.lang, version) for table in TABLES.values()
        )
        say(args, "cli_wrote_zip", path=out, names=names)
    else:
        say(args, "cli_wrote", path=out)
    return EXIT_OK


def _history(args) -> int:
    table = localized_versions(versions_frame(_engine(args)), args.lang)
    print(table.to_string(index=False))
    return EXIT_OK


def _rollback(args) -> int:
    engine = _engine(args)
    latest = store.current_version(engine)
    diffs = rollback_diffs(engine, args.version, latest)
    _print_diffs(args, diffs, region_names(store.read_all(engine, latest)["regions"]))
    version = rollback(engine, args.version, operator(args.author), latest)
    if version is None:
        say(args, "cli_no_changes")
    else:
        say(args, "cli_rolled_back", target=args.version, version=version)
    return EXIT_OK


def _boundaries(args) -> int:
    (path,) = _existing([args.file])
    engine = _engine(args)
    regions = store.read_all(engine, store.current_version(engine))["regions"]
    try:
        prepared = prepare_boundaries(path.name, path.read_bytes(), regions)
    except BoundaryError as error:
        print(f"{path.name}: {problem_message(error.key, args.lang, error.params)}")
        return EXIT_INVALID
    print(boundary_report.summary(prepared.report, regions, args.lang))
    print(boundary_report.rows(prepared.report, args.lang).to_string(index=False))
    if args.dry_run:
        say(args, "cli_dry_run_boundaries")
        return EXIT_OK
    saved = store_boundaries(
        engine,
        prepared,
        file_name=path.name,
        data=path.read_bytes(),
        author=args.author,
        attribution=args.attribution,
    )
    say(args, "cli_boundaries_saved", id=saved)
    return EXIT_OK


def _briefing(args) -> int:
    from lib.cli.briefing import run

    return run(args, lambda: _engine(args))


def _read_password(lang: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(t("cli_password_prompt", lang))
    return sys.stdin.readline().rstrip("\n")


def _regions(args, engine) -> set[str]:
    """The --regions codes, each one a region the store knows."""
    codes = {r.strip() for r in (args.regions or "").split(",") if r.strip()}
    known = set(store.read_all(engine, store.current_version(engine))["regions"]["region_code"])
    unknown = sorted(codes - known)
    if unknown:
        raise Stop(EXIT_USAGE, "cli_unknown_regions", codes=", ".join(unknown))
    return codes


def _users_list(args, engine) -> None:
    """One aligned table with a header row, as every other table the command line prints."""
    lang = args.lang
    rows = [
        [
            row["username"],
            row["role"],  # the code --role takes
            row["regions"] or "-",
            t("cli_active" if row["active"] else "cli_disabled", lang),
            row["email"] or "",
        ]
        for row in accounts.list_users(engine)
    ]
    headers = ("username", "audit_detail_role", "audit_detail_regions", "col_status", "cli_email")
    print(pd.DataFrame(rows, columns=[t(h, lang) for h in headers]).to_string(index=False))


def _users(args) -> int:
    engine = _engine(args)
    actor = "cli"
    role = t(f"role_{args.role}", args.lang) if args.role else ""
    try:
        if args.action == "list":
            _users_list(args, engine)
            return EXIT_OK
        if args.action == "add":
            regions = _regions(args, engine)
            accounts.add_user(
                engine,
                args.name,
                _read_password(args.lang),
                args.role,
                regions=regions,
                email=args.email,
                display_name=args.display_name or "",
                actor=actor,
            )
            shown = ", ".join(sorted(regions)) or "–"
            say(args, "cli_user_added", name=args.name, role=role, regions=shown)
        elif args.action == "set-role":
            regions = _regions(args, engine)
            accounts.set_role(engine, args.name, args.role, regions, actor=actor)
            shown = ", ".join(sorted(regions)) or "–"
            say(args, "cli_role_set", name=args.name, role=role, regions=shown)
        elif args.action == "reset-password":
            accounts.reset_password(engine, args.name, _read_password(args.lang), actor=actor)
            say(args, "cli_password_reset", name=args.name)
        elif args.action == "disable":
            accounts.disable(engine, args.name, actor=actor)
            say(args, "cli_user_disabled", name=args.name)
    except (ValueError, sa_exc.IntegrityError) as error:
        reason = getattr(error, "orig", error)
        raise Stop(EXIT_REFUSED, "cli_user_refused", reason=reason) from error
    return EXIT_OK


def _changes(args) -> int:
    """The approval queue for operators; moves act as a pembina named by --author."""
    engine = _engine(args)
    names = region_names(store.read_all(engine, store.current_version(engine))["regions"])
    if args.action == "list":
        found = approval.list_change_sets(engine, (args.state,) if args.state else None)
        people = {u["username"]: u["display_name"] for u in accounts.list_users(engine)}
        if not found:
            say(args, "cs_queue_empty")
            return EXIT_OK
        frame = approvals_view.queue_frame(found, names, people, args.lang, clock.now())
        print(frame.to_string(index=False))
        return EXIT_OK
    if args.id is None or not args.author:
        raise Stop(EXIT_USAGE, "cli_changes_usage")
    try:
        state = approval.move(engine, args.id, operator(args.author), args.action, args.reason)
    except accounts.NotAllowed as refusal:
        if refusal.key == "change_set_missing":  # a wrong number is usage, not a refusal
            raise Stop(EXIT_USAGE, refusal.key, **refusal.params) from refusal
        raise
    say(args, "cli_change_set_moved", id=args.id, state=t(f"cs_state_{state}", args.lang))
    return EXIT_OK


def _evidence_purge(args) -> int:
    """Drop the bytes of removed evidence no live attachment needs (audited)."""
    engine = _engine(args)
    dropped = store_evidence.purge(
        engine, store_evidence.DatabaseBlobs(engine), operator(args.author)
    )
    say(args, "cli_evidence_purged", count=len(dropped))
    return EXIT_OK


def _db(args) -> int:
    if args.action == "revision":
        if not args.message:
            raise Stop(EXIT_USAGE, "cli_db_message_needed")
        say(args, "cli_db_revision_written", path=migrations.new_revision(args.message))
        return EXIT_OK
    engine = store.make_engine(config.database_url())
    try:
        before = migrations.revision_of(engine)
        if args.action == "upgrade":
            migrations.upgrade(engine)
            after = migrations.revision_of(engine)
            if before == after:
                say(args, "cli_db_at_head", revision=after)
            else:
                earlier = before or t("cli_db_before_migrations", args.lang)
                say(args, "cli_db_upgraded", before=earlier, after=after)
        else:
            revision = before or t("cli_db_no_revision", args.lang)
            say(args, "cli_db_current", revision=revision, head=migrations.head())
    finally:
        engine.dispose()
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.cli",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help=f"{', '.join(LANGS)} (default {DEFAULT_LANG})",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, parents=[common])

    imp = command("import", "validate and apply spreadsheet files")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--author", default="cli")
    imp.add_argument("--confirm-removals", action="store_true")
    imp.add_argument(
        "--resolve",
        choices=("file", "now"),
        help="an older template's conflicts: take the file's values or keep the current ones",
    )
    exp = command("export", "export the current data (csv: a zip of one CSV per table)")
    exp.add_argument("--format", choices=("xlsx", "csv"), required=True)
    exp.add_argument("--out", required=True)
    command("history", "list versions (times in WIB)")
    back = command("rollback", "restore an earlier version as a new version")
    back.add_argument("version", type=int)
    back.add_argument("--author", default="cli")
    geo = command("boundaries", "import a boundary file for the map")
    geo.add_argument("file")
    geo.add_argument("--dry-run", action="store_true")
    geo.add_argument("--attribution", default="")
    geo.add_argument("--author", default="cli")
    from lib.cli.briefing import add_parser as add_briefing_parser

    add_briefing_parser(command)
    people = command("users", "manage accounts")
    people.add_argument("action", choices=("list", "add", "set-role", "reset-password", "disable"))
    people.add_argument("name", nargs="?")
    people.add_argument("--role", choices=accounts.ROLES)
    people.add_argument("--regions", default="")
    people.add_argument("--email")
    people.add_argument("--display-name")
    changes = command("changes", "change sets: list, verify, approve, return (with --reason)")
    changes.add_argument("action", choices=("list", "verify", "approve", "return"))
    changes.add_argument("id", type=int, nargs="?")
    changes.add_argument("--state", choices=approval.STATES)
    changes.add_argument("--reason")
    changes.add_argument("--author")
    purge = command("evidence-purge", "drop the files of removed evidence (kept until then)")
    purge.add_argument("--author", default="cli")
    db = command("db", "the store's schema: upgrade to this release, or show it")
    db.add_argument("action", choices=("upgrade", "current", "revision"))
    db.add_argument("message", nargs="?")
    return parser


HANDLERS = {
    "import": _import,
    "export": _export,
    "history": _history,
    "rollback": _rollback,
    "boundaries": _boundaries,
    "users": _users,
    "db": _db,
    "briefing": _briefing,
    "changes": _changes,
    "evidence-purge": _evidence_purge,
}


def _run(args) -> int:
    """The handler, with every foreseeable failure turned into a message and its exit code."""
    try:
        return HANDLERS[args.command](args)
    except Stop as stop:
        message, code = t(stop.key, args.lang, **stop.params), stop.code
    except store.StaleVersion as error:
        message = t("cli_stale", args.lang, made_on=error.expected, version=error.current)
        code = EXIT_REFUSED
    except accounts.NotAllowed as refusal:
        message, code = refusal_text(refusal, args.lang), EXIT_REFUSED
    except migrations.StoreNewerThanCode as refusal:
        message, code = t("cli_store_newer", args.lang, reason=refusal), EXIT_REFUSED
    except NoSuchVersion as error:
        message = t("cli_no_such_version", args.lang, target=error.target, latest=error.latest)
        code = EXIT_USAGE
    except OSError as error:
        where = error.filename or ""
        message = t("cli_os_error", args.lang, path=where, reason=error.strerror or error)
        code = EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - an operator gets a sentence, never a traceback
        message = t("cli_failed", args.lang, kind=type(error).__name__, reason=error)
        code = EXIT_FAILED
    print(message, file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "users" and args.action != "list" and not args.name:
        parser.error("users: a user name is needed")
    if args.command == "users" and args.action in ("add", "set-role") and not args.role:
        parser.error("users: --role is needed")
    return _run(args)
