"""Real clients against a real ``policygraph serve`` (gunicorn) on loopback, and every bound
proven there: a runaway query stopped with 503 and its CPU freed, a full house answered 503 with
Retry-After, a client that hangs up stops its query, SERVICE never leaves the machine."""

from __future__ import annotations

import gzip
import http.client
import os
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse
from sparql_support import (
    DECISIONS,
    PREFIXES,
    EndpointServer,
    cpu_seconds,
    endpoint_server,
    fixture_quads,
    publish_version,
    runaway_query,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("endpoint-servers")]

SELECT = (
    PREFIXES
    + "SELECT ?d ?title WHERE { ?d a pg:GovernmentDecision ; dct:title ?title } ORDER BY ?d"
)
CONSTRUCT = (
    PREFIXES + "CONSTRUCT { ?d dct:title ?t } WHERE { ?d a pg:GovernmentDecision ; dct:title ?t }"
)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("endpoint") / "store"
    publish_version(store, fixture_quads(), "fixture")
    return store


@pytest.fixture(scope="module")
def server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EndpointServer]:
    with endpoint_server(store_dir, tmp_path_factory.mktemp("logs"), workers=2) as running:
        yield running


def fetch(
    server: EndpointServer, query: str, accept: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    connection.request("GET", path, headers={"Accept": accept} if accept else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


# --- raw HTTP, one Accept case at a time ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "accept", "media_type"),
    [
        (SELECT, None, "application/sparql-results+json"),
        (SELECT, "*/*", "application/sparql-results+json"),
        (SELECT, "application/sparql-results+xml", "application/sparql-results+xml"),
        (SELECT, "text/csv", "text/csv; charset=utf-8"),
        (SELECT, "text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        (
            SELECT,
            "application/sparql-results+json;q=0.2, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
        ),
        ("ASK {}", None, "application/sparql-results+json"),
        (CONSTRUCT, None, "text/turtle; charset=utf-8"),
        (CONSTRUCT, "application/n-triples", "application/n-triples"),
        (CONSTRUCT, "application/ld+json", "application/ld+json"),
        (CONSTRUCT, "application/rdf+xml", "application/rdf+xml"),
        (CONSTRUCT, "application/trig", "application/trig"),
        (CONSTRUCT, "application/n-quads", "application/n-quads"),
    ],
)
def test_raw_http_accept(
    server: EndpointServer, query: str, accept: str | None, media_type: str
) -> None:
    status, headers, body = fetch(server, query, accept)
    assert status == 200
    assert headers["content-type"] == media_type
    assert headers["vary"] == "Accept"
    assert headers["access-control-allow-origin"] == "*"
    assert body


def test_raw_http_not_acceptable(server: EndpointServer) -> None:
    status, headers, _ = fetch(server, SELECT, "image/png")
    assert status == 406
    assert headers["vary"] == "Accept"


def test_service_description(server: EndpointServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    triples = list(parse(connection.getresponse().read(), RdfFormat.TURTLE))
    connection.close()
    endpoint = NamedNode("http://www.w3.org/ns/sparql-service-description#endpoint")
    assert [t.object for t in triples if t.predicate == endpoint] == [NamedNode(server.url)]


# --- SPARQLWrapper ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(server: EndpointServer, method: str, return_format: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.url)
    client.setMethod(method)
    client.setQuery(SELECT)
    client.setReturnFormat(return_format)
    result = client.query()
    converted = result.convert()
    result.response.close()
    if return_format == "json":
        assert len(converted["results"]["bindings"]) == DECISIONS
    elif return_format == "xml":
        assert len(converted.getElementsByTagName("result")) == DECISIONS
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        assert len(text.strip().splitlines()) >= DECISIONS + 1


def test_sparqlwrapper_ask(server: EndpointServer) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.url)
    client.setQuery(PREFIXES + "ASK { ?d a pg:GovernmentDecision }")
    client.setReturnFormat(JSON)
    result = client.query()
    assert result.convert()["boolean"] is True
    result.response.close()


@pytest.mark.parametrize(
    ("return_format", "rdf_format"),
    [
        ("turtle", RdfFormat.TURTLE),
        ("n3", RdfFormat.TURTLE),
        ("json-ld", RdfFormat.JSON_LD),
        ("xml", RdfFormat.RDF_XML),
    ],
)
def test_sparqlwrapper_construct(
    server: EndpointServer, return_format: str, rdf_format: RdfFormat
) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.url)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(return_format)
    result = client.query()
    body = result.response.read()
    result.response.close()
    assert len(list(parse(body, rdf_format))) == DECISIONS


# --- rdflib's SPARQLStore ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(server: EndpointServer, method: str) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url, method=method)
    graph = Graph(store=store)
    titles = {str(row[1]) for row in graph.query(SELECT)}
    assert len(titles) == DECISIONS
    assert graph.query(PREFIXES + "ASK { ?d a pg:GovernmentDecision }").askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None
    assert len(constructed) == DECISIONS
    store.close()


