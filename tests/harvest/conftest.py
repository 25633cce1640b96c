"""Real Oxigraph servers on loopback serving the two versions of the Themis-shaped data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from servers import FaultyProxy, OxigraphServer, oxigraph_binary
from themis_data import ThemisData, ntriples, version_1, version_2


def _served(folder: Path, data: ThemisData) -> OxigraphServer:
    file = folder / "themis.nt"
    file.write_text(ntriples(data), encoding="utf-8")
    server = OxigraphServer(folder / "store", read_only=True)
    server.load(file)
    return server.start()


@pytest.fixture(scope="session")
def themis_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, OxigraphServer]]:
    """Two read-only Oxigraph servers: Themis as published at two moments."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    servers = {}
    try:
        servers[1] = _served(tmp_path_factory.mktemp("themis-v1"), version_1())
        servers[2] = _served(tmp_path_factory.mktemp("themis-v2"), version_2())
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def proxy_to(
    themis_servers: dict[int, OxigraphServer],
) -> Iterator[Callable[[int], FaultyProxy]]:
    """``proxy_to(version)``: a faulty proxy in front of that version's server."""
    proxies: list[FaultyProxy] = []

    def make(version: int) -> FaultyProxy:
        proxy = FaultyProxy(themis_servers[version].url)
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.close()
