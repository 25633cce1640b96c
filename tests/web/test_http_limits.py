"""HTTP limits of ``policygraph serve``'s worker class, on a real uvicorn server on loopback,
sent raw over a socket as a hostile client would (issue: a 1 MB header and 20,000 headers were
accepted, an unterminated header grew the worker, idle sockets were never closed, a long GET got
a bare 400, and a gzip body was misread)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from interfaces import LoopbackServer, in_memory
from servers import LOOPBACK
from sparql_support import endpoint_settings, fixture_quads, settled

from policygraph.web import create_app
from policygraph.web.asgi_worker import worker_class
from policygraph.web.sparql import query_pool

pytestmark = pytest.mark.slow

LIMITS = {
    "http_max_head_bytes": 16_384,
    "http_max_headers": 50,
    "http_max_url_bytes": 8_192,
    "http_head_timeout": 0.5,
}


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    settings = endpoint_settings(**LIMITS)
    source = in_memory(fixture_quads())
    pool = query_pool(settings, source)
    app = settled(create_app(settings, source=source, pool=pool))  # its worker waits for the copy
    server = LoopbackServer(app, **worker_class(settings).CONFIG_KWARGS)
    try:
        yield server.port
    finally:
        server.stop()
        pool.close()


def exchange(port: int, *parts: bytes, pause: float = 0.0, wait: float = 5.0) -> bytes:
    """Send ``parts`` (pausing between them) and read until the server closes or ``wait`` ends."""
    with socket.create_connection((LOOPBACK, port), timeout=wait) as connection:
        try:
            for part in parts:
                connection.sendall(part)
                time.sleep(pause)
        except OSError:
            pass  # refused midway: the answer is what counts
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError:
            pass
        return answer


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


ASK = b"/sparql?query=ASK%7B%7D"


def test_a_request_within_the_limits_is_answered(port: int) -> None:
    answer = exchange(port, b"GET " + ASK + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status(answer) == 200


def test_a_header_over_the_head_bound_is_431(port: int) -> None:
    big = b"X-Big: " + b"a" * 1_000_000 + b"\r\n"
    answer = exchange(port, b"GET " + ASK + b" HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
    assert status(answer) == 431
    assert b"over 16384 bytes" in answer


def test_too_many_header_fields_are_431(port: int) -> None:
    fields = b"".join(b"X-%d: 1\r\n" % n for n in range(20_000))
    answer = exchange(port, b"GET " + ASK + b" HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n")
    assert status(answer) == 431


def test_an_unterminated_header_is_refused_once_it_passes_the_bound(port: int) -> None:
    head = b"GET " + ASK + b" HTTP/1.1\r\nHost: x\r\nX-Endless: "
    chunks = [head] + [b"b" * 65_536] * 128  # 8 MB that never ends its line
    started = time.monotonic()
    answer = exchange(port, *chunks)
    assert status(answer) == 431
    assert time.monotonic() - started < 5


def test_a_long_url_is_414_with_a_word_about_post(port: int) -> None:
    url = b"/sparql?query=" + b"A" * 70_000
    answer = exchange(port, b"GET " + url + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status(answer) == 414
    assert b"POST" in answer


def test_an_idle_socket_is_closed(port: int) -> None:
    started = time.monotonic()
    assert exchange(port) == b""
    assert time.monotonic() - started < 3


def test_a_dripping_head_is_408(port: int) -> None:
    request = b"GET " + ASK + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    started = time.monotonic()
    answer = exchange(port, *(bytes([b]) for b in request), pause=0.05)
    assert status(answer) == 408
    assert time.monotonic() - started < 3


def test_a_compressed_body_is_415_not_misread(port: int) -> None:
    import gzip

    body = gzip.compress(b"ASK {}")
    answer = exchange(
        port,
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Encoding: gzip\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body,
    )
    assert status(answer) == 415
    assert b"Content-Encoding" in answer
