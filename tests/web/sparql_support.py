"""Helpers of the SPARQL endpoint tests: the fixture dataset, apps on it, stores on disk, a real
server.

``app_with`` makes an app on the fixture dataset (in memory) with its own query pool; call it
through ``interfaces.AsgiClient`` or ``interfaces.LoopbackServer``. ``EndpointServer`` runs
``policygraph.web.server.serve`` (gunicorn) in a child process bound to
127.0.0.1 on a free port, configured through ``POLICYGRAPH_*`` variables as an operator would,
and stops it by its own process id.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from interfaces import AsgiClient, app_on, in_memory
from pyoxigraph import Quad, RdfFormat, parse
from servers import LOOPBACK, free_port, stop, wait_settled, wait_until_up

from policygraph.config import Settings, load_settings
from policygraph.store.local import mark_complete, new_version_dir, publish, write_store
from policygraph.web import Front

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "endpoint.trig"
PG = "https://data.policygraph.be/ns/policygraph#"
ID = "https://data.policygraph.be/id/"
GRAPH = "https://data.policygraph.be/graph/"
DECISIONS = 4
FORK_SERVER = b"policygraph.query.forkserver"  # in the command line of a fork server and its forks
PREFIXES = f"PREFIX pg: <{PG}>\nPREFIX dct: <http://purl.org/dc/terms/>\n"


def fixture_quads() -> list[Quad]:
    return list(parse(path=FIXTURE, format=RdfFormat.TRIG))


def endpoint_settings(store_dir: Path | None = None, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "max_concurrent_queries": 1,
        "queue_timeout": 2.0,
        "query_timeout": 10.0,
        "public_url": "http://127.0.0.1:8000",
    }
    if store_dir is not None:
        values["store_dir"] = str(store_dir)
    values.update(overrides)
    return load_settings(env={}, overrides=values)


@contextmanager
def app_with(**settings: object) -> Iterator[Front]:
    """An app on the fixture dataset in memory, with these settings; its workers stopped after."""
    with app_on(endpoint_settings(**settings), in_memory(fixture_quads())) as app:
        yield settled(app)


@contextmanager
def client_with(**settings: object) -> Iterator[AsgiClient]:
    """An ASGI client of ``app_with(**settings)``."""
    with app_with(**settings) as app:
        yield AsgiClient(app)


def settled(app: Front, seconds: float = 30) -> Front:
    """``app``, once its query workers have started and its copy of the dataset is loaded."""
    pool = app.endpoint.pool
    deadline = time.monotonic() + seconds
    while pool.loading or len(pool.worker_pids()) < pool.size:
        if time.monotonic() > deadline:
            raise RuntimeError("the query workers did not start")
        time.sleep(0.02)
    return app


def publish_version(store_dir: Path, quads: Iterable[Quad], version: str) -> Path:
    """Write and publish a store version, as a build does."""
    path = new_version_dir(store_dir)
    write_store(quads, path)
    mark_complete(path, version)
    publish(store_dir, path)
    return path


def runaway_query() -> str:
    """A query that takes far longer than any test's timeout (a cross product, counted)."""
    return "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def children(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, or None once it is gone (or a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class EndpointServer:
    """A running ``policygraph serve`` (gunicorn) on loopback."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log
        self.url = f"http://{LOOPBACK}:{port}/sparql"
        self.base = f"http://{LOOPBACK}:{port}"

    def gunicorn_workers(self) -> list[int]:
        return children(self.process.pid)

    def fork_servers(self) -> list[int]:
        """The processes that fork the query workers (started by the web worker that first
        needed one, and shared by all of them)."""
        return _fork_server_children(self.gunicorn_workers())

    def query_workers(self) -> list[int]:
        """The query worker processes (not the short-lived process that reads a version)."""
        return _fork_server_children(self.fork_servers())

    def query_workers_of(self, fork_server: int) -> list[int]:
        """The query workers of one fork server, wherever it is in the tree."""
        return _fork_server_children([fork_server])


def _fork_server_children(parents: list[int]) -> list[int]:
    """The children of ``parents`` that run the fork server's code (forked or started)."""
    return [pid for parent in parents for pid in children(parent) if FORK_SERVER in _cmdline(pid)]


@contextmanager
def endpoint_server(
    store_dir: Path, tmp_path: Path, *, workers: int = 1, **settings: object
) -> Iterator[EndpointServer]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "PROMETHEUS_"))}
    values: dict[str, object] = {
        "store_dir": store_dir,
        "host": LOOPBACK,
        "port": port,
        "public_url": f"http://{LOOPBACK}:{port}",
        "max_concurrent_queries": 2,
        "queue_timeout": 2.0,
        "query_timeout": 10.0,
        **settings,
    }
    env.update({f"POLICYGRAPH_{name.upper()}": str(value) for name, value in values.items()})
    log = tmp_path / f"server-{port}.log"
    code = (
        "from policygraph.config import load_settings\n"
        "from policygraph.web.server import serve\n"
        f"serve(load_settings(), workers={workers})\n"
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    server = EndpointServer(process, port, log)
    try:
        wait_until_up(f"{server.base}/readyz", process, seconds=60)
        _wait_settled(server, workers * int(str(values["max_concurrent_queries"])))
        yield server
    finally:
        stop(process)


def _wait_settled(server: EndpointServer, expected: int) -> None:
    wait_settled(server.base, seconds=60)
    deadline = time.monotonic() + 30
    while len(server.query_workers()) < expected:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the query workers did not start: {server.log.read_text()}")
        time.sleep(0.05)
