"""The answers of ``/sparql``: what a query request gets, in order of cost.

An answer comes from the ETag alone (304), from the in-process cache, from the inline lane (a
single-scan query, evaluated in this process), or from a query worker
(``policygraph.query.QueryPool``), whole or streamed. ``SparqlEndpoint`` knows no HTTP server:
the ASGI route (``asgi.py``) reads the request, calls it step by step and sends its ``Answer``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import Triple, serialize
from werkzeug.datastructures import ETags
from werkzeug.http import parse_etags

from policygraph.config import Settings
from policygraph.errors import (
    ConfigurationError,
    NotAcceptableError,
    PolicygraphError,
    QueryCancelledError,
    QueryTimeoutError,
)
from policygraph.formats import BY_NAME
from policygraph.namespaces import PREFIXES
from policygraph.query import (
    AnswerCache,
    CachedAnswer,
    Complete,
    DatasetSource,
    Hangup,
    InlineLane,
    Limits,
    QueryJob,
    QueryPool,
    ResultKind,
    StreamedResult,
    VersionTracker,
)
from policygraph.query.dataset import RemoteVersions
from policygraph.query.forward import Forwarder
from policygraph.sparql.bounds import TextBounds
from policygraph.store.open import open_store
from policygraph.store.remote import RemoteStore
from policygraph.web.errors import status_of
from policygraph.web.metrics import Metrics
from policygraph.web.negotiation import PAGE_OFFERS, RESULT_OFFERS, negotiate
from policygraph.web.service_description import FORMATS, service_description
from policygraph.web.sparql.answer import Answer, answer_headers
from policygraph.web.sparql.protocol import HttpRequest, QueryRequest

log = logging.getLogger(__name__)

ENDPOINT_PATH = "/sparql"
STREAM_CHUNK_BYTES = 65_536
_NEGOTIATION_MEMO = 1024
_KINDS = tuple(ResultKind)
Formats = tuple[tuple[ResultKind, str | None], ...]


def endpoint_limits(settings: Settings) -> Limits:
    """What bounds an evaluation, for the workers and the inline lane alike."""
    return Limits(
        max_result_rows=settings.max_result_rows,
        result_buffer_bytes=settings.result_buffer_bytes,
        stream_chunk_bytes=STREAM_CHUNK_BYTES,
        # Relative IRIs resolve alike whatever host a request names.
        base_iri=(settings.public_url or settings.base_iri) + ENDPOINT_PATH,
        service_allowlist=settings.service_allowlist,
        union_default_graph=settings.union_default_graph,
        text_bounds=TextBounds(
            max_depth=settings.max_query_depth,
            max_tokens=settings.max_query_tokens,
            max_string_chars=settings.max_query_string_chars,
        ),
        memory_bytes=settings.query_memory_limit,
    )


def query_pool(settings: Settings, source: DatasetSource, copies: Path | None = None) -> QueryPool:
    """The worker pool these settings ask for, on ``source`` (its workers start now); with
    ``copies``, sharing the fork servers of that directory with the host's other web workers."""
    return QueryPool(
        source,
        endpoint_limits(settings),
        size=settings.max_concurrent_queries,
        queue_timeout=settings.queue_timeout,
        memory_max_quads=settings.memory_store_max_quads,
        copies=copies,
    )


def forwarder(settings: Settings) -> Forwarder:
    """The forwarder to the engine ``store_url`` names (its replicas checked from now on)."""
    store = open_store(settings)
    if not isinstance(store, RemoteStore):
        store.close()
        raise ConfigurationError("a forwarder needs a remote store (setting store_url)")
    return Forwarder(
        store,
        endpoint_limits(settings),
        size=settings.max_concurrent_queries,
        queue_timeout=settings.queue_timeout,
    )


@dataclass(frozen=True)
class PendingQuery:
    """A query the cache could not answer: its job, its cache key and ETag, and its lane."""

    job: QueryJob
    key: tuple[object, ...]
    etag: str
    inline: bool
    """The job is a single scan that the inline lane may answer."""


