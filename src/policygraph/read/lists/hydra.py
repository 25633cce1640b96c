"""A page of a list as RDF: a Hydra collection, its members, and the view that pages it.

``<list> a hydra:Collection; hydra:totalItems n; hydra:member …; hydra:view <page>``, the page
``a hydra:PartialCollectionView`` with ``hydra:first``, ``hydra:previous``, ``hydra:next`` and
``hydra:last``, so a client pages through a list by following links, knowing nothing of our
parameters. The collection and its views are documents of this server (their URLs), the members
are things (their IRIs).
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.namespaces import DCT, HYDRA, RDF, XSD
from policygraph.read.lists.model import ListPage


def hydra_triples(
    page: ListPage, collection_url: str, page_url: Callable[[int], str], title: str, language: str
) -> list[Triple]:
    """The triples of one page of a list; ``page_url(n)`` is the URL of page n."""
    collection = NamedNode(collection_url)
    view = NamedNode(page_url(page.page))
    triples = [
        Triple(collection, RDF.type, HYDRA.Collection),
        Triple(collection, DCT.title, Literal(title, language=language)),
        Triple(collection, HYDRA.totalItems, Literal(str(page.total), datatype=XSD.integer)),
        Triple(collection, HYDRA.view, view),
        Triple(view, RDF.type, HYDRA.PartialCollectionView),
        Triple(view, HYDRA.first, NamedNode(page_url(1))),
        Triple(view, HYDRA.last, NamedNode(page_url(page.pages))),
    ]
    if page.page > 1:
        triples.append(Triple(view, HYDRA.previous, NamedNode(page_url(page.page - 1))))
    if page.page < page.pages:
        triples.append(Triple(view, HYDRA.next, NamedNode(page_url(page.page + 1))))
    triples += [Triple(collection, HYDRA.member, NamedNode(row.iri)) for row in page.rows]
    return triples


__all__ = ["hydra_triples"]
