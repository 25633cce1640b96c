"""The build: every source → named graphs → SHACL validation → a published store version.

``collect`` reads the sources into ``SourceGraph`` values (pure, no store); ``build`` hands them
to ``publishing.publish``, which validates them and, only when they conform, writes and switches
to a new version. A failed build leaves the published version untouched and serving.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import rdflib
import rdflib.compare
from pyoxigraph import BlankNode, Quad, Triple

from policygraph.build.fingerprint import build_fingerprint, record_fingerprint, unchanged_version
from policygraph.build.publishing import PublishResult, publish, with_descriptions
from policygraph.config import Settings, required_data_dir
from policygraph.errors import SourceError
from policygraph.namespaces import Minter
from policygraph.progress import Progress, SilentProgress
from policygraph.rdfio import from_rdflib, rdflib_graph
from policygraph.sources import SourceGraph
from policygraph.sources.registry import SOURCES, Read, Source, run

BuildResult = PublishResult


@dataclass(frozen=True)
class Collected:
    """Every source graph of a build, in build order, and when each source was read."""

    graphs: tuple[SourceGraph, ...]
    read_at: dict[str, datetime]
    seconds: float

    def quads(self, minter: Minter) -> list[Quad]:
        """The content as it would be published: the graphs and the graph describing them."""
        return with_descriptions(self.graphs, minter)


def collect(
    settings: Settings,
    progress: Progress | None = None,
    sources: tuple[Source, ...] = SOURCES,
) -> Collected:
    """Read every declared source into named graphs, each after the sources it needs."""
    progress = progress or SilentProgress()
    data_dir = required_data_dir(settings)
    graphs: list[SourceGraph] = []
    read_at: dict[str, datetime] = {}
    clock = time.perf_counter()
    names: set[str] = set()

    def keep(source: Source, read: Read) -> Read:
        moment = datetime.now(UTC)
        produced = tuple(stable_blank_nodes(g) for g in read.graphs)
        for graph in produced:
            if graph.name.value in names:  # two sources (or agreements) minting one graph
                raise SourceError(f"the source {source.name!r} gives {graph.name} a second time")
            names.add(graph.name.value)
            read_at.setdefault(graph.document.slug, moment)
        graphs.extend(produced)
        progress.advance()
        return Read(produced, read.value)

    progress.start("reading sources", total=len(sources))
    minter = Minter(settings.base_iri)
    run(sources, data_dir, settings.ontology_dir, minter, keep, settings.max_input_bytes)
    progress.finish("reading sources", f"{len(graphs)} graphs")
    return Collected(tuple(graphs), read_at, time.perf_counter() - clock)


def stable_blank_nodes(graph: SourceGraph) -> SourceGraph:
    """Give blank nodes labels made from their content, so that two builds agree on them.

    Parsers label anonymous blank nodes at random; canonical labelling (rdflib's RGDA1) makes
    the labels a function of the graph. Only graphs that have blank nodes pay for it.
    """
    if not any(
        isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in graph.triples
    ):
        return graph
    canonical = rdflib.compare.to_canonical_graph(rdflib_graph(graph.triples))
    triples = tuple(
        sorted(
            (Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in canonical),  # type: ignore[arg-type]
            key=str,
        )
    )
    return SourceGraph(graph.name, graph.title, graph.document, triples)


@dataclass(frozen=True)
class Kept:
    """A build that found the published version built from the same inputs, code and settings."""

    version: str
    seconds: float

    def summary(self) -> str:
        return (
            f"unchanged since version {self.version} (inputs and code unchanged), kept "
            f"({self.seconds:.2f} s; rebuild with --force)"
        )


def build_or_keep(
    settings: Settings, progress: Progress | None = None, *, force: bool = False
) -> BuildResult | Kept:
    """``build``, unless the published version has this build's fingerprint: then it is kept
    without reading anything (``force`` builds anyway; a remote store is not asked)."""
    clock = time.perf_counter()
    fingerprint = build_fingerprint(settings)
    kept = None if force or settings.store_url else unchanged_version(settings, fingerprint)
    if kept is not None:
        return Kept(kept, time.perf_counter() - clock)
    return build(settings, progress, fingerprint=fingerprint)


def build(
    settings: Settings, progress: Progress | None = None, *, fingerprint: str | None = None
) -> BuildResult:
    """Read, validate and publish a new store version; raise ValidationFailed on Violations."""
    fingerprint = fingerprint or build_fingerprint(settings)
    collected = collect(settings, progress)
    result = publish(
        settings, collected.graphs, collected.read_at, replace_all=True, progress=progress
    )
    record_fingerprint(result.version_dir, fingerprint)
    return dataclasses.replace(result, seconds={"read": collected.seconds, **result.seconds})