# --- metrics across gunicorn workers, SERVICE -------------------------------------------------


def test_metrics_add_up_across_worker_processes(server: EndpointServer) -> None:
    def total() -> float:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("policygraph_http_requests_total{")
        )

    before = total()
    for index in range(12):  # new connections: gunicorn spreads them over both workers
        fetch(server, f"ASK {{ ?s ?p {index} }}")
    assert total() - before == 12
    assert len(server.gunicorn_workers()) == 2


def test_the_web_workers_share_one_fork_server(server: EndpointServer) -> None:
    deadline = time.monotonic() + 30
    while len(server.fork_servers()) > 1:  # the on-disk one of the first workers may be ending
        assert time.monotonic() < deadline, "more than one fork server stayed"
        time.sleep(0.1)
    [fork_server] = server.fork_servers()  # one copy of the version for the whole host
    workers = server.query_workers()
    assert len(workers) == 2 * 2  # each web worker's slots (max_concurrent_queries)
    assert {parent_of(pid) for pid in workers} == {fork_server}


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_the_copy_outlives_the_web_worker_that_started_it(store_dir: Path, tmp_path: Path) -> None:
    with endpoint_server(store_dir, tmp_path, workers=2) as running:
        [fork_server] = running.fork_servers()
        starter = parent_of(fork_server)
        os.kill(starter, signal.SIGKILL)  # gunicorn starts another web worker
        deadline = time.monotonic() + 60
        while starter in running.gunicorn_workers() or len(running.gunicorn_workers()) < 2:
            assert time.monotonic() < deadline, "gunicorn did not replace its web worker"
            time.sleep(0.1)
        for index in range(8):  # new connections: both web workers answer some, in workers
            assert fetch(running, f"ASK {{ ?s ?p ?o . ?o ?q {index} }}")[0] == 200
        stat = Path(f"/proc/{fork_server}/stat").read_text()
        assert stat.rsplit(")", 1)[1].split()[0] != "Z"  # still the one copy, no second load
        # The new web worker's first workers come from an on-disk server that loads nothing; it
        # ends once they are replaced by workers of the shared copy, which no web worker now
        # started.
        while running.fork_servers():
            assert time.monotonic() < deadline + 60, "a second fork server stayed"
            time.sleep(0.1)
        # Every slot of both web workers (2 each) is a worker forked from that one copy.
        while len(running.query_workers_of(fork_server)) != 2 * 2:
            assert time.monotonic() < deadline + 90, "the slots are not all of the shared copy"
            time.sleep(0.1)


def test_service_refused_and_no_request_reaches_the_listener(server: EndpointServer) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.0)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        status, _, body = fetch(server, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        assert status == 400
        assert b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


# --- bounds on a real server ------------------------------------------------------------------


@pytest.fixture(scope="module")
def tight_server(
    store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EndpointServer]:
    with endpoint_server(
        store_dir,
        tmp_path_factory.mktemp("logs"),
        workers=1,
        max_concurrent_queries=1,
        queue_timeout=0.5,
        query_timeout=2.0,
    ) as running:
        yield running


def idle_cpu(server: EndpointServer, seconds: float = 1.0) -> float:
    """CPU seconds the query workers used over ``seconds``."""
    pids = server.query_workers()
    before = {pid: cpu_seconds(pid) or 0.0 for pid in pids}
    time.sleep(seconds)
    return sum((cpu_seconds(pid) or before[pid]) - before[pid] for pid in pids)


def test_runaway_query_is_503_within_its_timeout_and_frees_the_cpu(
    tight_server: EndpointServer,
) -> None:
    [worker] = tight_server.query_workers()
    started = time.monotonic()
    status, _, body = fetch(tight_server, runaway_query())
    elapsed = time.monotonic() - started
    assert status == 503
    assert b"query_timeout" in body
    assert elapsed < 2.0 + 6.0  # generous: CI runs other tests beside this one
    assert cpu_seconds(worker) is None  # the process that ran it is gone
    assert idle_cpu(tight_server) < 0.2
    assert fetch(tight_server, "ASK {}")[0] == 200


def test_full_house_is_503_with_retry_after(tight_server: EndpointServer) -> None:
    busy = threading.Thread(target=fetch, args=(tight_server, runaway_query()))
    busy.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        # A query never asked before (a cached answer needs no slot), and a join (a single
        # scan needs none either: the inline lane answers it).
        status, headers, _ = fetch(tight_server, "ASK { ?s ?p 'full house' . ?s ?q ?o }")
        assert status == 503
        assert headers["retry-after"] == "1"
        assert time.monotonic() - started < 5.0
        # Meanwhile lookups go on: they are answered in the web process.
        status, _, body = fetch(tight_server, "ASK { ?s ?p 'lookup in a full house' }")
        assert (status, body) == (200, b'{"head":{},"boolean":false}')
    finally:
        busy.join()


@pytest.fixture(scope="module")
def patient_server(
    store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EndpointServer]:
    """One query slot and a long timeout: only a hang-up can stop a query in time."""
    with endpoint_server(
        store_dir,
        tmp_path_factory.mktemp("logs"),
        workers=1,
        max_concurrent_queries=1,
        query_timeout=60.0,
    ) as running:
        yield running


def test_client_that_disconnects_stops_its_query(patient_server: EndpointServer) -> None:
    [worker] = patient_server.query_workers()
    connection = socket.create_connection(("127.0.0.1", patient_server.port))
    path = "/sparql?" + urllib.parse.urlencode({"query": runaway_query()})
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    time.sleep(0.5)
    assert cpu_seconds(worker) is not None  # busy with our query
    connection.close()
    deadline = time.monotonic() + 10  # long before its 60 s timeout would have stopped it
    while cpu_seconds(worker) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cpu_seconds(worker) is None
    assert idle_cpu(patient_server) < 0.2


# --- streaming --------------------------------------------------------------------------------

ROWS = 200_000
HOLD_BACK = 1_048_576


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EndpointServer]:
    store = tmp_path_factory.mktemp("large") / "store"
    predicate = NamedNode("https://data.policygraph.be/ns/policygraph#position")
    graph = NamedNode("https://data.policygraph.be/graph/large")
    quads = (
        Quad(NamedNode(f"https://data.policygraph.be/id/x/{i}"), predicate, Literal(str(i)), graph)
        for i in range(ROWS)
    )
    publish_version(store, quads, "large")
    with endpoint_server(
        store,
        tmp_path_factory.mktemp("logs"),
        workers=1,
        max_concurrent_queries=1,
        max_result_rows=ROWS,
        result_buffer_bytes=HOLD_BACK,
        query_timeout=60.0,
    ) as running:
        yield running


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field}")


