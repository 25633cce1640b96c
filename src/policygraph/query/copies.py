"""Where a pool finds the fork server of a version: one per host, shared by every web worker.

The fork servers of a host (``query/forkserver.py``) listen on Unix sockets in one private
directory (0700), a socket per version and bound: ``policygraph serve`` makes the directory
before gunicorn forks the web workers, and a pool given none makes one of its own. A pool that
needs a version connects to its socket; when nobody listens there it starts the server itself,
under a lock on a file beside the socket, so that the web workers starting together, or seeing a
new version together, start one server and load one copy. The lock is held only while the
socket is bound and the process started, never while the version loads: the others connect
meanwhile and wait for its answer. A server that died (killed, out of memory) refuses
connections, and the next pool to need it starts another the same way.

Who starts a server is its parent, and reaps it (a thread waits for it); when that web worker
ends first, the server lives on for the others (it is in no one's way: it ends when its last
pool has gone).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from policygraph.errors import StoreError
from policygraph.query.dataset import DatasetSource, InMemoryDataset
from policygraph.query.forkserver import FORK, HELLO, IN_MEMORY, MAIN, ON_DISK
from policygraph.query.messages import Limits

RUNTIME_PREFIX = "policygraph-copies-"


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
    """A pool's connection to the fork server that holds the version at ``path``."""

    def __init__(self, connection: socket.socket, path: str | None) -> None:
        self.path = path
        self._control = connection
        self._lock = threading.Lock()
        self._state: bytes | None = None
        self.pid = 0
        """The server's process (known once it is ready)."""
        self.workers = 0
        """Workers forked from this server that the pool has not yet ended (pool's lock)."""

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
        """Whether the server still holds its end (it never writes unasked, so a hang-up or an
        error on the connection is its end)."""
        poller = select.poll()
        poller.register(self._control, select.POLLRDHUP)
        return not poller.poll(0)

    def close(self) -> None:
        """Let go of the server (it ends when no pool holds it); the workers it forked live on
        until the pool ends them."""
        with contextlib.suppress(OSError):
            self._control.shutdown(socket.SHUT_RDWR)  # wakes a thread waiting for an answer
        self._control.close()

    def _wait_ready(self) -> None:
        if self._state is not None:
            return
        try:
            answer = _receive_exactly(self._control, HELLO.size)
        except OSError:
            answer = b""
        if len(answer) != HELLO.size:
            raise StoreError("the query fork server failed to start; see the server log")
        state, pid = HELLO.unpack(answer)
        if state not in (IN_MEMORY, ON_DISK):
            raise StoreError("the query fork server answered out of turn")
        self._state, self.pid = state, pid


class HostCopies:
    """The fork servers of one host, found (or started) by their socket in ``directory``.

    Without a directory, the pool's own: made now, removed by ``close`` (a server it started
    ends once the pool has let go of it).
    """

    def __init__(self, directory: Path | None = None) -> None:
        self._own = directory is None
        self.directory = (
            Path(tempfile.mkdtemp(prefix=RUNTIME_PREFIX)) if directory is None else directory
        )
        self._started: list[subprocess.Popen[bytes]] = []

    def connect(
        self, source: DatasetSource, limits: Limits, path: str | None, max_quads: int
    ) -> ForkServer:
        """A connection to the server of this version and bound; started when none runs."""
        name = _server_name(source, path, max_quads)
        address = self.directory / f"{name}.sock"
        with contextlib.suppress(OSError):
            return ForkServer(_connect(address), path)
        try:
            with _locked(self.directory / f"{name}.lock"):
                with contextlib.suppress(OSError):  # another web worker started it meanwhile
                    return ForkServer(_connect(address), path)
                with contextlib.suppress(FileNotFoundError):
                    address.unlink()  # the socket of a server that died
                self._start(address, (source, limits, path, max_quads))
                return ForkServer(_connect(address), path)
        except OSError as exc:  # the directory is gone (the server is stopping), or full
            raise StoreError(f"cannot start or reach the query fork server: {exc}") from exc

    def close(self) -> None:
        """When the directory is the pool's own, wait for the servers it started (they end once
        the pool has let go of them) and remove it; reap the servers that have ended."""
        if self._own:
            for process in self._started:
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            shutil.rmtree(self.directory, ignore_errors=True)
        self._started = []

    def _start(self, address: Path, arguments: tuple[object, ...]) -> None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(address))
            listener.listen(64)  # pools connect from now on, and wait for the copy
            # Our interpreter and our program; the listening socket is inherited.
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", MAIN, str(listener.fileno())],
                stdin=subprocess.PIPE,
                pass_fds=[listener.fileno()],
            )
        finally:
            listener.close()
        assert process.stdin is not None
        with process.stdin:
            pickle.dump(arguments, process.stdin)
        if self._own:
            self._started.append(process)
        # Reaped as soon as it ends, by a thread that waits for it: the server outlives the pool
        # that started it while other pools use it, and must not linger as a zombie after.
        threading.Thread(target=process.wait, name="policygraph-reaper", daemon=True).start()


def private_runtime_dir() -> Path:
    """A new directory for the fork servers' sockets, readable by this user only: in
    ``XDG_RUNTIME_DIR`` when there is one (memory, and private), else the temporary folder."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    parent = base if base and os.path.isdir(base) else None
    return Path(tempfile.mkdtemp(prefix=RUNTIME_PREFIX, dir=parent))


def _server_name(source: DatasetSource, path: str | None, max_quads: int) -> str:
    version = source.version if isinstance(source, InMemoryDataset) else ""
    key = f"{type(source).__name__}\0{path}\0{max_quads}\0{version}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]  # a socket's path is short (108 bytes)


def _connect(address: Path) -> socket.socket:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(address))
    except OSError:
        connection.close()
        raise
    return connection


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


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


__all__ = ["ForkServer", "ForkedWorker", "HostCopies", "private_runtime_dir"]
