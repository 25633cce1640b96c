"""The query pool's workers and the fork server they come from: the in-memory copy of a version,
its bound, new versions, and the ways a worker or the fork server ends; the jobs it is given,
refused before a worker is asked, and the facts of their text that travel with them."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from policygraph.errors import QueryRefusedError, QueryTimeoutError
from policygraph.query import (
    Complete,
    Limits,
    PublishedStore,
    QueryPool,
    QueryText,
    ResultKind,
    prepare_job,
)
from policygraph.query.dataset import VersionTracker
from policygraph.query.messages import decode_job, encode_job
from policygraph.sparql.bounds import TextBounds
from policygraph.store.local import mark_complete, new_version_dir, publish, write_store

EX = "https://example.org/"
GRAPH = NamedNode(EX + "graph")
LIMITS = Limits(
    max_result_rows=1_000,
    result_buffer_bytes=1 << 20,
    stream_chunk_bytes=1 << 16,
    base_iri=EX + "sparql",
    service_allowlist=(),
    union_default_graph=True,
    text_bounds=TextBounds(max_depth=64, max_tokens=10_000, max_string_chars=1_000),
    memory_bytes=512 << 20,
)
FORMATS = (
    (ResultKind.SOLUTIONS, "json"),
    (ResultKind.BOOLEAN, "json"),
    (ResultKind.GRAPH, "ntriples"),
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def quads(n: int) -> list[Quad]:
    return [Quad(NamedNode(f"{EX}s{i}"), NamedNode(EX + "p"), Literal(i), GRAPH) for i in range(n)]


def publish_version(store_dir: Path, n: int, version: str) -> str:
    path = new_version_dir(store_dir)
    write_store(quads(n), path)
    mark_complete(path, version)
    publish(store_dir, path)
    return str(VersionTracker(PublishedStore(store_dir)).current().path)


def count(pool: QueryPool, path: str | None, query: str = COUNT, timeout: float = 10) -> int:
    answer = pool.execute(pool.prepare(query, None, None, FORMATS, path), timeout=timeout)
    assert not hasattr(answer, "chunks")
    [row] = json.loads(answer.body)["results"]["bindings"]  # type: ignore[union-attr]
    return int(row["n"]["value"])


@contextmanager
def pools_of(store_dir: Path, copies: Path | None = None) -> Iterator[Callable[..., QueryPool]]:
    """A maker of pools on the store in ``store_dir`` (and the fork servers' directory
    ``copies``, shared as the web workers of one server share it); all closed at the end."""
    pools: list[QueryPool] = []

    def make(size: int = 2, memory_max_quads: int = 1_000) -> QueryPool:
        pool = QueryPool(
            PublishedStore(store_dir),
            LIMITS,
            size=size,
            queue_timeout=5,
            memory_max_quads=memory_max_quads,
            copies=copies,
        )
        pools.append(pool)
        return pool

    try:
        yield make
    finally:
        for pool in pools:
            pool.close()


@pytest.fixture
def make_pool(tmp_path: Path) -> Iterator[Callable[..., QueryPool]]:
    with pools_of(tmp_path) as make:
        yield make


def settled(pool: QueryPool) -> QueryPool:
    eventually(lambda: not pool.loading and len(pool.worker_pids()) == pool.size)
    return pool


def eventually(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not reaped, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.parametrize(("bound", "in_memory"), [(1_000, True), (99, False), (0, False)])
def test_a_version_is_held_in_memory_up_to_the_bound(tmp_path, make_pool, bound, in_memory):
    path = publish_version(tmp_path, 100, "v1")
    pool = settled(make_pool(memory_max_quads=bound))
    assert pool.in_memory is in_memory
    assert count(pool, path) == 100


def test_a_new_version_is_answered_at_once_and_then_from_memory(tmp_path, make_pool):
    first = publish_version(tmp_path, 10, "v1")
    pool = settled(make_pool())
    old_workers = set(pool.worker_pids())
    assert count(pool, first) == 10
    second = publish_version(tmp_path, 20, "v2")
    # The first query of the new version is answered on disk while the copy is loading.
    assert count(pool, second) == 20
    settled(pool)
    eventually(lambda: not old_workers & set(pool.worker_pids()))
    assert pool.in_memory
    assert count(pool, second) == 20
    assert not any(alive(pid) for pid in old_workers)


def test_a_worker_past_its_deadline_is_killed_and_replaced(tmp_path, make_pool):
    path = publish_version(tmp_path, 100, "v1")
    pool = settled(make_pool(size=1))
    [before] = pool.worker_pids()
    with pytest.raises(QueryTimeoutError):
        count(pool, path, RUNAWAY, timeout=0.5)
    eventually(lambda: not alive(before), seconds=2)
    [after] = pool.worker_pids()
    assert after != before
    assert count(pool, path) == 100


def test_a_worker_ends_when_the_pool_lets_go_of_its_pipe(tmp_path, make_pool):
    publish_version(tmp_path, 10, "v1")
    pool = settled(make_pool(size=1))
    worker = pool._idle.get()
    worker.connection.close()  # what the web process's death does to it
    eventually(lambda: not alive(worker.pid), seconds=5)


def test_a_fork_server_that_died_is_started_again(tmp_path, make_pool):
    path = publish_version(tmp_path, 100, "v1")
    pool = settled(make_pool(size=1))
    server = pool._server
    os.kill(server.pid, 9)
    eventually(lambda: not server.is_alive())
    with pytest.raises(QueryTimeoutError):  # its worker is lost with it: a new one is forked
        count(pool, path, RUNAWAY, timeout=0.5)
    assert pool._server is not server
    assert pool.in_memory
    assert count(pool, path) == 100


# --- the job's facts: read once in this process, refused before a worker is asked ----------


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }", "read-only"),
        ("SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE a variable"),
    ],
)
def test_a_refused_query_costs_no_worker_round_trip(tmp_path, make_pool, query, reason):
    path = publish_version(tmp_path, 10, "v1")
    pool = settled(make_pool(size=1))
    assert count(pool, path) == 10
    dispatched = pool.dispatched
    assert dispatched == 1
    with pytest.raises(QueryRefusedError, match=reason):
        pool.prepare(query, None, None, FORMATS, path)
    assert pool.dispatched == dispatched


def test_the_facts_of_a_job_are_the_ones_its_worker_uses(tmp_path, make_pool):
    path = publish_version(tmp_path, 10, "v1")
    pool = settled(make_pool(size=1))
    job = pool.prepare(COUNT, None, None, FORMATS, path)
    assert job.facts.deterministic
    answer = pool.execute(job, timeout=10)
    assert isinstance(answer, Complete)
    assert answer.deterministic
    # Facts that say otherwise than the text are what the worker goes by: it did not read the
    # text again. (Without union of the graphs, the default graph, where no quad is, is empty.)
    told = replace(job, facts=replace(job.facts, deterministic=False, has_dataset_clause=True))
    answer = pool.execute(told, timeout=10)
    assert isinstance(answer, Complete)
    assert not answer.deterministic
    [row] = json.loads(answer.body)["results"]["bindings"]
    assert row["n"]["value"] == "0"


def test_the_facts_travel_whole_in_the_job_frame():
    job = prepare_job(
        "BASE <https://example.org/> SELECT * FROM <g> { SERVICE <sparql> { ?s ?p ?o } "
        "BIND (RAND() AS ?r) }",
        ("https://example.org/g",),
        (),
        FORMATS,
        "/versions/v1",
        replace(LIMITS, service_allowlist=("https://example.org/sparql",)),
    )
    assert job.facts == QueryText(
        has_dataset_clause=True,
        services=("https://example.org/sparql",),
        update_operations=(),
        deterministic=False,
    )
    assert decode_job(encode_job(job)) == job


@pytest.mark.parametrize("after", [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6])
def test_a_pool_closed_while_it_starts_ends_quietly(tmp_path, make_pool, caplog, after):
    """Regression: closing a pool whose workers and in-memory copy were still starting raised
    ``StoreError`` in its background thread."""
    publish_version(tmp_path, 900, "v1")
    failures: list[threading.ExceptHookArgs] = []
    previous, threading.excepthook = threading.excepthook, failures.append
    try:
        pool = make_pool()
        time.sleep(after)
        pool.close()
        eventually(lambda: not any(t.name == "policygraph-pool" for t in threading.enumerate()))
    finally:
        threading.excepthook = previous
    assert [f.exc_value for f in failures] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
