"""Evidence ("bukti dukung"): files and links attached to any row of the data contract.

Two parts:
- blobs, content-addressed by sha256 behind a small interface (`BlobStore`). The database
  implementation keeps each file as 1 MB chunks in `evidence_chunks`, so several app
  processes share them, a download is streamed chunk by chunk, and the same file attached twice
  is stored once. An object store (S3-compatible, e.g. MinIO) can implement the same interface.
- attachments (`evidence`): which row (target table + key, and the region it belongs to), kind,
  title, file name or link, who, when, the data version it was attached in, and its soft
  removal. A removed attachment keeps its bytes for history until an admin purges them.

Rights are decided here: attaching and removing as uploading (a regional editor for their own
regions, an admin everywhere); reading needs a sign-in, ministry roles read every region and
regional roles their own. Every refusal and every write is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from lib.core import config
from lib.storage import accounts, clock, store

CHUNK = 1024 * 1024
KINDS = ("document", "photo", "spreadsheet", "link")
TARGETS = ("stages", "programs")  # more tables (monitoring, index) attach the same way
MINISTRY_ROLES = ("ministry_admin", "ministry_viewer")

evidence_blobs = sa.Table(
    "evidence_blobs",
    store.metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

evidence_chunks = sa.Table(
    "evidence_chunks",
    store.metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

evidence = sa.Table(
    "evidence",
    store.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("region_code", sa.String(16), nullable=False),
    sa.Column("target_table", sa.String(32), nullable=False),
    sa.Column("target_key", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("file_name", sa.String(300)),
    sa.Column("media_type", sa.String(120)),
    sa.Column("size", sa.BigInteger, nullable=False, default=0),
    sa.Column("sha256", sa.String(64)),
    sa.Column("thumbnail", sa.LargeBinary),
    sa.Column("url", sa.Text),
    sa.Column("author", sa.String(120), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("removed_at", sa.DateTime(timezone=True)),
    sa.Column("removed_by", sa.String(120)),
    sa.Column("removed_in", sa.Integer),
    sa.Column("purged_at", sa.DateTime(timezone=True)),
    sa.Index("ix_evidence_target", "target_table", "target_key"),
    sa.Index("ix_evidence_region", "region_code"),
)


# --- the blob interface ------------------------------------------------------------------------


class BlobStore(Protocol):
    """Bytes by their sha256. `put` is idempotent (the same bytes twice are stored once)."""

    def put(self, data: bytes | memoryview) -> str: ...

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int | None: ...

    def chunks(self, sha256: str) -> Iterator[bytes]: ...

    def delete(self, sha256: str) -> None: ...


class DatabaseBlobs:
    """Blobs in the store's own database (SQLite or PostgreSQL), as 1 MB chunks."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def put(self, data: bytes | memoryview) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if self.exists(sha):
            return sha
        try:
            with store.write_transaction(self.engine) as connection:
                if connection.execute(_blob_where(sha)).first() is not None:
                    return sha
                view = memoryview(data)
                for seq, start in enumerate(range(0, max(len(view), 1), CHUNK)):
                    # One chunk copied at a time: a 20 MB file is never held twice.
                    chunk = bytes(view[start : start + CHUNK])
                    connection.execute(
                        evidence_chunks.insert().values(sha256=sha, seq=seq, data=chunk)
                    )
                connection.execute(
                    evidence_blobs.insert().values(
                        sha256=sha, size=len(data), created_at=clock.now()
                    )
                )
        except sa.exc.IntegrityError:  # another process stored the same bytes meanwhile
            pass
        return sha

    def exists(self, sha256: str) -> bool:
        return self.size(sha256) is not None

    def size(self, sha256: str) -> int | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(evidence_blobs.c.size).where(evidence_blobs.c.sha256 == sha256)
            ).first()
        return None if row is None else row.size

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """One chunk in memory at a time: a 20 MB file never sits whole in the server."""
        seq = 0
        while True:
            with self.engine.connect() as connection:
                data = connection.execute(
                    sa.select(evidence_chunks.c.data).where(
                        evidence_chunks.c.sha256 == sha256, evidence_chunks.c.seq == seq
                    )
                ).scalar()
            if data is None:
                return
            yield bytes(data)
            seq += 1

    def delete(self, sha256: str) -> None:
        with store.write_transaction(self.engine) as connection:
            connection.execute(evidence_blobs.delete().where(evidence_blobs.c.sha256 == sha256))
            connection.execute(evidence_chunks.delete().where(evidence_chunks.c.sha256 == sha256))


def _blob_where(sha: str):
    return sa.select(evidence_blobs.c.sha256).where(evidence_blobs.c.sha256 == sha)


# --- rights -----------------------------------------------------------------------------------


