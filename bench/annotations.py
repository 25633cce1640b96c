"""Benchmark of the annotation API's writes: latency and group commit on the whole corpus.

    python -m bench annotations [--store DIR] [--work var/bench] [--writes 40]
                                [--engine oxigraph|virtuoso] [--rounds 5]

Without ``--store``, the corpus in ``data/`` is built and published into ``--work`` (kept while
sources and code are unchanged); the store measured is a copy of it, so the benchmark never
writes the one it was given. A ``policygraph serve`` (gunicorn, 2 web workers: writes from
both are serialised by the store's writer lock) on 127.0.0.1 takes ``POST /annotations`` in the
JSON form, each a verdict on section 4.3.2 with a comment and two decisions as evidence:

- a warm-up of 4 writes (each web worker loads the shapes on its first), not counted;
- 1 writer: ``--writes`` writes one after the other (p50, p99);
- 8 writers: 8 threads, ``--writes`` / 8 each (p50, p99: a write waits for the batch before it);
- 20 × 10: 20 writers of 10 annotations each, as the test does; the versions published and
  the writes per version (group commit), and whether all 200 are in SPARQL afterwards.

The peer is the path a harvest takes (``build.publishing.publish`` with the annotation graph as
one more named graph): it validates the whole content and writes a whole new store, ~30 s per
write on this corpus (the ``publish`` line of a harvest's summary), whatever the write's size.

With ``--engine``, that engine is started on 127.0.0.1 (as the tests start it) and loaded with
the store's version, and the server serves from it (``store_url``): each write is published
here and then carried to the engine, and the counts are read from the engine. After the runs,
what carrying one write costs is timed both ways on the engine's last version, in ``--rounds``
alternating rounds: comparing the graphs the write changed (what a write does) against reading
and comparing the whole dataset (what it does when the engine is on another version).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from bench.endpoint import LOOPBACK, policygraph
from policygraph.annotations.accounts import AccountBook
from policygraph.build.pipeline import build
from policygraph.config import load_settings
from policygraph.store.local import LocalStore
from policygraph.store.remote import RemoteStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from servers import running_engine  # the engines, started as the tests start them

PROJECT = Path(__file__).resolve().parents[1]
BASE = "https://data.policygraph.be"
SECTION = f"{BASE}/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"
EVIDENCE = [
    f"{BASE}/id/beslissing/60C9F6B7364ED9000800041D",
    f"{BASE}/id/beslissing/60B768D8364ED90008000645",
]


@dataclass
class Run:
    name: str
    seconds: list[float] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    wall: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


def _writer(port: int, token: str, count: int, run: Run) -> None:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=300)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        for k in range(count):
            body = json.dumps(
                {
                    "target": SECTION,
                    "verdict": "partly-kept",
                    "comment": f"bench {k}",
                    "evidence": EVIDENCE,
                }
            )
            clock = time.perf_counter()
            connection.request("POST", "/annotations", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - clock
            with run.lock:
                if response.status != 201:
                    run.failures += 1
                    continue
                run.seconds.append(elapsed)
                version = response.getheader("X-Policygraph-Version") or "?"
                run.versions[version] = run.versions.get(version, 0) + 1
    finally:
        connection.close()


def measure(name: str, port: int, tokens: list[str], each: int) -> Run:
    run = Run(name)
    threads = [threading.Thread(target=_writer, args=(port, t, each, run)) for t in tokens]
    clock = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.wall = time.perf_counter() - clock
    return run


def count_annotations(port: int) -> int:
    query = (
        "SELECT (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?a a <http://www.w3.org/ns/oa#Annotation> } }"
    )
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=300)
    try:
        connection.request(
            "POST",
            "/sparql",
            body=query.encode(),
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )
        answer = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def prepared_store(args: argparse.Namespace) -> Path:
    if args.store is not None:
        return Path(args.store)
    store = Path(args.work) / "annotations-store"
    build(
        load_settings(
            env={}, overrides={"store_dir": str(store), "data_dir": str(PROJECT / "data")}
        )
    )
    return store


@contextlib.contextmanager
def engine_serving(name: str | None, store: Path, folder: Path) -> Iterator[str | None]:
    """The store URL of engine ``name`` loaded with the store's version (None: no engine)."""
    if name is None:
        yield None
        return
    folder.mkdir(parents=True, exist_ok=True)
    with running_engine(name, folder) as url:
        remote, local = RemoteStore.open(url, graph_prefix=BASE + "/graph/"), LocalStore.open(store)
        try:
            remote.write_version(local.version, list(local.quads()))
        finally:
            remote.close()
            local.close()
        yield url


