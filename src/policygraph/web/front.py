"""The ASGI application ``create_app`` makes: ``/sparql`` on its own route, the pages in Flask.

``/sparql`` skips Flask's dispatch (``sparql.asgi``); every other request goes to the Flask app
of the pages, through a2wsgi. The lifespan's shutdown stops the route's threads and then runs
what the server registered with ``on_shutdown`` (closing the query pool it made).
"""

from __future__ import annotations

from collections.abc import Callable

from a2wsgi import WSGIMiddleware
from flask import Flask

from policygraph.web.sparql import ENDPOINT_PATH, SparqlEndpoint, SparqlRoute
from policygraph.web.sparql.asgi import Receive, Scope, Send


class Front:
    """The app ``policygraph serve`` runs, and tests call through an ASGI transport."""

    def __init__(self, pages: Flask, sparql: SparqlRoute, *, threads: int) -> None:
        self.pages = pages
        """The Flask app of every route but ``/sparql``."""
        self.sparql = sparql
        self._flask = WSGIMiddleware(pages, workers=threads)  # type: ignore[arg-type]
        self._on_shutdown: list[Callable[[], None]] = []

    @property
    def endpoint(self) -> SparqlEndpoint:
        return self.sparql.endpoint

    def on_shutdown(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` when the server shuts the app down (after the route's threads)."""
        self._on_shutdown.append(callback)

    def close(self) -> None:
        """Stop the threads of the route and of the pages, then run the shutdown callbacks."""
        self.sparql.close()
        self._flask.executor.shutdown(wait=False, cancel_futures=True)
        for callback in self._on_shutdown:
            callback()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == ENDPOINT_PATH:
            await self.sparql(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        else:
            await self._flask(scope, receive, send)  # type: ignore[arg-type]

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


__all__ = ["Front"]
