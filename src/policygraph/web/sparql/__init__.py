"""``/sparql``: the SPARQL 1.1 Protocol for queries, with its service description.

``protocol`` reads a request strictly, ``endpoint`` answers it (ETag, cache, inline lane, query
workers), ``answer`` is what it answers as plain data, and ``asgi`` is the route that puts them on
the wire. Every response says ``Vary: Accept`` and allows any origin (without credentials).
"""

from __future__ import annotations

from policygraph.web.sparql.asgi import SparqlRoute
from policygraph.web.sparql.endpoint import (
    ENDPOINT_PATH,
    SparqlEndpoint,
    endpoint_limits,
    forwarder,
    query_pool,
)

__all__ = [
    "ENDPOINT_PATH",
    "SparqlEndpoint",
    "SparqlRoute",
    "endpoint_limits",
    "forwarder",
    "query_pool",
]
