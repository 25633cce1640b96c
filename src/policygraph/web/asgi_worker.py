"""The gunicorn worker class of ``policygraph serve``: uvicorn's, on httptools and uvloop.

The HTTP limits a public endpoint needs, which neither httptools nor uvicorn sets (gunicorn's own
``limit_request_*`` apply only to its own parser), are kept by the protocol while it reads a
request's head: its size, counted as the bytes arrive, so an unterminated header costs at most
the bound (431); the number of header fields (431); the URL's length (414, with a word about
POST); and the time the head may take to arrive (408), so a socket that sends nothing, or drips,
is closed. Connections per worker are capped by uvicorn's ``limit_concurrency`` (503 past it).

Two more changes to uvicorn's defaults, both measured on the cheapest queries:

* uvicorn's access log is off: gunicorn's settings decide what is logged, and a log record per
  request is a measurable share of a lookup's cost;
* the writes of one response within one turn of the event loop go out as one ``send``: uvicorn
  writes the status line and headers, then the body, and on loopback each write is a system
  call that wakes the client, which cost as much as evaluating the query.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

from policygraph.config import Settings


class CoalescingTransport:
    """A transport whose writes within one turn of the event loop leave as one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(data)

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending = []
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        coalescing = CoalescingTransport(transport, asyncio.get_running_loop())
        super().connection_made(cast(asyncio.Transport, coalescing))


@dataclass(frozen=True)
class HttpLimits:
    max_head_bytes: int
    max_headers: int
    max_url_bytes: int
    head_timeout: float
    max_connections: int

    @classmethod
    def of(cls, settings: Settings) -> HttpLimits:
        return cls(
            settings.http_max_head_bytes,
            settings.http_max_headers,
            settings.http_max_url_bytes,
            settings.http_head_timeout,
            settings.http_max_connections,
        )


class BoundedHttpToolsProtocol(CoalescingHttpToolsProtocol):
    """Reads a request's head within ``limits`` (set on a subclass: see ``worker_class``)."""

    limits: ClassVar[HttpLimits]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_bytes = 0
        self._header_count = 0
        self._in_head = True
        self._refusal: tuple[int, str] | None = None
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            self._arm_head_timer()
        if self._refusal is None:
            super().data_received(data)
        if (
            self._refusal is None
            and self._in_head
            and self._head_bytes > self.limits.max_head_bytes
        ):
            self._refusal = (431, f"the request head is over {self.limits.max_head_bytes} bytes")
        if self._refusal is not None:
            self._refuse(*self._refusal)

    def send_400_response(self, msg: str) -> None:
        # httptools may fail on a request this protocol has already refused: say why it was.
        if self._refusal is not None:
            self._refuse(*self._refusal)
        else:
            super().send_400_response(msg)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._header_count = 0
        self._arm_head_timer()

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.limits.max_url_bytes:
            self._refusal = (
                414,
                f"the URL is over {self.limits.max_url_bytes} bytes; send a long query with POST",
            )

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self.limits.max_headers:
            self._refusal = (431, f"the request has over {self.limits.max_headers} header fields")
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refusal is not None:
            return  # answered by data_received, before any app sees the request
        self._in_head = False
        self._head_bytes = 0
        self._disarm_head_timer()
        super().on_headers_complete()

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.limits.head_timeout, self._head_too_slow)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self._in_head or self.transport.is_closing():
            return
        if self._head_bytes == 0:
            self.transport.close()  # an idle socket: nothing to answer
        else:
            self._refuse(408, f"the request head took over {self.limits.head_timeout:g} s")

    def _refuse(self, status: int, message: str) -> None:
        self._disarm_head_timer()
        if self.transport.is_closing():
            return
        body = message.encode("ascii") + b"\n"
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, HTTPStatus(status).phrase.encode("ascii"), len(body), body)
        )
        self.transport.close()


class PolicygraphWorker(UvicornWorker):  # type: ignore[misc]
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "uvloop",
        "http": CoalescingHttpToolsProtocol,
        "access_log": False,
    }


def worker_class(settings: Settings) -> type[PolicygraphWorker]:
    """The worker class of a server of these settings: its HTTP limits in its protocol."""
    limits = HttpLimits.of(settings)
    protocol = type("Protocol", (BoundedHttpToolsProtocol,), {"limits": limits})
    kwargs = {
        **PolicygraphWorker.CONFIG_KWARGS,
        "http": protocol,
        "limit_concurrency": limits.max_connections,
    }
    return type("Worker", (PolicygraphWorker,), {"CONFIG_KWARGS": kwargs})


__all__ = [
    "BoundedHttpToolsProtocol",
    "CoalescingHttpToolsProtocol",
    "CoalescingTransport",
    "HttpLimits",
    "PolicygraphWorker",
    "worker_class",
]