def reset_peak(pid: int) -> None:
    """Make VmHWM start again from the current RSS (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def stream(server: EndpointServer, query: str) -> tuple[int, int]:
    """Read a streamed result in chunks, never whole: its size and its row count."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Transfer-Encoding") == "chunked"
    size = rows = 0
    tail = b""
    while chunk := response.read(1 << 16):
        size += len(chunk)
        rows += (tail + chunk).count(b'"s":')
        tail = chunk[-3:]
    connection.close()
    return size, rows


def test_large_result_is_streamed_in_flat_memory(large_server: EndpointServer) -> None:
    [web] = large_server.gunicorn_workers()
    [worker] = large_server.query_workers()
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    stream(large_server, query)  # the first run fills the store's caches, whatever the result
    for pid in (web, worker):
        reset_peak(pid)
    before = {pid: memory_kib(pid, "VmRSS") for pid in (web, worker)}
    size, rows = stream(large_server, query)
    assert rows == ROWS
    grown = sum(memory_kib(pid, "VmHWM") - before[pid] for pid in (web, worker)) * 1024
    # The worker first tries to hold the answer back whole, up to result_buffer_bytes.
    assert grown < HOLD_BACK + size / 10, (grown, size)


def test_more_rows_than_allowed_streams_nothing(large_server: EndpointServer) -> None:
    status, _, body = fetch(large_server, "SELECT * WHERE { { ?s ?p ?o } UNION { BIND(1 AS ?x) } }")
    assert status == 422
    assert b"max_result_rows" in body


def test_client_that_leaves_mid_stream_stops_its_query(large_server: EndpointServer) -> None:
    [worker] = large_server.query_workers()
    connection = http.client.HTTPConnection("127.0.0.1", large_server.port, timeout=60)
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
    response = connection.getresponse()
    assert response.status == 200
    response.read(1 << 16)
    connection.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]
    response.close()
    connection.close()
    deadline = time.monotonic() + 10
    while cpu_seconds(worker) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cpu_seconds(worker) is None


def test_head_of_a_streamed_result_gives_its_slot_back(large_server: EndpointServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", large_server.port, timeout=60)
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    connection.request("HEAD", "/sparql?" + urllib.parse.urlencode({"query": query}))
    response = connection.getresponse()
    assert response.status == 200
    assert response.read() == b""
    connection.close()
    # The only query slot is free again: a query that needs a worker is answered.
    status, _, body = fetch(large_server, "ASK { ?s ?p ?o . ?o ?q ?r }")
    assert (status, body) == (200, b'{"head":{},"boolean":false}')


@pytest.mark.parametrize(
    ("target", "said"),
    [
        (b"/sparql?query=ASK%20{}%FF", b"not valid UTF-8"),  # refused by the protocol
        (b"/sparql?query=ASK%20{}\xff", b"Invalid HTTP request"),  # by the HTTP parser
    ],
)
def test_a_url_that_is_not_utf8_is_400(server: EndpointServer, target: bytes, said: bytes) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert said in answer


def test_gzip_when_the_client_accepts_it(server: EndpointServer) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(
        "GET",
        "/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept-Encoding": "gzip"},
    )
    response = connection.getresponse()
    compressed = response.read()
    connection.close()
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept, Accept-Encoding"
    _, _, plain = fetch(server, query)
    assert gzip.decompress(compressed) == plain
