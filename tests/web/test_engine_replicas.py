"""Two front ends over two replicas of an engine (Oxigraph's server, Virtuoso 7): the scale-out
design, on loopback.

Queries are spread over the replicas; a replica that stops is taken out and the other answers
every query; once it is back the health check puts it back and it is used again; with every
replica down the front end answers 503 with Retry-After at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from engine_support import ENGINES, Engine, front_over, load, start_engine, store_url, versioned
from sparql_support import DECISIONS, PREFIXES

pytestmark = pytest.mark.slow

SELECT = PREFIXES + "SELECT ?d WHERE { ?d a pg:GovernmentDecision }"


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def replicas(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Engine]]:
    servers: list[Engine] = []
    try:
        for _ in range(2):
            server = start_engine(engine, tmp_path_factory.mktemp("replica"))
            servers.append(server)
            load(store_url(engine, server), versioned("replicated"))
        yield servers
    finally:
        for server in servers:
            server.stop()


def _answered(url: str, times: int) -> list[int]:
    statuses = []
    for _ in range(times):
        response = httpx.get(url + "/sparql", params={"query": SELECT}, timeout=30)
        if response.status_code == 200:
            assert len(response.json()["results"]["bindings"]) == DECISIONS
        statuses.append(response.status_code)
    return statuses


def _wait_for(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.1)


def test_two_front_ends_over_two_replicas_survive_one_and_take_it_back(
    engine: str, replicas: list[Engine]
) -> None:
    url = ",".join(store_url(engine, server) for server in replicas)
    # No answer cache: every request goes to an engine.
    with (
        front_over(url, max_concurrent_queries=2, cache_entries=0) as one,
        front_over(url, cache_entries=0) as two,
    ):
        fronts = (one, two)
        assert _answered(one.url, 1) == [200]
        first = [r.served for r in one.forwarder.store.replicas.replicas]
        # Concurrent queries spread: each replica got some (least in flight, ties in turn).
        with httpx.Client(timeout=30) as client:
            for i in range(8):
                client.get(one.url + "/sparql", params={"query": SELECT + f" # {i}"})
        spread = [r.served for r in one.forwarder.store.replicas.replicas]
        assert all(after > before for after, before in zip(spread, first, strict=True))

        replicas[0].stop()
        for front in fronts:
            assert _answered(front.url, 6) == [200] * 6
            assert [r.healthy for r in front.forwarder.store.replicas.replicas] == [False, True]

        replicas[0].start()
        for front in fronts:
            _wait_for(lambda f=front: f.forwarder.store.replicas.replicas[0].healthy)
        before = one.forwarder.store.replicas.replicas[0].served
        with httpx.Client(timeout=30) as client:
            for i in range(6):
                assert (
                    client.get(
                        one.url + "/sparql", params={"query": SELECT + f" #b{i}"}
                    ).status_code
                    == 200
                )
        assert one.forwarder.store.replicas.replicas[0].served > before


def test_with_every_replica_down_the_front_end_says_so_at_once(
    engine: str, replicas: list[Engine]
) -> None:
    url = ",".join(store_url(engine, server) for server in replicas)
    with front_over(url) as front:
        assert _answered(front.url, 1) == [200]
        for server in replicas:
            server.stop()
        _wait_for(lambda: not front.forwarder.store.replicas.healthy())
        response = httpx.get(
            front.url + "/sparql", params={"query": SELECT + " # down"}, timeout=30
        )
        ready = httpx.get(front.url + "/readyz", timeout=30)
    assert response.status_code == 503, response.text
    assert "Retry-After" in response.headers
    assert ready.status_code == 503
