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
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Variable

from policygraph.build import collect
from policygraph.config import load_settings
from policygraph.namespaces import Minter, sparql_prologue
from policygraph.store import GraphStore
from policygraph.store.local import LocalStore
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
    start: float,
    seed: int,
) -> list[float]:
    """Run the mix round-robin until the deadline; return each query's latency."""
    store = open_store()
    latencies: list[float] = []
    while time.time() < start:
        time.sleep(0.001)
    deadline = start + seconds
    i = seed
    while time.time() < deadline:
        query = MIX[i % len(MIX)]
        began = time.perf_counter()
        result = store.query(query.text, substitutions=bindings(query, i, decisions) or None)
        for _ in result:  # type: ignore[union-attr]
            pass
        latencies.append(time.perf_counter() - began)
        i += 1
    store.close()
    return latencies


def _run(args: tuple[Callable[[], GraphStore], list[NamedNode], float, float, int]) -> list[float]:
    return worker(*args)


@dataclass
class Cell:
    qps: float
    p50_ms: float
    p95_ms: float


def measure(
    open_store: Callable[[], GraphStore], decisions: list[NamedNode], workers: int, seconds: float
) -> Cell:
    start = time.time() + 5.0  # every worker has opened its store before the clock starts
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        parts = pool.map(
            _run, [(open_store, decisions, seconds, start, k * 101) for k in range(workers)]
        )
    latencies = sorted(x for part in parts for x in part)
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
    def __init__(self, quads: list[Quad]) -> None:
        self.quads = quads

    def __call__(self) -> GraphStore:
        return LocalStore.in_memory(self.quads)


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
    for n in counts:
        rows.append(
            ("local pyoxigraph", n, measure(_OpenLocal(quads), decisions, n, options.duration))
        )
    with tempfile.TemporaryDirectory(prefix="policygraph-bench-") as work:
        for name in options.engines.split(","):
            folder = Path(work) / name
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
            finally:
                server.stop()

    print()
    print(f"{'store':<18} {'workers':>7} {'queries/s':>10} {'p50 ms':>8} {'p95 ms':>8}")
    for name, n, cell in rows:
        print(f"{name:<18} {n:>7} {cell.qps:>10.1f} {cell.p50_ms:>8.1f} {cell.p95_ms:>8.1f}")


if __name__ == "__main__":
    main()
