"""The VoID and DCAT description of the dataset, computed from the store by SPARQL counts.

``void_figures`` counts (the expensive part, done once per store version); ``void_triples``
turns the figures into RDF for the serving host: the dataset and graph IRIs stay under the base
IRI, while the SPARQL endpoint, dumps and this document are URLs made by ``UrlMapper``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions, Triple, Variable

from policygraph.build.provenance import dataset_iri
from policygraph.namespaces import (
    DCAT,
    DCT,
    FOAF,
    ONTOLOGY_IRI,
    PREFIXES,
    PROV,
    RDF,
    SD,
    SPDX,
    VOID,
    XSD,
    Minter,
    UrlMapper,
)
from policygraph.read.dumps import DumpSet
from policygraph.store import GraphStore

# The resources a newcomer to the data should look at first; those the store lacks are left out.
EXAMPLE_RESOURCES: tuple[tuple[str, ...], ...] = (
    ("regeerakkoord", "2019-2024"),
    ("regeerakkoord", "2019-2024", "sectie", "buitenlands-beleid-en-toerisme", "4.3.2"),
    ("regeerakkoord", "2019-2024", "beoordeling", "buitenlands-beleid-en-toerisme", "4.3.2"),
    ("organisatie", "fit"),
    ("campagne", "fit-lifesciences-health-2021"),
    ("beslissing", "5D9C56D56B1B8100080001EA"),
)

_TOTALS = """
SELECT (COUNT(*) AS ?triples) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }
"""
_DISTINCT = """
SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
       (COUNT(DISTINCT ?p) AS ?properties)
WHERE { GRAPH ?g { ?s ?p ?o } }
"""
_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { GRAPH ?g { ?s a ?class } }
GROUP BY ?class ORDER BY ?class
"""
_PROPERTIES = """
SELECT ?p (COUNT(*) AS ?triples) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }
GROUP BY ?p ORDER BY ?p
"""
_GRAPHS = """
SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g
"""
_GRAPH_METADATA = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?p ?o WHERE {
  GRAPH ?meta { ?g ?p ?o }
  VALUES ?p { dct:title dct:license prov:wasDerivedFrom }
}
"""
_SOURCE_ORIGINS = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?g ?origin WHERE { ?g prov:wasDerivedFrom ?doc . ?doc dct:source ?origin }
"""
_ENTITIES = """
SELECT ?space (COUNT(DISTINCT ?s) AS ?entities) WHERE {
  GRAPH ?g { ?s a ?class } FILTER (isIRI(?s) && STRSTARTS(STR(?s), ?space))
}
GROUP BY ?space
"""
_MODIFIED = """
PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?modified WHERE { ?version a pg:DatasetVersion ; dct:modified ?modified }
ORDER BY DESC(?modified) LIMIT 1
"""


@dataclass(frozen=True)
class GraphFigures:
    iri: str
    triples: int
    titles: tuple[Literal, ...]
    licenses: tuple[str, ...]
    sources: tuple[str, ...]
    """The source documents the graph was derived from."""
    origins: tuple[str, ...]
    """Where those documents come from (their dct:source)."""


@dataclass(frozen=True)
class VoidFigures:
    version: str
    triples: int
    """Distinct triples in the union of all named graphs."""
    entities: int
    """Distinct typed resources under the base IRI's /id/ space."""
    distinct_subjects: int
    distinct_objects: int
    properties: int
    classes: tuple[tuple[str, int], ...]
    """Each class with its number of distinct instances."""
    property_triples: tuple[tuple[str, int], ...]
    graphs: tuple[GraphFigures, ...]
    examples: tuple[str, ...]
    modified: Literal | None


def _solutions(result: object) -> QuerySolutions:
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    return result


def _count(store: GraphStore, query: str, name: str, **bound: Literal) -> int:
    substitutions = {Variable(k): v for k, v in bound.items()} or None
    for row in _solutions(store.query(query, substitutions=substitutions)):
        return int(row[name].value)
    return 0


