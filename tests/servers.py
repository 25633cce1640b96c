"""Real servers for tests, on loopback only: Oxigraph's server, Virtuoso, a faulty proxy, and a
raw peer that misbehaves on purpose.

Each server is a child process of the test session, bound to 127.0.0.1 on a free port, and
stopped by its own process id when the fixture that started it ends.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

LOOPBACK = "127.0.0.1"
ENGINES = ("oxigraph", "virtuoso")
QUERY_PATHS = {"oxigraph": "/query", "virtuoso": "/sparql"}


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command of the PyPI package, beside this interpreter or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    """Poll ``url`` until it answers (any status below 500), or fail with the server's log."""
    deadline = time.monotonic() + seconds
    parts = urlsplit(url)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with code {process.returncode}")
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
        try:
            conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
            status = conn.getresponse().status
        except OSError:
            pass
        else:
            if status < 500:
                return
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within {seconds:g} s")


def wait_settled(base: str, seconds: float = 300, agreeing: int = 10) -> None:
    """Wait until a ``policygraph serve`` at ``base`` has every query worker and copy of the
    dataset in memory: a run of ``agreeing`` ``/healthz`` answers must say so, since each
    speaks only for the web worker that took it."""
    parts = urlsplit(base)
    deadline, agreed = time.monotonic() + seconds, 0
    while agreed < agreeing:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base} did not settle within {seconds:g} s")
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            conn.request("GET", "/healthz")
            health = json.loads(conn.getresponse().read())
        except OSError:
            health = {}
        finally:
            conn.close()
        agreed = agreed + 1 if health.get("status") == "ok" and not health["loading"] else 0
        time.sleep(0.02)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class OxigraphServer:
    """``oxigraph serve`` (read-write) or ``serve-read-only`` on a store folder."""

    location: Path
    read_only: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def load(self, file: Path) -> None:
        binary = oxigraph_binary()
        assert binary is not None
        subprocess.run(
            [binary, "load", "--location", str(self.location), "--file", str(file)],
            check=True,
            capture_output=True,
        )

    def start(self) -> OxigraphServer:
        binary = oxigraph_binary()
        assert binary is not None
        command = "serve-read-only" if self.read_only else "serve"
        self.process = subprocess.Popen(
            [
                binary,
                command,
                "--location",
                str(self.location),
                "--bind",
                f"{LOOPBACK}:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.url + "/query?query=ASK%7B%7D", self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


@dataclass
class Seen:
    """One request the proxy received."""

    at: float
    method: str
    path: str
    query: str
    user_agent: str
    status: int


class FaultyProxy:
    """A loopback HTTP proxy in front of one upstream server, failing where a test asks.

    ``fail_once(predicate)`` answers 503 to the first request whose SPARQL query text matches;
    ``refuse_after(n)`` answers 503 to every request after the first ``n``; ``heal()`` ends both.
    Every request is recorded in ``seen``.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._fail_once: list[Callable[[str], bool]] = []
        self._refuse_after: int | None = None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

    def fail_once(self, predicate: Callable[[str], bool]) -> None:
        with self._lock:
            self._fail_once.append(predicate)

    def refuse_after(self, count: int) -> None:
        with self._lock:
            self._refuse_after = len(self.seen) + count

    def heal(self) -> None:
        with self._lock:
            self._fail_once.clear()
            self._refuse_after = None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        query = parse_qs(urlsplit(handler.path).query).get("query", [""])[0]
        with self._lock:
            failing = next((p for p in self._fail_once if p(query)), None)
            if failing is not None:
                self._fail_once.remove(failing)
            refused = self._refuse_after is not None and len(self.seen) >= self._refuse_after
            status = 503 if failing is not None or refused else 0
            record = Seen(
                time.monotonic(),
                "GET",
                handler.path,
                query,
                handler.headers.get("User-Agent", ""),
                status,
            )
            self.seen.append(record)
        if status:
            body = b"Service Unavailable (injected by the test proxy)"
            handler.send_response(503)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        parts = urlsplit(self.upstream)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {k: v for k, v in handler.headers.items() if k.lower() in {"accept"}}
        conn.request("GET", handler.path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        record.status = response.status
        handler.send_response(response.status)
        handler.send_header("Content-Type", response.getheader("Content-Type", "text/plain"))
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def virtuoso_binaries() -> tuple[str, str] | None:
    """``virtuoso-t`` and ``isql-vt`` of Debian's virtuoso-opensource, when installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 20
CheckpointInterval   = 60
NumberOfBuffers      = 40000
MaxDirtyBuffers      = 30000
DirsAllowed          = ., {db}
CaseMode             = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {db}
MaxClientConnections = 20
ServerThreads        = 20
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 0
"""


@dataclass
class VirtuosoServer:
    """Virtuoso 7 on loopback, with a database of its own in ``folder``; updates allowed."""

    folder: Path
    http_port: int = field(default_factory=free_port)
    sql_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}"

    def start(self) -> VirtuosoServer:
        binaries = virtuoso_binaries()
        assert binaries is not None
        server, isql = binaries
        db = self.folder / "db"
        db.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(db=db, sql_port=self.sql_port, http_port=self.http_port),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [server, "+foreground", "+configfile", str(ini)],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.url + "/sparql?query=ASK%7B%7D", self.process, seconds=120)
        # The anonymous SPARQL user may update (the Graph Store endpoint needs it too).
        subprocess.run(
            [
                isql,
                f"{LOOPBACK}:{self.sql_port}",
                "dba",
                "dba",
                'exec=GRANT SPARQL_UPDATE TO "SPARQL";',
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


Engine = OxigraphServer | VirtuosoServer


def start_engine(name: str, folder: Path) -> Engine:
    """A running engine of kind ``name`` (one of ``ENGINES``) with its data in ``folder``; the
    test is skipped, saying how to install it, when it is not installed."""
    if name == "oxigraph":
        if oxigraph_binary() is None:
            pytest.skip("Oxigraph's server is not installed: pip install -e '.[test]'")
        return OxigraphServer(folder / "store").start()
    if virtuoso_binaries() is None:
        pytest.skip(
            "Virtuoso 7 is not installed: apt-get install virtuoso-opensource "
            "(docs/external-engines.md)"
        )
    return VirtuosoServer(folder).start()


def store_url(name: str, engine: Engine) -> str:
    """The ``store_url`` setting that names ``engine``, of kind ``name``."""
    return "sparql+" + engine.url + QUERY_PATHS[name]


@contextlib.contextmanager
def running_engine(name: str, folder: Path) -> Iterator[str]:
    """The store URL of an engine of kind ``name`` started in ``folder``, stopped after."""
    server = start_engine(name, folder)
    try:
        yield store_url(name, server)
    finally:
        server.stop()


class RawPeer:
    """A loopback TCP peer that reads a request and then talks as ``talk(connection, count)``
    says (``count``: the requests before this one), one thread per connection: slow, dripping,
    endless or wrongly shaped answers, byte by byte as a test needs them."""

    def __init__(self, talk: Callable[[socket.socket, int], None]) -> None:
        self._listener = socket.create_server((LOOPBACK, 0))
        self._talk = talk
        self.requests = 0
        self.url = f"http://{LOOPBACK}:{self._listener.getsockname()[1]}/sparql"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            count, self.requests = self.requests, self.requests + 1
            threading.Thread(target=self._answer, args=(connection, count), daemon=True).start()

    def _answer(self, connection: socket.socket, count: int) -> None:
        with connection, contextlib.suppress(OSError):  # cut off by the client, as it should be
            connection.recv(65536)
            self._talk(connection, count)

    def close(self) -> None:
        self._listener.close()
