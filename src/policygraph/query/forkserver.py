"""The process that holds the dataset in memory and forks the query workers from it.

Why: pyoxigraph's in-memory store evaluates the benchmark's queries 3–6× faster than the same
data in its RocksDB store opened read-only (``bench/``; GROUP BY and the competency questions'
joins gain most). Copying the store into every worker would cost one copy, and one load (about
10 s for a million quads), per worker and again for each worker killed at its deadline. So one
process per pool loads the version once and forks the workers: they share its pages
copy-on-write, and a replacement is ready in milliseconds.

Forking is safe here because this process never has a second thread: it never opens RocksDB
(whose background threads outlive the store), but reads the version from a short-lived dump
process, and it does nothing while a fork is made but wait for the next request. A store with
more than ``max_quads`` quads (or ``max_quads`` 0) is not copied; its workers open the version on
disk themselves, read-only, as they also do for a version published after this process loaded
its copy, until the pool has a fork server for the new one.

The pool speaks to this process over a socket: one byte asks for a worker, and the answer
carries, as file descriptors, the worker's end of its job pipe and a pidfd to kill it by (never a
bare pid, which the kernel may have handed to another process once the worker is reaped).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from typing import IO, cast

from pyoxigraph import RdfFormat, Store

from policygraph.errors import StoreError
from policygraph.query.dataset import DatasetSource, InMemoryDataset, Resident
from policygraph.query.messages import Limits
from policygraph.query.worker import serve_jobs

FORK = b"F"
IN_MEMORY = b"M"
ON_DISK = b"D"

# The dump runs in its own process: opening RocksDB here would leave its threads behind, and a
# process with threads must not fork.
_DUMP = (
    "import sys, pyoxigraph as ox\n"
    "ox.Store.read_only(sys.argv[1]).dump(output=sys.stdout.buffer, format=ox.RdfFormat.N_QUADS)\n"
)


class ForkedWorker:
    """A query worker forked by a fork server: its job pipe and a handle to end it by."""

    def __init__(self, pid: int, pidfd: int, connection: Connection, server: ForkServer) -> None:
        self.pid = pid
        self.connection = connection
        self.server = server
        self._pidfd = pidfd
        self._kill_lock = threading.Lock()

    def is_alive(self) -> bool:
        with self._kill_lock:
            return self._pidfd >= 0 and not _exited(self._pidfd, 0)

    def kill(self) -> None:
        """SIGKILL it (freeing its CPU at once) and wait, briefly, for it to be gone.

        Once only: a second close of the pidfd could close a descriptor reusing its number.
        """
        with self._kill_lock:
            if self._pidfd < 0:
                return
            with contextlib.suppress(ProcessLookupError, OSError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            _exited(self._pidfd, 5000)
            os.close(self._pidfd)
            self._pidfd = -1
            self.connection.close()


class ForkServer:
    """The pool's handle on one fork server process, which holds the version at ``path``."""

    def __init__(
        self,
        context: SpawnContext,
        source: DatasetSource,
        limits: Limits,
        *,
        path: str | None,
        max_quads: int,
    ) -> None:
        """Start the process; it loads its copy meanwhile (``wait_ready`` waits for that)."""
        mine, theirs = socket.socketpair()
        self.path = path
        self._control = mine
        self._lock = threading.Lock()
        self._state: bytes | None = None
        self.workers = 0
        """Workers forked from this server that the pool has not yet ended (pool's lock)."""
        self._process = context.Process(
            target=run_fork_server,
            args=(theirs, source, limits, path, max_quads),
            name="policygraph-query-fork-server",
            daemon=True,
        )
        self._process.start()
        theirs.close()

    @property
    def in_memory(self) -> bool:
        """Whether it holds its version in memory (False until it is ready)."""
        return self._state == IN_MEMORY

    def wait_ready(self) -> None:
        """Wait until it has loaded its copy, or declined to."""
        with self._lock:
            self._wait_ready()

    def fork(self) -> ForkedWorker:
        with self._lock:
            self._wait_ready()
            try:
                self._control.sendall(FORK)
                message, fds, _, _ = socket.recv_fds(self._control, 16, 2)
            except OSError as exc:
                raise StoreError(f"the query fork server is gone: {exc}") from exc
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise StoreError("the query fork server is gone")
        pipe, pidfd = fds
        return ForkedWorker(int(message), pidfd, Connection(pipe), self)

    def is_alive(self) -> bool:
        return self._process.is_alive()

    def close(self) -> None:
        """End the server; the workers it forked live on until the pool ends them."""
        with contextlib.suppress(OSError):
            self._control.shutdown(socket.SHUT_RDWR)  # wakes a thread waiting for an answer
        self._control.close()  # the server exits when it reads the end of its socket
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)

    def _wait_ready(self) -> None:
        if self._state is not None:
            return
        try:
            answer = _receive_exactly(self._control, 1)
        except OSError:
            answer = b""
        if answer not in (IN_MEMORY, ON_DISK):
            raise StoreError("the query fork server failed to start; see the server log")
        self._state = answer


