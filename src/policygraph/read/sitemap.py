"""What a crawler should find: every document the store's IRIs dereference to.

The IRIs of things (``{base}/id/…``) the store says something about, and its named graphs
(``{base}/graph/…``); an IRI with a fragment is described by the document before the ``#``.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, QuerySolutions, Variable

from policygraph.store import GraphStore

_SUBJECTS = """
SELECT DISTINCT ?prefix ?s WHERE {
  ?s ?p ?o .
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), ?prefix))
}
"""


def document_iris(store: GraphStore, base_iri: str) -> list[str]:
    """The IRIs of the documents under ``base_iri`` that the store describes, sorted."""
    found: set[str] = set()
    result = store.query(_SUBJECTS, substitutions={Variable("prefix"): Literal(base_iri + "/id/")})
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    for row in result:
        term = row["s"]
        if isinstance(term, NamedNode):
            found.add(term.value.split("#", 1)[0])
    found.update(
        g.value
        for g in store.named_graphs()
        if isinstance(g, NamedNode) and g.value.startswith(base_iri + "/graph/")
    )
    return sorted(found)


__all__ = ["document_iris"]
