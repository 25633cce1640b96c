"""Benchmark of the SPARQL endpoint against Oxigraph's own server and rdflib-endpoint.

    python -m bench.endpoint [--sizes 50000,1000000] [--duration 10] [--work var/bench]

On the same store and in the same run: ``oxigraph serve-read-only`` (PyPI ``oxigraph``) and our
endpoint under gunicorn (``policygraph.web.server.serve``), both up and taking turns in rounds so
that the machine's drift cancels in their ratio; then rdflib-endpoint where it can load the data
(up to ``--rdflib-max`` triples). For each query class of ``bench/query_mix.py``, at concurrency
1 and 8, wrk (Debian's ``wrk``) measures successful answers/s (an error is not an answer, however
fast), p50 and p99; every uncached request is a query text never sent before, in that run or any
other. The mix takes the classes in turn. Then the same mix repeated (cached), the peak memory of
a one-million-row SELECT streamed to a client, and a runaway query against each timeout.
Everything listens on 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store, serialize

from bench.query_mix import QueryClass, query_classes
from bench.synthetic import quads
from policygraph.store.local import CURRENT, mark_complete, new_version_dir, publish, write_store

# Our server is waited for as the tests wait for it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from servers import wait_settled

PROJECT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LUA = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local unique = os.getenv("BENCH_UNIQUE") == "1"
local run = os.getenv("BENCH_RUN")
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
function init(args) counter = 0 end
function request()
  counter = counter + 1
  local path = paths[((counter + tid * 7919) % #paths) + 1]
  if unique then path = path .. "%0A%23" .. run .. "-" .. tid .. "-" .. counter end
  return wrk.format("GET", path, {["Accept"] = os.getenv("BENCH_ACCEPT")})
end
"""


IN_MEMORY_PEER = "oxigraph in memory"


@dataclass
class Result:
    rps: float
    """Successful answers per second: an error answered fast is no answer."""
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    path: str = "/sparql"

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def tree(self) -> list[int]:
        """This server's process and all its descendants."""
        pids, frontier = [self.process.pid], [self.process.pid]
        while frontier:
            children = [p for p in _all_pids() if _ppid(p) in frontier]
            pids += children
            frontier = children
        return pids


def _all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _ppid(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[1]) if fields else -1


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _memory_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_up(server: Server, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} stopped with code {server.process.returncode}")
        try:
            status, _ = get(server, "ASK {}", timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not come up within {seconds:g} s")


def get(server: Server, query: str, timeout: float = 600) -> tuple[int, int]:
    """Status and body size of a query, the body read in chunks and dropped."""
    connection = http.client.HTTPConnection(LOOPBACK, server.port, timeout=timeout)
    try:
        connection.request(
            "GET",
            server.path + "?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": ACCEPT},
        )
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


@contextmanager
def running(
    name: str,
    command: list[str],
    port: int,
    log: Path,
    env: dict[str, str] | None = None,
    path: str = "/sparql",
) -> Iterator[Server]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    server = Server(name, process, port, path)
    try:
        wait_up(server)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def oxigraph(version_dir: Path, log: Path, timeout_s: int | None = None) -> Iterator[Server]:
    port = free_port()
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    command = [
        binary,
        "serve-read-only",
        "--location",
        str(version_dir),
        "--bind",
        f"{LOOPBACK}:{port}",
        "--union-default-graph",
    ]
    if timeout_s is not None:
        command += ["--timeout-s", str(timeout_s)]
    return running("oxigraph", command, port, log)


@contextmanager
def oxigraph_in_memory(ntriples: Path, log: Path) -> Iterator[Server]:
    """Oxigraph's read-write server on its in-memory storage, loaded over HTTP.

    Not the peer the targets name (that is ``serve-read-only`` on the store): it shows what an
    in-memory copy of the data gives Oxigraph too.
    """
    port = free_port()
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    command = [binary, "serve", "--bind", f"{LOOPBACK}:{port}", "--union-default-graph"]
    with running(IN_MEMORY_PEER, command, port, log) as server:
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=900)
        try:
            with ntriples.open("rb") as body:
                connection.request(
                    "POST",
                    "/store?default",
                    body=body,
                    headers={"Content-Type": "application/n-triples"},
                )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status >= 300:
            raise RuntimeError(f"Oxigraph did not load the data: {response.status}")
        yield server