def void_figures(store: GraphStore, base_iri: str) -> VoidFigures:
    """Count what the store holds, by SPARQL over its named graphs."""
    minter = Minter(base_iri)
    distinct = next(iter(_solutions(store.query(_DISTINCT))))
    metadata: dict[str, dict[str, list[Literal | NamedNode]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in _solutions(store.query(_GRAPH_METADATA)):
        term = row["o"]
        if isinstance(term, Literal | NamedNode):
            metadata[row["g"].value][row["p"].value].append(term)
    origins: dict[str, set[str]] = defaultdict(set)
    for row in _solutions(store.query(_SOURCE_ORIGINS)):
        origins[row["g"].value].add(row["origin"].value)
    graphs = []
    for row in _solutions(store.query(_GRAPHS)):
        graph = row["g"].value
        facts = metadata.get(graph, {})
        graphs.append(
            GraphFigures(
                iri=graph,
                triples=int(row["triples"].value),
                titles=tuple(t for t in facts.get(DCT.title.value, []) if isinstance(t, Literal)),
                licenses=tuple(sorted({t.value for t in facts.get(DCT.license.value, [])})),
                sources=tuple(sorted({t.value for t in facts.get(PROV.wasDerivedFrom.value, [])})),
                origins=tuple(sorted(origins.get(graph, ()))),
            )
        )
    examples = []
    for ref in EXAMPLE_RESOURCES:
        iri = minter.thing(*ref)
        found = store.query("ASK { ?s ?p ?o }", substitutions={Variable("s"): iri})
        if bool(found):
            examples.append(iri.value)
    modified = None
    for row in _solutions(store.query(_MODIFIED)):
        value = row["modified"]
        modified = value if isinstance(value, Literal) else None
    return VoidFigures(
        version=store.version,
        triples=_count(store, _TOTALS, "triples"),
        entities=_count(store, _ENTITIES, "entities", space=Literal(f"{minter.base}/id/")),
        distinct_subjects=int(distinct["subjects"].value),
        distinct_objects=int(distinct["objects"].value),
        properties=int(distinct["properties"].value),
        classes=tuple(
            (r["class"].value, int(r["entities"].value)) for r in _solutions(store.query(_CLASSES))
        ),
        property_triples=tuple(
            (r["p"].value, int(r["triples"].value)) for r in _solutions(store.query(_PROPERTIES))
        ),
        graphs=tuple(graphs),
        examples=tuple(examples),
        modified=modified,
    )


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def void_triples(
    figures: VoidFigures,
    *,
    base_iri: str,
    mapper: UrlMapper,
    dumps: DumpSet | None,
) -> list[Triple]:
    """The VoID and DCAT description: the dataset, its graphs, its dumps and its endpoint."""
    minter = Minter(base_iri)
    dataset = dataset_iri(minter)
    document = NamedNode(mapper.to_url(f"{minter.base}/.well-known/void"))
    endpoint = NamedNode(mapper.to_url(f"{minter.base}/sparql"))
    triples = [
        Triple(document, RDF.type, VOID.DatasetDescription),
        Triple(document, FOAF.primaryTopic, dataset),
        Triple(document, DCT.title, Literal("VoID description of policygraph", language="en")),
        Triple(dataset, RDF.type, VOID.Dataset),
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(
            dataset,
            DCT.title,
            Literal(
                "policygraph: the Flemish coalition agreement 2019-2024 and its implementation",
                language="en",
            ),
        ),
        Triple(
            dataset,
            DCT.title,
            Literal(
                "policygraph: het Vlaamse regeerakkoord 2019-2024 en zijn uitvoering", language="nl"
            ),
        ),
        Triple(dataset, DCT.license, NamedNode("https://opensource.org/licenses/MIT")),
        Triple(dataset, DCT.hasVersion, Literal(figures.version)),
        Triple(dataset, VOID.sparqlEndpoint, endpoint),
        Triple(dataset, VOID.uriSpace, Literal(f"{minter.base}/id/")),
        Triple(dataset, VOID.vocabulary, NamedNode(ONTOLOGY_IRI)),
        Triple(dataset, VOID.triples, _integer(figures.triples)),
        Triple(dataset, VOID.entities, _integer(figures.entities)),
        Triple(dataset, VOID.distinctSubjects, _integer(figures.distinct_subjects)),
        Triple(dataset, VOID.distinctObjects, _integer(figures.distinct_objects)),
        Triple(dataset, VOID.properties, _integer(figures.properties)),
        Triple(dataset, VOID.classes, _integer(len(figures.classes))),
        Triple(dataset, DCAT.landingPage, NamedNode(mapper.to_url(f"{minter.base}/"))),
    ]
    if figures.modified is not None:
        triples.append(Triple(dataset, DCT.modified, figures.modified))
    for namespace in sorted({PREFIXES[p] for p in ("pg", "pgc", "dct", "prov", "org", "skos")}):
        triples.append(Triple(dataset, VOID.vocabulary, NamedNode(namespace.rstrip("#"))))
    for example in figures.examples:
        triples.append(Triple(dataset, VOID.exampleResource, NamedNode(example)))
    service = NamedNode(f"{endpoint.value}#service")
    triples += [
        Triple(service, RDF.type, DCAT.DataService),
        Triple(service, RDF.type, SD.Service),
        Triple(service, DCAT.endpointURL, endpoint),
        Triple(service, SD.endpoint, endpoint),
        Triple(service, DCT.conformsTo, NamedNode("https://www.w3.org/TR/sparql11-protocol/")),
        Triple(service, DCAT.servesDataset, dataset),
        Triple(service, DCT.title, Literal("policygraph SPARQL endpoint", language="en")),
        Triple(dataset, DCAT.accessService, service),
    ]
    for index, (cls, count) in enumerate(figures.classes):
        node = NamedNode(f"{document.value}#class-{index}")
        triples += [
            Triple(dataset, VOID.classPartition, node),
            Triple(node, VOID["class"], NamedNode(cls)),
            Triple(node, VOID.entities, _integer(count)),
        ]
    for index, (prop, count) in enumerate(figures.property_triples):
        node = NamedNode(f"{document.value}#property-{index}")
        triples += [
            Triple(dataset, VOID.propertyPartition, node),
            Triple(node, VOID.property, NamedNode(prop)),
            Triple(node, VOID.triples, _integer(count)),
        ]
    for graph in figures.graphs:
        node = NamedNode(graph.iri)
        triples += [
            Triple(dataset, VOID.subset, node),
            Triple(node, RDF.type, VOID.Dataset),
            Triple(node, RDF.type, SD.NamedGraph),
            Triple(node, SD.name, node),
            Triple(node, VOID.triples, _integer(graph.triples)),
            Triple(node, VOID.sparqlEndpoint, endpoint),
        ]
        triples += [Triple(node, DCT.title, title) for title in graph.titles]
        triples += [Triple(node, DCT.license, NamedNode(lic)) for lic in graph.licenses]
        triples += [Triple(node, PROV.wasDerivedFrom, NamedNode(src)) for src in graph.sources]
        triples += [Triple(node, DCT.source, NamedNode(origin)) for origin in graph.origins]
    if dumps is not None:
        for dump in dumps.files:
            url = NamedNode(mapper.to_url(f"{minter.base}/dumps/{dumps.version}/{dump.name}"))
            distribution = NamedNode(f"{url.value}#distribution")
            checksum = NamedNode(f"{url.value}#sha256")
            if dump.is_rdf:
                triples.append(Triple(dataset, VOID.dataDump, url))
            triples += [
                Triple(dataset, DCAT.distribution, distribution),
                Triple(distribution, RDF.type, DCAT.Distribution),
                Triple(distribution, DCAT.downloadURL, url),
                Triple(distribution, DCAT.accessURL, url),
                Triple(distribution, DCAT.mediaType, _media_type(dump.media_type)),
                Triple(distribution, DCAT.byteSize, Literal(str(dump.size), datatype=XSD.decimal)),
                Triple(distribution, DCT.license, NamedNode("https://opensource.org/licenses/MIT")),
                Triple(distribution, SPDX.checksum, checksum),
                Triple(checksum, RDF.type, SPDX.Checksum),
                Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
                Triple(checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)),
            ]
            if dump.encoding == "gzip":
                triples.append(
                    Triple(distribution, DCAT.compressFormat, _media_type("application/gzip"))
                )
            if dump.name == "verdicts.csv":
                codebook = NamedNode(mapper.to_url(f"{minter.base}/dumps/verdicts"))
                triples.append(Triple(distribution, DCT.conformsTo, codebook))
    triples += _change_feeds(dataset, minter, mapper)
    return triples


# The change feeds, as distributions: the event stream and the Atom feed of the same events.
_FEEDS = (
    ("ldes", "text/turtle", "https://w3id.org/ldes/specification"),
    ("feed.atom", "application/atom+xml", "https://www.rfc-editor.org/rfc/rfc4287"),
)


def _change_feeds(dataset: NamedNode, minter: Minter, mapper: UrlMapper) -> list[Triple]:
    triples = []
    for path, media_type, standard in _FEEDS:
        url = NamedNode(mapper.to_url(f"{minter.base}/{path}"))
        distribution = NamedNode(f"{url.value}#distribution")
        triples += [
            Triple(dataset, DCAT.distribution, distribution),
            Triple(distribution, RDF.type, DCAT.Distribution),
            Triple(distribution, DCAT.accessURL, url),
            Triple(distribution, DCAT.mediaType, _media_type(media_type)),
            Triple(distribution, DCT.conformsTo, NamedNode(standard)),
        ]
    return triples


def _media_type(media_type: str) -> NamedNode:
    return NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}")
