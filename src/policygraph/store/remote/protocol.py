"""Queries over the SPARQL 1.1 Protocol: POSTed as a form, answered as JSON or as triples.

One pooled ``HttpClient`` carries every request, with its timeout and its retries of what a busy
or restarting engine answers (429, 502-504, no answer); a 500 is an answer about the query and
is not retried.
"""

from __future__ import annotations

from collections.abc import Callable

import requests
from pyoxigraph import QuerySolutions

from policygraph.errors import QueryTimeoutError, StoreError
from policygraph.httpclient import HttpClient, user_agent
from policygraph.store import QueryResult
from policygraph.store.remote.answers import GRAPH_ACCEPT, RESULTS_ACCEPT, read_answer
from policygraph.store.remote.dataset import Parameters
from policygraph.store.remote.engines import Endpoints, Engine, recognise
from policygraph.store.remote.replicas import Replica, Replicas

RETRY_STATUSES = frozenset({429, 502, 503, 504})


def engine_client(*, timeout: float, retries: int, pool_size: int, project_url: str) -> HttpClient:
    """The HTTP client of a remote store: its errors are ``StoreError``s."""
    return HttpClient(
        user_agent=user_agent(project_url),
        timeout=timeout,
        retries=retries,
        backoff=0.2,
        pool_size=pool_size,
        error=StoreError,
        timeout_error=QueryTimeoutError,
        retry_statuses=RETRY_STATUSES,
    )


def sniff_engine(http: HttpClient, query: str) -> Engine:
    """The engine at the query endpoint ``query``, by the ``Server`` header of an empty ASK."""
    probe = http.request(
        "GET", query, params={"query": "ASK {}"}, headers={"Accept": RESULTS_ACCEPT}
    )
    probe.close()
    if probe.status_code != 200:
        raise StoreError(f"{query} is not a SPARQL endpoint (HTTP {probe.status_code})")
    return recognise(probe.headers.get("Server", ""))


def probe(http: HttpClient, timeout: float) -> Callable[[Endpoints], bool]:
    """A health check of one replica: whether it answers ``ASK {}`` within ``timeout``."""

    def answers(endpoints: Endpoints) -> bool:
        try:
            response = http.session.get(
                endpoints.query,
                params={"query": "ASK {}"},
                headers={"Accept": RESULTS_ACCEPT},
                timeout=timeout,
            )
            response.close()
        except requests.RequestException:
            return False
        return response.status_code == 200

    return answers


class QueryClient:
    """The query endpoints of one engine's replicas: each query goes to one that answers."""

    def __init__(self, replicas: Replicas, http: HttpClient) -> None:
        self.replicas = replicas
        self.http = http

    @property
    def endpoints(self) -> Endpoints:
        return self.replicas.first

    def query(self, text: str, form: str, dataset: Parameters) -> QueryResult:
        """Send ``text`` (of query form ``form``) on the dataset the parameters name; a replica
        that cannot be reached is taken out and the query sent to another."""
        accept = RESULTS_ACCEPT if form in {"SELECT", "ASK"} else GRAPH_ACCEPT

        def ask(replica: Replica) -> requests.Response:
            return self.http.request(
                "POST",
                replica.endpoints.query,
                data=[("query", text), *dataset],
                headers={"Accept": accept},
            )

        response, replica = self.replicas.answered(ask)
        return read_answer(response, replica.endpoints.query)

    def select_all(self, text: str) -> QuerySolutions:
        """A SELECT on the engine's whole dataset, as the engine defines it (no dataset named)."""
        result = self.query(text, "SELECT", [])
        if not isinstance(result, QuerySolutions):
            raise StoreError("the engine answered a SELECT with something else")
        return result


__all__ = ["RETRY_STATUSES", "QueryClient", "engine_client", "probe", "sniff_engine"]
