"""One request to an engine (``Upstream``), against a real HTTP server on loopback: answers with
a length, in chunks or until the connection closes; kept connections; and the watchdog's two
reasons to shut a request's socket, its deadline and its client's hang-up."""

from __future__ import annotations

import os
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from policygraph.errors import QueryCancelledError, QueryTimeoutError, StoreError
from policygraph.query.upstream import Connections, Upstream, Watchdog

Answer = Callable[[bytes], bytes | None]
"""The bytes to write for a request's body; None: write nothing and hold the connection."""

FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/plain"}


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.server.connections += 1
        while True:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                line = self.rfile.readline()
                if not line:
                    return
                head += line
            self.server.heads.append(head)
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            answer = self.server.answer(self.rfile.read(length))
            if answer is None:
                self.server.held.wait(30)
                return
            self.wfile.write(answer)
            self.wfile.flush()
            if self.server.close_after:
                return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, answer: Answer, *, close_after: bool) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.close_after = close_after
        self.connections = 0
        self.heads: list[bytes] = []
        self.held = threading.Event()


@contextmanager
def engine(answer: Answer, *, close_after: bool = False) -> Iterator[tuple[_Server, Connections]]:
    """A server answering ``answer``, and the kept connections to it (closed at the end)."""
    server = _Server(answer, close_after=close_after)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    connections = Connections(f"http://{host}:{port}/query", connect_timeout=5)
    try:
        yield server, connections
    finally:
        connections.close()
        server.held.set()
        server.shutdown()
        server.server_close()


def body_of(answer: Upstream) -> bytes:
    body = b""
    while data := answer.read(7):
        body += data
    return body


def sized(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def test_a_request_is_one_post_and_its_connection_is_kept_for_the_next() -> None:
    with engine(lambda body: sized(b"echo " + body)) as (server, connections):
        for n in range(3):
            answer = Upstream(
                connections, b"query=%d" % n, FORM, deadline=time.monotonic() + 10, hangup=None
            )
            expected = b"echo query=%d" % n
            assert (answer.status, answer.header("content-LENGTH")) == (200, str(len(expected)))
            assert body_of(answer) == expected
    assert server.connections == 1
    assert server.heads[0].startswith(b"POST /query HTTP/1.1\r\n")
    assert b"\r\nAccept: text/plain\r\n" in server.heads[0]


def test_a_chunked_answer_is_read_whole_and_one_until_the_close_too() -> None:
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunked += b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    with engine(lambda _: chunked) as (server, connections):
        answer = Upstream(connections, b"q", FORM, deadline=time.monotonic() + 10, hangup=None)
        assert body_of(answer) == b"hello world"
    unsized = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"x" * 100_000
    with engine(lambda _: unsized, close_after=True) as (server, connections):
        for _ in range(2):
            answer = Upstream(connections, b"q", FORM, deadline=time.monotonic() + 10, hangup=None)
            assert body_of(answer) == b"x" * 100_000
    assert server.connections == 2


def test_an_answer_cut_short_of_its_length_is_an_error_of_the_store() -> None:
    cut = b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort"
    with engine(lambda _: cut, close_after=True) as (_, connections):
        answer = Upstream(connections, b"q", FORM, deadline=time.monotonic() + 10, hangup=None)
        with pytest.raises(StoreError, match="mid-answer"):
            body_of(answer)


def test_a_kept_connection_the_engine_closed_is_replaced_at_once() -> None:
    with engine(lambda body: sized(body), close_after=True) as (server, connections):
        for n in range(3):
            answer = Upstream(
                connections, b"%d" % n, FORM, deadline=time.monotonic() + 10, hangup=None
            )
            assert body_of(answer) == b"%d" % n
    assert server.connections == 3


def test_the_deadline_shuts_a_request_the_engine_does_not_answer() -> None:
    with engine(lambda _: None) as (_, connections):
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError):
            Upstream(connections, b"q", FORM, deadline=started + 0.3, hangup=None)
        assert time.monotonic() - started < 5


class _Pipe:
    """A client's hang-up, as the ASGI route's watch reports it: a pipe that becomes readable."""

    def __init__(self) -> None:
        self.read, self.write = os.pipe()
        self.gone = False

    def fileno(self) -> int:
        return self.read

    def hung_up(self) -> bool:
        return self.gone

    def leave(self) -> None:
        self.gone = True
        os.write(self.write, b"!")


def test_a_client_that_hangs_up_stops_its_request_before_or_after_it_is_watched() -> None:
    with engine(lambda _: None) as (_, connections):
        for delay in (0.0, 0.4):  # before the hang-up grace, and after it
            hangup = _Pipe()
            if delay == 0.0:
                hangup.leave()
            else:
                threading.Timer(delay, hangup.leave).start()
            started = time.monotonic()
            with pytest.raises(QueryCancelledError):
                Upstream(connections, b"q", FORM, deadline=started + 30, hangup=hangup)
            assert time.monotonic() - started < 5


def test_released_requests_do_not_pile_up_in_the_watchdog() -> None:
    dog = Watchdog()
    far = time.monotonic() + 3600
    for _ in range(20_000):
        dog.release(dog.watch(far, None))
    live = dog.watch(far, None)
    assert len(dog._heap) <= 2 * 1 + 64 + 1
    dog.release(live)
