"""The list of the named graphs: each source's graph, its title and how many triples it holds,
for a researcher choosing what to query or download."""

from __future__ import annotations

from policygraph.read.evidence.rows import int_of, local_name, text
from policygraph.read.lists.model import (
    Column,
    ListKind,
    Order,
    Row,
    best_text,
    grouped,
    select,
    text_key,
    value_key,
)
from policygraph.store import GraphStore

_SIZES = """
SELECT ?collection ?g (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (STRSTARTS(STR(?g), STR(?collection)))
}
GROUP BY ?collection ?g
"""
_TITLES = """
SELECT ?collection ?g ?title WHERE {
  ?g dct:title ?title .
  FILTER (STRSTARTS(STR(?g), STR(?collection)))
}
"""


def graph_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    titles = grouped(store, _TITLES, collection, "g")
    return [
        Row(
            iri,
            {
                "title": best_text(titles.get(iri, []), "title", language) or local_name(iri),
                "triples": int_of(text(row, "n")),
            },
        )
        for row in select(store, _SIZES, collection)
        for iri in [text(row, "g") or ""]
    ]


GRAPHS = ListKind(
    name="graphs",
    columns=(Column("title", "title"), Column("triples", "number")),
    read=graph_rows,
    orders=(Order("title", text_key("title")), Order("triples", value_key("triples"))),
    default_order="title",
)

__all__ = ["GRAPHS", "graph_rows"]
