"""Prometheus metrics of the web service: requests, latency, timeouts, cache hits.

Each app has its own registry (no module-level state). Under gunicorn, ``web/server.py`` sets
``PROMETHEUS_MULTIPROC_DIR`` before any worker starts, and ``/metrics`` then adds up the
values of every worker process (prometheus-client's multiprocess mode), whichever worker the
scrape reaches. prometheus-client chooses that mode when it is first imported, so it is
imported here only when an app makes its metrics, never when the server module is loaded.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

log = logging.getLogger(__name__)

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    """The counters and histograms one app updates, and their exposition."""

    def __init__(self, *, multiprocess_dir: str | None = None) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, values

        if multiprocess_dir is not None and values.ValueClass is values.MutexValue:
            log.warning(
                "prometheus_client was imported before %s was set: /metrics shows the "
                "values of the process that answers, not of all processes",
                MULTIPROCESS_ENV,
            )
            multiprocess_dir = None
        self.multiprocess_dir = multiprocess_dir
        registry = self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "policygraph_http_requests",
            "HTTP requests answered, by endpoint and status.",
            ["endpoint", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "policygraph_http_request_duration_seconds",
            "Seconds from request to response headers, by endpoint.",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.timeouts = Counter(
            "policygraph_query_timeouts", "Queries stopped at query_timeout.", registry=registry
        )
        self.cache_hits = Counter(
            "policygraph_query_cache_hits",
            "Answers served from the query cache.",
            registry=registry,
        )
        self.cache_misses = Counter(
            "policygraph_query_cache_misses",
            "Cacheable queries that had to be evaluated.",
            registry=registry,
        )
        self.inline_answers = Counter(
            "policygraph_query_inline_answers",
            "Single-scan queries answered in the web process, without a worker.",
            registry=registry,
        )
        self.not_modified = Counter(
            "policygraph_query_not_modified",
            "Conditional requests answered 304 from their ETag alone.",
            registry=registry,
        )
        self.refused = Counter(
            "policygraph_query_refused",
            "Queries refused before or instead of an answer, by reason.",
            ["reason"],
            registry=registry,
        )
        self.workers_killed = Counter(
            "policygraph_query_workers_killed",
            "Query worker processes killed (timeouts, clients gone, streams cut).",
            registry=registry,
        )
        self.query_slots = Gauge(
            "policygraph_query_slots",
            "Query worker slots, added up over the web workers: each queues its own queries "
            "(for queue_timeout) and answers 503 when its own slots stay busy.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.in_flight = Gauge(
            "policygraph_queries_in_flight",
            "Queries being evaluated or streamed.",
            registry=registry,
            multiprocess_mode="livesum",
        )

    @classmethod
    def from_environment(cls) -> Metrics:
        """Metrics in multiprocess mode when the server set it up (read once, at start-up)."""
        return cls(multiprocess_dir=os.environ.get(MULTIPROCESS_ENV) or None)

    def exposition(self) -> tuple[bytes, str]:
        """The text format of every metric, and its content type."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector

        registry: CollectorRegistry = self.registry
        if self.multiprocess_dir is not None:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=self.multiprocess_dir)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST


def mark_process_dead(pid: int) -> None:
    """Let the multiprocess collector drop the live gauges of a worker that has exited."""
    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess = importlib.import_module("prometheus_client.multiprocess")
        multiprocess.mark_process_dead(pid)


__all__ = ["MULTIPROCESS_ENV", "Metrics", "mark_process_dead"]
