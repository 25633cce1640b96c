"""Memory and start-up of the endpoint, every process, against Oxigraph's two servers.

    python -m bench memory [--sizes 50000,1000000,3000000] [--duration 8] [--before DIR]

For each size, on the same published store (``bench/endpoint.py`` makes it): Oxigraph's
read-only server on the store, Oxigraph's server on its in-memory storage (loaded over HTTP),
and ``policygraph serve`` under gunicorn (2 web workers, 4 query slots each); with ``--before``,
``policygraph serve`` once more, run from another source tree (``DIR/src``, the code before a
change, e.g. ``git archive`` of a commit), so that before and after are measured in one run.
Each server is started alone and timed from launch to ready (ours: ``/healthz`` settled, every
query worker forked and the copy loaded or declined), and its processes' PSS is read at idle
(``/proc/PID/smaps_rollup``: pages shared between processes counted once, so the sum is what the
server costs the host). Then all of them up, lookups, DESCRIBE and the uncached mix at c=1 and
c=8, the servers taking turns in rounds (ratios in one run), while every process's PSS is
sampled: the peak per process and of the sum. Loopback only; everything stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench.endpoint import (
    IN_MEMORY_PEER,
    PROJECT,
    Result,
    Server,
    _cell,
    _combined,
    _ratio,
    free_port,
    get,
    oxigraph,
    oxigraph_in_memory,
    prepare,
    running,
    wrk,
)
from bench.query_mix import QueryClass, query_classes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from servers import wait_settled  # our server is waited for as the tests wait for it

ROLES = {0: "master", 1: "web worker", 2: "fork server", 3: "query worker"}


@dataclass
class Footprint:
    """A server's start-up time and its processes' PSS (MB): at idle, and the peak under load."""

    startup_s: float
    idle: dict[int, float] = field(default_factory=dict)
    peak: dict[int, float] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    peak_total: float = 0.0


def pss_mb(pid: int) -> float | None:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    line = next((x for x in rollup.splitlines() if x.startswith("Pss:")), None)
    return None if line is None else int(line.split()[1]) / 1024


def roles(server: Server) -> dict[int, str]:
    """Each process of the server by its place in the tree (gunicorn's master, its web workers,
    the fork servers they start, the query workers forked from those)."""
    found: dict[int, str] = {}
    frontier, depth = [server.process.pid], 0
    while frontier:
        for pid in frontier:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            role = ROLES.get(depth, "other")
            found[pid] = "other" if b"resource_tracker" in command else role
        pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
        frontier = [p for p in pids if _parent(p) in frontier]
        depth += 1
    if not server.name.startswith("policygraph"):
        return {pid: "server" if pid == server.process.pid else "other" for pid in found}
    return found


def _parent(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(text[text.rindex(")") + 2 :].split()[1])


def idle_footprint(server: Server, startup_s: float) -> Footprint:
    time.sleep(2)  # let start-up's garbage go
    found = roles(server)
    footprint = Footprint(startup_s, roles=found)
    for pid in found:
        mb = pss_mb(pid)
        if mb is not None:
            footprint.idle[pid] = mb
    footprint.peak = dict(footprint.idle)
    footprint.peak_total = sum(footprint.idle.values())
    return footprint


@contextmanager
def sampling(servers: list[Server], footprints: dict[str, Footprint]) -> Iterator[None]:
    """Sample every process's PSS until the block ends, keeping the peaks."""
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):  # reading every process's rollup costs CPU too
            for server in servers:
                footprint = footprints[server.name]
                total = 0.0
                for pid, role in roles(server).items():
                    mb = pss_mb(pid)
                    if mb is None:
                        continue
                    footprint.roles.setdefault(pid, role)
                    footprint.peak[pid] = max(footprint.peak.get(pid, 0.0), mb)
                    total += mb
                footprint.peak_total = max(footprint.peak_total, total)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@contextmanager
def policygraph(
    store_dir: Path, log: Path, source_tree: Path | None, *, workers: int = 2
) -> Iterator[Server]:
    """Our server, as ``bench/endpoint.py`` runs it; from ``source_tree`` when given."""
    port = free_port()
    values = {
        "store_dir": store_dir,
        "host": "127.0.0.1",
        "port": port,
        "public_url": f"http://127.0.0.1:{port}",
        "workers": workers,
        "max_concurrent_queries": 4,
        "queue_timeout": 60,
        "query_timeout": 300,
        "max_result_rows": 2_000_000,
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "PROMETHEUS_"))}
    env.update({f"POLICYGRAPH_{k.upper()}": str(v) for k, v in values.items()})
    if source_tree is not None:
        env["PYTHONPATH"] = str(source_tree / "src")
    code = (
        "from policygraph.config import load_settings\n"
        "from policygraph.web.server import serve\n"
        "serve(load_settings())\n"
    )
    with running("policygraph", [sys.executable, "-c", code], port, log, env) as server:
        wait_settled(server.base, seconds=900)
        yield server


