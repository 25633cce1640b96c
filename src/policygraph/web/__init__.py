"""The web service: ``create_app(settings, store=...)`` builds a Flask app on a store.

Blueprints: ``sparql`` (the SPARQL 1.1 Protocol and its service description) and ``ops``
(``/healthz``, ``/metrics``). Queries run in worker processes that the app starts; call
``close_app`` (or let the process exit) to stop them.
"""

from __future__ import annotations

from flask import Flask

from policygraph.config import Settings, load_settings
from policygraph.query import (
    AnswerCache,
    InlineLane,
    Limits,
    QueryPool,
    VersionOpener,
    VersionTracker,
    source_for,
)
from policygraph.store import GraphStore
from policygraph.store.local import LocalStore
from policygraph.web import ops, sparql
from policygraph.web.errors import register_error_handlers
from policygraph.web.metrics import Metrics
from policygraph.web.site import init_linked_data

STORE_EXTENSION = "policygraph.store"
STREAM_CHUNK_BYTES = 65_536


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> Flask:
    """A Flask app serving ``store`` (by default the published store of ``settings``)."""
    settings = settings or load_settings()
    if store is None:
        store = LocalStore.open(settings.store_dir)
    source = source_for(store)
    limits = Limits(
        max_result_rows=settings.max_result_rows,
        result_buffer_bytes=settings.result_buffer_bytes,
        stream_chunk_bytes=STREAM_CHUNK_BYTES,
        base_iri=settings.public_url + sparql.ENDPOINT_PATH,
        service_allowlist=settings.service_allowlist,
        union_default_graph=settings.union_default_graph,
    )
    pool = QueryPool(
        source,
        limits,
        size=settings.max_concurrent_queries,
        queue_timeout=settings.queue_timeout,
        memory_max_quads=settings.memory_store_max_quads,
    )
    cache = AnswerCache(
        max_entries=settings.cache_entries,
        max_entry_bytes=min(settings.cache_max_bytes, settings.result_buffer_bytes),
        max_total_bytes=settings.cache_total_bytes,
    )
    # One reader of the published version for this process: the inline lane and the pages.
    opener = VersionOpener(source)
    inline = (
        InlineLane(opener, limits, budget_bytes=settings.inline_result_bytes)
        if settings.inline_result_bytes
        else None
    )
    app = Flask(__name__)
    app.config["POLICYGRAPH_SETTINGS"] = settings
    app.extensions[STORE_EXTENSION] = store
    app.extensions[sparql.EXTENSION] = sparql.SparqlEndpoint(
        settings,
        pool=pool,
        versions=VersionTracker(source),
        cache=cache,
        metrics=Metrics.from_environment(),
        inline=inline,
    )
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(ops.blueprint)
    init_linked_data(app, settings, store, opener)
    register_error_handlers(app)
    return app


def close_app(app: Flask) -> None:
    """Stop the query workers of an app made by ``create_app``."""
    endpoint: sparql.SparqlEndpoint = app.extensions[sparql.EXTENSION]
    endpoint.pool.close()


__all__ = ["close_app", "create_app"]
