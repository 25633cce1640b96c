"""Publishing versions: change logs, partial updates, backups, and crashes at any moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from hashlib import sha256
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.build.publishing import backup, publish, restore
from policygraph.config import load_settings
from policygraph.errors import StoreError, ValidationFailed
from policygraph.sources import SourceDocument, SourceGraph
from policygraph.store.local import VERSION_FILE, LocalStore

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "needs a name"@en ] .
"""
TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
THING = NamedNode("https://example.org/Thing")
NAME = NamedNode("https://example.org/name")


@pytest.fixture
def settings(tmp_path: Path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "s.ttl").write_text(SHAPES)
    return load_settings(
        env={},
        overrides={
            "store_dir": str(tmp_path / "store"),
            "shapes_dir": str(shapes),
            "base_iri": "https://example.org",
        },
    )


def source(tmp_path: Path, slug: str, names: dict[str, str | None]) -> SourceGraph:
    path = tmp_path / f"{slug}.txt"
    path.write_text(repr(sorted(names.items(), key=str)))
    triples = []
    for ref, name in names.items():
        thing = NamedNode(f"https://example.org/id/thing/{ref}")
        triples.append(Triple(thing, TYPE, THING))
        if name is not None:
            triples.append(Triple(thing, NAME, Literal(name)))
    document = SourceDocument(
        slug,
        slug,
        path,
        path.name,
        "https://example.org/origin",
        "https://opensource.org/licenses/MIT",
        "text/plain",
    )
    return SourceGraph(
        NamedNode(f"https://example.org/graph/{slug}"), slug, document, tuple(triples)
    )


def test_versions_record_what_changed(settings, tmp_path):
    first = publish(
        settings, [source(tmp_path, "a", {"1": "one", "2": "two"})], {}, replace_all=True
    )
    assert first.previous is None
    second = publish(
        settings, [source(tmp_path, "a", {"1": "one", "3": "three"})], {}, replace_all=True
    )
    assert second.previous == first.version != second.version
    change = {c.graph: c for c in second.changes}["https://example.org/graph/a"]
    assert (change.added, change.removed) == (2, 2)
    added = (second.version_dir / "changes" / "added.nq").read_text()
    assert '"three"' in added
    assert '"two"' not in added
    # The graph a, the sources graph and the derived graphs (their methods, nothing derived).
    graphs = len(second.quads_per_graph)
    assert second.summary().startswith(
        f"published version {second.version}: {second.quads} quads in {graphs} graphs, "
        f"+{sum(c.added for c in second.changes)} -{sum(c.removed for c in second.changes)} "
        f"since {first.version} (derive "
    )
    assert list(second.seconds) == ["derive", "validate", "search index", "store", "dumps"]
    store = LocalStore.open(settings.store_dir)
    ask = """ASK { GRAPH ?g { ?v <http://www.w3.org/ns/prov#wasRevisionOf> ?p ;
                             <https://data.policygraph.be/ns/policygraph#hasChange> ?c } }"""
    assert bool(store.query(ask, union_default_graph=False))


def numbered(tmp_path: Path, numbers: dict[str, str]) -> SourceGraph:
    """A source whose things carry xsd:nonNegativeInteger values, which a store keeps by value
    (and gives back as xsd:integer)."""
    graph = source(tmp_path, "n", {ref: f"thing {ref}" for ref in numbers})
    count = NamedNode("https://example.org/count")
    typed = NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
    extra = tuple(
        Triple(NamedNode(f"https://example.org/id/thing/{ref}"), count, Literal(n, datatype=typed))
        for ref, n in numbers.items()
    )
    return SourceGraph(graph.name, graph.title, graph.document, graph.triples + extra)


def test_an_unchanged_rebuild_keeps_its_version_and_logs_no_change(settings, tmp_path):
    """Regression: a rebuild of unchanged data published the same id over other content and
    logged +5668 -5668 (literals the store keeps by value compared in their written form)."""
    first = publish(settings, [numbered(tmp_path, {"1": "5", "2": "07"})], {}, replace_all=True)
    versions = sorted((settings.store_dir / "versions").iterdir())
    again = publish(settings, [numbered(tmp_path, {"1": "5", "2": "07"})], {}, replace_all=True)
    assert again.version == first.version
    assert again.changes == ()
    assert not again.written
    assert sorted((settings.store_dir / "versions").iterdir()) == versions  # nothing churned
    assert again.summary().startswith(f"unchanged, kept version {first.version}: ")
    assert again.quads == first.quads == len(LocalStore.open(settings.store_dir))

    changed = publish(settings, [numbered(tmp_path, {"1": "5", "2": "08"})], {}, replace_all=True)
    assert changed.version != first.version
    change = {c.graph: c for c in changed.changes}["https://example.org/graph/n"]
    assert (change.added, change.removed) == (1, 1)
    added = (changed.version_dir / "changes" / "added.nq").read_text()
    assert added.count("\n") == 1
    assert '"8"^^<http://www.w3.org/2001/XMLSchema#integer>' in added  # as the store holds it


def test_the_version_names_the_content_as_stored(settings, tmp_path):
    """Two texts of one value ("07" and "7") are one content once stored, hence one version."""
    one = publish(settings, [numbered(tmp_path, {"1": "07"})], {}, replace_all=True)
    other = publish(settings, [numbered(tmp_path, {"1": "7"})], {}, replace_all=True)
    assert other.version == one.version
    assert not other.written


