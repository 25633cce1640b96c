"""The two ways into the app, for tests that must hold through both, and apps to call.

``INTERFACES``: ``asgi`` calls the app through httpx's ASGI transport, in this process; ``server``
calls the same app served by uvicorn on 127.0.0.1, over a real socket. Both hand back
``httpx.Response``. (The production entry, gunicorn with ``policygraph serve``, has its own tests
in ``tests/web/test_sparql_server.py``.)
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from flask import Flask
from pyoxigraph import Quad
from servers import LOOPBACK, free_port

from policygraph.config import Settings
from policygraph.query import DatasetSource, InMemoryDataset, source_for
from policygraph.store.local import LocalStore
from policygraph.web import Front, create_app
from policygraph.web.sparql import query_pool

INTERFACES = ("asgi", "server")


def media_type_of(response: httpx.Response) -> str:
    """The media type of a response, without its parameters."""
    return response.headers.get("content-type", "").split(";")[0].strip()


def _plain(client: httpx.Client | httpx.AsyncClient) -> None:
    # As a bare HTTP client would: no Accept, no compression unless a test asks for it.
    del client.headers["accept"]
    client.headers["accept-encoding"] = "identity"


class AsgiClient:
    """httpx's ``AsyncClient`` on an ASGI app through ``ASGITransport``, called synchronously.

    Each request runs on an event loop of its own (``asyncio.run``), as each connection to a
    server would, so requests may come from several threads at once.
    """

    def __init__(self, app: Front, base_url: str = "http://localhost") -> None:
        self.app = app
        self.base_url = base_url

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self._request(method, url, kwargs))

    async def _request(self, method: str, url: str, kwargs: dict[str, Any]) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
            _plain(client)
            return await client.request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def head(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("HEAD", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("OPTIONS", url, **kwargs)


class LoopbackServer:
    """uvicorn serving an app on 127.0.0.1 (a free port) from a thread of this process;
    ``options`` go to ``uvicorn.Config`` (a worker class's protocol and limits, say)."""

    def __init__(self, app: Front, **options: Any) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            app,
            host=LOOPBACK,
            port=self.port,
            lifespan="off",
            log_level="warning",
            **{"access_log": False, **options},
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        self.url = f"http://{LOOPBACK}:{self.port}"

    def client(self) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=60)
        _plain(client)
        return client

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


@contextmanager
def app_on(settings: Settings, source: DatasetSource) -> Iterator[Front]:
    """An app on ``source`` with its own query pool, closed after."""
    pool = query_pool(settings, source)
    app = create_app(settings, source=source, pool=pool)
    try:
        yield app
    finally:
        # A pool closed while it is still starting workers or loading a version fails in its
        # background thread ("the query fork server is gone"): let it settle first.
        deadline = time.monotonic() + 30
        while pool.loading and time.monotonic() < deadline:
            time.sleep(0.02)
        app.close()
        pool.close()


def page_html(app: Flask, path: str, language: str = "nl") -> str:
    """The HTML page at ``path`` of the pages' app, in ``language``; it must answer 200."""
    response = app.test_client().get(
        path, headers={"Accept": "text/html", "Accept-Language": language}
    )
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def in_memory(quads: list[Quad], version: str = "in-memory") -> InMemoryDataset:
    source = source_for(LocalStore.in_memory(quads, version=version))
    assert isinstance(source, InMemoryDataset)
    return source


class Clients:
    """One app's clients through each interface, made when first asked for, closed together."""

    def __init__(self, app: Front) -> None:
        self.app = app
        self._asgi: AsgiClient | None = None
        self._server: LoopbackServer | None = None
        self._http: httpx.Client | None = None

    def __call__(self, interface: str) -> AsgiClient | httpx.Client:
        if interface == "asgi":
            if self._asgi is None:
                self._asgi = AsgiClient(self.app)
            return self._asgi
        if self._http is None:
            self._server = LoopbackServer(self.app)
            self._http = self._server.client()
        return self._http

    def close(self) -> None:
        if self._http is not None and self._server is not None:
            self._http.close()
            self._server.stop()
