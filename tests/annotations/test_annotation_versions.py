"""A version made from the published one and a delta: its description in the build graph, the
search index carried over, and a later build that keeps the annotation graphs."""

from __future__ import annotations

import os
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Triple

from policygraph.annotations.versions import GraphDelta, publish_deltas
from policygraph.build.publishing import publish
from policygraph.config import load_settings
from policygraph.namespaces import Minter
from policygraph.search.index import index_dir
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.store.local import LocalStore, current_version_dir

BASE = "https://example.org"
GRAPH = NamedNode(f"{BASE}/graph/annotations/an")
NOTE = Quad(
    NamedNode(f"{BASE}/id/annotatie/an/01JEX0000000000000000000A1"),
    NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
    Literal("kept across builds"),
    GRAPH,
)


def _source(tmp_path: Path) -> SourceGraph:
    path = tmp_path / "a.txt"
    path.write_text("a")
    document = SourceDocument(
        "a",
        "a",
        path,
        path.name,
        f"{BASE}/origin",
        "https://opensource.org/licenses/MIT",
        "text/plain",
    )
    thing = NamedNode(f"{BASE}/id/thing/1")
    triple = Triple(thing, NamedNode(f"{BASE}/name"), Literal("one"))
    return SourceGraph(NamedNode(f"{BASE}/graph/a"), "a", document, (triple,))


def test_a_delta_version_revises_the_published_one_and_a_build_keeps_its_graph(
    tmp_path: Path,
) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "none.ttl").write_text("")
    settings = load_settings(
        env={},
        overrides={
            "store_dir": str(tmp_path / "store"),
            "shapes_dir": str(shapes),
            "base_iri": BASE,
        },
    )
    first = publish(settings, [_source(tmp_path)], {}, replace_all=True)
    version = publish_deltas(
        settings.store_dir, Minter(BASE), {GRAPH: GraphDelta((NOTE,), ())}
    ).version
    assert version != first.version
    published = current_version_dir(settings.store_dir)
    assert os.readlink(index_dir(published)) == os.readlink(index_dir(first.version_dir))
    store = LocalStore.open(settings.store_dir)
    assert store.version == version
    revises = f"""ASK {{ GRAPH <{BASE}/graph/build> {{
        <{BASE}/id/versie/{version}> <http://www.w3.org/ns/prov#wasRevisionOf>
            <{BASE}/id/versie/{first.version}> }} }}"""
    assert bool(store.query(revises, union_default_graph=False))
    assert NOTE in set(store.quads(GRAPH))
    store.close()

    rebuilt = publish(settings, [_source(tmp_path)], {}, replace_all=True)
    assert rebuilt.written
    store = LocalStore.open(settings.store_dir)
    assert set(store.quads(GRAPH)) == {NOTE}
    store.close()
