"""Fixtures of the endpoint's tests: one app on the fixture graph per module, and a client of it
through each interface (the ASGI transport, uvicorn on loopback). A module that needs other
settings defines its own ``clients``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from interfaces import INTERFACES, AsgiClient, Clients, app_on, in_memory
from sparql_support import endpoint_settings, fixture_quads


@pytest.fixture(scope="module")
def clients() -> Iterator[Clients]:
    with app_on(endpoint_settings(), in_memory(fixture_quads())) as app:
        clients = Clients(app)
        yield clients
        clients.close()


@pytest.fixture(params=INTERFACES)
def client(clients: Clients, request: pytest.FixtureRequest) -> AsgiClient:
    return clients(request.param)  # type: ignore[return-value]
