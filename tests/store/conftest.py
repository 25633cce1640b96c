"""External engines for the remote-store tests: Oxigraph's server and Virtuoso 7, on loopback.

Each engine is started once per test session (on one xdist worker: the ``engines`` group) in a
temporary folder, and loaded with two datasets in turn: a small fixture written here, and the
corpus as the build reads it (``collect``), on which the competency questions are asked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from engine_data import PREFIX, small_fixture
from pyoxigraph import Quad
from servers import ENGINES, Engine, start_engine
from servers import store_url as store_url_of

from policygraph.build.pipeline import collect
from policygraph.config import load_settings
from policygraph.namespaces import Minter
from policygraph.store.local import LocalStore
from policygraph.store.remote import RemoteStore


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "engine" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("engines"))


@pytest.fixture(scope="session")
def corpus_quads() -> list[Quad]:
    """The corpus as the build reads it (no validation: the engines are what is tested)."""
    settings = load_settings(env={})
    return collect(settings).quads(Minter(settings.base_iri))


@pytest.fixture(scope="session")
def engine_servers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Engine]]:
    started: dict[str, Engine] = {}
    yield started
    for server in started.values():
        server.stop()


@pytest.fixture(scope="session", params=ENGINES)
def engine(
    request: pytest.FixtureRequest,
    engine_servers: dict[str, Engine],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """The name of a running engine; its server starts on first use."""
    name = str(request.param)
    if name not in engine_servers:
        engine_servers[name] = start_engine(name, tmp_path_factory.mktemp(name))
    return name


@pytest.fixture(scope="session")
def store_url(engine: str, engine_servers: dict[str, Engine]) -> str:
    return store_url_of(engine, engine_servers[engine])


@pytest.fixture
def remote_small(store_url: str) -> Iterator[tuple[RemoteStore, LocalStore]]:
    """The engine loaded with the small fixture, and the same quads in a local store."""
    quads = small_fixture()
    store = RemoteStore.open(store_url, graph_prefix=PREFIX)
    store.replace_dataset(quads)
    yield store, LocalStore.in_memory(quads)
    store.close()


@pytest.fixture
def remote_corpus(
    store_url: str, corpus_quads: list[Quad]
) -> Iterator[tuple[RemoteStore, LocalStore]]:
    """The engine loaded with the corpus (once per engine), and the corpus in a local store."""
    store = RemoteStore.open(store_url, graph_prefix=PREFIX, timeout=120)
    if store.version != _corpus_version(corpus_quads):
        store.replace_dataset(corpus_quads)
    yield store, _local_corpus(corpus_quads)
    store.close()


_LOCAL: dict[int, LocalStore] = {}


def _local_corpus(quads: list[Quad]) -> LocalStore:
    key = id(quads)
    if key not in _LOCAL:
        _LOCAL[key] = LocalStore.in_memory(quads)
    return _LOCAL[key]


def _corpus_version(quads: list[Quad]) -> str:
    """The version a remote store reports for the corpus (it has no pg:version of its own)."""
    return RemoteStore.content_version(quads, PREFIX)
