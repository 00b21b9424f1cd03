"""Streamlit's own JavaScript and CSS, served precompressed (brotli or gzip).

Streamlit 1.67 sends its hashed bundles uncompressed on purpose: compressing on every request
costs CPU. Compressing each file once, to disk, keeps that cost out of requests and cuts a
first visit from ~2.7 MB to well under 1 MB. The compressed copies keep the headers Streamlit
sets for these files (hashed names: cached for a year, immutable). A file not compressed yet is
passed through to Streamlit unchanged, and compressed in the background for the next visitor.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import os
import threading
from pathlib import Path

import brotli
from starlette.responses import FileResponse

log = logging.getLogger(__name__)

COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".map", ".txt", ".ttf", ".otf", ".html"}
MIN_SIZE = 1024
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def _accepted(header: str) -> set[str]:
    accepted = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if params.strip().replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip().lower())
    return accepted


class Precompressor:
    """Compressed copies of the files under `root`, kept in `cache_dir` (made once per file
    version: the cache key holds the file's size and modification time)."""

    def __init__(self, root: Path, cache_dir: Path, index: Path | None = None):
        self.root = root.resolve()
        self.cache_dir = cache_dir
        # The page whose files a visitor needs first (Streamlit's: beside its static folder).
        self.index = index or self.root.parent / "index.html"
        self._pending: dict[Path, threading.Thread] = {}
        self._lock = threading.Lock()

    def source(self, relative: str) -> Path | None:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        if path.suffix not in COMPRESSIBLE or path.stat().st_size < MIN_SIZE:
            return None
        return path

    def _base(self, path: Path) -> Path:
        stat = path.stat()
        key = f"{path.relative_to(self.root)}:{stat.st_size}:{stat.st_mtime_ns}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        return self.cache_dir / f"{path.name}.{digest}"

    def variant(self, path: Path, suffix: str) -> Path | None:
        candidate = self._base(path).with_name(self._base(path).name + suffix)
        return candidate if candidate.is_file() else None

    def compress(self, path: Path) -> None:
        base = self._base(path)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        for suffix, pack in ((".gz", lambda d: gzip.compress(d, 9, mtime=0)), (".br", _brotli)):
            target = base.with_name(base.name + suffix)
            if target.is_file():
                continue
            # Written aside then renamed: a reader never sees half a file.
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            partial.write_bytes(pack(data))
            partial.replace(target)

    def compress_later(self, path: Path) -> None:
        with self._lock:
            if path in self._pending:
                return
            thread = threading.Thread(target=self._compress_logged, args=(path,), daemon=True)
            self._pending[path] = thread
        thread.start()

    def wait(self) -> None:
        """Until the compressions started by requests are done (tests, benchmarks)."""
        with self._lock:
            threads = list(self._pending.values())
        for thread in threads:
            thread.join()

    def _compress_logged(self, path: Path) -> None:
        try:
            self.compress(path)
        except OSError:
            log.exception("could not compress %s", path)
        finally:
            with self._lock:
                self._pending.pop(path, None)

    def compress_all(self, only_first: bool = False) -> int:
        """Compress every eligible file (at start-up, in a background thread); with
        only_first, just what index.html loads (few files, done before serving)."""
        index = self.index
        first = index.read_text(errors="replace") if index.is_file() else ""
        count = 0
        # What index.html loads comes first: a first visitor right after a start gains most.
        for path in sorted(self.root.rglob("*"), key=lambda p: (p.name not in first, str(p))):
            if only_first and path.name not in first:
                break
            relative = path.relative_to(self.root).as_posix()
            if self.source(relative) is not None:
                self._compress_logged(path)
                count += 1
        return count


def _brotli(data: bytes) -> bytes:
    return brotli.compress(data, quality=11)


class PrecompressedStatic:
    """ASGI middleware: GET/HEAD under `prefix` with an Accept-Encoding we have a copy for is
    answered from the compressed copy, with `cache_control` and `Vary: Accept-Encoding`, plus
    `headers` (what Streamlit's own handler for that prefix adds, e.g. CORS). An HTML file gets
    "no-cache", as Streamlit gives its component pages; with cache_control None, none is set
    (Streamlit's app static files carry none either)."""

    def __init__(
        self,
        app,
        prefix: str,
        compressor: Precompressor,
        cache_control: str | None,
        headers: dict[str, str] | None = None,
    ):
        self.app = app
        self.prefix = prefix
        self.compressor = compressor
        self.cache_control = cache_control
        self.headers = headers or {}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        source = self.compressor.source(path[len(self.prefix) :])
        if source is None:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        accepted = _accepted(headers.get("accept-encoding", ""))
        for encoding, suffix in ENCODINGS:
            if encoding not in accepted:
                continue
            variant = self.compressor.variant(source, suffix)
            if variant is None:
                continue
            media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
            answer = {**self.headers, "Content-Encoding": encoding, "Vary": "Accept-Encoding"}
            cache_control = "no-cache" if source.suffix == ".html" else self.cache_control
            if cache_control:
                answer["Cache-Control"] = cache_control
            response = FileResponse(variant, media_type=media_type, headers=answer)
            await response(scope, receive, send)
            return
        if accepted & {"br", "gzip"}:
            self.compressor.compress_later(source)
        await self.app(scope, receive, send)
