"""The on-disk pyoxigraph store, published as immutable versions.

Layout of ``store_dir``::

    store_dir/
      versions/<version dir>/   one pyoxigraph store per build, never written after publishing
      versions/<version dir>/VERSION    the content hash of that build
      versions/<version dir>/QUADS      how many quads it holds, known before anyone loads it
      versions/<version dir>/changes/   the quads it added and removed: added.nq, removed.nq
      versions/<version dir>/search/    its full-text index (policygraph.search), when built
      current -> versions/<version dir>  a symbolic link, replaced atomically by rename(2)

A build writes a new version directory, and only a valid one is published by swapping
``current``; readers that opened the previous version keep reading it, and a crash at any point
leaves ``current`` on the last published version. Unpublished directories are removed by
``prune``. ``LocalStore`` reads the published version; ``LocalVersions`` writes new ones.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, Variable, serialize

from policygraph.errors import QueryRefusedError, StoreError, StoreNotFoundError
from policygraph.store import Binding, GraphName, QueryResult

CURRENT = "current"
VERSIONS = "versions"
VERSION_FILE = "VERSION"
QUADS_FILE = "QUADS"
CHANGES = "changes"


class LocalStore:
    """A read-only pyoxigraph store: one published version of the dataset."""

    def __init__(self, store: Store, version: str, path: Path | None = None) -> None:
        self._store = store
        self._version = version
        self.path = path

    @classmethod
    def open(cls, store_dir: Path) -> LocalStore:
        """Open the published version of ``store_dir`` read-only."""
        target = current_version_dir(store_dir)
        try:
            store = Store.read_only(str(target))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {target}: {exc}") from exc
        return cls(store, (target / VERSION_FILE).read_text(encoding="ascii").strip(), target)

    @classmethod
    def in_memory(cls, quads: Iterable[Quad], version: str = "in-memory") -> LocalStore:
        """A store held in memory: for tests and for validating files."""
        store = Store()
        store.extend(quads)
        return cls(store, version)

    @property
    def version(self) -> str:
        return self._version

    @property
    def oxigraph(self) -> Store:
        """The underlying pyoxigraph store, for code that streams results itself."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[Variable, Binding] | None = None,
        default_graph: list[GraphName] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
        union_default_graph: bool = True,
        custom_functions: Mapping[NamedNode, Callable[..., Binding | None]] | None = None,
    ) -> QueryResult:
        # Imported here: the query package builds on this module.
        from policygraph.sparql.inspection import inspect_query
        from policygraph.sparql.syntax_errors import syntax_error

        facts = inspect_query(sparql)
        if facts.update_operations:
            raise QueryRefusedError.read_only(facts.update_operations)
        try:
            return self._store.query(
                sparql,
                substitutions=dict(substitutions) if substitutions else None,
                default_graph=default_graph,
                named_graphs=named_graphs,
                # pyoxigraph's union flag would override a query's own FROM: honour FROM.
                use_default_graph_as_union=union_default_graph
                and default_graph is None
                and not facts.has_dataset_clause,
                custom_functions=dict(custom_functions) if custom_functions else None,
            )
        except SyntaxError as exc:
            raise syntax_error(sparql, exc) from exc

    def quads(self, graph: GraphName | None = None) -> Iterator[Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, graph))

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        return iter(self._store.named_graphs())

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        # pyoxigraph closes the store when the object is released.
        del self._store


