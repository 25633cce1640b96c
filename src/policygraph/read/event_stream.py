"""The change log as a Linked Data Event Stream: an ``ldes:EventStream`` paged with TREE.

The stream's members are the events of ``read.changes`` (version objects: ``dct:isVersionOf``
what changed, ``prov:generatedAtTime`` when). Page ``n`` holds the events ``n·size`` to
``(n+1)·size - 1`` in order of time; a page links to the next with a
``tree:GreaterThanOrEqualToRelation`` on the timestamp (every member beyond it is at least as
late as the next page's first), and the last page links nowhere, open to what comes next. As
events are only appended, later than those before, a full page never changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.namespaces import DCT, LDES, PROV, RDF, TREE
from policygraph.read.changes import Change, timestamp


@dataclass(frozen=True)
class StreamPage:
    number: int
    members: tuple[Change, ...]
    next_number: int | None
    """The page after this one, None for the last."""
    next_from: Literal | None
    """The timestamp of the next page's first member: no member beyond is earlier."""

    @property
    def full(self) -> bool:
        return self.next_number is not None


def page_of(found: tuple[Change, ...], number: int, size: int) -> StreamPage | None:
    """Page ``number`` of ``found`` (oldest first); None beyond the last (page 0 always is)."""
    start = number * size
    if number < 0 or (number > 0 and start >= len(found)):
        return None
    members = found[start : start + size]
    more = start + size < len(found)
    return StreamPage(
        number,
        members,
        number + 1 if more else None,
        timestamp(found[start + size].at) if more else None,
    )


def stream_triples(stream: str, view: str | None, titles: dict[str, str]) -> list[Triple]:
    """The stream's description: how to read its members, and its first page (its view)."""
    me = NamedNode(stream)
    triples = [
        Triple(me, RDF.type, LDES.EventStream),
        Triple(me, LDES.timestampPath, PROV.generatedAtTime),
        Triple(me, LDES.versionOfPath, DCT.isVersionOf),
    ]
    if view is not None:
        triples += [
            Triple(me, TREE.view, NamedNode(view)),
            Triple(NamedNode(view), RDF.type, TREE.Node),
        ]
    triples += [Triple(me, DCT.title, Literal(t, language=lang)) for lang, t in titles.items()]
    return triples


def page_triples(
    stream: str, page_url: str, page: StreamPage, next_url: str | None, titles: dict[str, str]
) -> list[Triple]:
    """A page: the stream it is a view of, its members with their statements, the relation
    to the next page."""
    node = NamedNode(page_url)
    me = NamedNode(stream)
    # The first page is the stream's view; a later one is a node the relations lead to.
    triples = stream_triples(stream, page_url if page.number == 0 else None, titles)
    if page.number != 0:
        triples.append(Triple(node, RDF.type, TREE.Node))
    if next_url is not None and page.next_from is not None:
        relation = NamedNode(page_url + "#next")
        triples += [
            Triple(node, TREE.relation, relation),
            Triple(relation, RDF.type, TREE.GreaterThanOrEqualToRelation),
            Triple(relation, TREE.node, NamedNode(next_url)),
            Triple(relation, TREE.path, PROV.generatedAtTime),
            Triple(relation, TREE.value, page.next_from),
        ]
    for member in page.members:
        triples.append(Triple(me, TREE.member, NamedNode(member.iri)))
        triples += member.triples()
    return triples


__all__ = ["StreamPage", "page_of", "page_triples", "stream_triples"]
