"""Command line for operators.

    python -m lib.cli import FILE [FILE ...] [--dry-run] [--author NAME] [--confirm-removals]
    python -m lib.cli export --format xlsx|csv --out PATH [--lang id|en]
    python -m lib.cli history
    python -m lib.cli rollback VERSION [--author NAME]
    python -m lib.cli boundaries FILE [--dry-run] [--attribution TEXT] [--author NAME]
    python -m lib.cli users list
    python -m lib.cli users add NAME --role ROLE [--regions 33.20,33.19] [--email E]
                                     [--display-name D]
    python -m lib.cli users set-role NAME --role ROLE [--regions ...]
    python -m lib.cli users reset-password NAME
    python -m lib.cli users disable NAME
    python -m lib.cli db upgrade | current
    python -m lib.cli db revision MESSAGE     (developers: write the next migration)

Passwords are read from the prompt (or stdin when piped), never from arguments.

Exit codes: 0 applied (or nothing to do), 1 invalid file (report printed), 2 usage,
3 the store was written by a newer release (nothing touched).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sqlalchemy.exc as sa_exc

from lib import accounts, boundary_report, config, migrations, store
from lib.accounts import operator
from lib.boundaries import BoundaryError, prepare_boundaries, store_boundaries
from lib.dataset import ensure_seeded
from lib.history import rollback, versions_frame
from lib.i18n import problem_message
from lib.report import cell_changes_frame, problems_frame
from lib.upload import RemovalsNotConfirmed, apply_upload, inspect_upload
from lib.workbook import csv_zip_bytes, workbook_bytes


def _engine():
    engine = store.make_engine(config.database_url())
    problems = ensure_seeded(engine, config.data_dir())
    if problems:
        print(problems_frame(problems, "en").to_string(index=False), file=sys.stderr)
        raise SystemExit(1)
    return engine


def _import(args) -> int:
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    engine = _engine()
    uploads = [(Path(f).name, Path(f).read_bytes()) for f in args.files]
    preview = inspect_upload(engine, uploads)
    if not preview.ok:
        print(problems_frame(preview.problems, args.lang).to_string(index=False))
        return 1
    for name, diff in preview.diffs.items():
        counts = diff.counts()
        print(f"{name}: +{counts['added']} ~{counts['changed']} -{counts['removed']}")
        if diff.cells:
            print(cell_changes_frame(diff, args.lang).to_string(index=False))
    if args.dry_run:
        return 0
    try:
        version = apply_upload(engine, preview, operator(args.author), args.confirm_removals)
    except RemovalsNotConfirmed as error:
        print(f"{error}; add --confirm-removals to apply", file=sys.stderr)
        return 2
    print("no changes" if version is None else f"applied as version {version}")
    return 0


def _export(args) -> int:
    engine = _engine()
    frames = store.read_all(engine, store.current_version(engine))
    data = (
        workbook_bytes(frames, args.lang)
        if args.format == "xlsx"
        else csv_zip_bytes(frames, args.lang)
    )
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out}")
    return 0


def _history(args) -> int:
    print(versions_frame(_engine()).to_string(index=False))
    return 0


def _rollback(args) -> int:
    engine = _engine()
    version = rollback(engine, args.version, operator(args.author), store.current_version(engine))
    print(
        "no changes" if version is None else f"rolled back to v{args.version} as version {version}"
    )
    return 0


def _boundaries(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    engine = _engine()
    regions = store.read_all(engine, store.current_version(engine))["regions"]
    try:
        prepared = prepare_boundaries(path.name, path.read_bytes(), regions)
    except BoundaryError as error:
        print(f"{path.name}: {problem_message(error.key, args.lang, error.params)}")
        return 1
    print(boundary_report.summary(prepared.report, regions, args.lang))
    print(boundary_report.rows(prepared.report, args.lang).to_string(index=False))
    if args.dry_run:
        return 0
    saved = store_boundaries(
        engine,
        prepared,
        file_name=path.name,
        data=path.read_bytes(),
        author=args.author,
        attribution=args.attribution,
    )
    print(f"saved as boundary set {saved}")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\n")


def _users(args) -> int:
    engine = _engine()
    regions = {r.strip() for r in (args.regions or "").split(",") if r.strip()}
    actor = "cli"
    try:
        if args.action == "list":
            for row in accounts.list_users(engine):
                print(
                    f"{row['username']:24} {row['role']:16} {row['regions'] or '-':20} "
                    f"{'active' if row['active'] else 'disabled'} {row['email']}"
                )
        elif args.action == "add":
            accounts.add_user(
                engine,
                args.name,
                _read_password(),
                args.role,
                regions=regions,
                email=args.email,
                display_name=args.display_name or "",
                actor=actor,
            )
        elif args.action == "set-role":
            accounts.set_role(engine, args.name, args.role, regions, actor=actor)
        elif args.action == "reset-password":
            accounts.reset_password(engine, args.name, _read_password(), actor=actor)
        elif args.action == "disable":
            accounts.disable(engine, args.name, actor=actor)
    except (ValueError, sa_exc.IntegrityError) as error:
        print(f"refused: {getattr(error, 'orig', error)}", file=sys.stderr)
        return 2
    return 0


def _db(args) -> int:
    if args.action == "revision":
        if not args.message:
            print("db revision: a message is needed", file=sys.stderr)
            return 2
        print(f"wrote {migrations.new_revision(args.message)}; review it, then run the tests")
        return 0
    engine = store.make_engine(config.database_url())
    try:
        before = migrations.revision_of(engine)
        if args.action == "upgrade":
            migrations.upgrade(engine)
            after = migrations.revision_of(engine)
            print(
                f"store at {after} (head)"
                if before == after
                else f"upgraded the store from {before or 'the release before migrations'} "
                f"to {after}"
            )
        else:
            print(f"store at {before or 'no revision'}; this release's head is {migrations.head()}")
    finally:
        engine.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib.cli",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="validate and apply spreadsheet files")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--author", default="cli")
    imp.add_argument("--confirm-removals", action="store_true")
    imp.add_argument("--lang", choices=("id", "en"), default="en")
    exp = commands.add_parser("export", help="export the current data")
    exp.add_argument("--format", choices=("xlsx", "csv"), required=True)
    exp.add_argument("--out", required=True)
    exp.add_argument("--lang", choices=("id", "en"), default="id")
    commands.add_parser("history", help="list versions")
    back = commands.add_parser("rollback", help="restore an earlier version as a new version")
    back.add_argument("version", type=int)
    back.add_argument("--author", default="cli")
    geo = commands.add_parser("boundaries", help="import a boundary file for the map")
    geo.add_argument("file")
    geo.add_argument("--dry-run", action="store_true")
    geo.add_argument("--attribution", default="")
    geo.add_argument("--author", default="cli")
    geo.add_argument("--lang", choices=("id", "en"), default="en")
    people = commands.add_parser("users", help="manage accounts")
    people.add_argument("action", choices=("list", "add", "set-role", "reset-password", "disable"))
    people.add_argument("name", nargs="?")
    people.add_argument("--role", choices=accounts.ROLES)
    people.add_argument("--regions", default="")
    people.add_argument("--email")
    people.add_argument("--display-name")
    db = commands.add_parser("db", help="the store's schema: upgrade to this release, or show it")
    db.add_argument("action", choices=("upgrade", "current", "revision"))
    db.add_argument("message", nargs="?")
    args = parser.parse_args(argv)
    if args.command == "users" and args.action != "list" and not args.name:
        parser.error("users: a user name is needed")
    if args.command == "users" and args.action in ("add", "set-role") and not args.role:
        parser.error("users: --role is needed")
    handlers = {
        "import": _import,
        "export": _export,
        "history": _history,
        "rollback": _rollback,
        "boundaries": _boundaries,
        "users": _users,
        "db": _db,
    }
    try:
        return handlers[args.command](args)
    except migrations.StoreNewerThanCode as refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
