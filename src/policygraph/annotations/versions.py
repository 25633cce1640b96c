"""A new version made from the published one and the changes of some annotation graphs.

A build writes every quad of a version (~215k) and indexes it; a write of annotations changes a
few quads of one graph. So the new version starts as a checkpoint of the published store
(pyoxigraph's ``backup``: RocksDB hard-links the immutable files), the changes are applied to
it, and what no annotation changes is carried over: the search index (annotations are not
searched) is hard-linked from the published version, and the dumps are written when first
asked for (``web/dumps.py`` writes a version's dumps when it has none).

Like every publish it happens under the writer lock, in a directory that only becomes a version
with its ``VERSION`` file and is published by the one rename of ``current``: a writer killed at
any point leaves the published version as it was, and the next writer removes what it left.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from policygraph.build.changelog import append_events, change_events
from policygraph.build.provenance import dataset_iri
from policygraph.build.publishing import GraphChange, build_graph_name, describe_version
from policygraph.namespaces import PG, Minter
from policygraph.read.dumps import prune_dumps
from policygraph.search.index import index_dir
from policygraph.store.local import (
    VERSION_FILE,
    VERSIONS,
    current_version_dir,
    mark_complete,
    new_version_dir,
    prune,
    publish,
    write_changes,
)


@dataclass(frozen=True)
class GraphDelta:
    """What a batch of writes does to one named graph."""

    added: tuple[Quad, ...]
    removed: tuple[Quad, ...]


@dataclass(frozen=True)
class DeltaVersion:
    """A version published by ``publish_deltas``."""

    version: str
    previous: str
    graphs: tuple[NamedNode, ...]
    """The graphs it changed: the annotation graphs, the change log's and the sources graph
    that describes it, and last the build graph, which records the version."""


Hook = Callable[[str, Path], None]
"""Called at the steps of a publish with the version directory: ``written`` (the store and its
changes are in it, not yet published). Tests time a kill by it."""


def delta_version(previous: str, deltas: Mapping[NamedNode, GraphDelta]) -> str:
    """The new version's id: a hash of the previous one and the changes, in a stable order."""
    digest = hashlib.sha256(previous.encode("ascii") + b"\n")
    for graph in sorted(deltas, key=str):
        delta = deltas[graph]
        for sign, quads in (("+", delta.added), ("-", delta.removed)):
            for line in sorted(str(q) for q in quads):
                digest.update(f"{sign}{line}\n".encode())
    return digest.hexdigest()[:16]


def publish_deltas(
    store_dir: Path,
    minter: Minter,
    deltas: Mapping[NamedNode, GraphDelta],
    *,
    keep: int = 2,
    hook: Hook | None = None,
) -> DeltaVersion:
    """Publish the published version with ``deltas`` applied.

    The caller holds the writer lock.
    """
    published = current_version_dir(store_dir)
    previous = (published / VERSION_FILE).read_text(encoding="ascii").strip()
    version = delta_version(previous, deltas)
    path = new_version_dir(store_dir)
    try:
        path.rmdir()  # a checkpoint is made into a directory that does not exist yet
        Store.read_only(str(published)).backup(str(path))
        added = [q for d in deltas.values() for q in d.added]
        removed = [q for d in deltas.values() for q in d.removed]
        store = Store(str(path))
        before = [q for graph in deltas for q in graph_quads(store, graph)]
        for quad in removed:
            store.remove(quad)
        store.extend(added)
        after = [q for graph in deltas for q in graph_quads(store, graph)]
        # The change log gains the annotations created and retracted (no decision changes here).
        events = change_events(before, after, minter)
        logged, unlogged = append_events(store, store_dir, events, minter, datetime.now(UTC))
        added, removed = added + logged, removed + unlogged
        _describe(store, minter, version, previous, deltas)
        store.flush()
        del store
        write_changes(path, added, removed)
        _link_index(published, path)
        if hook is not None:
            hook("written", path)
        mark_complete(path, version)
        publish(store_dir, path)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    prune(store_dir, keep)
    kept = {f.read_text(encoding="ascii").strip() for f in (store_dir / VERSIONS).glob("*/VERSION")}
    prune_dumps(store_dir, kept)
    build = build_graph_name(minter)
    graphs = {q.graph_name: None for q in added + removed if isinstance(q.graph_name, NamedNode)}
    graphs.pop(build, None)
    return DeltaVersion(version, previous, (*graphs, build))


def _describe(
    store: Store,
    minter: Minter,
    version: str,
    previous: str,
    deltas: Mapping[NamedNode, GraphDelta],
) -> None:
    """The build graph names the new version, what it revises and what changed in it."""
    graph = build_graph_name(minter)
    old = minter.thing("versie", previous)
    stale = list(store.quads_for_pattern(old, None, None, graph))
    for change in store.quads_for_pattern(old, PG.hasChange, None, graph):
        if isinstance(change.object, NamedNode):
            stale += list(store.quads_for_pattern(change.object, None, None, graph))
    stale += list(store.quads_for_pattern(dataset_iri(minter), PG.version, None, graph))
    for quad in stale:
        store.remove(quad)
    changes = tuple(
        GraphChange(name.value, len(d.added), len(d.removed))
        for name, d in sorted(deltas.items(), key=lambda item: item[0].value)
    )
    store.extend(describe_version(minter, version, previous, changes, datetime.now(UTC)))
    store.add(Quad(dataset_iri(minter), PG.version, Literal(version), graph))


def _link_index(published: Path, path: Path) -> None:
    """The published version's search index, hard-linked: the same files, no copy."""
    link = index_dir(published)
    if not link.is_symlink():
        return
    name = os.readlink(link)
    shutil.copytree(published / name, path / name, copy_function=os.link)
    os.symlink(name, index_dir(path))


def graph_quads(store: Store, graph: NamedNode) -> list[Quad]:
    return list(store.quads_for_pattern(None, None, None, graph))


def changed(old: Sequence[Quad], new: Sequence[Quad]) -> GraphDelta:
    old_set, new_set = set(old), set(new)
    return GraphDelta(
        tuple(q for q in dict.fromkeys(new) if q not in old_set),
        tuple(q for q in dict.fromkeys(old) if q not in new_set),
    )
