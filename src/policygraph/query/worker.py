"""The main loop of a query worker process.

A worker opens the dataset read-only, then answers one job at a time from its pipe. It is
single-threaded by design: pyoxigraph evaluates with the GIL released, so the only way to stop a
runaway query and get its CPU back is to end the process, which the pool does with SIGKILL. A
watchdog thread ends the worker if the web process that owns it disappears.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from policygraph import errors
from policygraph.errors import PolicygraphError
from policygraph.query.dataset import DatasetSource, VersionOpener
from policygraph.query.evaluation import evaluate
from policygraph.query.messages import Limits, decode_job, failure


def serve_jobs(connection: Connection, source: DatasetSource, limits: Limits) -> None:
    """Answer jobs until the pipe closes (the entry point of a worker process)."""
    _exit_with_parent(os.getppid())
    opener = VersionOpener(source)
    while True:
        try:
            frame = connection.recv_bytes()
        except (EOFError, OSError):
            return
        job = decode_job(frame)
        try:
            path = None if job.version_path is None else Path(job.version_path)
            evaluate(opener.store(path), job, limits, connection.send_bytes)
        except PolicygraphError as exc:
            _reply(connection, failure(_error_name(exc), str(exc)))
        except (BrokenPipeError, EOFError):
            return
        except Exception:  # a fault of ours or of pyoxigraph: report it, never its details
            traceback.print_exc(file=sys.stderr)
            _reply(connection, failure("StoreError", "the query worker failed; see the server log"))


def _reply(connection: Connection, frame: bytes) -> None:
    with contextlib.suppress(OSError):
        connection.send_bytes(frame)


def _error_name(exc: PolicygraphError) -> str:
    name = type(exc).__name__
    return name if isinstance(getattr(errors, name, None), type) else "PolicygraphError"


def _exit_with_parent(parent: int) -> None:
    """End this process when its parent is gone, even in the middle of a query.

    pyoxigraph releases the GIL while it evaluates, so this thread keeps running; PR_SET_PDEATHSIG
    would follow the parent *thread* that started us, which may end long before the process.
    """

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


__all__ = ["serve_jobs"]
