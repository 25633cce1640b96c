"""A pool of query worker processes: bounded, killable, streaming.

A job is made by ``prepare`` (its text read once, refusals made before any worker is asked:
``admission.py``). Each job runs in a long-lived worker process (``worker.py``) forked from the
fork server of the current version (``forkserver.py``), which holds it in memory when it is
small enough; the pools of a host's web workers share it (``copies.py``). The pool bounds
concurrency (a job waits at most ``queue_timeout`` for a free worker, then
``QueryOverloadedError``), enforces the time limit from outside (a worker past its deadline is
killed with SIGKILL, which is what frees its CPU, and replaced), and stops a query whose client
has gone (``Hangup``): a job holds its worker on a ``Lease`` (``lease.py``) until its answer
ends. When a new version is published it connects to (or starts) that version's fork server, in
the background, and then replaces its workers as they come back. Nothing here knows HTTP: the
web layer turns a ``StreamedResult`` into a response and closes it early when the client
disconnects, which kills its worker too."""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from policygraph.errors import QueryAbortedError, QueryOverloadedError, StoreError
from policygraph.query.admission import Formats, prepare_job
from policygraph.query.copies import ForkedWorker, ForkServer, HostCopies
from policygraph.query.dataset import DatasetSource, InMemoryDataset, VersionTracker
from policygraph.query.lease import Hangup, Lease, WorkerGoneError, WorkerStream, error_of
from policygraph.query.messages import (
    Complete,
    Limits,
    QueryJob,
    Streaming,
    decode_reply,
    encode_job,
)

logger = logging.getLogger(__name__)


class Chunks(Protocol):
    """A streamed body: its chunks, and ``close`` to end it early (which stops its evaluation)."""

    def __iter__(self) -> Iterator[bytes]: ...

    def __next__(self) -> bytes: ...

    def close(self) -> None: ...


@dataclass
class StreamedResult:
    """A result too large to buffer: its format, and its body as it is produced (by a worker,
    or by an external engine)."""

    format_name: str
    deterministic: bool
    chunks: Chunks