def throughput(
    servers: list[Server], classes: list[QueryClass], duration: float, work: Path
) -> dict[tuple[str, int], dict[str, Result]]:
    """Lookups, DESCRIBE and the mix, uncached, at c=1 and c=8; servers in alternating rounds."""
    variants = 500
    mix = [c.make(i) for i in range(variants) for c in classes]
    chosen = [c for c in classes if c.name in ("lookup", "describe")]
    runs = [(c.name, [c.make(i) for i in range(variants)]) for c in chosen] + [("mix", mix)]
    results: dict[tuple[str, int], dict[str, Result]] = {}
    for name, paths in runs:
        for server in servers:
            get(server, paths[0])
        for connections in (1, 8):
            taken: dict[str, list[Result]] = {s.name: [] for s in servers}
            for _ in range(2):
                for server in servers:
                    seconds = max(1, round(duration / 2))
                    taken[server.name].append(
                        wrk(server, paths, connections=connections, duration=seconds,
                            unique=True, work=work)
                    )  # fmt: skip
            results[(name, connections)] = {n: _combined(r) for n, r in taken.items()}
            for n, result in results[(name, connections)].items():
                print(f"  {n:22} {name:9} c={connections}: {result}", file=sys.stderr)
    return results


def report(
    size: int,
    footprints: dict[str, Footprint],
    results: dict[tuple[str, int], dict[str, Result]],
) -> str:
    names = list(footprints)
    lines = [f"\n### {size:,} triples\n", "| server | start-up to ready | idle PSS | peak PSS |"]
    lines.append("|---|---|---|---|")
    for name, fp in footprints.items():
        lines.append(
            f"| {name} | {fp.startup_s:.1f} s | {sum(fp.idle.values()):.0f} MB "
            f"| {fp.peak_total:.0f} MB |"
        )
    lines += ["", "| server | process | pid | idle PSS | peak PSS |", "|---|---|---|---|---|"]
    for name, fp in footprints.items():
        for pid, role in sorted(fp.roles.items(), key=lambda item: (item[1], item[0])):
            idle = fp.idle.get(pid)
            idle_cell = "–" if idle is None else f"{idle:.0f} MB"
            peak = fp.peak.get(pid, 0.0)
            lines.append(f"| {name} | {role} | {pid} | {idle_cell} | {peak:.0f} MB |")
    ours = [n for n in names if n.startswith("policygraph")]
    peers = [n for n in names if n not in ours]
    header = "| class | c | " + " | ".join(names)
    header += " | " + " | ".join(f"{o} / {p}" for o in ours for p in peers) + " |"
    lines += ["", header, "|" + "---|" * (2 + len(names) + len(ours) * len(peers))]
    for (name, connections), row in results.items():
        cells = " | ".join(_cell(row.get(n)) for n in names)
        ratios = " | ".join(_ratio(row.get(o), row.get(p)) for o in ours for p in peers)
        lines.append(f"| {name} | {connections} | {cells} | {ratios} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50000,1000000,3000000")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per class and c")
    parser.add_argument("--work", type=Path, default=PROJECT / "var" / "bench")
    parser.add_argument("--before", type=Path, help="a source tree to run as well, for comparison")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    args.work.mkdir(parents=True, exist_ok=True)
    tables = []
    for size in (int(s) for s in args.sizes.split(",")):
        store_dir, version_dir, ntriples = prepare(size, args.work)
        footprints: dict[str, Footprint] = {}
        with tempfile.TemporaryDirectory(dir=args.work) as scratch, contextlib.ExitStack() as up:
            work = Path(scratch)
            starts: list[tuple[str, Callable[[], ContextManager[Server]]]] = [
                ("oxigraph read-only", partial(oxigraph, version_dir, work / "ro.log")),
                (IN_MEMORY_PEER, partial(oxigraph_in_memory, ntriples, work / "memory.log")),
                ("policygraph", partial(policygraph, store_dir, work / "pg.log", None)),
            ]
            if args.before is not None:
                before = partial(policygraph, store_dir, work / "before.log", args.before)
                starts.append(("policygraph before", before))
            servers = []
            for name, start in starts:
                started = time.monotonic()
                server = up.enter_context(start())
                server.name = name
                footprints[name] = idle_footprint(server, time.monotonic() - started)
                servers.append(server)
                print(f"  {name}: up in {footprints[name].startup_s:.1f} s", file=sys.stderr)
            with sampling(servers, footprints):
                results = throughput(servers, query_classes(size), args.duration, work)
        tables.append(report(size, footprints, results))
        print(tables[-1], file=sys.stderr, flush=True)
    print("\n## Memory and start-up (PSS; ratio = requests/s of ours / the peer's)")
    print("\n".join(tables))


if __name__ == "__main__":
    main()
