"""The text an engine is sent for a query, with its bindings written into it.

The SPARQL 1.1 Protocol has no way to send bindings beside a query (pyoxigraph's
``substitutions``), so they travel in the text as a ``VALUES`` block, which every engine
evaluates; a base IRI travels as a ``BASE`` line. Text that is not a query is refused here,
before a round trip: an update sent to a query endpoint is never the caller's intent.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import NamedNode, Variable

from policygraph.errors import QueryRefusedError, QuerySyntaxError
from policygraph.sparql.binding import with_bindings
from policygraph.sparql.inspection import QUERY_FORMS, query_form
from policygraph.store import Binding

_UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE"})


def query_text(
    sparql: str,
    substitutions: Mapping[Variable, Binding] | None = None,
    base_iri: str | None = None,
) -> tuple[str, str]:
    """The query form (SELECT, CONSTRUCT, ASK, DESCRIBE) and the text to send."""
    form = query_form(sparql)
    if form is None or form not in QUERY_FORMS:
        if form in _UPDATE_FORMS:
            raise QueryRefusedError("a query cannot be an update")
        raise QuerySyntaxError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    text = with_bindings(sparql, substitutions) if substitutions else sparql
    if base_iri is not None:
        text = f"BASE <{NamedNode(base_iri).value}>\n{text}"
    return form, text


__all__ = ["query_text"]
