"""Where the query workers read the dataset from, and which version of it is current.

A worker process cannot be handed a pyoxigraph ``Store``; it is handed a ``DatasetSource`` and
opens the data itself, read-only. For a published store directory the web process looks up the
current version when a query arrives (one ``readlink``), names it in the job, and the worker
reopens when that changes: a new build is picked up by the next query, and the cache keyed by
the version forgets the old answers. Over an external engine (``RemoteEngine``) nothing is
opened here: the version is the one the engine holds (``RemoteVersions``).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from policygraph.errors import StoreError, StoreNotFoundError
from policygraph.store import GraphStore
from policygraph.store.local import CURRENT, VERSION_FILE, VERSIONS, LocalStore
from policygraph.store.remote import RemoteStore


@dataclass(frozen=True)
class PublishedStore:
    """The versions published under ``store_dir``; each query reads the current one."""

    store_dir: Path


@dataclass(frozen=True)
class FixedStore:
    """One on-disk store directory, opened read-only, that never changes."""

    path: Path
    version: str


@dataclass(frozen=True)
class InMemoryDataset:
    """A dataset small enough to copy into each worker (tests, validation previews)."""

    nquads: bytes
    version: str


@dataclass(frozen=True)
class RemoteEngine:
    """A server's dataset held by an external engine: the store URL (replicas by commas)."""

    url: str


DatasetSource = PublishedStore | FixedStore | InMemoryDataset


@dataclass(frozen=True)
class Resident:
    """A version held in memory for the query workers: the directory it was read from, the copy."""

    path: str | None
    store: Store


@dataclass(frozen=True)
class DatasetVersion:
    """The version a query reads: its identifier and, on disk, its directory."""

    version: str
    path: Path | None


def source_for(store: GraphStore) -> DatasetSource:
    """How worker processes reach the same data as ``store``."""
    if isinstance(store, LocalStore) and store.path is not None:
        path = Path(store.path)
        if path.parent.name == VERSIONS:
            return PublishedStore(path.parent.parent)
        return FixedStore(path, store.version)
    if isinstance(store, LocalStore):
        nquads = store.oxigraph.dump(format=RdfFormat.N_QUADS)
    else:
        from pyoxigraph import serialize

        nquads = serialize(store.quads(), format=RdfFormat.N_QUADS)
    assert nquads is not None
    return InMemoryDataset(nquads, store.version)


class VersionTracker:
    """The current version of a source, read when asked (cheap: a readlink and a dict lookup)."""

    def __init__(self, source: DatasetSource) -> None:
        self._source = source
        self._versions: dict[str, DatasetVersion] = {}
        self._lock = threading.Lock()
        self._link = source.store_dir / CURRENT if isinstance(source, PublishedStore) else None

    def current(self) -> DatasetVersion:
        source = self._source
        if isinstance(source, InMemoryDataset):
            return DatasetVersion(source.version, None)
        if isinstance(source, FixedStore):
            return DatasetVersion(source.version, source.path)
        link = self._link
        assert link is not None
        try:
            target = os.readlink(link)
        except FileNotFoundError:
            raise StoreNotFoundError(f"no published store in {source.store_dir}") from None
        except OSError as exc:
            raise StoreError(f"cannot read {link}: {exc.strerror or exc}") from exc
        known = self._versions.get(target)
        if known is not None:
            return known
        path = (link.parent / target).resolve()
        try:
            version = (path / VERSION_FILE).read_text(encoding="ascii").strip()
        except OSError as exc:
            raise StoreError(f"cannot read the version of {path}: {exc.strerror or exc}") from exc
        found = DatasetVersion(version, path)
        with self._lock:
            if len(self._versions) > 16:  # builds come and go; keep the lookup small
                self._versions.clear()
            self._versions[target] = found
        return found


def open_version(source: DatasetSource, path: Path | None) -> Store:
    """Open the dataset read-only in this process (a query worker): the version at ``path``."""
    if isinstance(source, InMemoryDataset):
        store = Store()
        store.load(source.nquads, format=RdfFormat.N_QUADS)
        return store
    if path is None:
        raise StoreError("no store version to open")
    try:
        return Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


class VersionOpener:
    """The source opened read-only in this process, one version at a time.

    The readers of one process share it (in the web process the inline lane and the
    linked-data pages; in a query worker its loop), so each version is opened once per process;
    a reader that still holds the previous version keeps it open until it lets go.
    """

    def __init__(self, source: DatasetSource) -> None:
        self.source = source
        self._opened: tuple[str | None, Store] | None = None
        self._lock = threading.Lock()

    def store(self, path: str | Path | None) -> Store:
        """The store of the version at ``path`` (None for an in-memory dataset)."""
        # Known by its text: a query names its version as a string, and comparing strings costs
        # less than making and comparing a Path on every query.
        key = None if path is None else os.fspath(path)
        opened = self._opened
        if opened is None or opened[0] != key:
            with self._lock:
                opened = self._opened
                if opened is None or opened[0] != key:
                    opened = self._opened = None  # release the old version before the new one
                    folder = None if key is None else Path(key)
                    opened = self._opened = (key, open_version(self.source, folder))
        return opened[1]


class RemoteVersions:
    """The version an engine holds now, and where its local record (and search index) is."""

    def __init__(self, store: RemoteStore, store_dir: Path | None) -> None:
        self._store = store
        self._store_dir = store_dir
        self._paths: dict[str, Path | None] = {}

    def current(self) -> DatasetVersion:
        version = self._store.version
        if version not in self._paths:
            if len(self._paths) > 16:
                self._paths.clear()
            self._paths[version] = self._local_record(version)
        return DatasetVersion(version, self._paths[version])

    def _local_record(self, version: str) -> Path | None:
        if self._store_dir is None:
            return None
        folder = self._store_dir / VERSIONS
        try:
            candidates = sorted(folder.iterdir())
        except OSError:
            return None
        for candidate in candidates:
            try:
                if (candidate / VERSION_FILE).read_text(encoding="ascii").strip() == version:
                    return candidate
            except OSError:
                continue
        return None


__all__ = [
    "DatasetSource",
    "DatasetVersion",
    "FixedStore",
    "InMemoryDataset",
    "PublishedStore",
    "RemoteEngine",
    "RemoteVersions",
    "Resident",
    "VersionOpener",
    "VersionTracker",
    "open_version",
    "source_for",
]
