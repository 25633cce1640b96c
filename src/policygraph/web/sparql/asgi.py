"""``/sparql`` as an ASGI route: read the request, ask the ``SparqlEndpoint``, send its answer.

This is the one HTTP path of the endpoint, in production, in development and in tests. Why ASGI
and not a Flask view: on two cores, gunicorn's threaded workers running Flask serve about 4,000
requests/s before any query is evaluated, while uvicorn's workers (httptools and uvloop) serve
the same SPARQL lookup nearly twice as fast, and cheap queries are most of an endpoint's traffic.

What is bounded runs on the event loop: reading the request, the ETag and the cache, and
single-scan queries (``InlineLane``: their time is bounded by a byte budget). A query for the
worker pool waits on a thread, watching the client through ``ClientWatch``; a streamed result is
relayed chunk by chunk from a thread. The endpoint's HTML face (the query UI with the service
description embedded) is a page: the route is handed its renderer (``query_ui.asgi_query_page``
on the pages' app) and calls it on a thread.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pyoxigraph import Triple

from policygraph.errors import PolicygraphError
from policygraph.formats import BY_NAME
from policygraph.query import ResultKind
from policygraph.web.documents import alternate_links
from policygraph.web.http_policy import CSP_QUERY_UI
from policygraph.web.negotiation import HTML, RESULT_OFFERS
from policygraph.web.sparql.answer import COMMON_HEADERS, Answer, with_headers
from policygraph.web.sparql.endpoint import ENDPOINT_PATH, PendingQuery, SparqlEndpoint
from policygraph.web.sparql.hop import ThreadHop
from policygraph.web.sparql.protocol import HttpRequest, declared_length, read_query_request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PageRenderer = Callable[[Scope, bytes, list[Triple]], str]
"""Renders the query UI for a request (its scope and body) with this service description."""

QUERY_METHODS = frozenset({"GET", "HEAD", "POST"})
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"


class ClientWatch:
    """The pool's ``Hangup`` for an ASGI request: readable once the client has disconnected.

    A task waits on ``receive`` for ``http.disconnect`` and then writes to a pipe, which the
    pool polls beside its worker's pipe, on another thread.
    """

    def __init__(self, receive: Receive) -> None:
        self._read, self._write = os.pipe()
        self._gone = False
        self._task = asyncio.ensure_future(self._watch(receive))

    async def _watch(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self._gone = True
        os.write(self._write, b"!")

    def fileno(self) -> int:
        return self._read

    def hung_up(self) -> bool:
        return self._gone

    def close(self) -> None:
        """Stop watching; only once nothing polls the pipe any more."""
        self._task.cancel()
        os.close(self._read)
        os.close(self._write)


class SparqlRoute:
    """The ASGI application of ``/sparql``; ``page`` renders its HTML face."""

    def __init__(self, endpoint: SparqlEndpoint, page: PageRenderer, *, threads: int) -> None:
        self.endpoint = endpoint
        self._page_html = page
        # Threads for queries that wait on a worker (``policygraph.web.front_threads``).
        self._threads = ThreadHop(threads, "policygraph-query")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        if method == "OPTIONS":
            await _send_whole(send, _preflight(_headers(scope)), head=False)
        elif method not in QUERY_METHODS:
            await _send_whole(send, _not_allowed(), head=False)
        else:
            await self._query(scope, receive, send)

    async def _query(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        endpoint = self.endpoint
        max_bytes = endpoint.settings.max_query_bytes
        headers = _headers(scope)
        body = b""
        if scope["method"] == "POST" and (declared_length(headers) or 0) <= max_bytes:
            body = await _read_body(receive, max_bytes + 1)  # one byte more tells "too large"
        req = HttpRequest(scope["method"], scope["query_string"], headers, io.BytesIO(body).read)
        watch: ClientWatch | None = None
        answer: Answer | None
        try:
            try:
                query_request = read_query_request(req, max_bytes)
                accept = headers.get("accept", "")
                if query_request.query is None:
                    name = endpoint.description_format(accept, query_request.format)
                    root = request_root(scope, headers)
                    if name == HTML:
                        answer = await self._in_thread(self._page, scope, body, root)
                    else:
                        answer = endpoint.describe(name, root)
                elif not isinstance(begun := endpoint.begin(query_request, req), PendingQuery):
                    answer = begun
                elif (answer := endpoint.answer_inline(begun)) is None:
                    watch = ClientWatch(receive)
                    answer = await self._in_thread(endpoint.answer_in_worker, begun, watch)
            except PolicygraphError as error:
                answer = endpoint.refusal(error)
            assert answer is not None
            answer = endpoint.finish(answer, started).for_client(headers.get("accept-encoding"))
            await self._send(answer, send, head=scope["method"] == "HEAD")
        finally:
            if watch is not None:
                watch.close()

    def _page(self, scope: Scope, body: bytes, root: str) -> Answer:
        """The query UI with the service description embedded: the endpoint for a browser."""
        html = self._page_html(scope, body, self.endpoint.description(root))
        links = alternate_links(
            (n, f"{ENDPOINT_PATH}?format={n}", BY_NAME[n].media_type)
            for n in RESULT_OFFERS[ResultKind.GRAPH].names
        )
        headers = with_headers(
            list(COMMON_HEADERS),
            {
                "Vary": "Accept, Accept-Language",
                "Content-Security-Policy": CSP_QUERY_UI,
                "Content-Type": "text/html; charset=utf-8",
                "Cache-Control": "no-cache",
                "Link": ", ".join(links),
            },
        )
        return Answer(200, headers, html.encode("utf-8"))

    async def _send(self, answer: Answer, send: Send, *, head: bool) -> None:
        body = answer.body
        if isinstance(body, bytes):
            await _send_whole(send, answer, head=head)
            return
        headers = [_ENCODED.get(pair) or _encoded(pair) for pair in answer.headers]
        if head:  # a HEAD request never reads the stream: stop its query now
            await self._in_thread(body.close)
            await send({"type": "http.response.start", "status": answer.status, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        try:  # streamed: read from the worker on a thread, chunk by chunk
            await send({"type": "http.response.start", "status": answer.status, "headers": headers})
            while (chunk := await self._in_thread(next, body, None)) is not None:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except PolicygraphError:
            # Cut off (logged by the endpoint): returning without the last chunk makes the
            # server close the connection, so the client sees an incomplete body.
            return
        finally:
            await self._in_thread(body.close)
        await send({"type": "http.response.body", "body": b""})

    async def _in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        return await self._threads.call(function, *args)

    def close(self) -> None:
        self._threads.close()


async def _send_whole(send: Send, answer: Answer, *, head: bool) -> None:
    body = answer.body
    assert isinstance(body, bytes)
    headers = [_ENCODED.get(pair) or _encoded(pair) for pair in answer.headers]
    if answer.status not in (204, 304):
        headers.append((b"content-length", str(len(body)).encode("ascii")))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


def _preflight(headers: dict[str, str]) -> Answer:
    """CORS preflight: any origin, the protocol's methods and the headers asked for."""
    asked = headers.get("access-control-request-headers", "")
    allowed = [h.strip() for h in asked.split(",") if h.strip().replace("-", "").isalnum()]
    return Answer(
        204,
        [
            *COMMON_HEADERS,
            ("Allow", ALLOWED_METHODS),
            ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
            ("Access-Control-Allow-Headers", ", ".join(allowed) or "Content-Type, Accept"),
            ("Access-Control-Max-Age", "86400"),
        ],
        b"",
    )


