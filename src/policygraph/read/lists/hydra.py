"""A page of a list as RDF: a Hydra collection, its members, and the view that pages it.

``<list> a hydra:Collection; hydra:totalItems n; hydra:member …; hydra:view <page>``, the page
``a hydra:PartialCollectionView`` with ``hydra:first``, ``hydra:previous``, ``hydra:next`` and
``hydra:last``, so a client pages through a list by following links, knowing nothing of our
parameters; ``hydra:search`` names those parameters, for a client that wants to filter (an
``hydra:IriTemplate``). The collection and its views are documents of this server (their URLs),
the members are things (their IRIs).
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from policygraph.namespaces import DCT, HYDRA, RDF, XSD
from policygraph.read.lists.model import ListPage


def hydra_triples(
    page: ListPage,
    collection_url: str,
    page_url: Callable[[int], str],
    title: str,
    language: str,
    list_url: str | None = None,
) -> list[Triple]:
    """The triples of one page of a list; ``page_url(n)`` is the URL of page n, ``list_url``
    the list's own URL, which its search template extends."""
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
    if list_url is not None:
        triples += _search(collection, page, list_url)
    return triples


def _search(collection: NamedNode, page: ListPage, list_url: str) -> list[Triple]:
    names = [facet.name for facet in page.kind.facets] + ["sort", "page", "per_page"]
    template = BlankNode()
    triples = [
        Triple(collection, HYDRA.search, template),
        Triple(template, RDF.type, HYDRA.IriTemplate),
        Triple(template, HYDRA.template, Literal(f"{list_url}{{?{','.join(names)}}}")),
        Triple(template, HYDRA.variableRepresentation, HYDRA.BasicRepresentation),
    ]
    for name in names:
        mapping = BlankNode()
        triples += [
            Triple(template, HYDRA.mapping, mapping),
            Triple(mapping, RDF.type, HYDRA.IriTemplateMapping),
            Triple(mapping, HYDRA.variable, Literal(name)),
            Triple(mapping, HYDRA.required, Literal("false", datatype=XSD.boolean)),
        ]
    return triples


__all__ = ["hydra_triples"]
