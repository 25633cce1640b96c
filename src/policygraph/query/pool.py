"""A pool of query worker processes: bounded, killable, streaming.

Each job runs in a long-lived worker process (``worker.py``). The pool bounds concurrency (a job
waits at most ``queue_timeout`` for a free worker, then ``QueryOverloadedError``), enforces the
time limit from outside (a worker past its deadline is killed with SIGKILL, which is what frees
its CPU, and replaced), and stops a query whose client has gone (``Hangup``). Nothing here knows
HTTP: the web layer turns a ``StreamedResult`` into a response and closes it early when the client
disconnects, which kills its worker too.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import select
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Protocol

from policygraph import errors
from policygraph.errors import (
    PolicygraphError,
    QueryCancelledError,
    QueryOverloadedError,
    QueryTimeoutError,
    StoreError,
)
from policygraph.query.dataset import DatasetSource
from policygraph.query.messages import (
    DATA,
    Complete,
    Failure,
    Finished,
    Limits,
    QueryJob,
    Streaming,
    decode_reply,
    encode_job,
)
from policygraph.query.worker import serve_jobs


class Hangup(Protocol):
    """Something to watch for the client going away: readable when it may have, and a check."""

    def fileno(self) -> int: ...

    def hung_up(self) -> bool: ...


class WorkerStream:
    """The body of a streamed result, read from its worker frame by frame.

    The worker goes back to the pool when the body ends; an error, a hang-up or ``close``
    before the end kills it. (A class, not a generator: closing a generator that never started
    runs none of its clean-up, and a HEAD request never starts its body.)
    """

    def __init__(
        self,
        pool: QueryPool,
        worker: _Worker,
        deadline: float,
        hangup: Hangup | None,
        timeout: float,
    ) -> None:
        self._pool = pool
        self._worker = worker
        self._deadline = deadline
        self._hangup = hangup
        self._timeout = timeout
        self._done = False

    def __iter__(self) -> WorkerStream:
        return self

    def __next__(self) -> bytes:
        if self._done:
            raise StopIteration
        try:
            frame = self._pool._receive(self._worker, self._deadline, self._hangup, self._timeout)
        except BaseException:
            self._end(finished=False)
            raise
        if frame[:1] == DATA:
            return frame[1:]
        reply = decode_reply(frame)
        if isinstance(reply, Finished):
            self._end(finished=True)
            raise StopIteration
        self._end(finished=False)
        if isinstance(reply, Failure):
            raise _error_of(reply)
        raise StoreError(f"the query worker answered out of turn: {type(reply).__name__}")

    def close(self) -> None:
        if not self._done:
            self._end(finished=False)

    def _end(self, *, finished: bool) -> None:
        self._done = True
        if finished:
            self._pool._checkin(self._worker)
        else:
            self._pool._discard(self._worker)


@dataclass
class StreamedResult:
    """A result too large to buffer: its format, and its body as the worker produces it."""

    format_name: str
    deterministic: bool
    chunks: WorkerStream


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection


class QueryPool:
    """``size`` worker processes answering ``QueryJob``s on one dataset source."""

    def __init__(
        self,
        source: DatasetSource,
        limits: Limits,
        *,
        size: int,
        queue_timeout: float,
    ) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self._source = source
        self._limits = limits
        self._queue_timeout = queue_timeout
        # spawn, not fork: the web process has threads, and a worker must not inherit them.
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.size = size
        self.killed = 0
        """Workers killed so far (timeouts, hang-ups, streams closed early)."""
        for _ in range(size):
            self._idle.put(self._start())

    def execute(
        self, job: QueryJob, *, timeout: float, hangup: Hangup | None = None
    ) -> Complete | StreamedResult:
        """Run ``job``; a whole result, or one to stream. Errors of the tree are raised."""
        deadline = time.monotonic() + timeout
        frame = encode_job(job)
        worker = self._send(frame)
        try:
            try:
                first = self._receive(worker, deadline, hangup, timeout)
            except WorkerGoneError:
                # It died before answering (killed while idle, say): queries are read-only, so
                # the job can go to a fresh worker, once.
                self._discard(worker)
                worker = self._send(frame)
                first = self._receive(worker, deadline, hangup, timeout)
            reply = decode_reply(first)
        except BaseException:
            self._discard(worker)
            raise
        if isinstance(reply, Complete):
            self._checkin(worker)
            return reply
        if isinstance(reply, Streaming):
            chunks = WorkerStream(self, worker, deadline, hangup, timeout)
            return StreamedResult(reply.format_name, reply.deterministic, chunks)
        self._checkin(worker)
        if isinstance(reply, Failure):
            raise _error_of(reply)
        raise StoreError(f"the query worker answered out of turn: {type(reply).__name__}")

    def _send(self, frame: bytes) -> _Worker:
        """Hand ``frame`` to a free worker; one that died while idle is replaced, once."""
        for attempt in (1, 2):
            worker = self._checkout()
            try:
                if not worker.process.is_alive():
                    raise OSError("the worker is gone")
                worker.connection.send_bytes(frame)
            except OSError:
                self._discard(worker)
                if attempt == 2:
                    raise StoreError("the query workers stopped unexpectedly") from None
            else:
                return worker
        raise AssertionError("unreachable")

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.process.pid is not None)

    @property
    def idle(self) -> int:
        return self._idle.qsize()

    def close(self) -> None:
        """Stop every worker (idle or busy)."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            _kill(worker)

    def _start(self) -> _Worker:
        mine, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=serve_jobs,
            args=(theirs, self._source, self._limits),
            name="policygraph-query-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _checkout(self) -> _Worker:
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

    def _checkin(self, worker: _Worker) -> None:
        if self._closed:
            _kill(worker)
        else:
            self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker whose job cannot finish cleanly, and start its replacement."""
        with self._lock:
            known = worker in self._workers
            self._workers.discard(worker)
            self.killed += 1
        _kill(worker)
        if known and not self._closed:
            self._idle.put(self._start())

    def _receive(
        self, worker: _Worker, deadline: float, hangup: Hangup | None, timeout: float
    ) -> bytes:
        """The next frame from the worker; stops at the deadline, or when the client has gone."""
        connection = worker.connection.fileno()
        poller = select.poll()  # cheaper than multiprocessing's wait(), on the hot path
        poller.register(connection, select.POLLIN)
        client = None
        if hangup is not None:
            client = hangup.fileno()
            poller.register(client, select.POLLIN)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeoutError(
                    f"the query was stopped after {timeout:g} s (query_timeout)"
                )
            ready = {fd for fd, _ in poller.poll(math.ceil(remaining * 1000))}
            if connection in ready:
                try:
                    return worker.connection.recv_bytes()
                except (EOFError, OSError):
                    raise WorkerGoneError("the query worker stopped unexpectedly") from None
            if client is not None and client in ready:
                assert hangup is not None
                if hangup.hung_up():
                    raise QueryCancelledError("the client closed the connection")
                poller.unregister(client)  # it sent more (pipelining): stop watching it
                client = None


class WorkerGoneError(StoreError):
    """A query worker's pipe closed: the process died."""


def _kill(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join(5)
    worker.connection.close()


def _error_of(failure: Failure) -> PolicygraphError:
    """The error a worker reported, as the class of the tree it named (a store fault otherwise)."""
    cls = getattr(errors, failure.error, None)
    if isinstance(cls, type) and issubclass(cls, _REPORTABLE) and cls is not QueryOverloadedError:
        return cls(failure.message)
    return StoreError(failure.message)


_REPORTABLE = (errors.QueryError, errors.StoreError, errors.UnsupportedFormatError)


__all__ = ["Hangup", "QueryPool", "StreamedResult", "WorkerStream"]