def _not_allowed() -> Answer:
    return Answer.text(
        405,
        "405 Method Not Allowed: The method is not allowed for the requested URL.",
        (("Allow", ALLOWED_METHODS),),
    )


def _encoded(pair: tuple[str, str]) -> tuple[bytes, bytes]:
    return pair[0].lower().encode("latin-1"), pair[1].encode("latin-1")


# The headers every answer has, encoded once.
_ENCODED = {pair: _encoded(pair) for pair in COMMON_HEADERS}


# A Host header is the client's word: only a host name or address and a port are taken from it.
_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
)


def request_root(scope: Scope, headers: dict[str, str]) -> str:
    """The scheme and authority this request came to (``http://host:port``)."""
    scheme = "https" if scope.get("scheme") == "https" else "http"
    host = headers.get("host", "")
    if not _HOST.fullmatch(host):
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    return f"{scheme}://{host}"


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        key, text = name.decode("latin-1"), value.decode("latin-1")
        headers[key] = headers[key] + ", " + text if key in headers else text
    return headers


async def _read_body(receive: Receive, limit: int) -> bytes:
    body = bytearray()
    while len(body) < limit:
        message = await receive()
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    return bytes(body[:limit])


__all__ = ["ALLOWED_METHODS", "ClientWatch", "PageRenderer", "SparqlRoute"]