@contextmanager
def policygraph(store_dir: Path, log: Path, **settings: object) -> Iterator[Server]:
    port = free_port()
    values = {
        "store_dir": store_dir,
        "host": LOOPBACK,
        "port": port,
        "public_url": f"http://{LOOPBACK}:{port}",
        "workers": 2,
        "max_concurrent_queries": 4,
        "queue_timeout": 60,
        "query_timeout": 300,
        "max_result_rows": 2_000_000,
        **settings,
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "PROMETHEUS_"))}
    env.update({f"POLICYGRAPH_{k.upper()}": str(v) for k, v in values.items()})
    code = (
        "from policygraph.config import load_settings\n"
        "from policygraph.web.server import serve\n"
        "serve(load_settings())\n"
    )
    with running("policygraph", [sys.executable, "-c", code], port, log, env) as server:
        wait_settled(server.base)
        yield server


def rdflib_endpoint(ntriples: Path, log: Path) -> Iterator[Server]:
    port = free_port()
    binary = str(Path(sys.executable).parent / "rdflib-endpoint")
    return running(
        "rdflib-endpoint",
        [binary, "serve", str(ntriples), "--host", LOOPBACK, "--port", str(port)],
        port,
        log,
        path="/",  # rdflib-endpoint answers at its root
    )


def wrk(
    server: Server, paths: list[str], *, connections: int, duration: float, unique: bool, work: Path
) -> Result:
    script, listing = work / "bench.lua", work / "paths.txt"
    script.write_text(LUA)
    listing.write_text(
        "\n".join(server.path + "?query=" + urllib.parse.quote(p, safe="") for p in paths) + "\n"
    )
    env = {
        **os.environ,
        "BENCH_PATHS": str(listing),
        "BENCH_UNIQUE": "1" if unique else "0",
        # Every run its own texts: a text sent in an earlier run would be answered from cache.
        "BENCH_RUN": uuid.uuid4().hex[:12],
        "BENCH_ACCEPT": ACCEPT,
    }
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--timeout",
        "120s",
        "--latency",
        "-s",
        str(script),
        server.base,
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(m) for m in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(m) for m in re.findall(r"timeout (\d+)", output))
    ok_rps = rps * max(0, total - errors) / total if total else 0.0
    return Result(ok_rps, _percentile(output, "50%"), _percentile(output, "99%"), errors)


def _percentile(output: str, label: str) -> float:
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def prepare(size: int, work: Path) -> tuple[Path, Path, Path]:
    """The published store, its version directory, and an N-Triples copy (for rdflib)."""
    root = work / f"store-{size}"
    store_dir, ntriples = root / "store", root / "data.nt"
    if not (store_dir / CURRENT).exists():
        root.mkdir(parents=True, exist_ok=True)
        print(f"generating {size:,} triples …", file=sys.stderr)
        version_dir = new_version_dir(store_dir)
        write_store(quads(size), version_dir)
        mark_complete(version_dir, f"synthetic-{size}")
        publish(store_dir, version_dir)
        with ntriples.open("wb") as output:
            store = Store.read_only(str(version_dir))
            serialize(
                (q.triple for q in store.quads_for_pattern(None, None, None, None)),  # type: ignore[attr-defined]
                output,
                RdfFormat.N_TRIPLES,
            )
            del store
    return store_dir, (store_dir / CURRENT).resolve(), ntriples


