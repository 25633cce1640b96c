"""A query sent to an external engine: one HTTP request, bounded by a deadline and the client.

The endpoint forwards a query on the thread that would otherwise wait on a query worker, so the
request is a plain blocking one (``engine_http.py``, keep-alive connections kept per engine),
watched from outside: one watchdog thread per process holds every request's deadline and the
client's hang-up pipe, and shuts the request's socket when either comes first. Shutting the
socket is what wakes a thread blocked in ``recv``, and what tells the engine to stop: the engine
sees its client go, as it would if our client had called it directly (Virtuoso is also given
its own ``timeout`` parameter, and stops the query itself).
"""

from __future__ import annotations

import collections
import contextlib
import heapq
import io
import itertools
import math
import os
import selectors
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

from policygraph.errors import (
    PolicygraphError,
    QueryCancelledError,
    QueryTimeoutError,
    StoreError,
)
from policygraph.query.engine_http import EngineConnection, EngineResponse
from policygraph.query.lease import Hangup

IDLE_CONNECTIONS = 16
"""Keep-alive connections kept per engine replica, per process."""


HANGUP_GRACE = 0.05
"""Seconds a request runs before its client's hang-up pipe is watched: most answers come
sooner, and then cost the watchdog nothing (no selector registration, no wake-up)."""


@dataclass(eq=False)
class _Watched:
    deadline: float
    listen_at: float
    """When to start watching the hang-up pipe (``HANGUP_GRACE`` after the request began)."""
    sock: socket.socket | None = None
    hangup: Hangup | None = None
    fired: str = ""
    """Why the socket was shut: "deadline" or "hangup"; empty while it runs."""
    done: bool = False
    listening: bool = False
    """The hang-up pipe is registered with the selector."""


class Watchdog:
    """One thread shutting the sockets of requests past their deadline or whose client left.

    A request costs it no system call and no wake-up unless it lasts: the thread is woken only
    when a request's deadline comes before the time it already means to look again, and a
    client's hang-up pipe is watched only once the request has run ``HANGUP_GRACE`` seconds.
    Released entries stay in the heap until their deadline comes up, or until they outnumber
    the live ones and the heap is rebuilt without them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._heap: list[tuple[float, int, _Watched]] = []
        self._live = 0
        self._unheard: collections.deque[_Watched] = collections.deque()
        """Entries with a hang-up pipe not yet watched, in the order they began."""
        self._looks_at = math.inf
        """When the thread will look again (infinity: not until woken)."""
        self._tokens = itertools.count()
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = os.pipe()
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        self._thread = threading.Thread(target=self._run, name="policygraph-upstream", daemon=True)
        self._thread.start()

    def watch(self, deadline: float, hangup: Hangup | None) -> _Watched:
        listen_at = math.inf if hangup is None else time.monotonic() + HANGUP_GRACE
        entry = _Watched(deadline, listen_at, hangup=hangup)
        soonest = min(deadline, listen_at)
        with self._lock:
            heap = self._heap
            if len(heap) > 2 * self._live + 64:  # mostly released entries: rebuilt, amortized
                heap[:] = [item for item in heap if not item[2].done]
                heapq.heapify(heap)
            heapq.heappush(heap, (deadline, next(self._tokens), entry))
            self._live += 1
            if hangup is not None:
                self._unheard.append(entry)
            wake = soonest < self._looks_at
            if wake:
                self._looks_at = soonest
        if wake:
            os.write(self._wake_write, b".")
        return entry

    def attach(self, entry: _Watched, sock: socket.socket) -> None:
        """The socket to shut for ``entry``: shut at once if its time has already come."""
        with self._lock:
            entry.sock = sock
            fired = bool(entry.fired)
        if fired:
            _shut(sock)

    def release(self, entry: _Watched) -> None:
        with self._lock:
            if entry.done:
                return
            entry.done, entry.sock = True, None
            self._live -= 1
            if entry.listening:
                self._stop_listening(entry)

    def _run(self) -> None:
        while True:
            due = self._due()
            for entry in due:
                self._fire(entry, "deadline")
            with self._lock:
                soonest = self._looks_at = self._next_look()
            wait = None if soonest == math.inf else max(0.0, soonest - time.monotonic())
            for key, _ in self._selector.select(wait):
                if key.data is None:
                    os.read(self._wake_read, 4096)
                elif key.data.hangup is not None and key.data.hangup.hung_up():
                    self._fire(key.data, "hangup")

    def _due(self) -> list[_Watched]:
        """Entries past their deadline (taken out of the heap); hang-up pipes now watched."""
        now = time.monotonic()
        due = []
        with self._lock:
            heap = self._heap
            while heap and (heap[0][2].done or heap[0][0] <= now):
                entry = heapq.heappop(heap)[2]
                if not entry.done:
                    due.append(entry)
            unheard = self._unheard
            while unheard and (unheard[0].done or unheard[0].listen_at <= now):
                entry = unheard.popleft()
                if not entry.done and not entry.fired and entry.hangup is not None:
                    self._listen(entry, entry.hangup)
        return due

    def _next_look(self) -> float:
        soonest = self._heap[0][0] if self._heap else math.inf
        if self._unheard:
            soonest = min(soonest, self._unheard[0].listen_at)
        return soonest

    def _fire(self, entry: _Watched, why: str) -> None:
        with self._lock:
            if entry.done or entry.fired:
                return
            entry.fired = why
            sock = entry.sock
            if entry.listening:
                self._stop_listening(entry)
        if sock is not None:
            _shut(sock)

    def _listen(self, entry: _Watched, hangup: Hangup) -> None:
        try:
            self._selector.register(hangup.fileno(), selectors.EVENT_READ, entry)
        except (KeyError, OSError, ValueError):
            # The pipe is gone, or already watched for an entry not released: its request's
            # deadline still bounds it.
            return
        entry.listening = True

    def _stop_listening(self, entry: _Watched) -> None:
        entry.listening = False
        assert entry.hangup is not None
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(entry.hangup.fileno())


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing waits on it
        sock.shutdown(socket.SHUT_RDWR)


_watchdog: Watchdog | None = None
_watchdog_lock = threading.Lock()


def watchdog() -> Watchdog:
    """This process's watchdog (started on first use: after gunicorn forked the worker)."""
    global _watchdog
    with _watchdog_lock:
        if _watchdog is None:
            _watchdog = Watchdog()
        return _watchdog


