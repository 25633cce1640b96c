"""Publishing dataset versions: validate, write a new store version, switch to it atomically.

Both the build and the harvester publish through ``publish``. Before validation, the graphs derived
from the content (``derive``) are computed anew when the publish changes what they read. Each
version records, in its build graph, when it was made, which version it revises, and a change log
(quads added and removed per named graph). The version is handed to each ``WritableStore`` the
settings name (``store.open.writable_stores``): the local versions, which keep the added and removed
quads themselves beside the version (``changes/added.nq`` and ``changes/removed.nq``) and its search
index (``search/``, built from the written store before the version is published), then a remote
engine, if one is configured.

One writer at a time holds ``store_dir/.lock``. A writer killed at any moment leaves at most an
unfinished version directory (one without a ``VERSION`` file), which ``current`` never points at and
the next writer removes.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from policygraph.build.changelog import (
    change_events,
    changes_graph_name,
    changes_source,
    event_triples,
)
from policygraph.build.provenance import checksum_node, describe_build, describe_sources
from policygraph.config import Settings
from policygraph.derive import derive_graphs, needs_derivation
from policygraph.errors import StoreError, StoreNotFoundError, ValidationFailed
from policygraph.namespaces import DCT, PG, PROV, RDF, XSD, Minter
from policygraph.progress import Progress, SilentProgress
from policygraph.read.dumps import publish_dumps
from policygraph.search import ensure_index
from policygraph.sources import SourceGraph
from policygraph.store.local import (
    VERSION_FILE,
    LocalStore,
    LocalVersions,
    current_version_dir,
    writer_lock,
)
from policygraph.store.open import writable_stores
from policygraph.validation.incremental import validate_change
from policygraph.validation.report import ValidationReport
from policygraph.validation.shacl import load_shapes, validate


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
    written: bool = True
    """False when the content was the published version's: nothing was written."""

    def summary(self) -> str:
        """One line: the version, its size, what changed since the previous one, the timings."""
        timing = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in self.seconds.items())
        added = sum(change.added for change in self.changes)
        removed = sum(change.removed for change in self.changes)
        verb = "published" if self.written else "unchanged, kept"
        return (
            f"{verb} version {self.version}: {self.quads} quads in "
            f"{len(self.quads_per_graph)} graphs, +{added} -{removed} since "
            f"{self.previous or 'nothing'} ({timing}); {self.report.count('Warning')} warning(s)"
            f"; list them with: policygraph validate --store {self.version_dir.parent.parent}"
        )


def build_graph_name(minter: Minter) -> NamedNode:
    return minter.graph("build")


@dataclass(frozen=True)
class Published:
    """The published version as publishing needs it: its id, its content quads (the build
    graph left out) and how many quads it holds in all."""

    version: str | None
    content: list[Quad]
    quads: int


