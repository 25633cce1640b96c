"""Load and faults: the endpoint under load at several concurrencies, with and without a web
worker and a fork server killed mid-run, and the host's memory during a hostile campaign.

    python -m bench load_fault [--size 200000] [--seconds 30] [--concurrency 8,32,128]

For each concurrency, a bounded Python client (one thread and one keep-alive connection per
client, on loopback) sends the query mix of ``bench/query_mix.py`` for ``--seconds``, twice:
once undisturbed, once with a gunicorn web worker killed (SIGKILL) at a third of the run and a
fork server at two thirds. It prints requests/s, p50 and p99, the statuses and the socket errors
of each run. Then the hostile campaign: memory-hungry queries (string doubling, a sorted cross
product), deep nesting and huge literals from 8 clients for ``--seconds``, with the host's used
memory (MemTotal - MemAvailable) sampled every 50 ms: its peak, against the configured bound
(workers x max_concurrent_queries x query_memory_limit), and the statuses.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.endpoint import LOOPBACK, Server, policygraph, prepare
from bench.query_mix import query_classes

WORKERS, SLOTS, MEMORY_LIMIT = 2, 4, 1 << 30


@dataclass
class Run:
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    socket_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def row(self, seconds: float) -> tuple[float, float, float]:
        ordered = sorted(self.latencies) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return len(self.latencies) / seconds, statistics.median(ordered) * 1000, p99 * 1000


def client(server: Server, queries: list[str], until: float, run: Run, offset: int) -> None:
    connection: http.client.HTTPConnection | None = None
    index = offset
    while time.monotonic() < until:
        query = queries[index % len(queries)]
        index += 1
        started = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(LOOPBACK, server.port, timeout=60)
            body = urllib.parse.urlencode({"query": query})
            connection.request(
                "POST",
                "/sparql",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"},
            )
            response = connection.getresponse()
            response.read()
            with run.lock:
                run.statuses[response.status] += 1
                run.latencies.append(time.monotonic() - started)
            if response.getheader("connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException):
            with run.lock:
                run.socket_errors += 1
            if connection is not None:
                connection.close()
            connection = None
    if connection is not None:
        connection.close()


def load(server: Server, queries: list[str], clients: int, seconds: float, faults: bool) -> Run:
    run = Run()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(server, queries, until, run, n))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    if faults:
        time.sleep(seconds / 3)
        _kill(_children(server.process.pid)[:1], "web worker")
        time.sleep(seconds / 3)
        _kill(_fork_servers()[:1], "fork server")
    for thread in threads:
        thread.join()
    return run


def _fork_servers() -> list[int]:
    """The fork servers (one per host and version, started by whichever web worker first needed
    it, which may have ended since): by their command line, not their place in the tree."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        if b"policygraph.query.forkserver" in command:
            found.append(int(entry.name))
    return [pid for pid in found if _parent(pid) not in found]  # not the workers it forked


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _kill(pids: list[int], what: str) -> None:
    for pid in pids:
        print(f"  killing a {what} ({pid})", file=sys.stderr)
        os.kill(pid, signal.SIGKILL)


def used_memory() -> int:
    fields = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) * 1024
    return fields["MemTotal"] - fields["MemAvailable"]


def hostile_queries() -> list[str]:
    doubling = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30))
    return [
        f'SELECT (STRLEN(?x30) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?x0) {doubling} }}',
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1",
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5_000 + "?o" + ")" * 5_000 + ") }",
        'ASK { ?s ?p "' + "x" * 500_000 + '" }',
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    ]


def hostile(server: Server, seconds: float) -> tuple[Run, int, int]:
    baseline, peak, stop = used_memory(), used_memory(), threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, used_memory())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        run = load(server, hostile_queries(), 8, seconds, faults=False)
    finally:
        stop.set()
        sampler.join()
    return run, baseline, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", default="8,32,128")
    parser.add_argument("--work", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    store_dir, _, _ = prepare(args.size, args.work)
    queries = [cls.make(i) for cls in query_classes(args.size) for i in range(50)]
    log = args.work / "load-fault-server.log"
    settings = {
        "workers": WORKERS,
        "max_concurrent_queries": SLOTS,
        "query_timeout": 10,
        "queue_timeout": 2,
        "query_memory_limit": MEMORY_LIMIT,
    }
    rows = []
    with policygraph(store_dir, log, **settings) as server:
        for clients in (int(c) for c in args.concurrency.split(",")):
            for faults in (False, True):
                run = load(server, queries, clients, args.seconds, faults)
                rows.append((clients, "faults" if faults else "steady", run))
                time.sleep(3)  # let the killed processes be replaced before the next run
        campaign, baseline, peak = hostile(server, args.seconds)

    print(
        f"\nload and faults: {args.size:,} triples, {WORKERS} web workers x {SLOTS} slots, "
        f"{args.seconds:g} s per run, loopback"
    )
    print(
        f"{'clients':>7}  {'run':<6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  "
        f"{'socket errors':>13}  statuses"
    )
    for clients, kind, run in rows:
        rps, p50, p99 = run.row(args.seconds)
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(run.statuses.items()))
        print(
            f"{clients:>7}  {kind:<6} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f}  "
            f"{run.socket_errors:>13}  {statuses}"
        )
    bound = WORKERS * SLOTS * MEMORY_LIMIT
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(campaign.statuses.items()))
    print(
        f"\nhostile campaign, 8 clients, {args.seconds:g} s: host memory used "
        f"{baseline / 2**30:.2f} GiB before, peak {peak / 2**30:.2f} GiB "
        f"(+{(peak - baseline) / 2**30:.2f} GiB; bound {bound / 2**30:.0f} GiB); "
        f"socket errors {campaign.socket_errors}; statuses {statuses}"
    )


if __name__ == "__main__":
    main()