class EvidenceRefused(PermissionError):
    """A refusal said in the user's language: `key` is a message id, `params` its values."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def may_read(user: accounts.User | None, region_code: str) -> bool:
    """Evidence may hold names and faces (attendance lists, photos): always behind a sign-in,
    whatever DASHBOARD_REQUIRE_LOGIN says; ministry roles read every region, regional roles
    their own (a walidata: the regions and provinces assigned, as for verifying)."""
    if user is None:
        return False
    return user.role in MINISTRY_ROLES or accounts.covers(user, region_code)


def may_attach(user: accounts.User | None, region_code: str) -> bool:
    return accounts.allowed(user, "upload", region_code)


def _region_full(engine, actor: str, region_code: str, file_name, region_cap: int) -> None:
    """EvidenceRefused (audited): the region's evidence would pass its cap. Checked before the
    bytes are stored (cheap) and again under the write lock (two uploads at once)."""
    _refuse(
        engine,
        actor,
        "evidence_region_full",
        region=region_code,
        file=file_name,
        limit=region_cap // config.MB,
    )


def require_attach(
    engine: sa.Engine, user: accounts.User | None, region_code: str, file: str | None
) -> None:
    """EvidenceRefused (audited) unless the user may attach evidence to the region."""
    if not may_attach(user, region_code):
        actor = user.username if user else "anonymous"
        _refuse(engine, actor, "evidence_no_right", region=region_code, file=file or "")


# --- attachments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    id: int
    region_code: str
    target_table: str
    target_key: str
    kind: str
    title: str
    file_name: str | None
    media_type: str | None
    size: int
    sha256: str | None
    url: str | None
    author: str
    created_at: dt.datetime
    version: int
    removed_at: dt.datetime | None
    removed_by: str | None
    removed_in: int | None
    purged: bool

    @property
    def live(self) -> bool:
        return self.removed_at is None


def _attachment(row) -> Attachment:
    return Attachment(
        row.id,
        row.region_code,
        row.target_table,
        row.target_key,
        row.kind,
        row.title,
        row.file_name,
        row.media_type,
        row.size,
        row.sha256,
        row.url,
        row.author,
        clock.aware(row.created_at),
        row.version,
        clock.aware(row.removed_at) if row.removed_at else None,
        row.removed_by,
        row.removed_in,
        row.purged_at is not None,
    )


_LISTED = [c for c in evidence.c if c.name != "thumbnail"]


def region_bytes(connection: sa.Connection, region_code: str) -> int:
    """What a region's files take against its cap: every attachment not purged (a removed one
    still holds its bytes for history)."""
    return (
        connection.execute(
            sa.select(sa.func.coalesce(sa.func.sum(evidence.c.size), 0)).where(
                evidence.c.region_code == region_code, evidence.c.purged_at.is_(None)
            )
        ).scalar()
        or 0
    )


def attach(
    engine: sa.Engine,
    blobs: BlobStore,
    user: accounts.User | None,
    *,
    region_code: str,
    target_table: str,
    target_key: str,
    kind: str,
    title: str,
    data: bytes | None = None,
    file_name: str | None = None,
    media_type: str | None = None,
    thumbnail: bytes | None = None,
    url: str | None = None,
    region_cap: int,
) -> int:
    """Attach a checked file (or a link) to a row. `data` must have passed the intake
    (lib/ingest/evidence_intake.py). Rights and the region's cap are checked here; a refusal
    is audited and raised as EvidenceRefused. Returns the attachment's id."""
    actor = user.username if user else "anonymous"
    if target_table not in TARGETS or kind not in KINDS:
        raise ValueError(f"unknown target {target_table!r} or kind {kind!r}")
    require_attach(engine, user, region_code, file_name or url)
    size = len(data) if data is not None else 0
    if data is not None:
        with engine.connect() as connection:
            used = region_bytes(connection, region_code)
        if used + size > region_cap:
            _region_full(engine, actor, region_code, file_name, region_cap)
    # The bytes first, then the row: an object store cannot join the database's transaction.
    # A row never points at missing bytes; bytes without a row are purged later.
    sha = blobs.put(data) if data is not None else None
    with store.write_transaction(engine) as connection:
        used = region_bytes(connection, region_code)
        if used + size > region_cap:  # two uploads at once: checked again under the lock
            cap_hit = True
        else:
            cap_hit = False
            version = connection.execute(sa.select(sa.func.max(store.versions.c.id))).scalar()
            new_id = connection.execute(
                evidence.insert().values(
                    region_code=region_code,
                    target_table=target_table,
                    target_key=target_key,
                    kind=kind,
                    title=title,
                    file_name=file_name,
                    media_type=media_type,
                    size=size,
                    sha256=sha,
                    thumbnail=thumbnail,
                    url=url,
                    author=actor,
                    created_at=clock.now(),
                    version=version or 0,
                )
            ).inserted_primary_key[0]
            accounts._log(
                connection,
                actor,
                "evidence_attached",
                True,
                {
                    "id": new_id,
                    "region": region_code,
                    "target": f"{target_table}:{target_key}",
                    "file": file_name or url,
                    "sha256": sha,
                    "version": version or 0,
                },
            )
    if cap_hit:
        _region_full(engine, actor, region_code, file_name, region_cap)
    return new_id


