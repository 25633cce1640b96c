"""Opening the store a configuration names: the local published store, or a remote engine.

``open_store(settings)`` opens ``settings.store_url`` when it is set (a ``sparql+http(s)://``
URL: ``RemoteStore``), else the published version under ``settings.store_dir``
(``LocalStore``). ``open_store("sparql+http://…")`` and ``open_store(Path(…))`` open what they
name, with default limits.
"""

from __future__ import annotations

from pathlib import Path

from policygraph.config import Settings
from policygraph.store import GraphStore
from policygraph.store.local import LocalStore
from policygraph.store.remote import RemoteStore, is_store_url

REMOTE_RETRIES = 2
"""Retries of a request to a remote engine that is busy or restarting (429, 502-504, no answer)."""


def open_store(target: Settings | str | Path) -> GraphStore:
    """The store ``target`` names: settings, a store URL, or a store folder."""
    if isinstance(target, Settings):
        if target.store_url:
            return RemoteStore.open(
                target.store_url,
                timeout=target.query_timeout,
                retries=REMOTE_RETRIES,
                pool_size=max(4, target.max_concurrent_queries * 2),
                graph_prefix=target.base_iri + "/graph/",
                project_url=target.user_agent_url,
            )
        return LocalStore.open(target.store_dir)
    if isinstance(target, str) and is_store_url(target):
        return RemoteStore.open(target)
    return LocalStore.open(Path(target))


__all__ = ["open_store"]