class LocalVersions:
    """The store folder as publishing writes it: a new directory per version, then ``current``."""

    label = "store"

    def __init__(
        self,
        store_dir: Path,
        *,
        keep: int = 2,
        derive: Callable[[Path], object] | None = None,
    ) -> None:
        self.store_dir = Path(store_dir)
        self.keep = keep
        self.derive = derive
        """Called with each new version directory once its store is written, before it is
        published: what is made from the store (the search index) switches with it."""

    def holds(self, version: str) -> bool:
        try:
            marker = current_version_dir(self.store_dir) / VERSION_FILE
            return marker.read_text(encoding="ascii").strip() == version
        except (StoreNotFoundError, OSError):
            return False

    def write_version(
        self,
        version: str,
        quads: Sequence[Quad],
        *,
        added: Sequence[Quad] = (),
        removed: Sequence[Quad] = (),
        previous: str | None = None,
    ) -> None:
        """Write ``quads`` and their changes into a new version, publish it, prune old ones
        (each version is written whole: ``previous`` changes nothing here)."""
        try:
            with self.new_version(version) as path:
                write_store(quads, path)
                write_changes(path, added, removed)
                if self.derive is not None:
                    self.derive(path)
        except OSError as exc:
            raise StoreError(f"cannot write the store in {self.store_dir}: {exc}") from exc
        prune(self.store_dir, self.keep)

    @contextmanager
    def new_version(self, version: str) -> Iterator[Path]:
        """A fresh version directory to fill, labelled ``version`` and published when the block
        ends; removed, and ``current`` left as it was, when the block raises."""
        path = new_version_dir(self.store_dir)
        try:
            yield path
            mark_complete(path, version)
            publish(self.store_dir, path)
        except BaseException:
            discard(path)
            raise

    def close(self) -> None:
        """Nothing stays open between versions."""


@contextmanager
def writer_lock(store_dir: Path) -> Iterator[None]:
    """One build, harvest or restore at a time per store folder; what a killed one left
    unfinished is removed when the next one starts."""
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


def current_version_dir(store_dir: Path) -> Path:
    link = Path(store_dir) / CURRENT
    if not link.is_symlink() and not link.exists():
        raise StoreNotFoundError(
            f"no published store in {store_dir}: run `policygraph build --store {store_dir}` first"
        )
    return link.resolve()


def new_version_dir(store_dir: Path) -> Path:
    """A fresh, empty directory for a build, named so that versions sort by time."""
    versions = Path(store_dir) / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = versions / f"build-{stamp}-{os.getpid()}"
    path.mkdir()
    return path


def write_store(quads: Iterable[Quad], path: Path) -> None:
    """Load quads into a new on-disk store at ``path``, flushed and optimised, with its count
    beside it (``QUADS``): a server decides whether to copy a version into memory from that,
    before reading it."""
    store = Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    count = len(store)  # not len(quads): the store keeps each quad once
    del store
    (path / QUADS_FILE).write_text(f"{count}\n", encoding="ascii")


def quad_count(path: Path) -> int | None:
    """The number of quads of the version at ``path``, as written with it; None when a version
    was written without it (before the count was kept, or restored from a backup)."""
    try:
        return int((path / QUADS_FILE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def write_changes(path: Path, added: Iterable[Quad], removed: Iterable[Quad]) -> None:
    """Keep the quads a version added and removed beside it, sorted: equal changes, equal files."""
    folder = path / CHANGES
    folder.mkdir()
    for name, quads in (("added.nq", added), ("removed.nq", removed)):
        with (folder / name).open("wb") as stream:
            serialize(sorted(quads, key=str), stream, format=RdfFormat.N_QUADS)


def mark_complete(path: Path, version: str) -> None:
    """Label a fully written version; a directory without the label is unfinished."""
    tmp = path / (VERSION_FILE + ".tmp")
    with tmp.open("w", encoding="ascii") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path / VERSION_FILE)
    fsync_dir(path)


def publish(store_dir: Path, version_dir: Path) -> None:
    """Point ``current`` at ``version_dir`` atomically, then remove versions nobody points at."""
    store_dir = Path(store_dir)
    link = store_dir / CURRENT
    tmp = store_dir / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    # A relative target keeps the store directory movable (backups, containers).
    os.symlink(Path(VERSIONS) / version_dir.name, tmp)
    fsync_dir(store_dir / VERSIONS)
    os.replace(tmp, link)
    fsync_dir(store_dir)


def discard(version_dir: Path) -> None:
    shutil.rmtree(version_dir, ignore_errors=True)


def prune(store_dir: Path, keep: int = 2) -> list[Path]:
    """Remove all but the ``keep`` newest versions; never the published one."""
    versions = Path(store_dir) / VERSIONS
    if not versions.is_dir():
        return []
    try:
        published = current_version_dir(store_dir)
    except StoreNotFoundError:
        published = None
    candidates = sorted((p for p in versions.iterdir() if p.is_dir()), reverse=True)
    removed = []
    for path in candidates[keep:]:
        if published is not None and path.resolve() == published:
            continue
        discard(path)
        removed.append(path)
    return removed


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
