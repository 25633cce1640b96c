"""The two ways into an app, for tests that must hold through both."""

from __future__ import annotations

from a2wsgi import ASGIMiddleware
from flask import Flask
from werkzeug.test import Client, TestResponse

from policygraph.web.front import Front

INTERFACES = ("wsgi", "asgi")
"""The two ways into an app: Flask's WSGI view, and the ASGI front that ``policygraph serve``
runs; tests of the protocol run through both."""


def client_of(app: Flask, interface: str) -> Client:
    """A test client of ``app`` through one of the ``INTERFACES`` (the front over a2wsgi)."""
    if interface == "wsgi":
        return app.test_client()
    client = app.extensions.get("tests.front-client")
    if client is None:  # one front per app: each has its threads
        client = Client(ASGIMiddleware(Front(app, threads=4)), response_wrapper=TestResponse)
        app.extensions["tests.front-client"] = client
    return client
