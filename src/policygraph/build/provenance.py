"""The DCAT/PROV description of every source document and every named graph.

Content facts sit in one named graph per source; this module describes those graphs and the
documents they were read from (title, origin, licence, checksum) in ``{base}/graph/bronnen``,
and the build that read them, with its clock times, in ``{base}/graph/build``. The build graph
is the only part of a build that changes when the sources do not, and it is left out of the
content version (see ``build.content_version``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad, Triple

from policygraph.namespaces import DCAT, DCT, FOAF, PG, PROV, RDF, SD, SPDX, VOID, XSD, Minter
from policygraph.sources import SourceDocument, SourceGraph

COMPILATION_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def dataset_iri(minter: Minter) -> NamedNode:
    return minter.thing("dataset", "policygraph")


def describe_sources(graphs: Iterable[SourceGraph], minter: Minter) -> SourceGraph | None:
    """Triples describing each named graph and each source document once."""
    graphs = list(graphs)
    if not graphs:
        return None
    triples: list[Triple] = []
    dataset = dataset_iri(minter)
    triples += [
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(dataset, RDF.type, VOID.Dataset),
        *(Triple(dataset, DCT.title, title) for title in _dataset_titles(graphs, minter)),
        # The compilation is ours; each named graph states the licence of what it holds.
        Triple(dataset, DCT.license, NamedNode(COMPILATION_LICENSE)),
        Triple(
            dataset,
            DCT.rights,
            Literal("Each named graph carries the licence of its source document.", language="en"),
        ),
    ]
    documents: dict[str, SourceDocument] = {}
    for graph in graphs:
        documents.setdefault(graph.document.slug, graph.document)
        doc = minter.source(graph.document.slug)
        triples += [
            Triple(dataset, PROV.wasDerivedFrom, doc),
            Triple(dataset, DCT.hasPart, graph.name),
            Triple(graph.name, RDF.type, DCAT.Dataset),
            Triple(graph.name, RDF.type, SD.NamedGraph),
            Triple(graph.name, SD.name, graph.name),
            Triple(graph.name, DCT.title, Literal(graph.title)),
            Triple(graph.name, DCT.isPartOf, dataset),
            Triple(graph.name, PROV.wasDerivedFrom, doc),
            Triple(graph.name, DCT.license, NamedNode(graph.document.license)),
            Triple(
                graph.name, VOID.triples, Literal(str(len(graph.triples)), datatype=XSD.integer)
            ),
        ]
    for slug, document in sorted(documents.items()):
        triples += describe_document(document, minter.source(slug))
    return SourceGraph(
        name=minter.graph("bronnen"),
        title="Bronnen en grafen van policygraph / sources and graphs of policygraph",
        document=graphs[0].document,
        triples=tuple(triples),
    )


def _dataset_titles(graphs: Iterable[SourceGraph], minter: Minter) -> list[Literal]:
    """The dataset's titles name the agreements it holds, as their declarations slug them.

    Graphs without an agreement (an update of other sources) give no title: the one of the
    full build stays.
    """
    slugs = sorted(
        {
            slug
            for graph in graphs
            for t in graph.triples
            if t.predicate == RDF.type and t.object == PG.CoalitionAgreement
            if isinstance(t.subject, NamedNode)
            if (slug := minter.agreement_slug(t.subject)) is not None
        }
    )
    if not slugs:
        return []
    if len(slugs) == 1:
        nl = f"het Vlaamse regeerakkoord {slugs[0]} en zijn uitvoering"
        en = f"the Flemish coalition agreement {slugs[0]} and its implementation"
    else:
        listed = ", ".join(slugs[:-1])
        nl = f"de Vlaamse regeerakkoorden {listed} en {slugs[-1]} en hun uitvoering"
        en = f"the Flemish coalition agreements {listed} and {slugs[-1]} and their implementation"
    return [
        Literal(f"policygraph: {nl}", language="nl"),
        Literal(f"policygraph: {en}", language="en"),
    ]


def checksum_node(document: NamedNode) -> NamedNode:
    """The node that carries the checksum of the source document ``document``."""
    return NamedNode(document.value + "#sha256")


def describe_document(document: SourceDocument, iri: NamedNode) -> list[Triple]:
    checksum = checksum_node(iri)
    return [
        Triple(iri, RDF.type, PG.SourceDocument),
        Triple(iri, RDF.type, FOAF.Document),
        Triple(iri, RDF.type, PROV.Entity),
        Triple(iri, DCT.title, Literal(document.title)),
        Triple(iri, DCT.source, NamedNode(document.origin)),
        Triple(iri, DCT.license, NamedNode(document.license)),
        Triple(iri, DCT["format"], Literal(document.media_type)),
        Triple(iri, PG.path, Literal(document.relative_path)),
        Triple(iri, SPDX.checksum, checksum),
        Triple(checksum, RDF.type, SPDX.Checksum),
        Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        Triple(checksum, SPDX.checksumValue, Literal(document.sha256(), datatype=XSD.hexBinary)),
    ]


def describe_build(
    read_at: Mapping[str, datetime],
    minter: Minter,
    *,
    version: str,
    started: datetime,
    ended: datetime,
) -> list[Quad]:
    """The build as a prov:Activity: when it read each source document, what it generated.

    ``read_at`` maps each source document's slug to the moment the build read it.
    """
    build = minter.thing("build", version)
    name = minter.graph("build")

    def at(moment: datetime) -> Literal:
        return Literal(moment.isoformat(), datatype=XSD.dateTime)

    triples = [
        Triple(build, RDF.type, PROV.Activity),
        Triple(build, PROV.startedAtTime, at(started)),
        Triple(build, PROV.endedAtTime, at(ended)),
        Triple(build, PROV.generated, dataset_iri(minter)),
        Triple(dataset_iri(minter), PROV.wasGeneratedBy, build),
        Triple(dataset_iri(minter), PG.version, Literal(version)),
    ]
    for slug, moment in sorted(read_at.items()):
        usage = NamedNode(f"{build.value}#read-{slug}")
        triples += [
            Triple(build, PROV.used, minter.source(slug)),
            Triple(build, PROV.qualifiedUsage, usage),
            Triple(usage, RDF.type, PROV.Usage),
            Triple(usage, PROV.entity, minter.source(slug)),
            Triple(usage, PROV.atTime, at(moment)),
        ]
    return [Quad(t.subject, t.predicate, t.object, name) for t in triples]
