"""Running the web service: gunicorn for production, werkzeug's reloader for development.

gunicorn runs ``workers`` processes of uvicorn's worker class (httptools, uvloop); each builds
its own app with ``create_app`` after the fork, and so its own pool of query worker processes,
and serves it through the ASGI front (``policygraph.web.front``), which answers ``/sparql``
itself and hands the rest to Flask. The query timeout is enforced by the query pool, not by
gunicorn: pyoxigraph releases the GIL while it evaluates, so a web worker keeps its heartbeat
during a runaway query and gunicorn's ``--timeout`` would never fire (and a worker killed by it
would leave the client a closed connection, not a 503).

Prometheus' multiprocess mode needs ``PROMETHEUS_MULTIPROC_DIR`` before ``prometheus_client``
is first imported in a worker, so this module imports the app lazily, after setting it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from policygraph.config import Settings

if TYPE_CHECKING:
    from flask import Flask

    from policygraph.web.front import Front

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def serve(settings: Settings, *, workers: int | None = None, dev: bool = False) -> None:
    """Serve the published store of ``settings`` on ``settings.host``:``settings.port``."""
    if dev:
        _serve_dev(settings)
        return
    _serve_gunicorn(settings, workers or settings.workers)


def gunicorn_options(settings: Settings, workers: int) -> dict[str, Any]:
    """The gunicorn settings for a public endpoint of these settings."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return {
        "bind": f"{host}:{settings.port}",
        "workers": workers,
        "worker_class": "policygraph.web.asgi_worker.PolicygraphWorker",
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": int(settings.query_timeout) + 5,
        "keepalive": 5,
        "proc_name": "policygraph",
        "accesslog": None,
        "errorlog": "-",
        "preload_app": False,
    }


def front_threads(settings: Settings) -> int:
    """Threads for queries waiting on the pool: enough that a request beyond the query slots
    reaches the pool's queue (and its 503) instead of waiting unseen."""
    return 2 * settings.max_concurrent_queries + 2


def _serve_gunicorn(settings: Settings, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    if not os.environ.get(MULTIPROCESS_ENV):
        metrics_dir = tempfile.mkdtemp(prefix="policygraph-metrics-")
        os.environ[MULTIPROCESS_ENV] = metrics_dir
        atexit.register(shutil.rmtree, metrics_dir, ignore_errors=True)

    def child_exit(_server: Any, worker: Any) -> None:
        from policygraph.web.metrics import mark_process_dead

        mark_process_dead(worker.pid)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in gunicorn_options(settings, workers).items():
                self.cfg.set(name, value)
            self.cfg.set("child_exit", child_exit)

        def load(self) -> Front:
            from policygraph.web import create_app
            from policygraph.web.front import Front

            return Front(create_app(settings), threads=front_threads(settings))

    Server().run()


def _serve_dev(settings: Settings) -> None:
    """Flask's development server with the reloader; the app is built in the reloaded child."""
    from werkzeug.serving import run_simple

    run_simple(
        settings.host,
        settings.port,
        _LazyApp(lambda: _create(settings)),
        use_reloader=True,
        use_debugger=False,
        threaded=True,
    )


def _create(settings: Settings) -> Flask:
    from policygraph.web import create_app

    return create_app(settings)


class _LazyApp:
    """A WSGI app built on its first request, so the reloader's watcher process builds none."""

    def __init__(self, factory: Callable[[], Flask]) -> None:
        self._factory = factory
        self._app: Flask | None = None
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        with self._lock:
            if self._app is None:
                self._app = self._factory()
        return self._app(environ, start_response)


__all__ = ["front_threads", "gunicorn_options", "serve"]
