"""Every bound of the endpoint, proven: query size, result rows, time, concurrency, hang-ups,
SERVICE. Each test builds the app it needs on the fixture graph, in memory."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from interfaces import AsgiClient, LoopbackServer
from pyoxigraph import QueryResultsFormat, parse_query_results
from sparql_support import (
    DECISIONS,
    PREFIXES,
    app_with,
    cpu_seconds,
    runaway_query,
)

from policygraph.web import Front
from policygraph.web.sparql.asgi import ClientWatch

SELECT_DECISIONS = (
    PREFIXES + "SELECT ?d ?t WHERE { ?d a pg:GovernmentDecision ; dct:title ?t } ORDER BY ?d"
)


def pool_of(app: Front):  # type: ignore[no-untyped-def]
    return app.endpoint.pool


# --- query size -------------------------------------------------------------------------------

LONG_QUERY = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200


def test_long_query_in_url_is_413() -> None:
    with app_with(max_query_bytes=100) as app:
        response = AsgiClient(app).get("/sparql", params={"query": LONG_QUERY})
        assert response.status_code == 413
        assert "max_query_bytes" in response.text


def test_long_direct_body_is_413() -> None:
    with app_with(max_query_bytes=100) as app:
        response = AsgiClient(app).post(
            "/sparql",
            content=LONG_QUERY.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert response.status_code == 413


def test_long_form_body_is_413() -> None:
    with app_with(max_query_bytes=100) as app:
        response = AsgiClient(app).post(
            "/sparql",
            data={"query": LONG_QUERY},
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 413


def test_query_at_the_size_bound_is_answered() -> None:
    query = "ASK {}"
    with app_with(max_query_bytes=len(query)) as app:
        assert AsgiClient(app).get("/sparql", params={"query": query}).status_code == 200


# --- result rows ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "buffer", [1_048_576, 200], ids=["counted-in-buffer", "counted-before-streaming"]
)
def test_more_rows_than_allowed_is_422_before_any_byte(buffer: int) -> None:
    with app_with(max_result_rows=DECISIONS - 1, result_buffer_bytes=buffer) as app:
        response = AsgiClient(app).get("/sparql", params={"query": SELECT_DECISIONS})
        assert response.status_code == 422
        assert f"more than {DECISIONS - 1} rows" in response.text


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_every_format_counts_rows_exactly(accept: str) -> None:
    # A bound far below the body size forces an exact count (CSV and JSON strings included).
    with app_with(max_result_rows=DECISIONS) as app:
        client = AsgiClient(app)
        ok = client.get("/sparql", params={"query": SELECT_DECISIONS}, headers={"Accept": accept})
        assert ok.status_code == 200
    with app_with(max_result_rows=DECISIONS - 1) as app:
        client = AsgiClient(app)
        refused = client.get(
            "/sparql", params={"query": SELECT_DECISIONS}, headers={"Accept": accept}
        )
        assert refused.status_code == 422


def test_rows_at_the_bound_are_all_sent() -> None:
    with app_with(max_result_rows=DECISIONS, result_buffer_bytes=200) as app:
        response = AsgiClient(app).get("/sparql", params={"query": SELECT_DECISIONS})
        assert response.status_code == 200
        assert len(json.loads(response.content)["results"]["bindings"]) == DECISIONS


def test_graph_with_more_triples_than_allowed_is_422() -> None:
    with app_with(max_result_rows=5) as app:
        response = AsgiClient(app).get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert response.status_code == 422


def test_result_larger_than_the_buffer_is_streamed_whole() -> None:
    with app_with(result_buffer_bytes=200) as app:
        server = LoopbackServer(app)  # on the wire, a streamed body is chunked
        try:
            with server.client() as client:
                response = client.get("/sparql", params={"query": SELECT_DECISIONS})
        finally:
            server.stop()
        assert response.status_code == 200
        assert response.headers["Transfer-Encoding"] == "chunked"
        assert "Content-Length" not in response.headers
        solutions = list(parse_query_results(response.content, QueryResultsFormat.JSON))  # type: ignore[arg-type]
        assert len(solutions) == DECISIONS


def test_small_result_is_sent_whole_with_its_length() -> None:
    with app_with() as app:
        response = AsgiClient(app).get("/sparql", params={"query": SELECT_DECISIONS})
        assert int(response.headers["Content-Length"]) == len(response.content)


# --- time -------------------------------------------------------------------------------------


def test_runaway_query_is_stopped_with_503_and_its_process_killed() -> None:
    with app_with(query_timeout=2.0, max_concurrent_queries=1) as app:
        pool = pool_of(app)
        [before] = pool.worker_pids()
        started = time.monotonic()
        response = AsgiClient(app).get("/sparql", params={"query": runaway_query()})
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert "query_timeout" in response.text
        assert 2.0 <= elapsed < 8.0  # generous: CI runs other tests beside this one
        assert cpu_seconds(before) is None  # killed and reaped: its CPU is free
        [after] = pool.worker_pids()
        assert after != before
        # The replacement answers the next query.
        assert AsgiClient(app).get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_worker_that_died_while_idle_is_replaced() -> None:
    with app_with() as app:
        pool = pool_of(app)
        [before] = pool.worker_pids()
        AsgiClient(app).get("/sparql", params={"query": "ASK {}"})  # started and idle
        os.kill(before, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while cpu_seconds(before) is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        # A join: the inline lane would answer a single scan without a worker.
        query = "ASK { ?s ?p ?o . ?o ?q ?r }"
        response = AsgiClient(app).get("/sparql", params={"query": query})
        assert response.status_code == 200
        assert pool.worker_pids() != [before]


# --- concurrency ------------------------------------------------------------------------------


def test_no_free_slot_within_queue_timeout_is_503_with_retry_after() -> None:
    with app_with(query_timeout=4.0, max_concurrent_queries=1, queue_timeout=0.5) as app:
        busy = threading.Thread(
            target=lambda: AsgiClient(app).get("/sparql", params={"query": runaway_query()})
        )
        busy.start()
        try:
            deadline = time.monotonic() + 3
            while pool_of(app).idle and time.monotonic() < deadline:
                time.sleep(0.01)
            started = time.monotonic()
            response = AsgiClient(app).get("/sparql", params={"query": "ASK {}"})
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "1"
            assert 0.5 <= time.monotonic() - started < 5.0
            # Queues are per web worker, by design: /metrics shows the slots and the refusals.
            metrics = AsgiClient(app).get("/metrics").text
            assert "policygraph_query_slots 1.0" in metrics
            assert 'policygraph_query_refused_total{reason="QueryOverloadedError"} 1.0' in metrics
        finally:
            busy.join()


# --- hang-ups ---------------------------------------------------------------------------------


def test_client_that_hangs_up_stops_its_query() -> None:
    """The route watches the client while a worker evaluates: its disconnect kills the query."""
    with app_with(query_timeout=30.0, max_concurrent_queries=1) as app:
        pool = pool_of(app)
        [before] = pool.worker_pids()
        server = LoopbackServer(app)
        try:
            connection = socket.create_connection(("127.0.0.1", server.port))
            path = "/sparql?" + urllib.parse.urlencode({"query": runaway_query()})
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            time.sleep(0.5)
            assert cpu_seconds(before) is not None  # busy with our query
            started = time.monotonic()
            connection.close()
            while cpu_seconds(before) is not None and time.monotonic() - started < 10:
                time.sleep(0.05)
            assert cpu_seconds(before) is None  # long before its 30 s timeout
        finally:
            server.stop()


def test_a_client_that_sends_more_is_not_taken_for_gone() -> None:
    async def watch() -> tuple[bool, bool]:
        hang_up = asyncio.Event()
        messages = [{"type": "http.request", "body": b"more", "more_body": True}]

        async def receive() -> dict[str, object]:
            if messages:
                return messages.pop()
            await hang_up.wait()
            return {"type": "http.disconnect"}

        watching = ClientWatch(receive)
        await asyncio.sleep(0.05)
        before = watching.hung_up()
        hang_up.set()
        await asyncio.sleep(0.05)
        after = watching.hung_up()
        watching.close()
        return before, after

    assert asyncio.run(watch()) == (False, True)


# --- SERVICE ----------------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """A SPARQL endpoint on loopback that records every request and answers one binding."""

    requests: list[str]

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps(
            {
                "head": {"vars": ["x"]},
                "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/sparql"


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX remote: <{base}> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
        "BASE <{base}> SELECT * WHERE {{ ?a ?b ?c "
        "OPTIONAL {{ service <sparql> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    ],
)
def test_service_is_refused_and_nothing_reaches_the_listener(
    listener: ThreadingHTTPServer, template: str
) -> None:
    url = _url(listener)
    query = template.format(url=url, base=url.rsplit("/", 1)[0] + "/")
    with app_with() as app:
        response = AsgiClient(app).get("/sparql", params={"query": query})
        assert response.status_code == 400
        assert "SERVICE" in response.text
    assert listener.requests == []  # type: ignore[attr-defined]


def test_the_word_service_elsewhere_is_not_a_service_clause(listener: ThreadingHTTPServer) -> None:
    query = (
        "PREFIX service: <http://example.org/service#> "
        'SELECT ?service WHERE { BIND("SERVICE <x> { }" AS ?service) } # SERVICE <y> {}'
    )
    with app_with() as app:
        assert AsgiClient(app).get("/sparql", params={"query": query}).status_code == 200


def test_allow_listed_service_is_called(listener: ThreadingHTTPServer) -> None:
    url = _url(listener)
    with app_with(service_allowlist=url) as app:
        response = AsgiClient(app).get(
            "/sparql",
            params={"query": f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}"},
        )
        assert response.status_code == 200, response.text
        assert json.loads(response.content)["results"]["bindings"] == [
            {"x": {"type": "literal", "value": "remote"}}
        ]
    assert len(listener.requests) == 1  # type: ignore[attr-defined]


def test_service_beside_an_allow_listed_one_is_refused(listener: ThreadingHTTPServer) -> None:
    url = _url(listener)
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} SERVICE <{url}2> {{ ?x ?p ?o }} }}"
    with app_with(service_allowlist=url) as app:
        assert AsgiClient(app).get("/sparql", params={"query": query}).status_code == 400
    assert listener.requests == []  # type: ignore[attr-defined]


# --- CORS -------------------------------------------------------------------------------------


def test_cors_preflight_is_answered_without_credentials() -> None:
    with app_with() as app:
        response = AsgiClient(app).options(
            "/sparql",
            headers={
                "Origin": "https://yasgui.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, accept",
            },
        )
        assert response.status_code == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert response.headers["Access-Control-Allow-Headers"] == "content-type, accept"
        assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_on_answers_and_errors() -> None:
    with app_with() as app:
        client = AsgiClient(app)
        for response in (
            client.get(
                "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://a.example"}
            ),
            client.get(
                "/sparql", params={"query": "ASK {"}, headers={"Origin": "https://a.example"}
            ),
        ):
            assert response.headers["Access-Control-Allow-Origin"] == "*"
            assert "Access-Control-Allow-Credentials" not in response.headers
