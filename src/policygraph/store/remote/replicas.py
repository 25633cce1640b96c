"""Replicas of one engine: queries spread over those that answer, the others taken out.

A store URL may name several engines holding the same data (``sparql+http://a/query,
sparql+http://b/query``): N stateless front ends over M engine replicas is how policygraph
grows past one machine. Each query goes to the healthy replica with the fewest queries in
flight (ties in turn, so that idle replicas share the load). A replica is taken out when a
request to it cannot connect, and by the health check, a cheap ``ASK {}`` sent to every replica
each ``interval`` seconds by a watcher thread, which also puts a replica back once it answers.
With every replica out, a query is refused at once with ``EngineUnavailableError`` (503 with
``Retry-After``) rather than waiting on engines that are known to be down.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from policygraph.errors import EngineUnavailableError, StoreError
from policygraph.store.remote.engines import Endpoints

log = logging.getLogger(__name__)

HEALTH_INTERVAL = 2.0
"""Seconds between two health checks of every replica."""


@dataclass
class Replica:
    """One engine of the set, and what is known of it now."""

    endpoints: Endpoints
    healthy: bool = True
    in_flight: int = 0
    served: int = 0
    """Queries sent to it so far (for /healthz and the tests of the spreading)."""


Probe = Callable[[Endpoints], bool]
"""Whether the engine at these endpoints answers a cheap query now."""

T = TypeVar("T")


class Replicas:
    """The replicas of one engine, chosen per query; ``watch`` starts the health checks."""

    def __init__(
        self, endpoints: Sequence[Endpoints], probe: Probe, *, interval: float = HEALTH_INTERVAL
    ) -> None:
        if not endpoints:
            raise ValueError("an engine needs at least one replica")
        self.replicas = [Replica(e) for e in endpoints]
        self.interval = interval
        self._probe = probe
        self._lock = threading.Lock()
        self._turn = itertools.count()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def first(self) -> Endpoints:
        return self.replicas[0].endpoints

    @property
    def watched(self) -> bool:
        return self._watcher is not None

    def healthy(self) -> list[Replica]:
        with self._lock:
            return [r for r in self.replicas if r.healthy]

    @contextmanager
    def chosen(self) -> Iterator[Replica]:
        """The replica a query goes to, counted in flight while the caller holds it."""
        replica = self._pick()
        try:
            yield replica
        finally:
            with self._lock:
                replica.in_flight -= 1

    def answered(self, ask: Callable[[Replica], T]) -> tuple[T, Replica]:
        """What ``ask`` gets from a replica, and which one: a replica it cannot reach (it raises
        ``StoreError``) is taken out and the next one chosen, each at most once; when none
        answers, the last failure is raised."""
        failure: StoreError | None = None
        try:
            for _ in self.replicas:
                with self.chosen() as replica:
                    try:
                        return ask(replica), replica
                    except StoreError as error:
                        self.failed(replica, str(error))
                        failure = error
            assert failure is not None
            raise failure
        finally:
            # A failure held by this frame, whose traceback holds the frame, is a cycle: it
            # would keep what the callers' frames hold (pyoxigraph results among them) until the
            # collector frees it, on whichever thread it runs, and a pyoxigraph result must be
            # dropped on the thread that made it.
            failure = None

    def failed(self, replica: Replica, reason: str) -> None:
        """Take ``replica`` out: it could not be reached. The watcher puts it back."""
        with self._lock:
            was, replica.healthy = replica.healthy, False
        if was:
            log.warning("engine replica %s taken out: %s", replica.endpoints.query, reason)

    def check(self) -> None:
        """Probe every replica now: out those that do not answer, back those that do."""
        for replica in self.replicas:
            answers = self._probe(replica.endpoints)
            with self._lock:
                was, replica.healthy = replica.healthy, answers
            if answers != was:
                verb = "put back" if answers else "taken out (health check)"
                log.warning("engine replica %s %s", replica.endpoints.query, verb)

    def watch(self) -> None:
        """Start the health checks, every ``interval`` seconds, on a daemon thread."""
        if self._watcher is None:
            self._watcher = threading.Thread(
                target=self._watch, name="policygraph-replica-health", daemon=True
            )
            self._watcher.start()

    def close(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the watcher must outlive any one failed check
                log.exception("the health check of the engine replicas failed")

    def _pick(self) -> Replica:
        with self._lock:
            candidates = [r for r in self.replicas if r.healthy]
            if not candidates:
                if self._watcher is not None:
                    raise EngineUnavailableError(
                        "no replica of the external engine answers: "
                        + ", ".join(r.endpoints.query for r in self.replicas),
                        retry_after=max(1.0, self.interval),
                    )
                # Nobody checks them again: try them all rather than refuse for ever.
                candidates = list(self.replicas)
            least = min(r.in_flight for r in candidates)
            idle = [r for r in candidates if r.in_flight == least]
            replica = idle[next(self._turn) % len(idle)]
            replica.in_flight += 1
            replica.served += 1
            return replica


__all__ = ["HEALTH_INTERVAL", "Probe", "Replica", "Replicas"]
