"""Dumps: deterministic, checksummed, and reloading into a store isomorphic to the source."""

from __future__ import annotations

import gzip
import hashlib
import json

import rdflib
import rdflib.compare
from ld_support import FIXTURE, fixture_store
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, parse

from policygraph.rdfio import rdflib_graph
from policygraph.read.dumps import MANIFEST, NQUADS_GZ, TURTLE, prune_dumps, read_dumps, write_dumps
from policygraph.store.local import LocalStore


def graphs_of(quads):
    grouped = {}
    for quad in quads:
        grouped.setdefault(quad.graph_name, []).append(quad)
    return {name: rdflib_graph(items) for name, items in grouped.items()}


def assert_isomorphic(left, right):
    a, b = graphs_of(left), graphs_of(right)
    assert set(a) == set(b)
    for name in a:
        assert rdflib.compare.isomorphic(a[name], b[name]), name


def test_the_nquads_dump_reloads_isomorphic_to_the_store(tmp_path):
    store = fixture_store()
    dumps = write_dumps(store, tmp_path)
    data = gzip.decompress((dumps.folder / NQUADS_GZ).read_bytes())
    fresh = Store()
    fresh.load(data, format=RdfFormat.N_QUADS)
    assert len(fresh) == len(store)
    assert_isomorphic(list(store.quads()), list(fresh))


def test_blank_nodes_survive_the_dump_up_to_isomorphism(tmp_path):
    graph = NamedNode("https://data.policygraph.be/graph/x")
    node = BlankNode()
    quads = [
        Quad(NamedNode("https://data.policygraph.be/id/a/1"), NamedNode("http://p/q"), node, graph),
        Quad(node, NamedNode("http://p/r"), NamedNode("http://p/s"), graph),
    ]
    store = LocalStore.in_memory(quads, version="blank")
    dumps = write_dumps(store, tmp_path)
    reloaded = list(
        parse(gzip.decompress((dumps.folder / NQUADS_GZ).read_bytes()), format=RdfFormat.N_QUADS)
    )
    assert_isomorphic(quads, reloaded)


def test_the_turtle_dump_holds_every_distinct_triple(tmp_path):
    store = fixture_store()
    dumps = write_dumps(store, tmp_path)
    triples = {q.triple for q in parse(path=str(dumps.folder / TURTLE), format=RdfFormat.TURTLE)}
    assert triples == {q.triple for q in store.quads()}
    assert dumps.file(TURTLE).statements == len(triples)


def test_checksums_and_manifest_match_the_files(tmp_path):
    dumps = write_dumps(fixture_store(), tmp_path)
    manifest = json.loads((dumps.folder / MANIFEST).read_text())
    assert manifest["version"] == "fixture-1"
    for dump in dumps.files:
        body = (dumps.folder / dump.name).read_bytes()
        assert hashlib.sha256(body).hexdigest() == dump.sha256
        assert len(body) == dump.size
        line = (dumps.folder / f"{dump.name}.sha256").read_text()
        assert line == f"{dump.sha256}  {dump.name}\n"


def test_equal_content_gives_byte_equal_dumps(tmp_path):
    # The build labels blank nodes canonically; the fixture graph has none, the ontology has.
    def store():
        return LocalStore.in_memory(parse(path=str(FIXTURE), format=RdfFormat.TRIG), version="a")

    first = write_dumps(store(), tmp_path / "one")
    second = write_dumps(store(), tmp_path / "two")
    assert [d.sha256 for d in first.files] == [d.sha256 for d in second.files]


def test_existing_dumps_are_read_not_rewritten(tmp_path):
    store = fixture_store("v1")
    first = write_dumps(store, tmp_path)
    mtime = (first.folder / NQUADS_GZ).stat().st_mtime_ns
    again = write_dumps(store, tmp_path)
    assert again == first
    assert (again.folder / NQUADS_GZ).stat().st_mtime_ns == mtime


def test_prune_keeps_only_the_named_versions(tmp_path):
    write_dumps(fixture_store("old"), tmp_path)
    write_dumps(fixture_store("new"), tmp_path)
    removed = prune_dumps(tmp_path, {"new"})
    assert [p.name for p in removed] == ["old"]
    assert read_dumps(tmp_path, "old") is None
    assert read_dumps(tmp_path, "new") is not None