def run_fork_server(
    control: socket.socket,
    source: DatasetSource,
    limits: Limits,
    path: str | None,
    max_quads: int,
) -> None:
    """Load the version, then fork a worker per request until the pool closes the socket."""
    try:
        resident = load_resident(source, path, max_quads)
    except Exception:  # the workers can still read the version on disk: say why, and go on
        traceback.print_exc(file=sys.stderr)
        resident = None
    # From now on the kernel reaps the children (not before: the dump's exit status matters);
    # the pool ends the workers through their pidfds, and never waits for them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        control.sendall(ON_DISK if resident is None else IN_MEMORY)
    except OSError:
        return  # the pool closed while the version was loading
    while control.recv(1) == FORK:
        pipe, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                pipe.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                serve_jobs(Connection(theirs.detach()), source, limits, resident)
            finally:
                os._exit(0)
        theirs.close()
        pidfd = os.pidfd_open(pid)
        try:
            socket.send_fds(control, [str(pid).encode("ascii")], [pipe.fileno(), pidfd])
        finally:
            os.close(pidfd)
            pipe.close()


def load_resident(source: DatasetSource, path: str | None, max_quads: int) -> Resident | None:
    """The version at ``path`` copied into memory; None when it has more than ``max_quads``.

    A dataset given in memory is always copied.
    """
    if isinstance(source, InMemoryDataset):
        store = Store()
        store.load(source.nquads, format=RdfFormat.N_QUADS)
        return Resident(None, store)
    if path is None or max_quads <= 0:
        return None
    # The arguments are ours: this interpreter, our program, and the version's directory.
    dump = subprocess.Popen([sys.executable, "-c", _DUMP, path], stdout=subprocess.PIPE)  # noqa: S603
    assert dump.stdout is not None
    lines = _LineBound(dump.stdout, max_quads)
    store = Store()
    try:
        store.load(input=cast(IO[bytes], lines), format=RdfFormat.N_QUADS)  # it only reads
    except Exception:
        dump.kill()
        if not lines.exceeded:
            raise
        return None  # too large to copy: the workers read it on disk
    finally:
        dump.wait()
        dump.stdout.close()
    if dump.returncode != 0:  # the end of its output was not the end of the version
        raise StoreError(f"cannot read the store at {path} (exit {dump.returncode})")
    return Resident(path, store)


class _LineBound:
    """A reader of N-Quads that fails past ``max_lines`` lines (one quad per line)."""

    def __init__(self, stream: IO[bytes], max_lines: int) -> None:
        self._stream = stream
        self._left = max_lines
        self.exceeded = False

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._left -= data.count(b"\n")
        if self._left < 0:
            self.exceeded = True
            raise OSError("more quads than the in-memory bound")
        return data


def _exited(pidfd: int, wait_ms: int) -> bool:
    """Whether the process has ended, waiting up to ``wait_ms`` (a pidfd reads ready then)."""
    poller = select.poll()  # not select(): a busy web process has descriptors past FD_SETSIZE
    poller.register(pidfd, select.POLLIN)
    return bool(poller.poll(wait_ms))


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


__all__ = ["ForkServer", "ForkedWorker", "load_resident", "run_fork_server"]
