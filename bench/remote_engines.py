"""Throughput of policygraph's store layer on external engines, with 1, 2 and 4 client workers.

    python -m bench.remote_engines [--duration 10] [--workers 1,2,4] [--engines oxigraph,virtuoso]

Loads the corpus (as the build reads it) into Oxigraph's server and into Virtuoso 7, both
started here on 127.0.0.1 exactly as the tests start them, and runs a query mix through
``RemoteStore`` from N worker processes at once (each with its own pooled session, as N
stateless front-end processes would), for ``--duration`` seconds per cell. The local
pyoxigraph store, opened in each worker, is the peer beside them. Prints one table: queries/s,
p50 and p95 latency per engine and worker count. Every request goes to loopback; every server
started here is stopped here.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store, Variable

from policygraph.build.pipeline import collect
from policygraph.config import load_settings
from policygraph.namespaces import Minter, sparql_prologue
from policygraph.store import GraphStore
from policygraph.store.local import LocalStore, write_store
from policygraph.store.remote import RemoteStore

PROJECT = Path(__file__).resolve().parents[1]
# The engines are started by the helpers the tests use, so both run them the same way.
sys.path.insert(0, str(PROJECT / "tests"))
from servers import OxigraphServer, VirtuosoServer  # noqa: E402

PREFIX = "https://data.policygraph.be/graph/"
QUERY_PATHS = {"oxigraph": "/query", "virtuoso": "/sparql"}


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    bind: str | None = None
    """A variable bound per request to a decision, a year or nothing."""


MIX = (
    Query(
        "lookup",
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        bind="s",
    ),
    Query(
        "decisions of a year",
        sparql_prologue(("pg", "dct"))
        + "SELECT ?year ?d ?title WHERE { ?d a pg:GovernmentDecision ; dct:date ?date ; "
        "dct:title ?title FILTER (YEAR(?date) = ?year) } ORDER BY ?date LIMIT 50",
        bind="year",
    ),
    Query(
        "group by",
        sparql_prologue(("pg", "dct"))
        + "SELECT ?kind (COUNT(?d) AS ?n) WHERE { ?d a pg:GovernmentDecision ; "
        "pg:decisionKind ?kind } GROUP BY ?kind",
    ),
    Query("cq02", (PROJECT / "queries").glob("cq02-*.rq").__next__().read_text()),
    Query("cq06", (PROJECT / "queries").glob("cq06-*.rq").__next__().read_text()),
    Query("cq10", (PROJECT / "queries").glob("cq10-*.rq").__next__().read_text()),
)


def bindings(
    query: Query, i: int, decisions: list[NamedNode]
) -> dict[Variable, NamedNode | Literal]:
    if query.bind == "s":
        return {Variable("s"): decisions[(i * 7919) % len(decisions)]}
    if query.bind == "year":
        return {
            Variable("year"): Literal(
                str(2019 + i % 6), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            )
        }
    return {}


def worker(
    open_store: Callable[[], GraphStore],
    decisions: list[NamedNode],
    seconds: float,
    ready: Barrier,
    results: Queue,  # type: ignore[type-arg]
    seed: int,
) -> None:
    """Open the store, wait for the others, run the mix round-robin for ``seconds``."""
    store = open_store()
    latencies: list[float] = []
    ready.wait()
    deadline = time.perf_counter() + seconds
    i = seed
    while time.perf_counter() < deadline:
        query = MIX[i % len(MIX)]
        began = time.perf_counter()
        result = store.query(query.text, substitutions=bindings(query, i, decisions) or None)
        for _ in result:  # type: ignore[union-attr]
            pass
        latencies.append(time.perf_counter() - began)
        i += 1
    store.close()
    results.put(latencies)


@dataclass
class Cell:
    qps: float
    p50_ms: float
    p95_ms: float


def measure(
    open_store: Callable[[], GraphStore], decisions: list[NamedNode], workers: int, seconds: float
) -> Cell:
    """``workers`` processes at once, started together once every one has opened its store."""
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(workers + 1)
    results = context.Queue()
    processes = [
        context.Process(
            target=worker, args=(open_store, decisions, seconds, ready, results, k * 101)
        )
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    ready.wait()
    latencies = sorted(x for _ in processes for x in results.get(timeout=seconds + 600))
    for process in processes:
        process.join()
    return Cell(
        qps=len(latencies) / seconds,
        p50_ms=1000 * statistics.median(latencies),
        p95_ms=1000 * latencies[int(0.95 * (len(latencies) - 1))],
    )


class _OpenRemote:
    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self) -> GraphStore:
        return RemoteStore.open(self.url, graph_prefix=PREFIX, timeout=120)


class _OpenLocal:
    """The local store as the service opens it: an on-disk version, read-only, per process."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> GraphStore:
        return LocalStore(Store.read_only(str(self.path)), "bench", self.path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--engines", default="oxigraph,virtuoso")
    options = parser.parse_args()
    counts = [int(n) for n in options.workers.split(",")]

    settings = load_settings(env={})
    quads = collect(settings).quads(Minter(settings.base_iri))
    local = LocalStore.in_memory(quads)
    decision_class = NamedNode("https://data.policygraph.be/ns/policygraph#GovernmentDecision")
    decisions = sorted(
        {
            q.subject
            for q in quads
            if q.object == decision_class
            and isinstance(q.subject, NamedNode)
            and "/id/beslissing/" in q.subject.value
        },
        key=str,
    )
    print(
        f"corpus: {len(local)} quads, {len(decisions)} decisions; mix: "
        + ", ".join(q.name for q in MIX),
        flush=True,
    )

    rows: list[tuple[str, int, Cell]] = []
    with tempfile.TemporaryDirectory(prefix="policygraph-bench-") as work:
        on_disk = Path(work) / "local"
        write_store(quads, on_disk)
        for n in counts:
            rows.append(
                (
                    "local pyoxigraph",
                    n,
                    measure(_OpenLocal(on_disk), decisions, n, options.duration),
                )
            )
            print(_row(*rows[-1]), flush=True)
        for name in options.engines.split(","):
            folder = Path(work) / name
            folder.mkdir()
            server = (
                OxigraphServer(folder / "store") if name == "oxigraph" else VirtuosoServer(folder)
            )
            server.start()
            try:
                url = "sparql+" + server.url + QUERY_PATHS[name]
                store = RemoteStore.open(url, graph_prefix=PREFIX, timeout=300)
                began = time.perf_counter()
                store.replace_dataset(quads)
                loaded = time.perf_counter() - began
                print(f"{name}: loaded {len(store)} quads in {loaded:.1f} s", flush=True)
                store.close()
                for n in counts:
                    rows.append(
                        (name, n, measure(_OpenRemote(url), decisions, n, options.duration))
                    )
                    print(_row(*rows[-1]), flush=True)
            finally:
                server.stop()

    print()
    print("| store | workers | queries/s | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print(_row(*row))


def _row(name: str, workers: int, cell: Cell) -> str:
    return f"| {name} | {workers} | {cell.qps:.1f} | {cell.p50_ms:.1f} | {cell.p95_ms:.1f} |"


if __name__ == "__main__":
    main()