def _refuse(engine: sa.Engine, actor: str, key: str, **params) -> None:
    accounts.record(engine, actor, "evidence_refused", False, reason=key, **params)
    raise EvidenceRefused(key, **params)


def refuse_file(engine: sa.Engine, user: accounts.User | None, key: str, **params) -> None:
    """Audit a file the intake refused (the intake itself does not touch the store)."""
    actor = user.username if user else "anonymous"
    accounts.record(engine, actor, "evidence_refused", False, reason=key, **params)


def get(engine: sa.Engine, attachment_id: int) -> Attachment | None:
    with engine.connect() as connection:
        row = connection.execute(sa.select(*_LISTED).where(evidence.c.id == attachment_id)).first()
    return _attachment(row) if row else None


def thumbnail(engine: sa.Engine, attachment_id: int) -> bytes | None:
    with engine.connect() as connection:
        data = connection.execute(
            sa.select(evidence.c.thumbnail).where(evidence.c.id == attachment_id)
        ).scalar()
    return bytes(data) if data is not None else None


def for_region(engine: sa.Engine, region_code: str, *, include_removed: bool = False):
    """A region's attachments, oldest first."""
    query = sa.select(*_LISTED).where(evidence.c.region_code == region_code)
    if not include_removed:
        query = query.where(evidence.c.removed_at.is_(None))
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(evidence.c.id)).all()
    return [_attachment(r) for r in rows]


def attachments_for(
    engine: sa.Engine, targets: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Attachment]]:
    """The live attachments of each (target table, key): what the approval queue shows next to
    a change's rows (stages key "33.20|4", programs key the program id)."""
    wanted = {(table, str(key)) for table, key in targets}
    found: dict[tuple[str, str], list[Attachment]] = {target: [] for target in wanted}
    if not wanted:
        return found
    keys = {key for _table, key in wanted}
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(*_LISTED)
            .where(evidence.c.removed_at.is_(None), evidence.c.target_key.in_(sorted(keys)))
            .order_by(evidence.c.id)
        ).all()
    for row in rows:
        target = (row.target_table, row.target_key)
        if target in found:
            found[target].append(_attachment(row))
    return found


def evidenced_targets(engine: sa.Engine) -> set[tuple[str, str]]:
    """Every (target table, key) with at least one live attachment: what completeness counts."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(evidence.c.target_table, evidence.c.target_key)
            .where(evidence.c.removed_at.is_(None))
            .distinct()
        ).all()
    return {(r.target_table, r.target_key) for r in rows}


def remove(engine: sa.Engine, user: accounts.User | None, attachment_id: int) -> None:
    """Soft removal: the attachment leaves the lists; its bytes stay for history until purged."""
    actor = user.username if user else "anonymous"
    found = get(engine, attachment_id)
    if found is None or not found.live:
        return
    require_attach(engine, user, found.region_code, found.file_name or found.url)
    with store.write_transaction(engine) as connection:
        version = connection.execute(sa.select(sa.func.max(store.versions.c.id))).scalar() or 0
        connection.execute(
            evidence.update()
            .where(evidence.c.id == attachment_id, evidence.c.removed_at.is_(None))
            .values(removed_at=clock.now(), removed_by=actor, removed_in=version)
        )
        accounts._log(
            connection,
            actor,
            "evidence_removed",
            True,
            {"id": attachment_id, "region": found.region_code, "file": found.file_name},
        )


def purge(engine: sa.Engine, blobs: BlobStore, user: accounts.User | None) -> list[str]:
    """An admin drops the bytes no live attachment needs any more (removed attachments keep
    their row, marked purged, for history). Audited. Returns the sha256 of the blobs dropped."""
    actor = user.username if user else "anonymous"
    if user is None or user.role != "ministry_admin":
        _refuse(engine, actor, "evidence_purge_admin_only")
    with store.write_transaction(engine) as connection:
        live = {
            r.sha256
            for r in connection.execute(
                sa.select(evidence.c.sha256).where(
                    evidence.c.removed_at.is_(None), evidence.c.sha256.is_not(None)
                )
            )
        }
        stored = {r.sha256 for r in connection.execute(sa.select(evidence_blobs.c.sha256))}
        dropped = sorted(stored - live)
        connection.execute(
            evidence.update()
            .where(evidence.c.removed_at.is_not(None), evidence.c.purged_at.is_(None))
            .values(purged_at=clock.now(), thumbnail=None)
        )
        accounts._log(connection, actor, "evidence_purged", True, {"blobs": dropped})
    for sha in dropped:
        blobs.delete(sha)
    return dropped
