"""A client of a Linked Data Event Stream, as a consumer replicates one: from the stream's
document to its view, then through every TREE relation to the end, keeping each member once."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import rdflib

LDES = rdflib.Namespace("https://w3id.org/ldes#")
TREE = rdflib.Namespace("https://w3id.org/tree#")


@dataclass
class Replica:
    stream: rdflib.URIRef
    pages: list[str] = field(default_factory=list)
    members: list[rdflib.URIRef] = field(default_factory=list)
    graph: rdflib.Graph = field(default_factory=rdflib.Graph)
    """Every page's statements: the members' descriptions among them."""


def fetch(url: str) -> rdflib.Graph:
    response = httpx.get(url, headers={"Accept": "text/turtle"}, timeout=60)
    response.raise_for_status()
    graph = rdflib.Graph()
    graph.parse(data=response.text, format="turtle", publicID=url)
    return graph


def replicate(url: str, *, max_pages: int = 1000) -> Replica:
    entry = fetch(url)
    (stream,) = entry.subjects(rdflib.RDF.type, LDES.EventStream)
    assert isinstance(stream, rdflib.URIRef)
    replica = Replica(stream)
    todo = [str(node) for node in entry.objects(stream, TREE.view)]
    seen: set[str] = set()
    while todo:
        page = todo.pop(0)
        if page in seen:
            continue
        seen.add(page)
        assert len(seen) <= max_pages, "the relations do not end"
        graph = fetch(page)
        replica.pages.append(page)
        replica.graph += graph
        for member in sorted(graph.objects(stream, TREE.member)):
            assert isinstance(member, rdflib.URIRef)
            replica.members.append(member)
        for relation in graph.objects(rdflib.URIRef(page), TREE.relation):
            todo += [str(node) for node in graph.objects(relation, TREE.node)]
    return replica
