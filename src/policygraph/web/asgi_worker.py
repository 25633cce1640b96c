"""The gunicorn worker class of ``policygraph serve``: uvicorn's, on httptools and uvloop.

Two changes to uvicorn's defaults, both measured on the cheapest queries:

* uvicorn's access log is off: gunicorn's settings decide what is logged, and a log record per
  request is a measurable share of a lookup's cost;
* the writes of one response within one turn of the event loop go out as one ``send``: uvicorn
  writes the status line and headers, then the body, and on loopback each write is a system
  call that wakes the client, which cost as much as evaluating the query.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker


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


class PolicygraphWorker(UvicornWorker):  # type: ignore[misc]
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "uvloop",
        "http": CoalescingHttpToolsProtocol,
        "access_log": False,
    }


__all__ = ["CoalescingHttpToolsProtocol", "CoalescingTransport", "PolicygraphWorker"]