class SparqlEndpoint:
    """Answers query requests; one per app."""

    def __init__(
        self,
        settings: Settings,
        *,
        pool: QueryPool | Forwarder,
        versions: VersionTracker | RemoteVersions,
        cache: AnswerCache,
        metrics: Metrics,
        inline: InlineLane | None = None,
    ) -> None:
        self.settings = settings
        self.pool = pool
        self.versions = versions
        self.cache = cache
        self.metrics = metrics
        metrics.query_slots.set(pool.size)
        self.inline = inline
        self._requests: dict[int, Any] = {}
        self._latency = metrics.latency.labels("sparql")
        self._negotiated: dict[tuple[str, str | None], tuple[Formats, str]] = {}
        self._killed_seen = 0
        self._kills_lock = threading.Lock()

    def formats(self, accept: str, override: str | None) -> tuple[Formats, str]:
        """The format of each kind of result for this Accept header (werkzeug, memoized), and
        their names as one text, for the ETag."""
        key = (accept, override)
        found = self._negotiated.get(key)
        if found is None:
            chosen = tuple(
                (kind, negotiate(accept, RESULT_OFFERS[kind], override)) for kind in _KINDS
            )
            found = chosen, repr(tuple(name for _, name in chosen))
            if len(self._negotiated) >= _NEGOTIATION_MEMO:
                self._negotiated.clear()
            self._negotiated[key] = found
        return found

    def begin(self, query_request: QueryRequest, req: HttpRequest) -> Answer | PendingQuery:
        """What needs no evaluation: 304 from the ETag, an answer from the cache; else the job."""
        assert query_request.query is not None
        version = self.versions.current()
        formats, names = self.formats(req.headers.get("accept", ""), query_request.format)
        key = (
            version.version,
            query_request.query,
            query_request.default_graphs,
            query_request.named_graphs,
            formats,
        )
        # The kinds' order is fixed: the formats' names alone tell the negotiation apart.
        tagged = repr((*key[:4], names))
        etag = hashlib.blake2b(tagged.encode("utf-8"), digest_size=12).hexdigest()
        if_none_match = req.headers.get("if-none-match")
        revalidating = if_none_match is not None and _matches(parse_etags(if_none_match), etag)
        # A cached answer was admitted once, on the same text: the cache is asked first, and
        # only a query it cannot answer is read and checked (``prepare``).
        cached = self.cache.get(key) if self.cache.enabled and not revalidating else None
        if cached is not None:
            self.metrics.cache_hits.inc()
            return self._whole(cached.content_type, cached.body, etag)
        job = self.pool.prepare(
            query_request.query,
            query_request.default_graphs,
            query_request.named_graphs,
            formats,
            None if version.path is None else str(version.path),
        )
        if revalidating and job.facts.deterministic:
            self.metrics.not_modified.inc()
            return self._not_modified(req, etag)
        inline = self.inline is not None and self.inline.accepts(job)
        return PendingQuery(job, key, etag, inline)

    def answer_inline(self, pending: PendingQuery) -> Answer | None:
        """The answer of a single-scan query, evaluated here; None if a worker must answer it.

        Its time is bounded by the lane's byte budget, so it may run on an event loop.
        """
        if not pending.inline:
            return None
        assert self.inline is not None
        whole = self.inline.answer(pending.job)
        if whole is None:
            return None
        self.metrics.inline_answers.inc()
        return self._complete(pending, whole)

    def answer_in_worker(self, pending: PendingQuery, hangup: Hangup | None) -> Answer:
        """The answer from a query worker, whole or streamed (blocks until it begins)."""
        self.metrics.in_flight.inc()
        streaming = False
        try:
            result = self.pool.execute(
                pending.job, timeout=self.settings.query_timeout, hangup=hangup
            )
            if isinstance(result, StreamedResult):
                streaming = True
                return self._streamed(result, pending.etag)
        finally:
            if not streaming:
                self.metrics.in_flight.dec()
            self._count_kills()
        return self._complete(pending, result)

    def finish(self, answer: Answer, started: float) -> Answer:
        """Count the answer, which is ready to go."""
        counter = self._requests.get(answer.status)
        if counter is None:  # prometheus' label lookup costs more than the count itself
            counter = self._requests[answer.status] = self.metrics.requests.labels(
                "sparql", str(answer.status)
            )
        counter.inc()
        self._latency.observe(time.perf_counter() - started)
        return answer

    def _complete(self, pending: PendingQuery, whole: Complete) -> Answer:
        content_type = _with_charset(BY_NAME[whole.format_name].media_type)
        if not whole.deterministic:
            return self._whole(content_type, whole.body, None)
        if self.cache.enabled:
            self.metrics.cache_misses.inc()
            self.cache.put(pending.key, CachedAnswer(content_type, whole.body, pending.etag))
        return self._whole(content_type, whole.body, pending.etag)

    def description_format(self, accept: str, override: str | None) -> str:
        """The format of the service description: an RDF format, or ``HTML`` for the page."""
        name = negotiate(accept, PAGE_OFFERS, override)
        if name is None:
            raise NotAcceptableError(
                "the service description is available as " + ", ".join(PAGE_OFFERS.media_types)
            )
        return name

    def url(self, request_root: str) -> str:
        """This endpoint's URL: under ``public_url`` when set, else where the request came."""
        return (self.settings.public_url or request_root) + ENDPOINT_PATH

    def description(self, request_root: str) -> list[Triple]:
        return list(
            service_description(
                self.url(request_root),
                union_default_graph=self.settings.union_default_graph,
                service_allowlist=self.settings.service_allowlist,
            )
        )

    def describe(self, name: str, request_root: str) -> Answer:
        """The service description in the RDF format ``name``."""
        return Answer(
            200,
            answer_headers(_with_charset(BY_NAME[name].media_type), None),
            _serialized(self.description(request_root), name),
        )

    def refusal(self, error: PolicygraphError) -> Answer:
        """The response for an error, counted by reason."""
        if isinstance(error, QueryTimeoutError):
            self.metrics.timeouts.inc()
        status = status_of(error)
        if status < 500 or status == 503:
            self.metrics.refused.labels(type(error).__name__).inc()
        if isinstance(error, QueryCancelledError):
            log.info("client went away; its query was stopped")
        return Answer.refusal(error)

    def _whole(self, content_type: str, body: bytes, etag: str | None) -> Answer:
        return Answer(200, answer_headers(content_type, etag), body)

    def _not_modified(self, req: HttpRequest, etag: str) -> Answer:
        # RFC 9110 13.1.2: a failed If-None-Match is 304 for GET and HEAD, 412 for other methods.
        status = 304 if req.method in ("GET", "HEAD") else 412
        return Answer(status, answer_headers(None, etag), b"")

    def _streamed(self, result: StreamedResult, etag: str | None) -> Answer:
        content_type = _with_charset(BY_NAME[result.format_name].media_type)
        headers = answer_headers(content_type, etag if result.deterministic else None)
        return Answer(200, headers, StreamedBody(self, result))

    def _count_kills(self) -> None:
        with self._kills_lock:
            killed = self.pool.killed
            if killed > self._killed_seen:
                self.metrics.workers_killed.inc(killed - self._killed_seen)
                self._killed_seen = killed


