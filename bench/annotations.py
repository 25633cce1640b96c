"""Benchmark of the annotation API's writes: latency and group commit on the whole corpus.

    python -m bench annotations [--store DIR] [--work var/bench] [--writes 40]

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
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.endpoint import LOOPBACK, policygraph
from policygraph.annotations.accounts import AccountBook
from policygraph.build.pipeline import build
from policygraph.config import load_settings

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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench annotations")
    parser.add_argument("--store", help="a published store to copy (default: build the corpus)")
    parser.add_argument("--work", default=str(PROJECT / "var" / "bench"))
    parser.add_argument("--writes", type=int, default=40)
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
        with policygraph(store, Path(work) / "server.log", annotation_rate_per_minute=0) as server:
            # Each web worker loads the shapes on its first write: not what a write costs.
            measure("warm-up", server.port, tokens[19:20] * 4, 1)
            runs.append(measure("1 writer", server.port, tokens[:1], args.writes))
            runs.append(measure("8 writers", server.port, tokens[1:9], max(1, args.writes // 8)))
            before = count_annotations(server.port)
            runs.append(measure("20 writers x 10", server.port, tokens, 10))
            kept = count_annotations(server.port) - before
    print(f"\nannotation writes on {source} (policygraph serve, 2 web workers, 127.0.0.1)\n")
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
    print("peer: the harvest's publish path validates and rewrites everything, ~30 s a write")


if __name__ == "__main__":
    main()