def carrying_costs(url: str, store: Path, account: str, rounds: int) -> tuple[float, float]:
    """Seconds to carry a write to the engine, median of ``rounds`` alternating rounds: the
    graphs a write changes compared, and the whole dataset compared. The engine holds the
    store's version, so neither sends an update: what differs is what is read and compared."""
    remote, local = RemoteStore.open(url, graph_prefix=BASE + "/graph/"), LocalStore.open(store)
    try:
        version, quads = local.version, list(local.quads())
        names = (f"annotations/{account}", "wijzigingen", "bronnen", "build")
        graphs = [f"{BASE}/graph/{name}" for name in names]
        changed = [q for name in graphs for q in local.quads(NamedNode(name))]
        touched, whole = [], []
        for _ in range(rounds):
            clock = time.perf_counter()
            assert not remote.switch_graphs(version, changed, graphs)
            touched.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            remote.write_version(version, quads)
            whole.append(time.perf_counter() - clock)
    finally:
        remote.close()
        local.close()
    return statistics.median(touched), statistics.median(whole)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench annotations")
    parser.add_argument("--store", help="a published store to copy (default: build the corpus)")
    parser.add_argument("--work", default=str(PROJECT / "var" / "bench"))
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--engine", choices=("oxigraph", "virtuoso"), help="serve from it")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    source = prepared_store(args)
    with tempfile.TemporaryDirectory(prefix="policygraph-annotations-") as work:
        store = Path(work) / "store"
        shutil.copytree(
            source,
            store,
            symlinks=True,
            ignore=shutil.ignore_patterns("dumps", "accounts.json", "ratelimit.sqlite"),
        )
        book = AccountBook(store)
        tokens = [book.add(f"w{i:02d}") for i in range(20)]
        runs: list[Run] = []
        costs = None
        with (
            engine_serving(args.engine, store, Path(work) / "engine") as url,
            policygraph(
                store,
                Path(work) / "server.log",
                annotation_rate_per_minute=0,
                **({"store_url": url} if url else {}),
            ) as server,
        ):
            # Each web worker loads the shapes on its first write: not what a write costs.
            measure("warm-up", server.port, tokens[19:20] * 4, 1)
            runs.append(measure("1 writer", server.port, tokens[:1], args.writes))
            runs.append(measure("8 writers", server.port, tokens[1:9], max(1, args.writes // 8)))
            before = count_annotations(server.port)
            runs.append(measure("20 writers x 10", server.port, tokens, 10))
            kept = count_annotations(server.port) - before
            if url:
                costs = carrying_costs(url, store, "w00", args.rounds)
    served = f"from {args.engine}" if args.engine else "from the store"
    print(f"\nannotation writes on {source} (policygraph serve {served}, 2 web workers)\n")
    columns = ("writes", 7), ("failed", 7), ("p50 ms", 9), ("p99 ms", 9), ("versions", 9)
    print(
        f"{'run':<17}"
        + "".join(f"{n:>{w}}" for n, w in columns)
        + f"{'per version':>12}{'wall s':>8}"
    )
    for run in runs:
        written = len(run.seconds)
        print(
            f"{run.name:<17}{written:>7}{run.failures:>7}{run.percentile(0.5) * 1000:>9.0f}"
            f"{run.percentile(0.99) * 1000:>9.0f}{len(run.versions):>9}"
            f"{written / max(1, len(run.versions)):>12.1f}{run.wall:>8.1f}"
        )
    print(f"\n20 x 10: {kept} of 200 annotations in SPARQL after the run")
    if costs is not None:
        touched, whole = costs
        print(
            f"carrying a write to {args.engine} (median of {args.rounds}): changed graphs "
            f"{touched * 1000:.0f} ms, whole dataset {whole * 1000:.0f} ms "
            f"({whole / touched:.1f}x)"
        )
    print("peer: the harvest's publish path validates and rewrites everything, ~30 s a write")


if __name__ == "__main__":
    main()
