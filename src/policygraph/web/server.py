"""Running the web service: gunicorn for production, uvicorn's reloader for development.

Both run the same ASGI app (``served``): the dataset source the settings name, a pool of query
worker processes on it, and ``create_app`` on both; ``/sparql`` is answered by its ASGI route
and the rest by Flask, in production as in development. gunicorn runs ``workers`` processes of
uvicorn's worker class (httptools, uvloop); each builds its own app after the fork, and so its
own pool, but the pools share the fork servers of one private directory that the master makes
before it forks them (``query/copies.py``): one in-memory copy of a version per host, not one
per web worker. In development uvicorn watches the package and rebuilds the app in a fresh process
on every change. The query timeout is enforced by the query pool, not by
gunicorn: pyoxigraph releases the GIL while it evaluates, so a web worker keeps its heartbeat
during a runaway query and gunicorn's ``--timeout`` would never fire (and a worker killed by it
would leave the client a closed connection, not a 503).

Prometheus' multiprocess mode needs ``PROMETHEUS_MULTIPROC_DIR`` before ``prometheus_client``
is first imported in a worker, so this module imports the app lazily, after setting it.
"""

from __future__ import annotations

import atexit
import errno
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policygraph.config import ENV_PREFIX, Settings, load_settings
from policygraph.errors import ConfigurationError, PortInUseError
from policygraph.query import DatasetSource, PublishedStore
from policygraph.query.copies import private_runtime_dir
from policygraph.query.dataset import RemoteEngine
from policygraph.store.local import current_version_dir
from policygraph.store.open import open_store

if TYPE_CHECKING:
    from policygraph.web.front import Front

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def serve(settings: Settings, *, workers: int | None = None, dev: bool = False) -> None:
    """Serve the published store of ``settings`` on ``settings.host``:``settings.port``."""
    if isinstance(dataset_source(settings), RemoteEngine):  # missing: say so now, not per request
        open_store(settings).close()
    check_port_free(settings)
    if dev:
        _serve_dev(settings)
        return
    _serve_gunicorn(settings, workers or settings.workers)


def check_port_free(settings: Settings) -> None:
    """Bind host:port as gunicorn will (``SO_REUSEADDR`` on, so a closing connection does not
    count) and let go; a taken port is one line naming the setting, not gunicorn's retries."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((settings.host, settings.port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise ConfigurationError(f"cannot listen on {settings.host}: {exc}") from exc
            raise PortInUseError(
                f"port {settings.port} on {settings.host} is in use; choose another with "
                f"--port (or {ENV_PREFIX}PORT)"
            ) from exc


def dataset_source(settings: Settings) -> DatasetSource | RemoteEngine:
    """What a server of these settings serves: the versions published under ``store_dir``, or
    the engine ``store_url`` names (never the local store in its place: that would answer for
    data the operator did not name)."""
    if settings.store_url:
        return RemoteEngine(settings.store_url)
    current_version_dir(settings.store_dir)
    return PublishedStore(settings.store_dir)


def served(settings: Settings, copies: Path | None = None) -> Front:
    """The app a server runs: on the source of ``settings``, with a pool it closes at shutdown
    (sharing the fork servers in ``copies`` with the other web workers, when given)."""
    from policygraph.web import create_app
    from policygraph.web.sparql import forwarder, query_pool

    source = dataset_source(settings)
    if isinstance(source, RemoteEngine):
        remote = forwarder(settings)
        app = create_app(settings, pool=remote)
        app.on_shutdown(remote.close)
        return app
    pool = query_pool(settings, source, copies)
    app = create_app(settings, source=source, pool=pool)
    app.on_shutdown(pool.close)
    return app


def gunicorn_options(settings: Settings, workers: int) -> dict[str, Any]:
    """The gunicorn settings for a public endpoint of these settings."""
    from policygraph.web.asgi_worker import worker_class

    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return {
        "bind": f"{host}:{settings.port}",
        "workers": workers,
        "worker_class": worker_class(settings),
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": int(settings.query_timeout) + 5,
        "keepalive": 5,
        "proc_name": "policygraph",
        "accesslog": None,
        "errorlog": "-",
        "preload_app": False,
    }


def _serve_gunicorn(settings: Settings, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    if not os.environ.get(MULTIPROCESS_ENV):
        metrics_dir = tempfile.mkdtemp(prefix="policygraph-metrics-")
        os.environ[MULTIPROCESS_ENV] = metrics_dir
        _remove_at_exit(Path(metrics_dir))
    copies = private_runtime_dir()
    _remove_at_exit(copies)

    def child_exit(_server: Any, worker: Any) -> None:
        from policygraph.web.metrics import mark_process_dead

        mark_process_dead(worker.pid)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in gunicorn_options(settings, workers).items():
                self.cfg.set(name, value)
            self.cfg.set("child_exit", child_exit)

        def load(self) -> Front:
            return served(settings, copies)

    Server().run()


def _remove_at_exit(directory: Path) -> None:
    """Remove ``directory`` when this process ends, not when a web worker forked from it does
    (gunicorn's workers leave by ``sys.exit``, which runs the handlers they inherited)."""
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            shutil.rmtree(directory, ignore_errors=True)

    atexit.register(remove)


def _serve_dev(settings: Settings) -> None:
    """uvicorn with its reloader: the app is built by ``development_app`` in the reloaded
    process, which reads these settings from the environment (a reload starts afresh)."""
    import uvicorn

    for name, value in settings.as_dict().items():
        os.environ[ENV_PREFIX + name.upper()] = str(value)
    os.environ.pop(ENV_PREFIX + "CONFIG", None)  # the environment now holds every setting
    uvicorn.run(
        "policygraph.web.server:development_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        reload=True,
        reload_dirs=[str(PACKAGE_DIR)],
        access_log=False,
    )


def development_app() -> Front:
    """The app of ``serve --dev``, built from the settings in the environment."""
    return served(load_settings())


__all__ = ["dataset_source", "development_app", "gunicorn_options", "serve", "served"]
