"""The build: every source → named graphs → SHACL validation → a published store version.

``collect`` reads the sources into ``SourceGraph`` values (pure, no store); ``build`` hands them
to ``publishing.publish``, which validates them and, only when they conform, writes and switches
to a new version. A failed build leaves the published version untouched and serving.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import rdflib
import rdflib.compare
from pyoxigraph import BlankNode, Quad, Triple

from policygraph.build.publishing import PublishResult, publish, with_descriptions
from policygraph.config import Settings, required_data_dir
from policygraph.namespaces import Minter
from policygraph.progress import Progress, SilentProgress
from policygraph.rdfio import from_rdflib, rdflib_graph
from policygraph.sources import SourceGraph
from policygraph.sources.agreement import read_agreement
from policygraph.sources.curated import read_curated
from policygraph.sources.decisions import read_decisions
from policygraph.sources.mentions import find_mentions
from policygraph.sources.ontology import read_ontology
from policygraph.sources.reports import read_reports

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


def collect(settings: Settings, progress: Progress | None = None) -> Collected:
    """Read every source into named graphs."""
    progress = progress or SilentProgress()
    minter = Minter(settings.base_iri)
    data_dir = required_data_dir(settings)
    graphs: list[SourceGraph] = []
    read_at: dict[str, datetime] = {}
    clock = time.perf_counter()

    def read(reader: Callable[[], Sequence[SourceGraph]]) -> list[SourceGraph]:
        moment = datetime.now(UTC)
        produced = [stable_blank_nodes(g) for g in reader()]
        for graph in produced:
            read_at.setdefault(graph.document.slug, moment)
        graphs.extend(produced)
        progress.advance()
        return produced

    progress.start("reading sources", total=6)
    read(lambda: read_ontology(settings.ontology_dir, minter))
    decisions_graph, index = read_decisions(data_dir, minter)
    read(lambda: [decisions_graph])
    read(lambda: read_reports(data_dir, minter, index))
    (agreement,) = read(lambda: [read_agreement(data_dir, minter)])
    curated = read(lambda: read_curated(data_dir, minter))
    organisations = next(g for g in curated if g.name == minter.graph("organisaties"))
    read(lambda: [find_mentions(agreement, organisations, minter)])
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


def build(settings: Settings, progress: Progress | None = None) -> BuildResult:
    """Read, validate and publish a new store version; raise ValidationFailed on Violations."""
    collected = collect(settings, progress)
    result = publish(
        settings, collected.graphs, collected.read_at, replace_all=True, progress=progress
    )
    return dataclasses.replace(result, seconds={"read": collected.seconds, **result.seconds})
