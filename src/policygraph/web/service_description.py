"""The SPARQL 1.1 Service Description of the endpoint, as RDF triples.

``GET /sparql`` without a query answers with this graph (by negotiation), so a client can learn
the endpoint's address, language, result formats and dataset features from the endpoint itself
(https://www.w3.org/TR/sparql11-service-description/).
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from policygraph.formats import RESULT_FORMATS, W3C_FORMATS
from policygraph.namespaces import DCT, RDF, RDFS, SD
from policygraph.search.textscore import TEXT_SCORE

FORMATS = W3C_FORMATS

FORMAT_IRIS: dict[str, NamedNode] = {f.name: NamedNode(f.iri) for f in RESULT_FORMATS}


def service_description(
    endpoint: str, *, union_default_graph: bool, service_allowlist: tuple[str, ...]
) -> list[Triple]:
    """The triples describing the query service at ``endpoint`` (its public URL)."""
    service = NamedNode(endpoint + "#service")
    dataset = BlankNode()
    default_graph = BlankNode()
    triples = [
        Triple(service, RDF.type, SD.Service),
        Triple(service, SD.endpoint, NamedNode(endpoint)),
        Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
        Triple(service, DCT.title, Literal("policygraph SPARQL 1.1 query service", language="en")),
        Triple(service, SD.defaultDataset, dataset),
        Triple(dataset, RDF.type, SD.Dataset),
        Triple(dataset, SD.defaultGraph, default_graph),
        Triple(default_graph, RDF.type, SD.Graph),
    ]
    triples += [Triple(service, SD.resultFormat, iri) for iri in FORMAT_IRIS.values()]
    if union_default_graph:
        triples.append(Triple(service, SD.feature, SD.UnionDefaultGraph))
    if service_allowlist:
        triples.append(Triple(service, SD.feature, SD.BasicFederatedQuery))
    # pg:textScore(?resource, "text"): full-text search inside a query (docs/endpoint.md).
    triples += [
        Triple(service, SD.extensionFunction, TEXT_SCORE),
        Triple(TEXT_SCORE, RDF.type, SD.Function),
        Triple(
            TEXT_SCORE,
            RDFS.comment,
            Literal(
                "pg:textScore(?resource, text): the full-text score (xsd:double) of ?resource "
                "for the text, as /search ranks it; unbound when it does not match.",
                language="en",
            ),
        ),
    ]
    return triples


__all__ = ["FORMAT_IRIS", "service_description"]