def test_an_update_replaces_only_its_graphs(settings, tmp_path):
    publish(
        settings,
        [source(tmp_path, "a", {"1": "one"}), source(tmp_path, "b", {"2": "two"})],
        {},
        replace_all=True,
    )
    result = publish(
        settings, [source(tmp_path, "b", {"2": "deux", "4": "quatre"})], {}, replace_all=False
    )
    store = LocalStore.open(settings.store_dir)
    names = {
        row["n"].value
        for row in store.query("SELECT ?n WHERE { ?s <https://example.org/name> ?n }")
    }
    assert names == {"one", "deux", "quatre"}
    assert {c.graph for c in result.changes} >= {"https://example.org/graph/b"}
    assert "https://example.org/graph/a" not in {c.graph for c in result.changes}
    # Each document keeps one checksum: the replaced one's is its new content's.
    checksums = {
        row["d"].value: row["v"].value
        for row in store.query(
            "SELECT ?d ?v WHERE { ?d <http://spdx.org/rdf/terms#checksum> ?c . "
            "?c <http://spdx.org/rdf/terms#checksumValue> ?v }"
        )
    }
    values = store.query("SELECT ?v WHERE { ?c <http://spdx.org/rdf/terms#checksumValue> ?v }")
    assert len(list(values)) == len(checksums)
    b_file = tmp_path / "b.txt"
    assert checksums["https://example.org/id/bron/b"] == sha256(b_file.read_bytes()).hexdigest()


def test_invalid_content_is_never_published(settings, tmp_path):
    good = publish(settings, [source(tmp_path, "a", {"1": "one"})], {}, replace_all=True)
    with pytest.raises(ValidationFailed):
        publish(settings, [source(tmp_path, "a", {"1": None})], {}, replace_all=True)
    assert LocalStore.open(settings.store_dir).version == good.version
    assert len(list((settings.store_dir / "versions").iterdir())) == 1


def test_a_partial_update_validates_the_nodes_it_changes(settings, tmp_path):
    publish(settings, [source(tmp_path, "a", {"1": "one", "2": "two"})], {}, replace_all=True)
    with pytest.raises(ValidationFailed) as failed:
        publish(settings, [source(tmp_path, "b", {"3": None})], {}, replace_all=False)
    assert [r.focus_node for r in failed.value.report.results] == [
        "<https://example.org/id/thing/3>"
    ]
    result = publish(settings, [source(tmp_path, "b", {"3": "three"})], {}, replace_all=False)
    assert result.report.conforms
    assert result.report.triples_validated > 0


def test_backup_and_restore(settings, tmp_path):
    first = publish(settings, [source(tmp_path, "a", {"1": "one"})], {}, replace_all=True)
    backup(settings, tmp_path / "backup")
    publish(settings, [source(tmp_path, "a", {"1": "uno"})], {}, replace_all=True)
    assert restore(settings, tmp_path / "backup") == first.version
    store = LocalStore.open(settings.store_dir)
    assert store.version == first.version
    assert [
        row["n"].value
        for row in store.query("SELECT ?n WHERE { ?s <https://example.org/name> ?n }")
    ] == ["one"]
    with pytest.raises(StoreError, match="exists already"):
        backup(settings, tmp_path / "backup")
    with pytest.raises(StoreError, match="not a policygraph backup"):
        restore(settings, tmp_path)


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_publishing import source
    from policygraph.config import load_settings
    from policygraph.build.publishing import publish
    settings = load_settings(env={{}}, overrides={{"store_dir": {store!r}, "shapes_dir": {shapes!r},
                                                  "base_iri": "https://example.org"}})
    names = {{str(i): "name %d %s" % (i, sys.argv[1]) for i in range(40000)}}
    publish(settings, [source(Path({tmp!r}), "big", names)], {{}}, replace_all=True)
""")


def test_a_writer_killed_at_any_moment_leaves_the_published_version_intact(settings, tmp_path):
    baseline = publish(settings, [source(tmp_path, "big", {"0": "start"})], {}, replace_all=True)
    script = WRITER.format(
        tests=str(Path(__file__).parent),
        store=str(settings.store_dir),
        shapes=str(settings.shapes_dir),
        tmp=str(tmp_path),
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    # One complete run tells how long a write takes; the kills are spread over that span.
    clock = time.monotonic()
    subprocess.run([sys.executable, "-c", script, "full"], check=True, env=env)
    span = time.monotonic() - clock
    published = {baseline.version, LocalStore.open(settings.store_dir).version}
    for fraction in (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97):
        writer = subprocess.Popen([sys.executable, "-c", script, f"kill{fraction}"], env=env)
        time.sleep(span * fraction)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        store = LocalStore.open(settings.store_dir)  # always opens: current is never half-written
        complete = store.path is not None and (store.path / VERSION_FILE).is_file()
        assert complete
        assert sum(1 for _ in store.quads()) == len(store)
        published.add(store.version)
    # the next writer clears what the killed ones left unfinished
    publish(settings, [source(tmp_path, "big", {"0": "end"})], {}, replace_all=True)
    leftovers = [
        p for p in (settings.store_dir / "versions").iterdir() if not (p / VERSION_FILE).exists()
    ]
    assert leftovers == []
