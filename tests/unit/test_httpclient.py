"""The outgoing HTTP client against peers that misbehave on purpose, on loopback: a whole
answer within its deadline however slowly the peer drips, and within its size however long
the peer talks."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import pytest

from policygraph.errors import SourceError
from policygraph.httpclient import HttpClient

Talk = Callable[[socket.socket, int], None]


def client(timeout: float = 1.0, retries: int = 0) -> HttpClient:
    return HttpClient(
        user_agent="policygraph-test", timeout=timeout, retries=retries, error=SourceError
    )


def drip(text: bytes, interval: float = 0.1) -> Talk:
    def talk(connection: socket.socket, count: int) -> None:
        for byte in text:
            connection.sendall(bytes([byte]))
            time.sleep(interval)

    return talk


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"


def test_a_body_dripped_a_byte_at_a_time_is_cut_at_the_deadline(raw_peer):
    slow = raw_peer(lambda c, n: (c.sendall(HEAD), drip(b"x" * 1000)(c, n)))
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"within 1 s"):
        client(timeout=1.0).fetch("GET", slow.url, max_bytes=1 << 20)
    assert time.monotonic() - started < 3


def test_headers_dripped_a_byte_at_a_time_are_cut_at_the_deadline(raw_peer):
    slow = raw_peer(drip(HEAD + b"x" * 1000))
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"within 1 s"):
        client(timeout=1.0).fetch("GET", slow.url, max_bytes=1 << 20)
    assert time.monotonic() - started < 3


def test_every_attempt_has_its_own_deadline(raw_peer):
    slow = raw_peer(drip(HEAD + b"x" * 1000))
    http = client(timeout=0.5, retries=2)
    http.backoff = 0.01
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"after 3 attempt"):
        http.fetch("GET", slow.url, max_bytes=1 << 20)
    assert 1.5 <= time.monotonic() - started < 4
    assert (http.counters.requests, http.counters.retries) == (3, 2)


def test_a_body_past_the_size_bound_is_refused_as_it_arrives(raw_peer):
    def endless(connection: socket.socket, count: int) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
        while True:
            connection.sendall(b"y" * 65536)

    long = raw_peer(endless)
    with pytest.raises(SourceError, match=r"larger than 1048576 bytes"):
        client(timeout=10).fetch("GET", long.url, max_bytes=1 << 20)


def test_a_declared_length_past_the_bound_is_refused_before_the_body(raw_peer):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 900000000\r\n\r\n"
    big = raw_peer(lambda c, n: (c.sendall(head), time.sleep(5)))
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"larger than 1048576 bytes"):
        client(timeout=10).fetch("GET", big.url, max_bytes=1 << 20)
    assert time.monotonic() - started < 2


def test_a_prompt_answer_is_read_whole(raw_peer):
    quick = raw_peer(lambda c, n: c.sendall(HEAD + b"z" * 1000))
    fetched = client().fetch("GET", quick.url, max_bytes=1 << 20)
    assert (fetched.status_code, fetched.content) == (200, b"z" * 1000)
