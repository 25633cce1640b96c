"""What graphs an engine holds and which version of the dataset they are, read at most so often.

The version is the dataset's own ``pg:version`` (the build writes it in its build graph); a
dataset without one (or with more than one) is versioned by a hash of its graph names and sizes.
Every request that must name the dataset's graphs would otherwise cost a second round trip, so
the catalogue is kept for ``ttl`` seconds, and forgotten at once when the store itself writes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pyoxigraph import NamedNode, Quad, QuerySolutions

from policygraph.namespaces import PREFIXES
from policygraph.store.remote.answers import iri_of, text_of

# Not SELECT DISTINCT ?g, nor GRAPH ?g {}: Virtuoso 7.2 hangs on the first and answers the
# second with no graph at all. Grouping works on every engine tried.
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_VERSIONS = f"SELECT DISTINCT ?v WHERE {{ GRAPH ?g {{ ?x <{PREFIXES['pg']}version> ?v }} }}"


SIZES_TTL = 60.0
"""Seconds between two counts of a dataset's graphs when it records no version of its own."""


@dataclass(frozen=True)
class Catalogue:
    version: str
    graphs: tuple[str, ...]
    """Our named graphs: those under the store's graph prefix (all of them without one)."""
    foreign: tuple[str, ...]
    """The engine's other graphs (its own system graphs, other datasets)."""


class GraphCatalogue:
    """The engine's catalogue, read again when it is older than ``ttl`` seconds."""

    def __init__(
        self, select: Callable[[str], QuerySolutions], graph_prefix: str | None, ttl: float
    ) -> None:
        self._select = select
        self.graph_prefix = graph_prefix
        self.ttl = ttl
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._current = Catalogue("", (), ())
        self._version = ""
        self._counted = float("-inf")

    def version(self) -> str:
        """The dataset's version: its ``pg:version`` (one cheap lookup every ``ttl`` seconds);
        the graphs are listed only for a dataset that records none."""
        with self._lock:
            if time.monotonic() - self._checked < self.ttl:
                return self._version
        versions = self._read_versions()
        if len(versions) == 1:
            version = versions[0]
        else:
            # No recorded version: the graphs' sizes name it, and counting them reads every
            # quad, so it is done again only every ``SIZES_TTL`` seconds.
            with self._lock:
                known, counted = self._current, self._counted
            stale = time.monotonic() - counted >= SIZES_TTL or not known.version
            version = self._counted_catalogue().version if stale else known.version
        with self._lock:
            self._version, self._checked = version, time.monotonic()
        return version

    def current(self) -> Catalogue:
        """The version and its graphs; the graphs are listed again only when the version
        changes (counting every graph takes seconds on a large dataset)."""
        with self._lock:
            fresh = time.monotonic() - self._checked < self.ttl
            known = self._current
            if fresh and known.version == self._version:
                return known
        versions = self._read_versions()
        counted_lately = time.monotonic() - self._counted < SIZES_TTL
        if len(versions) == 1 and versions[0] == known.version:
            catalogue = known
        elif len(versions) != 1 and known.version and counted_lately:
            catalogue = known  # versioned by its sizes, counted a moment ago
        else:
            catalogue = self._counted_catalogue(versions)
        with self._lock:
            self._current, self._version = catalogue, catalogue.version
            self._checked = time.monotonic()
        return catalogue

    def _counted_catalogue(self, versions: list[str] | None = None) -> Catalogue:
        sizes, foreign = self.graph_sizes()
        recorded = versions if versions is not None else self._read_versions()
        version = recorded[0] if len(recorded) == 1 else sizes_version(sizes)
        catalogue = Catalogue(version, tuple(sizes), tuple(foreign))
        with self._lock:
            self._current, self._counted = catalogue, time.monotonic()
        return catalogue

    def invalidate(self) -> None:
        """Forget the catalogue: the next reader asks the engine again."""
        with self._lock:
            self._checked = self._counted = float("-inf")

    def graph_sizes(self) -> tuple[dict[str, int], list[str]]:
        """Our named graphs with their sizes, and the others' names, read now."""
        sizes, foreign = {}, []
        for solution in self._select(_GRAPH_SIZES):
            name, size = iri_of(solution, "g"), text_of(solution, "n")
            if name is None or size is None:
                continue
            if self.graph_prefix is None or name.startswith(self.graph_prefix):
                sizes[name] = int(size)
            else:
                foreign.append(name)
        return dict(sorted(sizes.items())), sorted(foreign)

    def _read_versions(self) -> list[str]:
        return sorted(v for s in self._select(_VERSIONS) if (v := text_of(s, "v")) is not None)


def sizes_version(sizes: Mapping[str, int]) -> str:
    """No (or no single) recorded version: the content is named by its graphs and their sizes."""
    lines = "\n".join(f"{name} {size}" for name, size in sizes.items())
    return "graphs-" + hashlib.sha256(lines.encode()).hexdigest()[:16]


def content_version(quads: Iterable[Quad], graph_prefix: str | None = None) -> str:
    """The version a remote store reports for ``quads`` when they record no ``pg:version``."""
    sizes: dict[str, int] = {}
    for quad in set(quads):
        name = quad.graph_name
        if isinstance(name, NamedNode) and (
            graph_prefix is None or name.value.startswith(graph_prefix)
        ):
            sizes[name.value] = sizes.get(name.value, 0) + 1
    return sizes_version(dict(sorted(sizes.items())))


__all__ = ["SIZES_TTL", "Catalogue", "GraphCatalogue", "content_version", "sizes_version"]
