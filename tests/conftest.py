"""Fixtures shared across the layers.

The whole-corpus build is made once per test session (per xdist worker that needs it) in a
temporary store; tests that need it are grouped on one worker with the ``corpus`` group.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from interfaces import app_on
from servers import RawPeer

from policygraph.build.pipeline import BuildResult, build
from policygraph.config import Settings, load_settings
from policygraph.query import source_for
from policygraph.store.local import LocalStore
from policygraph.web import Front

PROJECT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything that touches the built corpus runs on one worker, so it is built once.
    for item in items:
        if "built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("corpus"))


@pytest.fixture(scope="session")
def settings_for(tmp_path_factory: pytest.TempPathFactory):
    def make(**overrides: object) -> Settings:
        store = tmp_path_factory.mktemp("store")
        return load_settings(env={}, overrides={"store_dir": str(store), **overrides})

    return make


@pytest.fixture(scope="session")
def built(settings_for) -> tuple[Settings, BuildResult]:
    """The real corpus, built and published once into a temporary store."""
    settings = settings_for()
    return settings, build(settings)


@pytest.fixture(scope="session")
def corpus_store(built) -> LocalStore:
    settings, _ = built
    return LocalStore.open(settings.store_dir)


@pytest.fixture(scope="module")
def corpus_front(built, corpus_store: LocalStore) -> Iterator[Front]:
    """The app on the built corpus, one per module; one query slot, as the pages need few."""
    settings, _ = built
    with app_on(settings.replace(max_concurrent_queries=1), source_for(corpus_store)) as app:
        yield app


@pytest.fixture(scope="module")
def corpus_app(corpus_front: Front) -> Flask:
    """The pages of ``corpus_front``."""
    return corpus_front.pages


@pytest.fixture
def raw_peer() -> Iterator[Callable[[Callable[[socket.socket, int], None]], RawPeer]]:
    """``raw_peer(talk)``: a loopback peer that answers each request as ``talk`` says, closed
    when the test ends."""
    peers: list[RawPeer] = []

    def make(talk: Callable[[socket.socket, int], None]) -> RawPeer:
        peers.append(RawPeer(talk))
        return peers[-1]

    yield make
    for peer in peers:
        peer.close()
