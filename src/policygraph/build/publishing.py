"""Publishing dataset versions: validate, write a new store version, switch to it atomically.

Both the build and the harvester publish through ``publish``. Each version records, in its build
graph, when it was made, which version it revises, and a change log (quads added and removed per
named graph); the added and removed quads themselves are kept beside the store in
``changes/added.nq`` and ``changes/removed.nq``.

One writer at a time holds ``store_dir/.lock``. A writer killed at any moment leaves at most an
unfinished version directory (one without a ``VERSION`` file), which ``current`` never points at
and the next writer removes.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, serialize

from policygraph.build.provenance import describe_build, describe_sources
from policygraph.config import Settings
from policygraph.errors import StoreError, StoreNotFoundError, ValidationFailed
from policygraph.namespaces import DCT, PG, PROV, RDF, XSD, Minter
from policygraph.progress import Progress, SilentProgress
from policygraph.read.dumps import publish_dumps
from policygraph.sources import SourceGraph
from policygraph.store.local import (
    VERSION_FILE,
    VERSIONS,
    LocalStore,
    current_version_dir,
    discard,
    mark_complete,
    new_version_dir,
    prune,
    write_store,
)
from policygraph.store.local import (
    publish as switch_current,
)
from policygraph.store.open import open_store
from policygraph.store.remote import RemoteStore
from policygraph.validation.report import ValidationReport
from policygraph.validation.shacl import load_shapes, validate

CHANGES = "changes"


@dataclass(frozen=True)
class GraphChange:
    graph: str
    added: int
    removed: int


@dataclass(frozen=True)
class PublishResult:
    version: str
    previous: str | None
    version_dir: Path
    quads: int
    quads_per_graph: dict[str, int]
    changes: tuple[GraphChange, ...]
    report: ValidationReport
    seconds: dict[str, float]


@contextmanager
def writer_lock(store_dir: Path) -> Iterator[None]:
    """One build, harvest or restore at a time per store folder."""
    store_dir.mkdir(parents=True, exist_ok=True)
    with (store_dir / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another build or harvest is writing {store_dir}") from None
        remove_unfinished(store_dir)
        yield


def remove_unfinished(store_dir: Path) -> list[Path]:
    """Version directories a killed writer left without a VERSION file."""
    versions = store_dir / VERSIONS
    if not versions.is_dir():
        return []
    unfinished = [p for p in versions.iterdir() if p.is_dir() and not (p / VERSION_FILE).exists()]
    for path in unfinished:
        discard(path)
    return unfinished


def build_graph_name(minter: Minter) -> NamedNode:
    return minter.graph("build")


def published_content(settings: Settings) -> tuple[str | None, list[Quad]]:
    """The version and content quads (the build graph left out) of the published store."""
    try:
        store = LocalStore.open(settings.store_dir)
    except StoreNotFoundError:
        return None, []
    build_graph = build_graph_name(Minter(settings.base_iri))
    return store.version, [q for q in store.quads() if q.graph_name != build_graph]


def publish(
    settings: Settings,
    graphs: Sequence[SourceGraph],
    read_at: dict[str, datetime],
    *,
    replace_all: bool,
    progress: Progress | None = None,
) -> PublishResult:
    """Validate and publish a new version.

    With ``replace_all`` the graphs are the whole content (a build); otherwise they replace or
    add just those named graphs in the published version (a harvest).
    """
    progress = progress or SilentProgress()
    minter = Minter(settings.base_iri)
    started = datetime.now(UTC)
    seconds: dict[str, float] = {}
    with writer_lock(settings.store_dir):
        previous, old = published_content(settings)
        content = _content(graphs, old, minter, replace_all=replace_all)

        clock = time.perf_counter()
        progress.start("validating with SHACL")
        report = validate(content, load_shapes(settings.shapes_dir))
        progress.finish("validating with SHACL", f"{report.count('Violation')} violation(s)")
        seconds["validate"] = time.perf_counter() - clock
        if not report.conforms:
            raise ValidationFailed(report)

        clock = time.perf_counter()
        progress.start("writing the store")
        version = content_version(content)
        added, removed = _difference(old, content)
        changes = _changes(added, removed)
        ended = datetime.now(UTC)
        metadata = describe_build(read_at, minter, version=version, started=started, ended=ended)
        metadata += _describe_version(minter, version, previous, changes, ended)
        version_dir = new_version_dir(settings.store_dir)
        try:
            write_store([*content, *metadata], version_dir)
            _write_changes(version_dir, added, removed)
            mark_complete(version_dir, version)
            switch_current(settings.store_dir, version_dir)
        except BaseException as exc:
            discard(version_dir)
            if isinstance(exc, OSError):
                raise StoreError(f"cannot write the store in {settings.store_dir}: {exc}") from exc
            raise
        prune(settings.store_dir)
        progress.finish("writing the store", version)
        seconds["write"] = time.perf_counter() - clock

        if settings.store_url:
            clock = time.perf_counter()
            progress.start("loading the remote engine")
            # The local version stays the record of versions and changes; the engine gets the
            # same quads, the build graph (which carries pg:version) last.
            remote = open_store(settings)
            assert isinstance(remote, RemoteStore)
            remote.replace_dataset([*content, *metadata])
            progress.finish("loading the remote engine", settings.store_url)
            seconds["remote"] = time.perf_counter() - clock

        clock = time.perf_counter()
        progress.start("writing the dumps")
        publish_dumps(settings.store_dir)
        progress.finish("writing the dumps")
        seconds["dumps"] = time.perf_counter() - clock

    per_graph = Counter(q.graph_name.value for q in content if isinstance(q.graph_name, NamedNode))
    return PublishResult(
        version=version,
        previous=previous,
        version_dir=version_dir,
        quads=len(content) + len(metadata),
        quads_per_graph=dict(sorted(per_graph.items())),
        changes=changes,
        report=report,
        seconds=seconds,
    )


def content_version(quads: Iterable[Quad]) -> str:
    """A hash of the content, independent of order: equal sources give an equal version."""
    digest = hashlib.sha256()
    for line in sorted(str(q) for q in quads):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def with_descriptions(graphs: Sequence[SourceGraph], minter: Minter) -> list[Quad]:
    """The graphs' quads and the sources graph that describes them."""
    described = describe_sources(graphs, minter)
    quads = [quad for graph in graphs for quad in graph.quads()]
    return list(dict.fromkeys(quads + (described.quads() if described else [])))


