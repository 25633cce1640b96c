"""What the page routes share: the state of the app, and the IRIs and language of a request.

``create_app`` puts one ``SiteState`` on the Flask app; the route modules reach it through
``state()``: the store of the version published now (reopened when a build publishes another),
settings read at start-up, the endpoint (for ``/healthz`` and ``/metrics``), and small caches of
what is costly to compute, keyed by version. This module imports no route module, so every route
module may import it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app, request

from policygraph.config import Settings
from policygraph.namespaces import ONTOLOGY_IRI, UrlMapper
from policygraph.query import VersionOpener
from policygraph.read.describe import LANGUAGES
from policygraph.store import GraphStore
from policygraph.store.local import LocalStore
from policygraph.web.sparql.endpoint import SparqlEndpoint

EXTENSION = "policygraph.site"
# The ontology and code lists live under a fixed namespace, whatever the base IRI is.
NS_BASE = ONTOLOGY_IRI.rsplit("/", 1)[0]

T = TypeVar("T")


class SiteState:
    """The app's state: settings, the endpoint, the published store as the pages read it."""

    def __init__(
        self,
        settings: Settings,
        endpoint: SparqlEndpoint,
        opener: VersionOpener | None,
        *,
        remote: GraphStore | None = None,
    ) -> None:
        self.settings = settings
        self.endpoint = endpoint
        self._opener = opener
        self._remote = remote
        self._opened: LocalStore | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[object, ...], object] = OrderedDict()

    def store(self) -> GraphStore:
        """The store of the version published now (an external engine's: the engine itself)."""
        if self._remote is not None:
            return self._remote
        assert self._opener is not None
        current = self.endpoint.versions.current()
        opened = self._opened
        if opened is None or opened.version != current.version:
            store = self._opener.store(current.path)
            opened = self._opened = LocalStore(store, current.version, current.path)
        return opened

    def cached(self, key: tuple[object, ...], compute: Callable[[], T], size: int = 64) -> T:
        """``compute()``, remembered under ``key`` (which should hold the store version)."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > size:
                self._cache.popitem(last=False)
        return value


def state() -> SiteState:
    found = current_app.extensions[EXTENSION]
    assert isinstance(found, SiteState)
    return found


@dataclass(frozen=True)
class Urls:
    """IRIs ↔ URLs of this request's host: the same data serves localhost and its domain."""

    things: UrlMapper
    vocabulary: UrlMapper

    def url(self, iri: str) -> str:
        """Where an IRI is served here; an IRI outside our spaces stays itself."""
        mapped = self.things.to_url(iri)
        return mapped if mapped != iri else self.vocabulary.to_url(iri)

    def served_here(self, iri: str) -> bool:
        return self.url(iri) != iri

    @property
    def root(self) -> str:
        return self.things.public_url


def urls() -> Urls:
    root = request.url_root.rstrip("/")
    base = state().settings.base_iri
    return Urls(UrlMapper(base, root), UrlMapper(NS_BASE, root + "/ns"))


def request_iri() -> str:
    """The IRI this request names: the configured base plus the request's path."""
    return state().settings.base_iri + request.path


def language() -> str:
    """``?lang=`` if given, else the best of Accept-Language, else Dutch."""
    wanted = request.args.get("lang", "").strip().lower()
    if wanted in LANGUAGES:
        return wanted
    return request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0]) or LANGUAGES[0]


__all__ = [
    "EXTENSION",
    "NS_BASE",
    "SiteState",
    "Urls",
    "language",
    "request_iri",
    "state",
    "urls",
]
