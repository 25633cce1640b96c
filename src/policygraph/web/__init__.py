"""The web service: ``create_app(settings, source=..., pool=...)`` builds the ASGI app.

The app is a ``Front``: ``/sparql`` on its own ASGI route (``web.sparql``), every other route in
Flask (``pages``), with blueprints per area of routes: ``home``, ``resources``, ``ontology``,
``void``, ``dumps``, ``query_ui``, ``ops``. The factory starts and opens nothing: the caller
hands it the dataset source and the query pool (``web.server`` builds them for a server, tests
for themselves) and closes the pool when done; the store the pages read is opened on first use.
"""

from __future__ import annotations

from functools import partial

from flask import Flask

from policygraph.config import Settings
from policygraph.query import (
    AnswerCache,
    DatasetSource,
    InlineLane,
    QueryPool,
    VersionOpener,
    VersionTracker,
)
from policygraph.query.dataset import RemoteVersions
from policygraph.query.forward import Forwarder
from policygraph.read.ontology_docs import curie
from policygraph.web import (
    annotation_api,
    codebook,
    dumps,
    feeds,
    home,
    lists,
    ontology,
    ops,
    query_ui,
    resources,
    search,
    site,
    void,
)
from policygraph.web.context import EXTENSION, SiteState, urls
from policygraph.web.error_pages import register_error_pages
from policygraph.web.errors import register_error_handlers
from policygraph.web.front import Front
from policygraph.web.http_policy import install_response_policy
from policygraph.web.i18n import words
from policygraph.web.metrics import Metrics
from policygraph.web.sparql import SparqlEndpoint, SparqlRoute, endpoint_limits

BLUEPRINTS = (
    home.blueprint,
    resources.blueprint,
    ontology.blueprint,
    void.blueprint,
    dumps.blueprint,
    query_ui.blueprint,
    ops.blueprint,
    lists.blueprint,
    site.blueprint,
    search.blueprint,
    annotation_api.blueprint,
    feeds.blueprint,
    codebook.blueprint,
)


def create_app(
    settings: Settings, *, source: DatasetSource | None = None, pool: QueryPool | Forwarder
) -> Front:
    """The app serving ``source``, its queries evaluated by ``pool`` (which reads ``source``);
    or, with a ``Forwarder`` for ``pool`` (and no source), the engine it forwards to."""
    cache = AnswerCache(
        max_entries=settings.cache_entries,
        max_entry_bytes=min(settings.cache_max_bytes, settings.result_buffer_bytes),
        max_total_bytes=settings.cache_total_bytes,
    )
    opener: VersionOpener | None = None
    inline: InlineLane | None = None
    versions: VersionTracker | RemoteVersions
    if isinstance(pool, Forwarder):
        # Pages read the engine through the store protocol; nothing is opened or copied here.
        versions = RemoteVersions(pool.store, settings.store_dir)
    else:
        if source is None:
            raise TypeError("create_app needs the dataset source its query pool reads")
        # One reader of the published version for this process: the inline lane and the pages.
        opener = VersionOpener(source)
        versions = VersionTracker(source)
        if settings.inline_result_bytes:
            limits = endpoint_limits(settings)
            inline = InlineLane(opener, limits, budget_bytes=settings.inline_result_bytes)
    endpoint = SparqlEndpoint(
        settings,
        pool=pool,
        versions=versions,
        cache=cache,
        metrics=Metrics.from_environment(),
        inline=inline,
    )
    pages = Flask(__name__)
    pages.config["POLICYGRAPH_SETTINGS"] = settings
    remote = pool.store if isinstance(pool, Forwarder) else None
    pages.extensions[EXTENSION] = SiteState(settings, endpoint, opener, remote=remote)
    for blueprint in BLUEPRINTS:
        pages.register_blueprint(blueprint)
    install_response_policy(pages)
    register_error_handlers(pages)
    register_error_pages(pages)
    pages.jinja_env.globals.update(ld_url=lambda iri: urls().url(iri), words=words, curie=curie)
    threads = front_threads(settings)
    sparql = SparqlRoute(endpoint, partial(query_ui.asgi_query_page, pages), threads=threads)
    return Front(pages, sparql, threads=threads)


def front_threads(settings: Settings) -> int:
    """Threads for queries waiting on the pool: enough that a request beyond the query slots
    reaches the pool's queue (and its 503) instead of waiting unseen."""
    return 2 * settings.max_concurrent_queries + 2


__all__ = ["Front", "create_app", "front_threads"]
