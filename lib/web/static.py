"""Streamlit's own JavaScript and CSS, served precompressed (brotli or gzip).

Streamlit 1.67 sends its hashed bundles uncompressed on purpose: compressing on every request
costs CPU. Compressing each file once, to disk, keeps that cost out of requests and cuts a
first visit from ~2.7 MB to well under 1 MB. The compressed copies keep the headers Streamlit
sets for these files (hashed names: cached for a year, immutable).

Every file is compressed at set-up, before the server answers anyone: the chunks Streamlit
loads on demand too (plotly's 4.7 MB), which a start that compressed only what index.html names
sent uncompressed for ~40 s. Set-up takes gzip -9 for all, brotli 11 for what index.html names
and a quick brotli (quality 5) for the rest (~2 s for Streamlit's files); brotli 11 for the rest
(~10 s for plotly's chunk alone, ~7 % smaller) follows in the background and replaces the quick
copy when done. The copies live in a cache directory
keyed by each file's size and modification time, so a restart finds them and does nothing.
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
# Per encoding, the copies to serve, best first: ".br5" is the quick brotli made at set-up.
ENCODINGS = (("br", (".br", ".br5")), ("gzip", (".gz",)))
QUICK_BROTLI, BEST_BROTLI = 5, 11


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

    def variant(self, path: Path, suffixes: tuple[str, ...]) -> Path | None:
        base = self._base(path)
        for suffix in suffixes:
            candidate = base.with_name(base.name + suffix)
            if candidate.is_file():
                return candidate
        return None

    def compress(self, path: Path, quick: bool = False) -> None:
        """gzip -9 and brotli 11; quick: gzip -9 and brotli 5 unless brotli 11 is there."""
        base = self._base(path)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        packs = {".gz": lambda d: gzip.compress(d, 9, mtime=0)}
        if not quick:
            packs[".br"] = lambda d: brotli.compress(d, quality=BEST_BROTLI)
        elif not base.with_name(base.name + ".br").is_file():
            packs[".br5"] = lambda d: brotli.compress(d, quality=QUICK_BROTLI)
        for suffix, pack in packs.items():
            target = base.with_name(base.name + suffix)
            if target.is_file():
                continue
            # Written aside then renamed: a reader never sees half a file.
            # Named per process and thread: a request and the background pass may meet here.
            partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
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

    def _compress_logged(self, path: Path, quick: bool = False) -> None:
        try:
            self.compress(path, quick)
        except OSError:
            log.exception("could not compress %s", path)
        finally:
            with self._lock:
                self._pending.pop(path, None)

    def compress_all(self, quick: bool = False) -> int:
        """Compress every eligible file. quick (at set-up, before serving): the best compression
        for what index.html loads (a first visit's weight stays as it was), a quick one for the
        rest; afterwards, without quick (a background thread), the best for every file."""
        index = self.index
        first = index.read_text(errors="replace") if index.is_file() else ""
        count = 0
        for path in sorted(self.root.rglob("*"), key=lambda p: (p.name not in first, str(p))):
            relative = path.relative_to(self.root).as_posix()
            if self.source(relative) is not None:
                self._compress_logged(path, quick and path.name not in first)
                count += 1
        return count


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
        for encoding, suffixes in ENCODINGS:
            if encoding not in accepted:
                continue
            variant = self.compressor.variant(source, suffixes)
            if variant is None:
                continue
            media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
            answer = {**self.headers, "Content-Encoding": encoding, "Vary": "Accept-Encoding"}
            cache_control = "no-cache" if source.suffix == ".html" else self.cache_control
            if cache_control:
                answer["Cache-Control"] = cache_control
            response = FileResponse(variant, media_type=media_type, headers=answer)
            await response(scope, receive, send)
            if variant.suffix == ".br5":  # a quick copy: the best one is made for the next
                self.compressor.compress_later(source)
            return
        if accepted & {"br", "gzip"}:
            self.compressor.compress_later(source)
        await self.app(scope, receive, send)