class QueryPool:
    """``size`` worker processes answering ``QueryJob``s on one dataset source.

    With ``memory_max_quads`` > 0, a version of at most that many quads is held in memory by its
    fork server, and its workers evaluate on that copy. The pool starts without waiting: its first
    workers read the store on disk while the copy loads in the background. The pools given
    the same ``copies`` directory (the web workers of one server) share the fork servers found
    there, and so one copy of each version; without one, the pool's servers are its own.
    """

    def __init__(
        self,
        source: DatasetSource,
        limits: Limits,
        *,
        size: int,
        queue_timeout: float,
        memory_max_quads: int = 0,
        copies: Path | None = None,
    ) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self._source = source
        self._queue_timeout = queue_timeout
        self._memory_max_quads = memory_max_quads
        # Each version read on disk gets an in-memory copy (if it is small enough).
        self._memory = memory_max_quads > 0 and not isinstance(source, InMemoryDataset)
        self._copies = HostCopies(copies)
        self._idle: queue.LifoQueue[ForkedWorker] = queue.LifoQueue()
        self._workers: set[ForkedWorker] = set()
        self._lock = threading.Lock()
        self._server_lock = threading.Lock()
        self._closed = False
        self._wanted: str | None = None
        """The last version a copy was asked for (the copy may be loading, or declined)."""
        self.size = size
        self.limits = limits
        """The policy every job is held to (``prepare``) and its workers apply."""
        self.killed = 0
        """Workers killed so far (timeouts, hang-ups, streams closed early)."""
        self.dispatched = 0
        """Jobs sent to a worker so far (a job sent again to a fresh worker counts twice)."""
        self.aborted = 0
        """Queries whose evaluation ended two workers (past their memory bound, or a crash)."""
        self._background: list[threading.Thread] = []
        self._started = False
        path = _current_path(source)
        # The first workers read the version on disk, from a server that loads nothing, so that
        # queries are answered at once; the copy follows in the background.
        self._server = self._start_server(path, max_quads=0)
        self._in_background(self._fill, path)

    @property
    def in_memory(self) -> bool:
        """Whether the workers evaluate on an in-memory copy of the current version."""
        return self._server.in_memory

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def ready(self) -> bool:
        """Whether a query can be given a worker now or in a moment: the first workers have
        started, the pool is open and its fork server runs. A worker being replaced (after a
        timeout, a hang-up, a crash) does not make a pool unready: its fork server forks
        another in milliseconds."""
        return self._started and not self._closed and self._server.is_alive()

    @property
    def loading(self) -> bool:
        """Whether workers are being started or a version copied into memory."""
        with self._lock:
            self._background = [thread for thread in self._background if thread.is_alive()]
            return bool(self._background)

    def prepare(
        self,
        query: str,
        default_graphs: tuple[str, ...] | None,
        named_graphs: tuple[str, ...] | None,
        formats: Formats,
        version_path: str | None,
    ) -> QueryJob:
        """The job for a query request, its text read once; QueryRefusedError if it is refused
        (see ``admission``). Its facts go with it to the inline lane or a worker."""
        return prepare_job(query, default_graphs, named_graphs, formats, version_path, self.limits)

    def execute(
        self, job: QueryJob, *, timeout: float, hangup: Hangup | None = None
    ) -> Complete | StreamedResult:
        """Run ``job``; a whole result, or one to stream. Errors of the tree are raised."""
        deadline = time.monotonic() + timeout
        if self._memory and job.version_path != self._wanted:
            self._follow(job.version_path)
        frame = encode_job(job)
        lease = self._lease(frame, deadline, timeout, hangup)
        try:
            try:
                first = lease.receive()
            except WorkerGoneError:
                # It died before answering (killed while idle, say): queries are read-only, so
                # the job can go to a fresh worker, once.
                lease.discard()
                lease = self._lease(frame, deadline, timeout, hangup)
                try:
                    first = lease.receive()
                except WorkerGoneError:
                    self.aborted += 1
                    raise QueryAbortedError(
                        "the query ended the process evaluating it, on a fresh one as well: it "
                        "needed more memory than query_memory_limit allows, or the query engine "
                        "failed on it; it was not answered"
                    ) from None
            reply = decode_reply(first)
        except BaseException:
            lease.discard()
            raise
        if isinstance(reply, Streaming):
            return StreamedResult(reply.format_name, reply.deterministic, WorkerStream(lease))
        lease.release()
        if isinstance(reply, Complete):
            return reply
        raise error_of(reply)

    def _lease(self, frame: bytes, deadline: float, timeout: float, hangup: Hangup | None) -> Lease:
        worker = self._send(frame)
        return Lease(
            worker,
            deadline=deadline,
            timeout=timeout,
            hangup=hangup,
            release=self._checkin,
            discard=self._discard,
        )

    def _send(self, frame: bytes) -> ForkedWorker:
        """Hand ``frame`` to a free worker; one that died while idle is replaced, once."""
        for attempt in (1, 2):
            worker = self._checkout()
            try:
                if not worker.is_alive():
                    raise OSError("the worker is gone")
                worker.connection.send_bytes(frame)
            except OSError:
                self._discard(worker)
                if attempt == 2:
                    raise StoreError("the query workers stopped unexpectedly") from None
            else:
                self.dispatched += 1
                return worker
        raise AssertionError("unreachable")

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(worker.pid for worker in self._workers)

    @property
    def idle(self) -> int:
        return self._idle.qsize()

    def close(self) -> None:
        """Stop every worker (idle or busy) and the fork server."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
        for worker in workers:
            self._end(worker)
        self._server.close()
        self._copies.close()

    def _start_server(self, path: str | None, max_quads: int) -> ForkServer:
        return self._copies.connect(self._source, self.limits, path, max_quads)

    def _fill(self, path: str | None) -> None:
        """Start the workers, then the in-memory copy of the current version."""
        try:
            for _ in range(self.size):
                self._idle.put(self._start())
                self._started = True
        except StoreError:
            if not self._closed:
                logger.exception("the query workers did not start")
            return
        if self._memory and path is not None:
            self._follow(path)

    def _start(self) -> ForkedWorker:
        server = self._server
        try:
            worker = server.fork()
        except StoreError:
            if self._closed:
                raise
            # The fork server died (killed by hand, out of memory): start another, once.
            logger.warning("the query fork server stopped; starting another")
            worker = self._restart_server(server).fork()
        with self._lock:
            closed = self._closed
            if not closed:
                self._workers.add(worker)
                worker.server.workers += 1
        if closed:
            worker.kill()
            raise StoreError("the query pool is closed")
        return worker

    def _restart_server(self, dead: ForkServer) -> ForkServer:
        with self._server_lock:
            if self._server is dead and not self._closed:
                dead.close()
                self._server = self._start_server(dead.path, self._memory_max_quads)
            return self._server

    def _follow(self, path: str | None) -> None:
        """Load the version at ``path`` in a new fork server, in the background."""
        with self._lock:
            if self._closed or path == self._wanted:
                return
            self._wanted = path
        self._in_background(self._load_version, path)

    def _in_background(self, work: Callable[[str | None], None], path: str | None) -> None:
        thread = threading.Thread(target=work, args=(path,), name="policygraph-pool", daemon=True)
        # Started under the lock: ``loading`` keeps only the living threads, and one listed but
        # not yet started would be dropped as if it had ended.
        with self._lock:
            self._background.append(thread)
            thread.start()

    def _load_version(self, path: str | None) -> None:
        """Swap in the fork server of ``path``, then replace the idle workers of the old one.

        Until then the workers answer that version's queries on disk. A version too large to
        copy gets a fork server all the same (the old one's copy is freed once no pool holds
        it); one that fails to start is logged, and not tried again for that version.
        """
        server = self._start_server(path, self._memory_max_quads)
        try:
            server.wait_ready()
        except StoreError:
            logger.exception("cannot load the store version %s; queries read it on disk", path)
            server.close()
            return
        with self._server_lock, self._lock:
            current = not self._closed and self._wanted == path
            if current:
                old, self._server = self._server, server
        if not current:  # closed, or a newer version was published meanwhile
            server.close()
            return
        self._close_if_unused(old)
        idle = []
        while True:  # take them all first: a replacement goes back on top of the queue
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in idle:
            self._checkin(worker)

    def _checkout(self) -> ForkedWorker:
        if self._closed:
            raise StoreError("the query pool is closed")
        try:
            return self._idle.get(timeout=self._queue_timeout)
        except queue.Empty:
            raise QueryOverloadedError(
                f"all {self.size} query slots stayed busy for {self._queue_timeout:g} s; "
                "try again shortly",
                retry_after=max(1, math.ceil(self._queue_timeout)),
            ) from None

    def _checkin(self, worker: ForkedWorker) -> None:
        """Take a worker back: idle, or replaced when its fork server holds an older version."""
        if self._closed:
            self._end(worker)
        elif worker.server is not self._server:
            self._end(worker)
            self._replace()
        else:
            self._idle.put(worker)

    def _discard(self, worker: ForkedWorker) -> None:
        """Kill a worker whose job cannot finish cleanly, and start its replacement."""
        with self._lock:
            known = worker in self._workers
            self.killed += 1
        self._end(worker)
        if known:
            self._replace()

    def _replace(self) -> None:
        """Start a worker in the place of one that ended, unless the pool closes meanwhile (the
        closing thread may end the pool between a check of ``_closed`` and the fork)."""
        try:
            worker = self._start()
        except StoreError:
            if self._closed:
                return
            raise
        self._idle.put(worker)

    def _end(self, worker: ForkedWorker) -> None:
        """Kill a worker; close its fork server if that is no longer needed."""
        with self._lock:
            ours = worker in self._workers
            if ours:
                self._workers.discard(worker)
                worker.server.workers -= 1
        if ours:  # else another thread (closing the pool, say) has ended it
            worker.kill()
            self._close_if_unused(worker.server)

    def _close_if_unused(self, server: ForkServer) -> None:
        with self._lock:
            unused = server is not self._server and server.workers == 0
        if unused:
            server.close()


def _current_path(source: DatasetSource) -> str | None:
    """The directory of the source's current version (None in memory, or none published yet)."""
    try:
        path = VersionTracker(source).current().path
    except StoreError:
        return None
    return None if path is None else str(path)


__all__ = ["QueryPool", "StreamedResult"]
