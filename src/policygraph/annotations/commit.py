"""Group commit: the writes that arrive while a version is being published go into the next one.

Within a process, the first writer to find nobody publishing leads: it takes every write queued
so far, waits for the store's writer lock (held by another web worker, a build or a harvest),
takes what queued meanwhile too, applies and validates each write on its own in arrival order
(a refused write is told why and sinks no other), publishes one version with the accepted ones,
and tells each its outcome. Writers that queued meanwhile wait, and one of them leads the next
batch. Across processes the writer lock serialises the batches, so no write is lost: each batch
starts from the version the previous one published.

Served from an external engine (``store_url``), the new version is carried there too, still
under the lock, as a build carries it: the graphs it changed, in one update. An engine that
cannot be reached then does not undo the write, published here: it is logged, and the next
write, harvest or build brings the engine up to date (it finds the engine on an older version
and compares it whole).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pyoxigraph import NamedNode, Quad

from policygraph.annotations.checking import WriteChecker
from policygraph.annotations.versions import (
    DeltaVersion,
    GraphDelta,
    Hook,
    changed,
    publish_deltas,
)
from policygraph.errors import (
    PolicygraphError,
    PreconditionFailedError,
    StoreError,
    ValidationFailed,
)
from policygraph.namespaces import Minter
from policygraph.store.local import LocalStore, remove_unfinished
from policygraph.store.remote import RemoteStore

logger = logging.getLogger(__name__)


def graph_etag(quads: list[Quad]) -> str:
    """The ETag of a graph: a hash of its content, whatever the order of its quads."""
    digest = hashlib.sha256()
    for line in sorted(str(q.triple) for q in quads):
        digest.update(line.encode("utf-8") + b"\n")
    return f'"{digest.hexdigest()[:32]}"'


class Change(Protocol):
    """One write to one account graph."""

    @property
    def graph(self) -> NamedNode:
        """The account graph it writes."""
        ...

    def apply(self, old: list[Quad], store: LocalStore) -> tuple[list[Quad], list[Quad]]:
        """The graph's new quads, and what of them (with context) must conform to the shapes."""
        ...


@dataclass(frozen=True)
class Outcome:
    version: str
    """The version the write was published in (the published one when it changed nothing)."""
    etag: str
    """The graph's ETag after the write."""
    batch: int
    """How many writes were published together in that version."""


@dataclass
class _Pending:
    change: Change
    if_match: str | None
    outcome: Outcome | None = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class Committer:
    store_dir: Path
    minter: Minter
    checker: WriteChecker
    keep: int = 2
    hook: Hook | None = None
    engine: Callable[[], RemoteStore] | None = None
    """Opens the external engine that serves the versions, when there is one."""
    versions_published: int = 0
    _queue: list[_Pending] = field(default_factory=list, init=False)
    _busy: bool = field(default=False, init=False)
    _cond: threading.Condition = field(default_factory=threading.Condition, init=False)

    def submit(self, change: Change, *, if_match: str | None = None) -> Outcome:
        """Publish ``change`` (with whatever else is queued); its outcome, or its error."""
        me = _Pending(change, if_match)
        with self._cond:
            self._queue.append(me)
            while not me.done and self._busy:
                self._cond.wait()
            lead = not me.done
            if lead:
                self._busy = True
                batch, self._queue = self._queue, []
        if lead:
            try:
                self._commit(batch)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
        if me.error is not None:
            raise me.error
        assert me.outcome is not None
        return me.outcome

    def _commit(self, batch: list[_Pending]) -> None:
        try:
            with store_writer_lock(self.store_dir):
                with self._cond:
                    batch += self._queue
                    self._queue = []
                self._publish(batch)
        except BaseException as failure:
            for pending in batch:
                if not pending.done:
                    pending.error = failure
                    pending.done = True
            if not isinstance(failure, Exception):
                raise

    def _publish(self, batch: list[_Pending]) -> None:
        store = LocalStore.open(self.store_dir)
        try:
            before = {graph: list(store.quads(graph)) for graph in {p.change.graph for p in batch}}
            # One SHACL run for the whole batch; only when it does not conform is each write
            # validated on its own, so that the faulty ones are refused and the rest kept.
            applied = self._apply(batch, before, store, each=False)
            if applied is None:
                applied = self._apply(batch, before, store, each=True)
            assert applied is not None
            after, accepted = applied
            deltas: dict[NamedNode, GraphDelta] = {}
            for graph in after:
                delta = changed(before[graph], after[graph])
                if delta.added or delta.removed:
                    deltas[graph] = delta
            version = store.version
        finally:
            store.close()
        if deltas:
            published = publish_deltas(
                self.store_dir, self.minter, deltas, keep=self.keep, hook=self.hook
            )
            version = published.version
            self.versions_published += 1
            if self.engine is not None:
                self._to_engine(self.engine, published)
        for pending in accepted:
            etag = graph_etag(after[pending.change.graph])
            pending.outcome, pending.done = Outcome(version, etag, len(accepted)), True

    def _to_engine(self, engine: Callable[[], RemoteStore], published: DeltaVersion) -> None:
        """Carry the version just published here to the engine: the graphs it changed, to a
        replica that holds the version before; the whole version to any other."""
        try:
            with closing(engine()) as remote, closing(LocalStore.open(self.store_dir)) as local:
                quads = [q for graph in published.graphs for q in local.quads(graph)]
                names = [graph.value for graph in published.graphs]
                lagging = remote.switch_graphs(published.previous, quads, names)
                if lagging:  # on another version: compared whole
                    remote.write_whole(list(local.quads()), lagging)
        except StoreError:
            logger.exception("the engine was not given version %s", published.version)

    def _apply(
        self,
        batch: list[_Pending],
        before: dict[NamedNode, list[Quad]],
        store: LocalStore,
        *,
        each: bool,
    ) -> tuple[dict[NamedNode, list[Quad]], list[_Pending]] | None:
        """Apply the writes in order: the graphs after them and the writes accepted; None when
        validated together (not ``each``) they do not conform."""
        after = dict(before)
        accepted: list[_Pending] = []
        refused: list[tuple[_Pending, PolicygraphError]] = []
        together: list[Quad] = []
        for pending in batch:
            graph = pending.change.graph
            try:
                if pending.if_match is not None and pending.if_match != graph_etag(after[graph]):
                    raise PreconditionFailedError(
                        f"the graph {graph.value} has changed since {pending.if_match}"
                    )
                new, to_check = pending.change.apply(after[graph], store)
                if each and to_check:
                    report = self.checker.check(to_check, store)
                    if not report.conforms:
                        raise ValidationFailed(report)
            except PolicygraphError as exc:
                refused.append((pending, exc))
                continue
            together += to_check
            after[graph] = new
            accepted.append(pending)
        if not each and together and not self.checker.check(together, store).conforms:
            return None
        for pending, error in refused:
            pending.error, pending.done = error, True
        return after, accepted


@contextmanager
def store_writer_lock(store_dir: Path) -> Iterator[None]:
    """The lock ``store.local.writer_lock`` takes, waited for rather than refused: a write of
    annotations queues behind a build, a harvest or another worker's batch."""
    store_dir.mkdir(parents=True, exist_ok=True)
    with (store_dir / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        remove_unfinished(store_dir)
        yield
