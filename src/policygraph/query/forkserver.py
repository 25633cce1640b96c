"""The process that holds a version in memory and forks the query workers from it.

Why: pyoxigraph's in-memory store evaluates the benchmark's queries 3–6× faster than the same
data in its RocksDB store opened read-only (``bench/``; GROUP BY and the competency questions'
joins gain most). Copying the store into every worker would cost one copy, and one load (about
10 s for a million quads), per worker and again for each worker killed at its deadline. So one
process per host and version loads it once and forks the workers of every web worker's pool:
they share its pages copy-on-write, and a replacement is ready in milliseconds
(``query/copies.py`` says how a pool finds it, or starts it).

Forking is safe here because this process never has a second thread: it never opens RocksDB
(whose background threads outlive the store), but reads the version from a short-lived dump
process, and it does nothing while a fork is made but wait for the next request. Whether to copy
is decided before anything is read (``query/resident.py``): a version above the bound is never
loaded, and its workers open it on disk themselves, read-only.

A pool speaks to this process over a connection to its Unix socket: on connecting it is told
whether the version is in memory (once it is loaded) and this process's pid; then one byte asks
for a worker, and the answer carries, as file descriptors, the worker's end of its job pipe and a
pidfd to kill it by (never a bare pid, which the kernel may have handed to another process once
the worker is reaped). The kernel reaps the workers. The process ends when its last pool has
gone, so the copy of a version nobody serves any more is given back.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import socket
import struct
import sys
import traceback
from multiprocessing.connection import Connection

from policygraph.query.dataset import DatasetSource, Resident
from policygraph.query.messages import Limits
from policygraph.query.resident import load_resident
from policygraph.query.worker import serve_jobs

FORK = b"F"
IN_MEMORY = b"M"
ON_DISK = b"D"
HELLO = struct.Struct("!cI")
"""What a pool is told when it connects: IN_MEMORY or ON_DISK, and this process's pid."""

FIRST_POOL_SECONDS = 60.0
"""How long a server waits for its first pool (the one that started it connects at once)."""

# The entry point of the process (``subprocess``, not ``multiprocessing``: this process must
# outlive the web worker that started it, while the other web workers use it).
MAIN = "from policygraph.query.forkserver import main; main()"


def main() -> None:
    """Run a fork server: the listening socket's descriptor is the argument, the rest is read
    (pickled by the web worker that started it) from standard input."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C to the server's group ends the pools
    listener = socket.socket(fileno=int(sys.argv[1]))
    source, limits, path, max_quads = pickle.load(sys.stdin.buffer)  # noqa: S301 (our own pipe)
    run_fork_server(listener, source, limits, path, max_quads)


def run_fork_server(
    listener: socket.socket,
    source: DatasetSource,
    limits: Limits,
    path: str | None,
    max_quads: int,
) -> None:
    """Load the version, then fork a worker per request until the last pool has gone."""
    try:
        resident = load_resident(source, path, max_quads)
    except Exception:  # the workers can still read the version on disk: say why, and go on
        traceback.print_exc(file=sys.stderr)
        resident = None
    # From now on the kernel reaps the children (not before: the dump's exit status matters);
    # the pools end the workers through their pidfds, and never wait for them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    hello = HELLO.pack(ON_DISK if resident is None else IN_MEMORY, os.getpid())
    pools: dict[int, socket.socket] = {}
    poller = select.poll()  # no kernel object to share with the children, unlike epoll
    poller.register(listener, select.POLLIN)
    served = False
    while True:
        events = poller.poll(None if served else int(FIRST_POOL_SECONDS * 1000))
        if not events:
            return  # started, but no pool came
        for fd, _ in events:
            if fd == listener.fileno():
                connection, _ = listener.accept()
                try:
                    connection.sendall(hello)
                except OSError:
                    connection.close()
                    continue
                pools[connection.fileno()] = connection
                poller.register(connection, select.POLLIN)
                served = True
            elif not _serve(pools[fd], listener, pools, source, limits, resident):
                poller.unregister(fd)
                pools.pop(fd).close()
        if served and not pools and not poller.poll(0):  # none left, and none connecting
            return


def _serve(
    pool: socket.socket,
    listener: socket.socket,
    pools: dict[int, socket.socket],
    source: DatasetSource,
    limits: Limits,
    resident: Resident | None,
) -> bool:
    """Answer one request of ``pool``; False when it has gone."""
    try:
        if pool.recv(1) != FORK:
            return False
    except OSError:
        return False
    pipe, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            # The worker holds no socket of this server: a pool must see it end when it ends.
            listener.close()
            for other in pools.values():
                other.close()
            pipe.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            serve_jobs(Connection(theirs.detach()), source, limits, resident)
        finally:
            os._exit(0)
    theirs.close()
    pidfd = os.pidfd_open(pid)
    try:
        socket.send_fds(pool, [str(pid).encode("ascii")], [pipe.fileno(), pidfd])
    except OSError:
        return False
    finally:
        os.close(pidfd)
        pipe.close()
    return True


__all__ = ["FORK", "HELLO", "IN_MEMORY", "MAIN", "ON_DISK", "main", "run_fork_server"]
