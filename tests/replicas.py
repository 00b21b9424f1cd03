"""Several app processes on one PostgreSQL behind nginx, started from the files in deploy/ (the
systemd unit's ExecStart, the nginx site), with only ports and paths replaced. Used by the
replica browser test and by bench/load_replicas.py. nginx runs as a test process with its own
prefix and port: never a system instance."""

from __future__ import annotations

import http.client
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEPLOY = PROJECT / "deploy"
UNIT = DEPLOY / "kspn-dashboard@.service"
SITE = DEPLOY / "nginx-kspn-dashboard.conf"
INSTALL_DIR = "/opt/kspn-dashboard"
DEFAULT_APP_PORTS = (8501, 8502)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy file changed: expected {old!r} once"
    return text.replace(old, new)


def unit_command(port: int) -> tuple[list[str], dict[str, str], Path]:
    """The unit's command, fixed environment and working directory for one instance."""
    lines = [line.strip() for line in UNIT.read_text().splitlines()]

    def values(key: str) -> list[str]:
        return [line.split("=", 1)[1] for line in lines if line.startswith(f"{key}=")]

    (exec_start,) = values("ExecStart")
    (workdir,) = values("WorkingDirectory")
    argv = shlex.split(exec_start.replace("%i", str(port)).replace(INSTALL_DIR, str(PROJECT)))
    env = dict(item.split("=", 1) for item in values("Environment"))
    return argv, env, Path(workdir.replace(INSTALL_DIR, str(PROJECT)))


def render_site(listen_port: int, app_ports: list[int], access_log: Path) -> str:
    text = SITE.read_text()
    text = _replace_once(text, "    listen 80;\n", f"    listen 127.0.0.1:{listen_port};\n")
    text = _replace_once(text, "    listen [::]:80;\n", "")
    text = _replace_once(text, "/var/log/nginx/kspn-dashboard.access.log", str(access_log))
    servers = re.findall(r"^    server 127\.0\.0\.1:\d+ .*$", text, flags=re.M)
    assert [s.split()[1] for s in servers] == [f"127.0.0.1:{p}" for p in DEFAULT_APP_PORTS]
    lines = [servers[0].replace(":8501 ", f":{p} ") for p in app_ports]
    return text.replace("\n".join(servers), "\n".join(lines))


def _main_config(prefix: Path, site: Path) -> str:
    """The nginx.conf Debian ships, cut down to what a test process needs around the site."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 2;
daemon off;
pid {prefix / "nginx.pid"};
error_log stderr notice;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
    include {site};
}}
"""


def _nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise FileNotFoundError("nginx is missing: run `make test` (setup.sh --test installs it)")
    return found


def start_app(port: int, env: dict[str, str]) -> subprocess.Popen:
    argv, fixed, workdir = unit_command(port)
    process = subprocess.Popen(
        argv,
        cwd=workdir,
        env={**os.environ, **fixed, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return process


def _wait_for_line(stream, markers: tuple[str, ...], what: str, timeout: float = 90) -> None:
    """Wait on a process's own "ready" line rather than sleeping and polling; then keep
    reading its output, or a full pipe would one day stop it mid-write. Raw reads: a buffered
    readline can swallow the ready line and select then waits for output that never comes."""
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], deadline - time.monotonic())
        if not ready:
            break
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            break
        seen += chunk
        if any(marker.encode() in seen for marker in markers):
            threading.Thread(target=_drain, args=(stream,), daemon=True).start()
            return
    raise RuntimeError(f"{what} did not start:\n" + seen.decode(errors="replace"))


def _drain(stream) -> None:
    while os.read(stream.fileno(), 65536):
        pass


def wait_started(process: subprocess.Popen) -> None:
    try:
        _wait_for_line(process.stdout, ("server started on", "can now view"), "app process")
    except RuntimeError:
        process.kill()
        raise


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass
class Replicas:
    url: str
    app_ports: list[int]
    prefix: Path
    apps: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def upstream_of(self, route: str) -> str:
        """Which app process serves a browser holding this route cookie (asked through nginx,
        read from the access log the deploy config writes)."""
        connection = http.client.HTTPConnection(self.url.split("//", 1)[1], timeout=30)
        try:
            # On one keep-alive connection nginx logs a request before it reads the next one.
            for path in ("/_stcore/health", "/_stcore/health?logged"):
                connection.request("GET", path, headers={"Cookie": f"kspn_route={route}"})
                assert connection.getresponse().read() == b"ok"
        finally:
            connection.close()
        for line in self.access_log.read_text().splitlines():
            if f"route={route} " in line and '"GET /_stcore/health HTTP' in line:
                return re.search(r"upstream=(\S+)", line).group(1)
        raise AssertionError(f"no log line for route {route}")

    def get(self, path: str, headers: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection(self.url.split("//", 1)[1], timeout=60)
        try:
            connection.request("GET", path, headers=headers or {})
            answer = connection.getresponse()
            return Answer(answer.status, answer.msg, answer.read())
        finally:
            connection.close()

    def stop_nginx(self) -> None:
        """Graceful stop, waited for: nginx logs a websocket only when it ends, so after the
        browsers closed their pages and nginx exited, every line is in the log."""
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()

    def log_lines(self, route: str) -> list[str]:
        return [
            line for line in self.access_log.read_text().splitlines() if f"route={route} " in line
        ]

    def stop(self) -> None:
        self.stop_nginx()
        for process in self.apps:
            process.terminate()
        for process in self.apps:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.prefix, ignore_errors=True)


def start_replicas(database_url: str, count: int = 2, env: dict | None = None) -> Replicas:
    """`count` app processes on one store, started together (as systemd would on boot), then
    nginx in front. The caller stops them with .stop()."""
    prefix = Path(tempfile.mkdtemp(prefix="nginx-kspn-"))
    replicas = Replicas("", [free_port() for _ in range(count)], prefix)
    try:
        settings = {"DATABASE_URL": database_url, **(env or {})}
        replicas.apps = [start_app(port, settings) for port in replicas.app_ports]
        for process in replicas.apps:
            wait_started(process)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "tmp" / kind).mkdir(parents=True)
        listen = free_port()
        site = prefix / "kspn-dashboard.conf"
        site.write_text(render_site(listen, replicas.app_ports, replicas.access_log))
        (prefix / "nginx.conf").write_text(_main_config(prefix, site))
        # In the foreground, as our child: stopping it can then wait until every line is logged.
        replicas.nginx = subprocess.Popen(
            [_nginx(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait_for_line(replicas.nginx.stderr, ("start worker process",), "nginx")
        replicas.url = f"http://127.0.0.1:{listen}"
        return replicas
    except BaseException:
        replicas.stop()
        raise
