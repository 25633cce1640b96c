"""Opening the stores a configuration names: the local published store, or a remote engine.

``open_store(settings)`` opens ``settings.store_url`` when it is set (a ``sparql+http(s)://``
URL: ``RemoteStore``), else the published version under ``settings.store_dir``
(``LocalStore``). ``open_store("sparql+http://…")`` and ``open_store(Path(…))`` open what they
name, with default limits. ``writable_stores(settings)`` are the stores a new version is
written to; ``open_engine(settings)`` is the engine among them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from policygraph.config import Settings
from policygraph.errors import ConfigurationError
from policygraph.store import GraphStore, WritableStore
from policygraph.store.local import LocalStore, LocalVersions
from policygraph.store.remote import RemoteStore, is_store_url

REMOTE_RETRIES = 2
"""Retries of a request to a remote engine that is busy or restarting (429, 502-504, no answer)."""


def open_store(target: Settings | str | Path) -> GraphStore:
    """The store ``target`` names: settings, a store URL, or a store folder."""
    if isinstance(target, Settings):
        if target.store_url:
            return open_engine(target)
        return LocalStore.open(target.store_dir)
    if isinstance(target, str) and is_store_url(target):
        return RemoteStore.open(target)
    return LocalStore.open(Path(target))


def writable_stores(
    settings: Settings, *, derive: Callable[[Path], object] | None = None
) -> Iterator[WritableStore]:
    """The stores a new version is written to, in order, each opened when its turn comes.

    First the versions under ``store_dir``, which stay the record of versions and changes (and
    from which the dumps are made); then the engine ``store_url`` names, if any, which gets the
    same quads. An engine that cannot be reached fails after the local version is published.
    ``derive`` is called with each new local version directory before it is published (the
    search index is built there); a remote engine keeps no such thing.
    """
    yield LocalVersions(settings.store_dir, derive=derive)
    if settings.store_url:
        yield open_engine(settings)


def open_engine(settings: Settings) -> RemoteStore:
    """The engine ``settings.store_url`` names, with the limits of these settings."""
    if not settings.store_url:
        raise ConfigurationError("no engine is named (setting store_url)")
    return RemoteStore.open(
        settings.store_url,
        timeout=settings.query_timeout,
        retries=REMOTE_RETRIES,
        pool_size=max(4, settings.max_concurrent_queries * 2),
        graph_prefix=settings.base_iri + "/graph/",
        project_url=settings.user_agent_url,
    )


__all__ = ["open_engine", "open_store", "writable_stores"]