class StreamedBody:
    """The chunks of a streamed result; an error here cuts the connection, as it must.

    Closing it, started or not, ends the worker's stream and counts the query out.
    """

    def __init__(self, endpoint: SparqlEndpoint, result: StreamedResult) -> None:
        self._endpoint = endpoint
        self._chunks = result.chunks
        self._open = True

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._chunks)
        except PolicygraphError as error:
            if isinstance(error, QueryTimeoutError):
                self._endpoint.metrics.timeouts.inc()
            log.warning(
                "a streamed result was cut off (the client sees an incomplete body): %s", error
            )
            self.close()
            raise

    def close(self) -> None:
        if self._open:
            self._open = False
            self._chunks.close()
            self._endpoint.metrics.in_flight.dec()
            self._endpoint._count_kills()


def _serialized(triples: Any, name: str) -> bytes:
    fmt = BY_NAME[name]
    assert fmt.rdf is not None
    prefixes = {p: PREFIXES[p] for p in ("sd", "dct", "rdf")} | {"formats": FORMATS}
    body = serialize(triples, format=fmt.rdf, prefixes=prefixes if name != "jsonld" else None)
    assert body is not None
    return body


def _with_charset(media_type: str) -> str:
    return media_type + "; charset=utf-8" if media_type.startswith("text/") else media_type


def _matches(tags: ETags, etag: str) -> bool:
    return tags.star_tag or tags.contains_weak(etag)


__all__ = [
    "ENDPOINT_PATH",
    "PendingQuery",
    "SparqlEndpoint",
    "StreamedBody",
    "endpoint_limits",
    "forwarder",
    "query_pool",
]