def measure(
    servers: list[Server],
    classes: list[QueryClass],
    duration: float,
    work: Path,
    *,
    cached: bool,
    rounds: int = 2,
) -> dict[str, dict[tuple[str, int], Result]]:
    """Each server's results per (class, connections), the servers taking turns.

    The machine's speed drifts over minutes; running the servers in alternating rounds of
    ``duration / rounds`` seconds, instead of one after the other, lets the drift cancel.
    """
    results: dict[str, dict[tuple[str, int], Result]] = {server.name: {} for server in servers}
    variants = 1 if cached else 500
    # The mix takes the classes in turn, so that every class is in every stretch of it.
    mix = [query_class.make(i) for i in range(variants) for query_class in classes]
    runs = [] if cached else [(c.name, [c.make(i) for i in range(variants)], 1.0) for c in classes]
    runs.append(("mix", mix, 2.0))
    for name, paths, weight in runs:
        for server in servers:
            get(server, paths[0])  # warm: store open, caches filled (and, cached, the answer kept)
        for connections in (1, 8):
            taken: dict[str, list[Result]] = {server.name: [] for server in servers}
            for _ in range(rounds):
                for server in servers:
                    taken[server.name].append(
                        wrk(
                            server,
                            paths,
                            connections=connections,
                            duration=max(1, round(duration * weight / rounds)),  # wrk: whole s
                            unique=not cached,
                            work=work,
                        )
                    )
            for server in servers:
                result = _combined(taken[server.name])
                results[server.name][(name, connections)] = result
                label = name + (" cached" if cached else "")
                print(f"  {server.name:16} {label:12} c={connections}: {result}", file=sys.stderr)
    return results


def _combined(results: list[Result]) -> Result:
    return Result(
        sum(r.rps for r in results) / len(results),
        statistics.median(r.p50_ms for r in results),
        max(r.p99_ms for r in results),
        sum(r.errors for r in results),
    )


def resident_memory(server: Server) -> float:
    """MB the server's processes hold, pages shared between them counted once (PSS)."""
    total = 0
    for pid in server.tree():
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        pss = next(line for line in rollup.splitlines() if line.startswith("Pss:"))
        total += int(pss.split()[1])
    return total / 1024


def peak_memory(server: Server, query: str) -> tuple[float, int]:
    """MB the server's processes grew to, above idle, while streaming ``query``; and its size."""
    pids = server.tree()
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    idle = {pid: _memory_kib(pid, "VmRSS") for pid in pids}
    _, size = get(server, query)
    grown = sum(
        max(0, _memory_kib(pid, "VmHWM") - idle[pid]) for pid in server.tree() if pid in idle
    )
    return grown / 1024, size


def runaway(server: Server, timeout_s: float) -> str:
    started = time.monotonic()
    try:
        status, size = get(server, RUNAWAY, timeout=timeout_s + 60)
        answer = f"{status} ({size} bytes)"
    except (OSError, http.client.HTTPException) as error:
        answer = f"no answer ({type(error).__name__})"
    elapsed = time.monotonic() - started
    before = _cpu(server.tree())
    time.sleep(3)
    busy = _cpu(server.tree()) - before
    freed = "yes" if busy < 0.3 else f"no ({busy / 3:.0%} CPU after)"
    return f"{answer} after {elapsed:.1f} s; CPU freed: {freed}"


def _cell(result: Result | None) -> str:
    if result is None:
        return "–"
    errors = f" ({result.errors} err)" if result.errors else ""
    return f"{result.rps:,.1f} /s · {result.p50_ms:.1f} / {result.p99_ms:.1f} ms{errors}"


def _ratio(ours: Result | None, theirs: Result | None) -> str:
    if ours is None or theirs is None or not theirs.rps:
        return "–"
    return f"{ours.rps / theirs.rps:.2f}×"


