"""The main loop of a query worker process.

A worker is forked from its pool's fork server (``forkserver.py``) and answers one job at a time
from its pipe: on the fork server's in-memory copy when the job asks for that version, otherwise
on the version's store on disk, opened read-only. It evaluates on one thread by design:
pyoxigraph evaluates with the GIL released, so the only way to stop a runaway query and get its
CPU back is to end the process, which the pool does with SIGKILL. A watchdog thread ends the
worker when the other end of its pipe closes: the pool let it go, or the web process is gone.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import sys
import threading
import traceback
from multiprocessing.connection import Connection

from policygraph import errors
from policygraph.errors import PolicygraphError
from policygraph.query.dataset import DatasetSource, Resident, VersionOpener
from policygraph.query.evaluation import evaluate
from policygraph.query.messages import Limits, decode_job, failure
from policygraph.search.textscore import TextScores


def serve_jobs(
    connection: Connection,
    source: DatasetSource,
    limits: Limits,
    resident: Resident | None = None,
) -> None:
    """Answer jobs until the pipe closes (the entry point of a worker process)."""
    _exit_on_hangup(connection)
    bound_memory(limits.memory_bytes)
    opener = VersionOpener(source)
    # pg:textScore's index is opened on the first query that calls it, here, after the fork.
    text_scores = TextScores()
    while True:
        try:
            frame = connection.recv_bytes()
        except (EOFError, OSError):
            return
        job = decode_job(frame)
        try:
            if resident is not None and resident.path == job.version_path:
                store = resident.store
            else:
                store = opener.store(job.version_path)
            evaluate(store, job, limits, connection.send_bytes, text_scores)
        except PolicygraphError as exc:
            _reply(connection, failure(_error_name(exc), str(exc)))
        except (BrokenPipeError, EOFError):
            return
        except Exception:  # a fault of ours or of pyoxigraph: report it, never its details
            traceback.print_exc(file=sys.stderr)
            _reply(connection, failure("StoreError", "the query worker failed; see the server log"))


def bound_memory(extra_bytes: int) -> None:
    """Let this process's data grow by at most ``extra_bytes`` beyond what it has now (0: no
    bound), so that one query cannot take the host's memory.

    The bound is ``RLIMIT_DATA`` above the current size: a worker is forked with the fork
    server's copy of the dataset (shared copy-on-write, but counted in its data), so an absolute
    limit would have to know that copy's size. Data, not address space (``RLIMIT_AS``): opening
    a version on disk reserves some 400 MB of address space that is never written (RocksDB's
    threads, their stacks and allocator arenas), which would eat most of the bound and, near
    it, make that opening fail at random. Past the bound an allocation fails: in pyoxigraph that
    aborts the process, which the pool sees as a worker gone (``QueryAbortedError`` after a
    second try), and the host is unharmed.
    """
    if extra_bytes <= 0:
        return
    size = _data_bytes()
    resource.setrlimit(resource.RLIMIT_DATA, (size + extra_bytes, resource.RLIM_INFINITY))


def _data_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[5])  # data and stack
    return pages * resource.getpagesize()


def _reply(connection: Connection, frame: bytes) -> None:
    with contextlib.suppress(OSError):
        connection.send_bytes(frame)


def _error_name(exc: PolicygraphError) -> str:
    name = type(exc).__name__
    return name if isinstance(getattr(errors, name, None), type) else "PolicygraphError"


def _exit_on_hangup(connection: Connection) -> None:
    """End this process when the pool's end of its pipe closes, even in the middle of a query.

    pyoxigraph releases the GIL while it evaluates, so this thread keeps running. Watching the
    pipe rather than the parent process covers both ways a worker is let go: the web process
    ends, or the pool drops it (its parent, the fork server, may long be gone by then).
    """

    def watch() -> None:
        poller = select.poll()
        poller.register(connection.fileno(), 0)  # 0: only hang-ups and errors, never data
        while True:
            if poller.poll():
                os._exit(1)

    threading.Thread(target=watch, name="pipe-watch", daemon=True).start()


__all__ = ["bound_memory", "serve_jobs"]
