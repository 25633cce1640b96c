"""A build that publishes a new version is served by the next request, dumps included, without
restarting the app: the linked-data views follow the store's ``current`` link."""

from __future__ import annotations

from pathlib import Path

import pytest
from interfaces import app_on
from ld_support import BASE, fixture_quads, fixture_settings
from pyoxigraph import Literal, NamedNode, Quad

from policygraph.query import PublishedStore
from policygraph.read.dumps import publish_dumps, read_dumps
from policygraph.store.local import LocalStore, mark_complete, new_version_dir, publish, write_store

ORG = f"{BASE}/id/organisatie/fit"
LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
GRAPH = NamedNode(f"{BASE}/graph/organisaties")


def publish_version(store_dir: Path, quads: list[Quad], version: str) -> None:
    path = new_version_dir(store_dir)
    write_store(quads, path)
    mark_complete(path, version)
    publish(store_dir, path)


@pytest.fixture
def published(tmp_path):
    quads = fixture_quads()
    publish_version(tmp_path, quads, "v1")
    settings = fixture_settings(tmp_path)
    with app_on(settings, PublishedStore(tmp_path)) as app:
        yield tmp_path, quads, app.pages


def test_a_new_version_is_served_without_a_restart(published):
    store_dir, quads, app = published
    client = app.test_client()
    before = client.get("/id/organisatie/fit?format=nt&lang=nl").get_data(as_text=True)
    assert '"Flanders Investment & Trade"@nl' in before
    renamed = [q for q in quads if not (q.subject.value == ORG and q.predicate == LABEL)]
    renamed.append(Quad(NamedNode(ORG), LABEL, Literal("FIT, hernoemd", language="nl"), GRAPH))
    publish_version(store_dir, renamed, "v2")
    after = client.get("/id/organisatie/fit?format=nt&lang=nl").get_data(as_text=True)
    assert '"FIT, hernoemd"@nl' in after
    assert (
        client.get("/dumps/latest/policygraph.ttl")
        .headers["Location"]
        .endswith("/dumps/v2/policygraph.ttl")
    )


def test_publish_dumps_writes_the_current_version_and_prunes_the_rest(published):
    store_dir, quads, _ = published
    first = publish_dumps(store_dir)
    assert first.version == "v1"
    publish_version(store_dir, quads[:-1], "v2")
    second = publish_dumps(store_dir)
    assert second.version == "v2"
    # v1 is still a kept store version (prune keeps two), so its dumps stay too.
    assert read_dumps(store_dir, "v1") is not None
    opened = LocalStore.open(store_dir)
    assert opened.version == "v2"