def _content(
    graphs: Sequence[SourceGraph], old: list[Quad], minter: Minter, *, replace_all: bool
) -> list[Quad]:
    if replace_all:
        return with_descriptions(graphs, minter)
    # An update keeps every other graph, and in the sources graph every statement that is not
    # about a replaced graph or its document.
    names = {graph.name for graph in graphs}
    sources_graph = minter.graph("bronnen")
    stale = names | {minter.source(graph.document.slug) for graph in graphs}
    kept = [
        q
        for q in old
        if q.graph_name not in names
        and not (q.graph_name == sources_graph and q.subject in stale)
        and not (q.graph_name == sources_graph and q.object in names)
    ]
    return list(dict.fromkeys(kept + with_descriptions(graphs, minter)))


def _difference(old: list[Quad], new: list[Quad]) -> tuple[list[Quad], list[Quad]]:
    old_set, new_set = set(old), set(new)
    return [q for q in new if q not in old_set], [q for q in old if q not in new_set]


def _changes(added: list[Quad], removed: list[Quad]) -> tuple[GraphChange, ...]:
    plus = Counter(q.graph_name.value for q in added if not isinstance(q.graph_name, DefaultGraph))
    minus = Counter(
        q.graph_name.value for q in removed if not isinstance(q.graph_name, DefaultGraph)
    )
    return tuple(
        GraphChange(graph, plus[graph], minus[graph]) for graph in sorted(set(plus) | set(minus))
    )


def _write_changes(version_dir: Path, added: list[Quad], removed: list[Quad]) -> None:
    folder = version_dir / CHANGES
    folder.mkdir()
    for name, quads in (("added.nq", added), ("removed.nq", removed)):
        with (folder / name).open("wb") as stream:
            serialize(sorted(quads, key=str), stream, format=RdfFormat.N_QUADS)


def _describe_version(
    minter: Minter,
    version: str,
    previous: str | None,
    changes: tuple[GraphChange, ...],
    when: datetime,
) -> list[Quad]:
    graph = build_graph_name(minter)
    iri = minter.thing("versie", version)
    quads = [
        Quad(iri, RDF.type, PG.DatasetVersion, graph),
        Quad(iri, PG.version, Literal(version), graph),
        Quad(iri, DCT.modified, Literal(when.isoformat(), datatype=XSD.dateTime), graph),
        Quad(iri, DCT.isVersionOf, minter.thing("dataset", "policygraph"), graph),
        Quad(iri, PROV.wasGeneratedBy, minter.thing("build", version), graph),
    ]
    if previous is not None and previous != version:
        quads.append(Quad(iri, PROV.wasRevisionOf, minter.thing("versie", previous), graph))
    for change in changes:
        node = NamedNode(f"{iri.value}#change-{len(quads)}")
        quads += [
            Quad(iri, PG.hasChange, node, graph),
            Quad(node, RDF.type, PG.GraphChange, graph),
            Quad(node, PG.changedGraph, NamedNode(change.graph), graph),
            Quad(node, PG.quadsAdded, Literal(str(change.added), datatype=XSD.integer), graph),
            Quad(node, PG.quadsRemoved, Literal(str(change.removed), datatype=XSD.integer), graph),
        ]
    return quads


def backup(settings: Settings, target: Path) -> str:
    """Copy the published version to ``target`` (a new folder); return its version."""
    store = LocalStore.open(settings.store_dir)
    if target.exists():
        raise StoreError(f"{target} exists already; a backup goes into a new folder")
    try:
        store.oxigraph.backup(str(target))
        shutil.copy2(current_version_dir(settings.store_dir) / VERSION_FILE, target / VERSION_FILE)
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise StoreError(f"cannot back up to {target}: {exc}") from exc
    return store.version


def restore(settings: Settings, source: Path) -> str:
    """Publish a backup as the current version; the versions before it stay until pruned."""
    version_file = source / VERSION_FILE
    if not version_file.is_file():
        raise StoreError(f"{source} is not a policygraph backup (it has no {VERSION_FILE} file)")
    version = version_file.read_text(encoding="ascii").strip()
    with writer_lock(settings.store_dir):
        version_dir = new_version_dir(settings.store_dir)
        try:
            shutil.copytree(
                source, version_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(VERSION_FILE)
            )
            opened = Store.read_only(str(version_dir))  # refuse to publish what does not open
            del opened
            mark_complete(version_dir, version)
            switch_current(settings.store_dir, version_dir)
        except (OSError, ValueError) as exc:
            discard(version_dir)
            raise StoreError(f"cannot restore from {source}: {exc}") from exc
    return version
