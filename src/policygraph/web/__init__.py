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
from policygraph.read.ontology_docs import curie
from policygraph.web import (
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
    feeds.blueprint,
    codebook.blueprint,
)


def create_app(settings: Settings, *, source: DatasetSource, pool: QueryPool) -> Front:
    """The app serving ``source``, its queries evaluated by ``pool`` (which reads ``source``)."""
    cache = AnswerCache(
        max_entries=settings.cache_entries,
        max_entry_bytes=min(settings.cache_max_bytes, settings.result_buffer_bytes),
        max_total_bytes=settings.cache_total_bytes,
    )
    # One reader of the published version for this process: the inline lane and the pages.
    opener = VersionOpener(source)
    inline = (
        InlineLane(opener, endpoint_limits(settings), budget_bytes=settings.inline_result_bytes)
        if settings.inline_result_bytes
        else None
    )
    endpoint = SparqlEndpoint(
        settings,
        pool=pool,
        versions=VersionTracker(source),
        cache=cache,
        metrics=Metrics.from_environment(),
        inline=inline,
    )
    pages = Flask(__name__)
    pages.config["POLICYGRAPH_SETTINGS"] = settings
    pages.extensions[EXTENSION] = SiteState(settings, endpoint, opener)
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
