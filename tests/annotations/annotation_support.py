"""What the annotation tests share: a store holding the small fixture graph, published as a
build publishes it, the real app serving it on loopback, and accounts with their tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from interfaces import LoopbackServer, app_on
from ld_support import BASE, DECISION, SECTION, fixture_quads
from pyoxigraph import NamedNode, Quad

from policygraph.annotations.accounts import AccountBook
from policygraph.config import Settings, load_settings
from policygraph.query import PublishedStore
from policygraph.store.local import LocalStore, mark_complete, new_version_dir, publish, write_store

CLAIM = f"{BASE}/id/regeerakkoord/2019-2024/bewering/buitenlands-beleid-en-toerisme/4.3.2/1"
OTHER_DECISION = f"{BASE}/id/beslissing/6000000000000000000000A1"
OA = "http://www.w3.org/ns/oa#"
PG = "https://data.policygraph.be/ns/policygraph#"

__all__ = ["BASE", "CLAIM", "DECISION", "OTHER_DECISION", "SECTION"]


def annotation_settings(store_dir: Path, **overrides: Any) -> Settings:
    return load_settings(
        env={},
        overrides={
            "store_dir": str(store_dir),
            "max_concurrent_queries": 1,
            "annotation_rate_per_minute": 60,
            "annotation_burst": 12,
            **overrides,
        },
    )


def publish_fixture(store_dir: Path) -> None:
    path = new_version_dir(store_dir)
    write_store(fixture_quads(), path)
    mark_complete(path, "fixture-1")
    publish(store_dir, path)


def graph_of(account: str) -> str:
    return f"{BASE}/graph/annotations/{account}"


def graph_quads(store_dir: Path, account: str) -> list[Quad]:
    store = LocalStore.open(store_dir)
    try:
        return list(store.quads(NamedNode(graph_of(account))))
    finally:
        store.close()


def annotations_in(store_dir: Path, account: str) -> set[str]:
    return {
        q.subject.value
        for q in graph_quads(store_dir, account)
        if q.predicate.value.endswith("#type") and q.object.value == OA + "Annotation"
    }


def verdict(target: str = SECTION, verdict: str = "partly-kept", **more: Any) -> dict[str, Any]:
    return {"target": target, "verdict": verdict, "evidence": [DECISION], **more}


@dataclass
class Api:
    store_dir: Path
    settings: Settings
    server: LoopbackServer
    tokens: dict[str, str]

    def client(self, account: str | None = None) -> httpx.Client:
        client = self.server.client()
        if account is not None:
            client.headers["Authorization"] = f"Bearer {self.tokens[account]}"
        return client


@contextmanager
def serve_api(store_dir: Path, accounts: dict[str, str], **overrides: Any) -> Iterator[Api]:
    """The app on a fresh store with ``accounts`` (name → role), served on loopback."""
    publish_fixture(store_dir)
    book = AccountBook(store_dir)
    tokens = {name: book.add(name, role) for name, role in accounts.items()}
    settings = annotation_settings(store_dir, **overrides)
    with app_on(settings, PublishedStore(store_dir)) as app:
        server = LoopbackServer(app)
        try:
            yield Api(store_dir, settings, server, tokens)
        finally:
            server.stop()
