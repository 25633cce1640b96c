"""HTTP/1.1 with an engine: a request in one write, its answer read by httptools.

A cheap query's round trip to a fast engine takes less time than ``http.client`` spends on it:
it writes a request's head and body in two sends (each one waking the engine) and reads the
answer's head with the email package. Here a request is one ``sendall`` and the answer is read
by llhttp (``httptools``, the parser the ASGI server already reads our own requests with): the
status, the header fields, the body with its chunked coding undone, and whether the connection
may be kept. A socket shut from another thread (the watchdog) ends a blocked read here.
"""

from __future__ import annotations

import collections
import socket
import ssl
from collections.abc import Mapping

import httptools


class BrokenAnswerError(ConnectionError):
    """The engine's answer broke off, or is not HTTP."""


class EngineConnection:
    """One connection to an engine, made on ``connect`` and kept between requests."""

    def __init__(self, host: str, port: int | None, *, tls: bool, connect_timeout: float) -> None:
        self._host = host
        self._address = (host, port if port is not None else 443 if tls else 80)
        shown = f"[{host}]" if ":" in host else host
        self._host_field = shown if port is None else f"{shown}:{port}"
        self._tls = tls
        self._connect_timeout = connect_timeout
        self.sock: socket.socket | None = None

    def connect(self) -> socket.socket:
        sock = socket.create_connection(self._address, self._connect_timeout)
        # A small answer must not wait on Nagle's algorithm at either end.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self._host)
        self.sock = sock
        return sock

    def post(self, path: str, headers: Mapping[str, str], body: bytes) -> EngineResponse:
        """Send ``body`` to ``path`` and read the answer's head (the body is read later)."""
        assert self.sock is not None
        fields = ""
        for name, value in headers.items():
            field = f"{name}: {value}"
            if "\r" in field or "\n" in field:
                raise ValueError(f"a header field of the request holds a line break: {field!r}")
            fields += field + "\r\n"
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self._host_field}\r\n"
            f"Accept-Encoding: identity\r\n{fields}Content-Length: {len(body)}\r\n\r\n"
        )
        self.sock.sendall(head.encode("latin-1") + body)
        return EngineResponse(self.sock)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class EngineResponse:
    """An answer read from a socket: status and fields at once, the body as it is asked for."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._parser = httptools.HttpResponseParser(self)
        self._fields: dict[str, str] = {}
        self._body: collections.deque[bytes] = collections.deque()
        self._head_read = False
        self._complete = False
        self.status = 0
        self.will_close = True
        while not self._head_read:
            if not self._fill():
                raise BrokenAnswerError("the engine closed the connection without an answer")
        # Neither a length nor chunks: the body is whatever comes until the engine closes.
        self._ends_at_close = (
            "content-length" not in self._fields
            and "chunked" not in self._fields.get("transfer-encoding", "").lower()
        )

    def header(self, name: str) -> str:
        """The field ``name`` (case-blind; repeated fields joined), or empty."""
        return self._fields.get(name.lower(), "")

    def read1(self, size: int) -> bytes:
        """Up to ``size`` bytes of the body, with at most one read of the socket; empty at its
        end."""
        body = self._body
        while not body:
            if self._complete:
                return b""
            if not self._fill():
                if self._ends_at_close:
                    self._complete = True
                    return b""
                raise BrokenAnswerError("the engine closed the connection in mid-answer")
        chunk = body[0]
        if len(chunk) <= size:
            return body.popleft()
        body[0] = chunk[size:]
        return chunk[:size]

    def _fill(self) -> bool:
        """Read from the socket into the parser; False when the connection has ended."""
        data = self._sock.recv(65_536)
        if not data:
            return False
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            raise BrokenAnswerError(f"the engine's answer is not HTTP: {exc}") from exc
        return True

    # -- httptools' callbacks -----------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        known = self._fields.get(key)
        self._fields[key] = text if known is None else f"{known}, {text}"

    def on_headers_complete(self) -> None:
        # Asked now: once the message is complete, the parser has forgotten it.
        self.status = self._parser.get_status_code()
        self.will_close = not self._parser.should_keep_alive()
        self._head_read = True

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        self._complete = True


__all__ = ["BrokenAnswerError", "EngineConnection", "EngineResponse"]
