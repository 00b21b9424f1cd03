"""The `briefing` command: a region's one-page PDF or share PNG, or the pack for a scope.

Kept apart from lib/cli/commands.py so the command line's other commands can change without
touching it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from lib.briefing.export import pack_file, region_file
from lib.briefing.pdf import FontsMissing
from lib.core import scope as scopes
from lib.core.i18n import t
from lib.ingest.dataset import open_dataset
from lib.storage import approval, store
from lib.storage.evidence import evidenced_targets


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from error


def add_parser(command) -> None:
    """command(name, help) makes a sub-command parser that already takes --lang."""
    brief = command("briefing", "write a one-page region briefing (PDF/PNG) or a scope's pack")
    target = brief.add_mutually_exclusive_group(required=True)
    target.add_argument("--region", help="region code, e.g. 33.20")
    target.add_argument(
        "--scope",
        help='the regions of the pack: all, "area:KSPN Borobudur", "province:Jawa Tengah"',
    )
    brief.add_argument("--format", choices=("pdf", "png"), default="pdf")
    brief.add_argument("--out", help="file to write (default: the briefing's own name, here)")
    brief.add_argument("--reference-date", type=_date, default=None, help="default: today")
    brief.add_argument("--version", type=int, default=None, help="data version (default: latest)")


def _scoped(dataset, key: str, lang: str):
    """(dataset of the scope, its label, its file-name part), or None for an unknown scope."""
    scope = scopes.from_key(key)
    if scope.key != key or scope not in scopes.options(dataset.regions):
        return None
    return scopes.apply(dataset, scope), scopes.label(scope, lang), scopes.file_part(scope)


def run(args, engine_factory) -> int:
    if args.scope and args.format == "png":
        return _refuse(t("brief_cli_pack_is_pdf", args.lang))
    engine = engine_factory()
    latest = store.current_version(engine)
    version = args.version or latest
    if not 1 <= version <= latest:
        return _refuse(t("cli_no_such_version", args.lang, target=version, latest=latest))
    # The official data while change sets are pending, as the pages show by default.
    pending = version == latest and approval.list_change_sets(engine, approval.PENDING)
    dataset = open_dataset(engine, version, approval.state_token(engine) if pending else None)
    reference = args.reference_date or dt.date.today()
    try:
        if args.region:
            if args.region not in set(dataset.regions["region_code"]):
                return _refuse(
                    t("brief_unknown_region", args.lang, code=args.region, version=version)
                )
            name, data = region_file(
                dataset, args.region, reference, args.lang, args.format, evidenced_targets(engine)
            )
        else:
            scoped = _scoped(dataset, args.scope, args.lang)
            if scoped is None:
                return _refuse(t("brief_cli_unknown_scope", args.lang, scope=args.scope))
            dataset, label, slug = scoped
            name, data = pack_file(
                dataset, reference, args.lang, label, slug, evidenced_targets(engine)
            )
    except FontsMissing as error:
        print(t("brief_cli_fonts_missing", args.lang, path=error), file=sys.stderr)
        return 1
    out = Path(args.out or name)
    out.write_bytes(data)
    print(t("brief_cli_wrote", args.lang, path=out))
    return 0


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return 2  # usage: what was asked for cannot be made
