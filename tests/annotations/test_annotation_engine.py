"""Annotations written where the versions are served from an external engine (``store_url``):
each write reaches the engine as it is published here, in one update; a write the engine missed
(it was down) is kept here, and the next write brings the engine up to date."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from annotation_support import BASE, OA, annotation_settings, graph_of, serve_api, verdict
from ld_support import fixture_quads
from pyoxigraph import NamedNode
from servers import ENGINES, LOOPBACK, free_port, running_engine

from policygraph.annotations.accounts import AccountBook
from policygraph.annotations.service import Annotations
from policygraph.store.local import LocalStore
from policygraph.store.remote import RemoteStore

pytestmark = pytest.mark.slow

PREFIX = BASE + "/graph/"


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The store URL of a running engine, loaded afresh by each test."""
    name = str(request.param)
    with running_engine(name, tmp_path_factory.mktemp(name)) as url:
        yield url


def _load_fixture(url: str) -> None:
    """The engine holding what the store holds before any write (a dataset of another version:
    it records none)."""
    remote = RemoteStore.open(url, graph_prefix=PREFIX)
    try:
        remote.replace_dataset(fixture_quads())
    finally:
        remote.close()


def _same_version(url: str, store_dir: Path, account: str) -> set[str]:
    """Check the engine holds the store's published version, graph for graph; the annotations
    of ``account`` it holds."""
    remote, local = RemoteStore.open(url, graph_prefix=PREFIX), LocalStore.open(store_dir)
    try:
        assert remote.version == local.version
        graphs = sorted(g.value for g in local.named_graphs())
        assert sorted(g.value for g in remote.named_graphs()) == graphs
        for name in graphs:  # sizes: blank nodes get the engine's own labels
            graph = NamedNode(name)
            assert len(list(remote.quads(graph))) == len(list(local.quads(graph))), name
        annotations = remote.quads(NamedNode(graph_of(account)))
        return {
            q.subject.value
            for q in annotations
            if q.predicate.value.endswith("#type") and q.object.value == OA + "Annotation"
        }
    finally:
        remote.close()
        local.close()


def test_each_write_reaches_the_engine(engine: str, tmp_path: Path) -> None:
    _load_fixture(engine)
    store_dir = tmp_path / "store"
    accounts = {"an": "annotator", "bo": "annotator"}
    with serve_api(store_dir, accounts, store_url=engine) as api, api.client("an") as c:
        # The first finds the engine on another version, and writes it whole; the second finds
        # it on the first's version, and sends what changed.
        first = c.post("/annotations", json=verdict())
        assert first.status_code == 201, first.text
        assert _same_version(engine, store_dir, "an") == {first.json()["iri"]}
        second = c.post("/annotations", json=verdict(verdict="kept"))
        assert second.status_code == 201, second.text
        with api.client("bo") as other:  # a graph the engine has not had yet
            third = other.post("/annotations", json=verdict(verdict="stalled"))
        assert third.status_code == 201, third.text
    assert _same_version(engine, store_dir, "an") == {first.json()["iri"], second.json()["iri"]}
    assert _same_version(engine, store_dir, "bo") == {third.json()["iri"]}


def test_a_write_the_engine_missed_is_kept_and_carried_by_the_next(
    engine: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _load_fixture(engine)
    store_dir = tmp_path / "store"
    with serve_api(store_dir, {}):  # the store published as the other tests have it
        pass
    token = AccountBook(store_dir).add("an")
    body = json.dumps(verdict()).encode()

    down = f"sparql+http://{LOOPBACK}:{free_port()}/query"  # nothing listens there
    missing = Annotations(annotation_settings(store_dir, store_url=down))
    with caplog.at_level(logging.ERROR, logger="policygraph.annotations.commit"):
        missed = missing.create(missing.accounts.authenticate(token), body, "application/json")
    assert "the engine was not given version" in caplog.text
    local = LocalStore.open(store_dir)
    try:
        assert local.version == missed.outcome.version  # published here all the same
    finally:
        local.close()

    service = Annotations(annotation_settings(store_dir, store_url=engine))
    carried = service.create(service.accounts.authenticate(token), body, "application/json")
    assert _same_version(engine, store_dir, "an") == {missed.iri.value, carried.iri.value}