def published_content(settings: Settings) -> Published:
    try:
        store = LocalStore.open(settings.store_dir)
    except StoreNotFoundError:
        return Published(None, [], 0)
    build_graph = build_graph_name(Minter(settings.base_iri))
    quads = list(store.quads())
    return Published(store.version, [q for q in quads if q.graph_name != build_graph], len(quads))


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
        published = published_content(settings)
        previous, old = published.version, published.content
        content = _content(graphs, old, minter, replace_all=replace_all)
        if needs_derivation(graphs, replace_all=replace_all):
            clock = time.perf_counter()
            progress.start("deriving evidence")
            derived = derive_graphs(content, minter)
            content = _content(derived, content, minter, replace_all=False)
            progress.finish("deriving evidence", f"{len(derived)} graph(s)")
            seconds["derive"] = time.perf_counter() - clock
        content = _with_change_log(settings, content, published, started)
        stored = _stored(content)
        content = list(stored)
        added, removed = _difference(old, content)

        clock = time.perf_counter()
        progress.start("validating with SHACL")
        shapes = load_shapes(settings.shapes_dir)
        if replace_all or previous is None:
            report = validate(content, shapes, progress=progress, validator=settings.validator)
        else:  # a harvest or an annotation: what the change can reach, on the whole new content
            report = validate_change(stored, added, removed, shapes, validator=settings.validator)
        progress.finish("validating with SHACL", f"{report.count('Violation')} violation(s)")
        seconds["validate"] = time.perf_counter() - clock
        if not report.conforms:
            raise ValidationFailed(report)

        version = content_version(content)
        changes = _changes(added, removed)
        ended = datetime.now(UTC)
        metadata = describe_build(read_at, minter, version=version, started=started, ended=ended)
        metadata += describe_version(minter, version, previous, changes, ended)
        quads = [*content, *metadata]
        # Unchanged content is not written again: the version, its ETags and its change log
        # stand (a store that does not hold it yet, a remote engine that was down, gets it).
        unchanged = version == previous and not added and not removed
        written = False

        def index_version(path: Path) -> None:
            clock = time.perf_counter()
            ensure_index(path)
            seconds["search index"] = time.perf_counter() - clock

        for store in writable_stores(settings, derive=index_version):
            try:
                if unchanged and store.holds(version):
                    continue
                clock = time.perf_counter()
                step = f"writing the {store.label}"
                progress.start(step)
                store.write_version(version, quads, added=added, removed=removed, previous=previous)
                progress.finish(step, version)
                # The index is built inside the store's step; its time is counted on its own.
                elapsed = time.perf_counter() - clock
                seconds[store.label] = elapsed - seconds.get("search index", 0.0)
                written = True
            finally:
                store.close()
        # A version kept as it is may have no index (published before versions had one) or an
        # index by other search code: it gets one built aside and switched in whole.
        version_dir = current_version_dir(settings.store_dir)
        clock = time.perf_counter()
        progress.start("indexing for search")
        if ensure_index(version_dir):
            seconds["search index"] = time.perf_counter() - clock
        progress.finish("indexing for search")

        if written:
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
        quads=len(quads) if written else published.quads,
        quads_per_graph=dict(sorted(per_graph.items())),
        changes=changes,
        report=report,
        seconds=seconds,
        written=written,
    )


def as_stored(quads: Iterable[Quad]) -> list[Quad]:
    """The quads as a pyoxigraph store gives them back, each once.

    A store keeps literals by value: ``"5"^^xsd:nonNegativeInteger`` comes back as
    ``"5"^^xsd:integer``, ``"01"^^xsd:integer`` as ``"1"``. The version id and the change log are
    made from this form, so that they describe what is stored: the same content, the same id;
    an unchanged rebuild, an empty change log.
    """
    return list(_stored(quads))


def _stored(quads: Iterable[Quad]) -> Store:
    store = Store()
    store.extend(quads)
    return store


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
        # Researchers write their annotation graphs through the API, not into data/: a build
        # keeps them as they are.
        annotations = minter.graph("annotations").value + "/"
        kept = [
            q
            for q in old
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(annotations)
        ]
        return list(dict.fromkeys(with_descriptions(graphs, minter) + kept))
    # An update keeps every other graph, and in the sources graph every statement that is not
    # about a replaced graph, its document or the document's checksum.
    names = {graph.name for graph in graphs}
    sources_graph = minter.graph("bronnen")
    documents = {minter.source(graph.document.slug) for graph in graphs}
    stale = names | documents | {checksum_node(document) for document in documents}
    kept = [
        q
        for q in old
        if q.graph_name not in names
        and not (q.graph_name == sources_graph and q.subject in stale)
        and not (q.graph_name == sources_graph and q.object in names)
    ]
    return list(dict.fromkeys(kept + with_descriptions(graphs, minter)))


def _with_change_log(
    settings: Settings, content: list[Quad], published: Published, when: datetime
) -> list[Quad]:
    """The content with the change log carried forward and this publish's events appended
    (none for the first version: it is the baseline)."""
    minter = Minter(settings.base_iri)
    log = changes_graph_name(minter)
    logged = [q.triple for q in published.content if q.graph_name == log]
    events = change_events(published.content, content, minter) if published.version else []
    if not logged and not events:
        return content
    triples = [*logged, *event_triples(events, content, minter, when)]
    source = changes_source(settings.store_dir, triples, minter)
    return as_stored(_content([source], content, minter, replace_all=False))


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


def describe_version(
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
        try:
            with LocalVersions(settings.store_dir).new_version(version) as version_dir:
                shutil.copytree(
                    source,
                    version_dir,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(VERSION_FILE),
                )
                opened = Store.read_only(str(version_dir))  # refuse to publish what does not open
                del opened
                ensure_index(version_dir)
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot restore from {source}: {exc}") from exc
    return version
