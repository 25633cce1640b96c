"""Publishing a new version to an engine switches every front end at once, without a restart.

Two front ends read an engine while a new version is written to it; readers loop over a query
whose answer joins a value of one graph with the same value in the build graph (which records
the version): they must see the old version or the new one, never the marker of one beside the
version of the other. Then both front ends report the new version, and what the new version
dropped is gone from the engine.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from engine_support import ENGINES, front_over, load, versioned
from pyoxigraph import Literal, NamedNode, Quad
from servers import running_engine
from sparql_support import GRAPH, ID, PG

from policygraph.store.remote import RemoteStore

pytestmark = pytest.mark.slow

READ = f"""PREFIX pg: <{PG}>
SELECT ?marked ?recorded ?version WHERE {{
  GRAPH <{GRAPH}marker> {{ ?build pg:marker ?marked }}
  GRAPH <{GRAPH}build> {{ ?build pg:marker ?recorded ; pg:version ?version }}
}}"""
FILLER = NamedNode(GRAPH + "filler")


def _second_version() -> list[Quad]:
    """Version two: another marker, one graph fewer, and a graph more (within what one update
    to Virtuoso may carry)."""
    quads = [
        q for q in versioned("two", "second") if q.graph_name != NamedNode(GRAPH + "organisaties")
    ]
    quads += [
        Quad(NamedNode(f"{ID}filler/{i}"), NamedNode(PG + "rank"), Literal(str(i)), FILLER)
        for i in range(3_000)
    ]
    return quads


@pytest.fixture(params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    name = str(request.param)
    with running_engine(name, tmp_path_factory.mktemp(name)) as url:
        load(url, versioned("one", "first"))
        yield url


def test_a_publish_switches_both_front_ends_at_once(engine: str) -> None:
    seen: list[tuple[str, str, str] | str] = []
    stop = threading.Event()

    def read(base: str) -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                response = client.get(base + "/sparql", params={"query": READ})
                if response.status_code != 200:
                    seen.append(f"HTTP {response.status_code}: {response.text[:200]}")
                    continue
                rows = response.json()["results"]["bindings"]
                if len(rows) != 1:
                    seen.append(f"{len(rows)} rows")
                    continue
                row = rows[0]
                seen.append(
                    (row["marked"]["value"], row["recorded"]["value"], row["version"]["value"])
                )

    with front_over(engine) as one, front_over(engine) as two:
        readers = [
            threading.Thread(target=read, args=(f.url,)) for f in (one, two) for _ in range(2)
        ]
        for reader in readers:
            reader.start()
        try:
            store = RemoteStore.open(engine, graph_prefix=GRAPH)
            try:
                store.write_version("two", _second_version())
                store.invalidate()
                graphs = {g.value for g in store.named_graphs()}
            finally:
                store.close()
            # The front ends read the version every few seconds: both switch without a restart.
            for front in (one, two):
                for _ in range(100):
                    if httpx.get(front.url + "/healthz").json()["version"] == "two":
                        break
                    threading.Event().wait(0.1)
            versions = [httpx.get(f.url + "/healthz").json()["version"] for f in (one, two)]
            last = [httpx.get(f.url + "/sparql", params={"query": READ}).json() for f in (one, two)]
        finally:
            stop.set()
            for reader in readers:
                reader.join(timeout=60)
    assert versions == ["two", "two"]
    assert all(answer["results"]["bindings"][0]["version"]["value"] == "two" for answer in last)
    assert GRAPH + "organisaties" not in graphs
    assert GRAPH + "filler" in graphs
    problems = [s for s in seen if isinstance(s, str)]
    assert problems == []
    assert set(seen) <= {("first", "first", "one"), ("second", "second", "two")}
    assert ("first", "first", "one") in seen  # the readers ran across the switch
