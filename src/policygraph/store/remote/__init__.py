"""A remote store: the store protocols over the SPARQL 1.1 Protocol and Graph Store Protocol.

``RemoteStore`` sends queries to an external engine (Oxigraph's server, Virtuoso, or any SPARQL
1.1 endpoint) through one pooled ``requests`` session with timeouts and retries, and returns
pyoxigraph's own result types, so the code above the protocol cannot tell it from a
``LocalStore``. Its parts, one concern each:

- ``engines``: the store URL, the engines and what differs between them;
- ``replicas``: several engines holding the same data, queries spread over those that answer;
- ``protocol``: the query endpoint (SPARQL 1.1 Protocol) and recognising the engine behind it;
- ``binding``: the text sent for a query, bindings written in as the protocol cannot carry them;
- ``dataset``: naming the graphs a query runs on, per engine;
- ``answers``: the engine's answers as pyoxigraph's result types, or the errors they mean;
- ``catalogue``: the engine's graphs and the dataset's version, read at most every few seconds;
- ``graph_store``: writing graphs (Graph Store Protocol, else SPARQL Update);
- ``store``: ``RemoteStore``, made of the above.

docs/external-engines.md describes the engines and their quirks.
"""

from __future__ import annotations

from policygraph.store.remote.engines import (
    ENGINES,
    Endpoints,
    Engine,
    endpoints_for,
    is_store_url,
    parse_store_url,
    recognise,
    store_urls,
)
from policygraph.store.remote.store import RemoteStore

__all__ = [
    "ENGINES",
    "Endpoints",
    "Engine",
    "RemoteStore",
    "endpoints_for",
    "is_store_url",
    "parse_store_url",
    "recognise",
    "store_urls",
]