def report(
    size: int,
    classes: list[QueryClass],
    runs: dict[str, dict[tuple[str, int], Result]],
    extra: list[str],
) -> str:
    lines = [
        f"\n### {size:,} triples\n",
        "| class | c | Oxigraph | policygraph | ratio | rdflib-endpoint | ours/rdflib |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in [c.name for c in classes] + ["mix"]:
        for connections in (1, 8):
            key = (name, connections)
            ox, ours, rdf = (
                runs.get(s, {}).get(key) for s in ("oxigraph", "policygraph", "rdflib-endpoint")
            )
            lines.append(
                f"| {name} | {connections} | {_cell(ox)} | {_cell(ours)} | {_ratio(ours, ox)} "
                f"| {_cell(rdf)} | {_ratio(ours, rdf)} |"
            )
    for connections in (1, 8):
        key = ("mix", connections)
        ox = runs.get("oxigraph cached", {}).get(key)
        ours = runs.get("policygraph cached", {}).get(key)
        lines.append(
            f"| mix, repeated (cached) | {connections} | {_cell(ox)} | {_cell(ours)} "
            f"| {_ratio(ours, ox)} | | |"
        )
    if IN_MEMORY_PEER in runs:
        lines += [
            "",
            "For reference, Oxigraph's read-write server on its in-memory storage "
            "(`oxigraph serve`, the data loaded over HTTP):",
            "",
            "| class | c | Oxigraph in memory | policygraph | ratio |",
            "|---|---|---|---|---|",
        ]
        for name in [c.name for c in classes] + ["mix"]:
            for connections in (1, 8):
                peer = runs[IN_MEMORY_PEER].get((name, connections))
                ours = runs.get("policygraph", {}).get((name, connections))
                lines.append(
                    f"| {name} | {connections} | {_cell(peer)} | {_cell(ours)} "
                    f"| {_ratio(ours, peer)} |"
                )
    lines += ["", *extra]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50000,1000000")
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds per wrk run (the mix: twice)"
    )
    parser.add_argument("--work", type=Path, default=PROJECT / "var" / "bench")
    parser.add_argument(
        "--rdflib-max", type=int, default=50_000, help="largest store rdflib-endpoint is given"
    )
    parser.add_argument(
        "--oxigraph-in-memory",
        action="store_true",
        help="also measure Oxigraph's server on its in-memory storage, for reference",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    args.work.mkdir(parents=True, exist_ok=True)
    tables = []
    for size in (int(s) for s in args.sizes.split(",")):
        store_dir, version_dir, ntriples = prepare(size, args.work)
        classes = query_classes(size)
        runs: dict[str, dict[tuple[str, int], Result]] = {}
        extra: list[str] = []
        with tempfile.TemporaryDirectory(dir=args.work) as scratch:
            work = Path(scratch)
            with (
                oxigraph(version_dir, work / "oxigraph.log") as ox,
                policygraph(store_dir, work / "policygraph.log") as ours,
                contextlib.ExitStack() as peers,
            ):
                extra.append(
                    f"- Memory at idle (PSS, all processes): Oxigraph "
                    f"{resident_memory(ox):.0f} MB, policygraph {resident_memory(ours):.0f} MB"
                )
                if size >= 1_000_000:  # first, from idle: later queries leave the heap grown
                    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
                    mb, body = peak_memory(ox, query)
                    extra.append(
                        f"- Peak memory above idle, SELECT of every triple "
                        f"({body / 1e6:.0f} MB of JSON): Oxigraph {mb:.0f} MB"
                    )
                    mb, body = peak_memory(ours, query)
                    extra.append(
                        f"- Peak memory above idle, same SELECT streamed: policygraph "
                        f"{mb:.0f} MB (all its processes)"
                    )
                both = [ox, ours]
                if args.oxigraph_in_memory:
                    both.append(
                        peers.enter_context(oxigraph_in_memory(ntriples, work / "memory.log"))
                    )
                runs.update(measure(both, classes, args.duration, work, cached=False))
                for name, results in measure(
                    both, classes, args.duration, work, cached=True
                ).items():
                    runs[name + " cached"] = results
            if size <= args.rdflib_max:
                try:
                    with rdflib_endpoint(ntriples, work / "rdflib.log") as server:
                        runs.update(measure([server], classes, args.duration, work, cached=False))
                except RuntimeError as error:  # it could not load the data in time
                    extra.append(f"- rdflib-endpoint: {error}")
            else:
                extra.append(f"- rdflib-endpoint: not run above {args.rdflib_max:,} triples")
            if size == min(int(s) for s in args.sizes.split(",")):
                with oxigraph(version_dir, work / "oxigraph-timeout.log", timeout_s=5) as server:
                    extra.append(f"- Runaway query, `--timeout-s 5`: Oxigraph {runaway(server, 5)}")
                with policygraph(
                    store_dir, work / "policygraph-timeout.log", query_timeout=5
                ) as server:
                    extra.append(
                        f"- Runaway query, `query_timeout = 5`: policygraph {runaway(server, 5)}"
                    )
        tables.append(report(size, classes, runs, extra))
        print(tables[-1], flush=True)
    print("\n## SPARQL endpoint benchmark (requests/s · p50 / p99; ratio = policygraph / peer)")
    print("\n".join(tables))


if __name__ == "__main__":
    main()
