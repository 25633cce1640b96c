import os

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, Variable

from policygraph.errors import QuerySyntaxError, StoreError, StoreNotFoundError
from policygraph.store import GraphStore, WritableStore
from policygraph.store.local import (
    CURRENT,
    VERSIONS,
    LocalStore,
    LocalVersions,
    current_version_dir,
    mark_complete,
    new_version_dir,
    prune,
    publish,
    write_store,
)

G = NamedNode("https://example.org/graph/a")
S = NamedNode("https://example.org/id/thing/1")
P = NamedNode("http://purl.org/dc/terms/title")


def quads(title: str) -> list[Quad]:
    return [Quad(S, P, Literal(title), G)]


def publish_version(store_dir, title, version):
    path = new_version_dir(store_dir)
    write_store(quads(title), path)
    mark_complete(path, version)
    publish(store_dir, path)
    return path


def test_opening_an_unbuilt_store_says_how_to_build(tmp_path):
    with pytest.raises(StoreNotFoundError, match="policygraph build"):
        LocalStore.open(tmp_path / "store")


def test_publish_switches_current_and_old_readers_keep_their_version(tmp_path):
    first = publish_version(tmp_path, "one", "v1")
    reader = LocalStore.open(tmp_path)
    assert reader.version == "v1"
    second = publish_version(tmp_path, "two", "v2")
    assert current_version_dir(tmp_path) == second.resolve()
    assert os.readlink(tmp_path / CURRENT) == f"versions/{second.name}"
    # the reader opened before the switch still reads its own, complete version
    assert [q.object.value for q in reader.quads()] == ["one"]
    assert LocalStore.open(tmp_path).version == "v2"
    assert first.exists()


def test_prune_keeps_the_published_version(tmp_path):
    paths = [publish_version(tmp_path, str(i), f"v{i}") for i in range(4)]
    removed = prune(tmp_path, keep=2)
    assert sorted(removed) == sorted(paths[:2])
    assert LocalStore.open(tmp_path).version == "v3"


def test_local_versions_are_a_writable_store_publishing_a_version_with_its_changes(tmp_path):
    versions: WritableStore = LocalVersions(tmp_path, keep=2)
    assert isinstance(versions, WritableStore)
    versions.write_version("v1", quads("one"))
    versions.write_version("v2", quads("two"), added=quads("two"), removed=quads("one"))
    store = LocalStore.open(tmp_path)
    assert (store.version, [q.object.value for q in store.quads()]) == ("v2", ["two"])
    assert store.path is not None
    changes = store.path / "changes"
    assert (changes / "added.nq").read_text().count('"two"') == 1
    assert (changes / "removed.nq").read_text().count('"one"') == 1
    versions.write_version("v3", quads("three"))
    assert len(list((tmp_path / VERSIONS).iterdir())) == 2  # pruned to ``keep``


class CutOff(list[Quad]):
    """Content whose reading stops with an error halfway, as a source on a failing disk does."""

    def __iter__(self):
        yield from self[:1]
        raise OSError(5, "Input/output error")


def test_a_version_that_fails_to_write_leaves_the_published_one(tmp_path):
    versions = LocalVersions(tmp_path)
    versions.write_version("v1", quads("one"))
    with pytest.raises(StoreError, match=r"cannot write the store .*Input/output error"):
        versions.write_version("v2", CutOff(quads("two") + quads("three")))
    assert LocalStore.open(tmp_path).version == "v1"
    assert len(list((tmp_path / VERSIONS).iterdir())) == 1


def test_a_store_satisfies_the_protocol_and_binds_iris():
    store = LocalStore.in_memory(quads("hello"))
    assert isinstance(store, GraphStore)
    result = store.query(
        "SELECT ?s ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }",
        substitutions={Variable("s"): S},
    )
    assert isinstance(result, QuerySolutions)
    assert [row["t"].value for row in result] == ["hello"]
    assert list(store.named_graphs()) == [G]
    assert len(store) == 1


def test_union_default_graph_is_a_choice():
    store = LocalStore.in_memory(quads("x"))
    ask = "ASK { ?s ?p ?o }"
    assert bool(store.query(ask, union_default_graph=True))
    assert not bool(store.query(ask, union_default_graph=False))


def test_syntax_errors_become_query_syntax_errors():
    with pytest.raises(QuerySyntaxError):
        LocalStore.in_memory([]).query("SELEC * WHERE {}")


def test_a_query_with_from_reads_only_that_graph_even_with_the_union_default():
    other = NamedNode("https://example.org/graph/b")
    store = LocalStore.in_memory([*quads("in a"), Quad(S, P, Literal("in b"), other)])
    result = store.query(
        f"SELECT ?t FROM <{G.value}> WHERE {{ ?s <http://purl.org/dc/terms/title> ?t }}",
        union_default_graph=True,
    )
    assert [row["t"].value for row in result] == ["in a"]
