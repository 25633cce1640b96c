"""The front end over an external engine, against querying that engine directly.

    python -m bench.engine_front [--triples 300000] [--startup-triples 3000000]
                                 [--duration 8] [--rounds 2] [--engines oxigraph,virtuoso]

For each engine (Oxigraph's server on a store loaded by ``oxigraph load``, with its union
default graph; Virtuoso 7 loaded over the Graph Store Protocol), the synthetic dataset of
``--triples`` triples (``bench/synthetic.py``) is served, and ``policygraph serve --store
sparql+http://…`` (gunicorn, one web worker, the answer cache off) is started in front of it.
wrk (Debian's ``wrk``) then sends lookups and the whole query mix of ``bench/query_mix.py`` at
concurrency 1 and 8, every request a text never sent before, to the engine and to the front end
in alternating rounds (the order swapped every round, so that the machine's drift cancels in
their ratio). Then the time from starting the front end to its first answer over an engine
holding ``--startup-triples`` triples. Prints one table; everything listens on 127.0.0.1 and
stops by itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from bench.endpoint import LOOPBACK, Result, Server, free_port, get, running, wrk
from bench.query_mix import query_classes
from bench.synthetic import quads
from policygraph.store.remote import RemoteStore

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))
from servers import VirtuosoServer, virtuoso_binaries  # noqa: E402

GRAPHS = "https://data.policygraph.be/graph/"
VERSION_QUAD = (
    "<https://data.policygraph.be/id/build/synthetic> "
    "<https://data.policygraph.be/ns/policygraph#version> "
    '"synthetic-{}" <https://data.policygraph.be/graph/build> .\n'
)
DISTINCT = 4000
"""Distinct texts per query class (wrk makes each request unique on top of them)."""


def dump(triples: int, work: Path) -> Path:
    """The synthetic dataset in N-Quads, with the build graph's ``pg:version`` that every
    published version records (the front ends read the version from it)."""
    path = work / f"synthetic-{triples}.nq"
    if not path.exists():
        with path.open("wb") as output:
            serialize(quads(triples), output, RdfFormat.N_QUADS)
            output.write(VERSION_QUAD.format(triples).encode("ascii"))
    return path


def _oxigraph_binary() -> str:
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"


@contextmanager
def oxigraph_engine(data: Path, work: Path) -> Iterator[tuple[Server, str]]:
    location = work / f"oxigraph-{data.stem}"
    if not location.exists():
        os.spawnv(
            os.P_WAIT,
            _oxigraph_binary(),
            ["oxigraph", "load", "--location", str(location), "--file", str(data)],
        )
    port = free_port()
    command = [_oxigraph_binary(), "serve", "--location", str(location)]
    command += ["--bind", f"{LOOPBACK}:{port}", "--union-default-graph"]
    with running("oxigraph", command, port, work / "oxigraph.log", path="/query") as server:
        yield server, f"sparql+http://{LOOPBACK}:{port}/query"


@contextmanager
def virtuoso_engine(data: Path, work: Path) -> Iterator[tuple[Server, str]]:
    engine = VirtuosoServer(Path(tempfile.mkdtemp(dir=work))).start()
    try:
        url = engine.url.replace("http://", "sparql+http://") + "/sparql"
        from pyoxigraph import parse

        store = RemoteStore.open(url, graph_prefix=GRAPHS, timeout=600)
        try:
            store.replace_dataset(parse(path=data, format=RdfFormat.N_QUADS))
        finally:
            store.close()
        assert engine.process is not None
        yield Server("virtuoso", engine.process, engine.http_port, "/sparql"), url
    finally:
        engine.stop()


@contextmanager
def front(url: str, work: Path) -> Iterator[Server]:
    port = free_port()
    values = {
        "store_url": url,
        "store_dir": work / "no-local-store",
        "host": LOOPBACK,
        "port": port,
        "public_url": f"http://{LOOPBACK}:{port}",
        "workers": 1,
        "max_concurrent_queries": 8,
        "queue_timeout": 60,
        "query_timeout": 300,
        "max_result_rows": 2_000_000,
        "cache_entries": 0,
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "PROMETHEUS_"))}
    env.update({f"POLICYGRAPH_{k.upper()}": str(v) for k, v in values.items()})
    code = (
        "from policygraph.config import load_settings\nfrom policygraph.web.server import serve\n"
    )
    code += "serve(load_settings())\n"
    with running("front end", [sys.executable, "-c", code], port, work / "front.log", env) as ours:
        yield ours


def workloads(triples: int) -> dict[str, list[str]]:
    classes = query_classes(triples)
    lookups = next(c for c in classes if c.name == "lookup")
    mix = [c.make(i) for i in range(DISTINCT // len(classes)) for c in classes]
    return {"lookups": [lookups.make(i) for i in range(DISTINCT)], "mix": mix}


def compare(
    direct: Server, ours: Server, args: argparse.Namespace, work: Path
) -> list[tuple[str, int, Result, Result]]:
    rows = []
    for name, paths in workloads(args.triples).items():
        for connections in (1, 8):
            theirs, mine = [], []
            for round_ in range(args.rounds):
                order = (direct, ours) if round_ % 2 == 0 else (ours, direct)
                for server in order:
                    result = wrk(
                        server,
                        paths,
                        connections=connections,
                        duration=args.duration,
                        unique=True,
                        work=work,
                    )
                    (theirs if server is direct else mine).append(result)
            rows.append((name, connections, _median(theirs), _median(mine)))
    return rows


def _median(results: list[Result]) -> Result:
    return Result(
        statistics.median(r.rps for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
        sum(r.errors for r in results),
    )


def startup(triples: int, work: Path) -> float:
    """Seconds from starting the front end to its first answer over an engine this large."""
    with oxigraph_engine(dump(triples, work), work) as (_, url):
        started = time.monotonic()
        with front(url, work) as ours:
            status, _ = get(ours, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
            assert status == 200
            return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=300_000)
    parser.add_argument("--startup-triples", type=int, default=3_000_000)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engines", default="oxigraph,virtuoso")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="policygraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = dump(args.triples, work) if args.engines else None
    lines = [
        f"{args.triples:,} triples; {args.duration:g} s per cell, {args.rounds} alternating rounds",
        "",
        "| engine | workload | c | direct q/s | front end q/s | ratio "
        "| p50 direct / front (ms) | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for engine in filter(None, args.engines.split(",")):
        if engine == "virtuoso" and virtuoso_binaries() is None:
            lines.append("| virtuoso | skipped: not installed | | | | | | |")
            continue
        serving = oxigraph_engine if engine == "oxigraph" else virtuoso_engine
        assert data is not None
        with serving(data, work) as (direct, url), front(url, work) as ours:
            for name, connections, theirs, mine in compare(direct, ours, args, work):
                ratio = mine.rps / theirs.rps if theirs.rps else float("nan")
                lines.append(
                    f"| {engine} | {name} | {connections} | {theirs.rps:.0f} | {mine.rps:.0f} | "
                    f"{ratio:.2f}× | {theirs.p50_ms:.1f} / {mine.p50_ms:.1f} | "
                    f"{theirs.errors + mine.errors} |"
                )
    if args.startup_triples:
        seconds = startup(args.startup_triples, work)
        lines += [
            "",
            f"front end ready and answering over {args.startup_triples:,} triples "
            f"(Oxigraph): {seconds:.1f} s",
        ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
