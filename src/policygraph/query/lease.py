"""A worker leased for one job: its deadline, the client to watch, and its return.

A job in flight owns the worker that runs it until the answer has been read to its end. Every
frame is awaited under the job's deadline while the client is watched for going away; and the
worker goes back to the pool exactly once, idle when its answer ended cleanly, killed (and
replaced) when it did not: a timeout, a hang-up, an error, or a stream closed early.
"""

from __future__ import annotations

import math
import select
import time
from collections.abc import Callable
from typing import Protocol

from policygraph import errors
from policygraph.errors import (
    PolicygraphError,
    QueryCancelledError,
    QueryOverloadedError,
    QueryTimeoutError,
    StoreError,
)
from policygraph.query.copies import ForkedWorker
from policygraph.query.messages import DATA, Failure, Finished, Reply, decode_reply


class Hangup(Protocol):
    """Something to watch for the client going away: readable when it may have, and a check."""

    def fileno(self) -> int: ...

    def hung_up(self) -> bool: ...


class WorkerGoneError(StoreError):
    """A query worker's pipe closed: the process died."""


Return = Callable[[ForkedWorker], None]


class Lease:
    """One worker for one job, until ``release`` (it answered cleanly) or ``discard`` (kill it)."""

    def __init__(
        self,
        worker: ForkedWorker,
        *,
        deadline: float,
        timeout: float,
        hangup: Hangup | None,
        release: Return,
        discard: Return,
    ) -> None:
        self._worker = worker
        self._deadline = deadline
        self._timeout = timeout
        self._hangup = hangup
        self._release = release
        self._discard = discard
        self._ended = False

    def receive(self) -> bytes:
        """The next frame from the worker; stops at the deadline, or when the client has gone."""
        worker = self._worker
        connection = worker.connection.fileno()
        poller = select.poll()  # cheaper than multiprocessing's wait(), on the hot path
        poller.register(connection, select.POLLIN)
        client = None
        if self._hangup is not None:
            client = self._hangup.fileno()
            poller.register(client, select.POLLIN)
        while True:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeoutError(
                    f"the query was stopped after {self._timeout:g} s (query_timeout)"
                )
            ready = {fd for fd, _ in poller.poll(math.ceil(remaining * 1000))}
            if connection in ready:
                try:
                    return worker.connection.recv_bytes()
                except (EOFError, OSError):
                    raise WorkerGoneError("the query worker stopped unexpectedly") from None
            if client is not None and client in ready:
                assert self._hangup is not None
                if self._hangup.hung_up():
                    raise QueryCancelledError("the client closed the connection")
                poller.unregister(client)  # it sent more (pipelining): stop watching it
                client = None

    def release(self) -> None:
        """The answer ended cleanly: the worker goes back to the pool."""
        self._end(self._release)

    def discard(self) -> None:
        """The answer cannot end cleanly: the worker is killed and replaced."""
        self._end(self._discard)

    def _end(self, how: Return) -> None:
        if not self._ended:
            self._ended = True
            how(self._worker)


class WorkerStream:
    """The body of a streamed result, read from its worker frame by frame.

    The worker goes back to the pool when the body ends; an error, a hang-up or ``close``
    before the end kills it. (A class, not a generator: closing a generator that never started
    runs none of its clean-up, and a HEAD request never starts its body.)
    """

    def __init__(self, lease: Lease) -> None:
        self._lease = lease
        self._done = False

    def __iter__(self) -> WorkerStream:
        return self

    def __next__(self) -> bytes:
        if self._done:
            raise StopIteration
        try:
            frame = self._lease.receive()
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
        raise error_of(reply)

    def close(self) -> None:
        if not self._done:
            self._end(finished=False)

    def _end(self, *, finished: bool) -> None:
        self._done = True
        if finished:
            self._lease.release()
        else:
            self._lease.discard()


def error_of(reply: Reply) -> PolicygraphError:
    """The error a worker reported, as the class of the tree it named (a store fault otherwise);
    or the error of a reply that came out of turn."""
    if not isinstance(reply, Failure):
        return StoreError(f"the query worker answered out of turn: {type(reply).__name__}")
    cls = getattr(errors, reply.error, None)
    if isinstance(cls, type) and issubclass(cls, _REPORTABLE) and cls is not QueryOverloadedError:
        return cls(reply.message)
    return StoreError(reply.message)


_REPORTABLE = (errors.QueryError, errors.StoreError, errors.UnsupportedFormatError)


__all__ = ["Hangup", "Lease", "WorkerGoneError", "WorkerStream", "error_of"]
