"""The production front: an ASGI application that answers ``/sparql`` itself and hands every
other request to the Flask app.

Why it exists: on two cores, gunicorn's threaded workers running Flask serve about 4,000
requests/s before any query is evaluated, while gunicorn running uvicorn's workers (httptools
and uvloop) serves the same SPARQL lookup nearly twice as fast. Cheap queries are most of an
endpoint's traffic, so ``/sparql`` skips Flask's dispatch; pages, documents and the service
description keep Flask, through a2wsgi.

The front holds no protocol logic: it calls the app's ``SparqlEndpoint`` step by step (the WSGI
view calls the same steps in one go). What is bounded runs on the event loop: reading the
request, the ETag and the cache, and single-scan queries (``InlineLane``: their time is bounded
by a byte budget). A query for the worker pool waits on a thread, watching the client through
``ClientWatch``; a streamed result is relayed chunk by chunk from a thread.
"""

from __future__ import annotations

import asyncio
import io
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from a2wsgi import WSGIMiddleware
from flask import Flask

from policygraph.errors import PolicygraphError
from policygraph.web.answer import COMMON_HEADERS, Answer
from policygraph.web.protocol import HttpRequest, declared_length, read_query_request
from policygraph.web.sparql import ENDPOINT_PATH, EXTENSION, PendingQuery, SparqlEndpoint

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_QUERY_METHODS = frozenset({"GET", "HEAD", "POST"})


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


class Front:
    """The ASGI application ``policygraph serve`` runs: ``/sparql`` here, the rest in Flask."""

    def __init__(self, app: Flask, *, threads: int) -> None:
        self.app = app
        self.endpoint: SparqlEndpoint = app.extensions[EXTENSION]
        self._flask = WSGIMiddleware(app, workers=threads)  # type: ignore[arg-type]
        # Threads for queries that wait on a worker (``server.front_threads`` says how many).
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix="policygraph-query")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif (
            scope["type"] == "http"
            and scope["path"] == ENDPOINT_PATH
            and scope["method"] in _QUERY_METHODS
            and await self._sparql(scope, receive, send)
        ):
            return
        else:
            await self._flask(scope, receive, send)  # type: ignore[arg-type]

    async def _sparql(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer a query request; False for a service description, which Flask answers."""
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
                if query_request.query is None:
                    return False
                begun = endpoint.begin(query_request, req)
                if not isinstance(begun, PendingQuery):
                    answer = begun
                elif (answer := endpoint.answer_inline(begun)) is None:
                    watch = ClientWatch(receive)
                    answer = await self._in_thread(endpoint.answer_in_worker, begun, watch)
            except PolicygraphError as error:
                answer = endpoint.refusal(error)
            assert answer is not None
            answer = endpoint.finish(answer, started).for_client(req)
            await self._send(answer, send, head=scope["method"] == "HEAD")
        finally:
            if watch is not None:
                watch.close()
        return True

    async def _send(self, answer: Answer, send: Send, *, head: bool) -> None:
        headers = [_ENCODED.get(pair) or _encoded(pair) for pair in answer.headers]
        body = answer.body
        if isinstance(body, bytes):
            if answer.status not in (204, 304):
                headers.append((b"content-length", str(len(body)).encode("ascii")))
            await send({"type": "http.response.start", "status": answer.status, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if head else body})
            return
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
        return await asyncio.get_running_loop().run_in_executor(self._threads, function, *args)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        from policygraph.web import close_app

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                close_app(self.app)
                self._threads.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return


def _encoded(pair: tuple[str, str]) -> tuple[bytes, bytes]:
    return pair[0].lower().encode("latin-1"), pair[1].encode("latin-1")


# The headers every answer has, encoded once.
_ENCODED = {pair: _encoded(pair) for pair in COMMON_HEADERS}


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


__all__ = ["ClientWatch", "Front"]