class Connections:
    """Keep-alive connections to one engine, taken by a request and given back when it ends."""

    def __init__(self, url: str, connect_timeout: float) -> None:
        parts = urlsplit(url)
        self.path = parts.path or "/"
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._connect_timeout = connect_timeout
        self._idle: list[EngineConnection] = []
        self._lock = threading.Lock()
        self._closed = False

    def take(self, *, reused: bool = True) -> EngineConnection:
        """A kept connection (unless ``reused`` is false), else a new one, not yet connected."""
        with self._lock:
            if reused and self._idle:
                return self._idle.pop()
        return EngineConnection(
            self._host, self._port, tls=self._https, connect_timeout=self._connect_timeout
        )

    def give_back(self, connection: EngineConnection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < IDLE_CONNECTIONS:
                self._idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        """Close the kept connections (one in use is closed when its request ends)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class Upstream:
    """The engine's answer to one request: status, headers, and its body read in chunks."""

    def __init__(
        self,
        connections: Connections,
        body: bytes,
        headers: Mapping[str, str],
        *,
        deadline: float,
        hangup: Hangup | None,
    ) -> None:
        self._connections = connections
        self._dog = watchdog()
        self._entry = self._dog.watch(deadline, hangup)
        self._connection: EngineConnection
        self._ended = False
        self._kept = False
        try:
            try:
                self.response = self._send(body, headers, deadline, reused=True)
            except OSError:
                if not self._kept or self._entry.fired:
                    raise
                # A kept connection the engine had closed meanwhile: once more on a fresh one.
                self.response = self._send(body, headers, deadline, reused=False)
        except (OSError, ValueError) as exc:
            self._fail()
            raise self._error(exc) from exc

    def _send(
        self, body: bytes, headers: Mapping[str, str], deadline: float, *, reused: bool
    ) -> EngineResponse:
        self._connection = self._connections.take(reused=reused)
        sock = self._connection.sock
        self._kept = sock is not None
        if sock is None:
            sock = self._connection.connect()
        # The watchdog bounds the whole answer; the socket's own timeout is a backstop.
        sock.settimeout(max(1.0, deadline - time.monotonic() + 5))
        self._dog.attach(self._entry, sock)
        try:
            return self._connection.post(self._connections.path, headers, body)
        except BaseException:
            self._connection.close()
            raise

    @property
    def status(self) -> int:
        return self.response.status

    def header(self, name: str) -> str:
        return self.response.header(name)

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes of the body; empty at its end (and the request is over)."""
        try:
            data = self.response.read1(size) if size else b""
        except OSError as exc:
            self._fail()
            raise self._error(exc) from exc
        if not data:
            if self._entry.fired:  # shut by the watchdog: the end is not the body's end
                self._fail()
                raise self._error(None)
            self._end()
        return data

    def close(self) -> None:
        """Stop reading: an unfinished answer's connection is closed (the engine sees it go)."""
        if not self._ended:
            self._fail()

    def _end(self) -> None:
        self._ended = True
        self._dog.release(self._entry)
        if self.response.will_close:
            self._connection.close()
        else:
            self._connections.give_back(self._connection)

    def _fail(self) -> None:
        self._ended = True
        self._dog.release(self._entry)
        self._connection.close()

    def _error(self, exc: BaseException | None) -> PolicygraphError:
        why = self._entry.fired
        if why == "deadline":
            return QueryTimeoutError("the query ran past its time limit and was stopped")
        if why == "hangup":
            return QueryCancelledError("the client went away; its query was stopped")
        return StoreError(f"the engine did not answer: {exc}")


class UpstreamFile(io.RawIOBase):
    """An upstream body as a binary file, for pyoxigraph's parsers (which read streams)."""

    def __init__(self, upstream: Upstream) -> None:
        self._upstream = upstream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._upstream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._upstream.close()
        super().close()


def upstream_file(upstream: Upstream) -> IO[bytes]:
    """The body of ``upstream`` as a buffered binary file; closing it ends the request."""
    return io.BufferedReader(UpstreamFile(upstream), 65_536)


__all__ = ["Connections", "Upstream", "UpstreamFile", "Watchdog", "upstream_file", "watchdog"]
