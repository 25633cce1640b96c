"""Where a cheap query's time goes in the web process: py-spy on a web worker under load.

    python -m bench profile [--size 50000] [--query lookup|describe] [--seconds 15] [--top 25]
                            [--engine oxigraph]

Serves a synthetic store with ``policygraph serve`` (one web worker, so that one process takes
every request) or, with ``--engine oxigraph``, the front end forwarding to Oxigraph's server on
that data (as ``bench/engine_front.py`` starts both); drives it with wrk at 8 connections with
distinct query texts of one class (uncached), and records the web worker with py-spy (PyPI
``py-spy``; it needs ptrace, as root or with ``kernel.yama.ptrace_scope`` 0) meanwhile. Prints
the functions with the most samples on the stack (inclusive) and on top of it (self), as a
share of all samples, and the rate. Loopback only; everything stops by itself.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.endpoint import PROJECT, Server, wrk
from bench.memory import policygraph, roles
from bench.query_mix import query_classes


def record(pid: int, seconds: int, output: Path) -> subprocess.Popen[bytes]:
    binary = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
    command = [binary, "record", "--pid", str(pid), "--duration", str(seconds)]
    command += ["--rate", "250", "--format", "raw", "--output", str(output), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tops(collapsed: Path, top: int) -> str:
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [_short(frame) for frame in stack.split(";")[1:]]  # the first is the thread
        total += count
        own[frames[-1] if frames else "?"] += count
        for frame in set(frames):
            inclusive[frame] += count
    lines = [f"{total} samples", "", "| inclusive | self | function |", "|---|---|---|"]
    for frame, count in inclusive.most_common(top):
        lines.append(f"| {count / total:.1%} | {own[frame] / total:.1%} | `{frame}` |")
    lines += ["", "| self | function |", "|---|---|"]
    for frame, count in own.most_common(top):
        lines.append(f"| {count / total:.1%} | `{frame}` |")
    return "\n".join(lines)


def _short(frame: str) -> str:
    """``function (path/to/module.py:line)`` → ``function (module.py)``."""
    name, _, where = frame.partition(" (")
    file = where.rsplit(":", 1)[0].rsplit("/", 1)[-1]
    return f"{name} ({file})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--query", default="lookup")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--work", type=Path, default=PROJECT / "var" / "bench")
    parser.add_argument("--before", type=Path, help="a source tree to run instead")
    parser.add_argument("--engine", choices=["oxigraph"], help="profile the front end over it")
    args = parser.parse_args()
    [chosen] = [c for c in query_classes(args.size) if c.name == args.query]
    paths = [chosen.make(i) for i in range(2000)]
    args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        work = Path(scratch)
        with _served(args, work) as server:
            [web] = [pid for pid, role in roles(server).items() if role == "web worker"]
            output = work / "profile.txt"
            spy = record(web, args.seconds, output)
            result: list[object] = []
            load = threading.Thread(
                target=lambda: result.append(
                    wrk(server, paths, connections=8, duration=args.seconds, unique=True, work=work)
                )
            )
            load.start()
            load.join()
            spy.wait()
            over = f" over {args.engine}" if args.engine else ""
            print(f"## {args.query}{over}, {args.size:,} triples, c=8: {result[0]}\n")
            print(tops(output, args.top))


@contextmanager
def _served(args: argparse.Namespace, work: Path) -> Iterator[Server]:
    """The web process to profile: over the local store, or in front of an engine."""
    if args.engine is None:
        from bench.endpoint import prepare

        store_dir, _, _ = prepare(args.size, args.work)
        with policygraph(store_dir, work / "pg.log", args.before, workers=1) as server:
            yield server
        return
    from bench.engine_front import dump, front, oxigraph_engine

    with oxigraph_engine(dump(args.size, args.work), work) as (_, url), front(url, work) as ours:
        # Named as ours, so that its processes are told apart by their place in the tree.
        yield Server("policygraph front end", ours.process, ours.port, ours.path)


if __name__ == "__main__":
    main()
