"""What a crawler should find: every document the store's IRIs dereference to.

The IRIs of things (``{base}/id/…``) the store says something about, and its named graphs
(``{base}/graph/…``); an IRI with a fragment is described by the document before the ``#``.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, QuerySolutions

from policygraph.store import GraphStore

# Every subject; those under the base are kept in Python (a STRSTARTS filter in the query
# makes it several times slower).
_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"


def document_iris(store: GraphStore, base_iri: str) -> list[str]:
    """The IRIs of the documents under ``base_iri`` that the store describes, sorted."""
    things = base_iri + "/id/"
    found: set[str] = set()
    result = store.query(_SUBJECTS)
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    for row in result:
        term = row["s"]
        if isinstance(term, NamedNode) and term.value.startswith(things):
            found.add(term.value.split("#", 1)[0])
    found.update(
        g.value
        for g in store.named_graphs()
        if isinstance(g, NamedNode) and g.value.startswith(base_iri + "/graph/")
    )
    return sorted(found)


__all__ = ["document_iris"]
