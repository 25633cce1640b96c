"""``/sparql``: the SPARQL 1.1 Protocol for queries, with its service description.

The view is thin: ``read_query_request`` checks the protocol, ``SparqlEndpoint`` answers. An
answer comes, in order of cost, from the ETag alone (304), from the in-process cache, or from a
query worker (``policygraph.query.QueryPool``), whole or streamed. Every response of the
blueprint says ``Vary: Accept`` and allows any origin (without credentials).
"""

from __future__ import annotations

import hashlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Request, Response, current_app, request
from pyoxigraph import serialize
from werkzeug.datastructures import Headers

from policygraph.config import Settings
from policygraph.errors import (
    NotAcceptableError,
    PolicygraphError,
    QueryCancelledError,
    QueryTimeoutError,
)
from policygraph.namespaces import PREFIXES
from policygraph.query import (
    AnswerCache,
    CachedAnswer,
    Hangup,
    QueryJob,
    QueryPool,
    ResultKind,
    StreamedResult,
    VersionTracker,
    inspect_query,
)
from policygraph.results import BY_NAME
from policygraph.web.errors import error_response, status_of
from policygraph.web.metrics import Metrics
from policygraph.web.negotiation import HTML, PAGE_OFFERS, RESULT_OFFERS, negotiate
from policygraph.web.protocol import QueryRequest, read_query_request
from policygraph.web.service_description import FORMATS, service_description
from policygraph.web.ui import query_page_response

log = logging.getLogger(__name__)

EXTENSION = "policygraph.sparql"
ENDPOINT_PATH = "/sparql"
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
_NEGOTIATION_MEMO = 1024
_KINDS = tuple(ResultKind)
Formats = tuple[tuple[ResultKind, str | None], ...]

blueprint = Blueprint("sparql", __name__)


class SocketHangup:
    """Watches the client's socket: readable with nothing to read means it has gone."""

    def __init__(self, sock: socket.socket) -> None:
        self._socket = sock

    def fileno(self) -> int:
        return self._socket.fileno()

    def hung_up(self) -> bool:
        try:
            return self._socket.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except (OSError, ValueError):  # reset (gone), or a socket that cannot peek (TLS)
            return True


class SparqlEndpoint:
    """Answers query requests; one per app."""

    def __init__(
        self,
        settings: Settings,
        *,
        pool: QueryPool,
        versions: VersionTracker,
        cache: AnswerCache,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.url = settings.public_url + ENDPOINT_PATH
        self.pool = pool
        self.versions = versions
        self.cache = cache
        self.metrics = metrics
        self._negotiated: dict[tuple[str, str | None], Formats] = {}
        self._killed_seen = 0
        self._kills_lock = threading.Lock()

    def handle(self, req: Request) -> Response:
        query_request = read_query_request(req, self.settings.max_query_bytes)
        accept = req.headers.get("Accept", "")
        if query_request.query is None:
            return self.describe(accept, query_request.format)
        return self.answer(query_request, req, accept)

    def formats(self, accept: str, override: str | None) -> Formats:
        """The format of each kind of result for this Accept header (werkzeug, memoized)."""
        key = (accept, override)
        found = self._negotiated.get(key)
        if found is None:
            found = tuple(
                (kind, negotiate(accept, RESULT_OFFERS[kind], override)) for kind in _KINDS
            )
            if len(self._negotiated) >= _NEGOTIATION_MEMO:
                self._negotiated.clear()
            self._negotiated[key] = found
        return found

    def answer(self, query_request: QueryRequest, req: Request, accept: str) -> Response:
        assert query_request.query is not None
        version = self.versions.current()
        formats = self.formats(accept, query_request.format)
        key = (
            version.version,
            query_request.query,
            query_request.default_graphs,
            query_request.named_graphs,
            formats,
        )
        etag = hashlib.blake2b(repr(key).encode("utf-8"), digest_size=12).hexdigest()
        if (
            "If-None-Match" in req.headers
            and (req.if_none_match.star_tag or req.if_none_match.contains_weak(etag))
            and inspect_query(query_request.query).deterministic
        ):
            self.metrics.not_modified.inc()
            return self._not_modified(req, etag)
        cached = self.cache.get(key) if self.cache.enabled else None
        if cached is not None:
            self.metrics.cache_hits.inc()
            return self._whole(cached.content_type, cached.body, etag)
        job = QueryJob(
            query_request.query,
            query_request.default_graphs,
            query_request.named_graphs,
            formats,
            None if version.path is None else str(version.path),
        )
        self.metrics.in_flight.inc()
        streaming = False
        try:
            result = self.pool.execute(
                job, timeout=self.settings.query_timeout, hangup=_hangup(req)
            )
            if isinstance(result, StreamedResult):
                streaming = True
                return self._streamed(result, etag)
        finally:
            if not streaming:
                self.metrics.in_flight.dec()
            self._count_kills()
        content_type = BY_NAME[result.format_name].media_type
        content_type = _with_charset(content_type)
        if not result.deterministic:
            return self._whole(content_type, result.body, None)
        if self.cache.enabled:
            self.metrics.cache_misses.inc()
            self.cache.put(key, CachedAnswer(content_type, result.body, etag))
        return self._whole(content_type, result.body, etag)

    def describe(self, accept: str, override: str | None) -> Response:
        """The service description, as RDF or (for a browser) as a page."""
        name = negotiate(accept, PAGE_OFFERS, override)
        if name is None:
            raise NotAcceptableError(
                "the service description is available as " + ", ".join(PAGE_OFFERS.media_types)
            )
        triples = service_description(
            self.url,
            union_default_graph=self.settings.union_default_graph,
            service_allowlist=self.settings.service_allowlist,
        )
        if name == HTML:
            # The endpoint's HTML face is the query UI, with this description embedded.
            response = query_page_response(list(triples))
            response.headers["Link"] = ", ".join(
                f'<{ENDPOINT_PATH}?format={n}>; rel="alternate"; type="{BY_NAME[n].media_type}"'
                for n in RESULT_OFFERS[ResultKind.GRAPH].names
            )
            return response
        return Response(
            _serialized(triples, name), content_type=_with_charset(BY_NAME[name].media_type)
        )

    def refusal(self, error: PolicygraphError) -> Response:
        """The response for an error, counted by reason."""
        if isinstance(error, QueryTimeoutError):
            self.metrics.timeouts.inc()
        status = status_of(error)
        if status < 500 or status == 503:
            self.metrics.refused.labels(type(error).__name__).inc()
        if isinstance(error, QueryCancelledError):
            log.info("client went away; its query was stopped")
        return error_response(error)

    def _whole(self, content_type: str, body: bytes, etag: str | None) -> Response:
        return Response(body, headers=_answer_headers(content_type, etag))

    def _not_modified(self, req: Request, etag: str) -> Response:
        # RFC 9110 13.1.2: a failed If-None-Match is 304 for GET and HEAD, 412 for other methods.
        status = 304 if req.method in ("GET", "HEAD") else 412
        headers = _answer_headers(None, etag)
        return Response(status=status, headers=headers)

    def _streamed(self, result: StreamedResult, etag: str | None) -> Response:
        content_type = _with_charset(BY_NAME[result.format_name].media_type)
        headers = _answer_headers(content_type, etag if result.deterministic else None)
        return Response(self._relay(result), headers=headers, direct_passthrough=True)

    def _relay(self, result: StreamedResult) -> Iterator[bytes]:
        """The chunks of a streamed result; an error here cuts the connection, as it must."""
        try:
            yield from result.chunks
        except PolicygraphError as error:
            if isinstance(error, QueryTimeoutError):
                self.metrics.timeouts.inc()
            log.warning(
                "a streamed result was cut off (the client sees an incomplete body): %s", error
            )
            raise
        finally:
            result.chunks.close()
            self.metrics.in_flight.dec()
            self._count_kills()

    def _count_kills(self) -> None:
        with self._kills_lock:
            killed = self.pool.killed
            if killed > self._killed_seen:
                self.metrics.workers_killed.inc(killed - self._killed_seen)
                self._killed_seen = killed


def _serialized(triples: Any, name: str) -> bytes:
    fmt = BY_NAME[name]
    assert fmt.rdf is not None
    prefixes = {p: PREFIXES[p] for p in ("sd", "dct", "rdf")} | {"formats": FORMATS}
    body = serialize(triples, format=fmt.rdf, prefixes=prefixes if name != "jsonld" else None)
    assert body is not None
    return body


def _with_charset(media_type: str) -> str:
    return media_type + "; charset=utf-8" if media_type.startswith("text/") else media_type


_COMMON_HEADERS = (
    ("Vary", "Accept"),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "ETag, Retry-After"),
    ("X-Content-Type-Options", "nosniff"),
)


def _answer_headers(content_type: str | None, etag: str | None) -> Headers:
    """Every header of an answer, made at once (werkzeug's header-by-header set is slow)."""
    headers = list(_COMMON_HEADERS)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    if etag is None:
        headers.append(("Cache-Control", "no-store"))
    else:
        headers += [("ETag", f'W/"{etag}"'), ("Cache-Control", "public, no-cache")]
    return Headers(headers)


def _hangup(req: Request) -> Hangup | None:
    sock = req.environ.get("gunicorn.socket") or req.environ.get("werkzeug.socket")
    return SocketHangup(sock) if isinstance(sock, socket.socket) else None


def _cors(response: Response) -> Response:
    """The headers every response of the endpoint has (answers are made with them already)."""
    if "Access-Control-Allow-Origin" not in response.headers:
        headers = response.headers
        for name, value in _COMMON_HEADERS:
            headers[name] = value
    return response


@blueprint.route(ENDPOINT_PATH, methods=["GET", "POST"], provide_automatic_options=False)
def sparql() -> Response:
    started = time.perf_counter()
    endpoint: SparqlEndpoint = current_app.extensions[EXTENSION]
    try:
        response = endpoint.handle(request)
    except PolicygraphError as error:
        response = endpoint.refusal(error)
    endpoint.metrics.requests.labels("sparql", str(response.status_code)).inc()
    endpoint.metrics.latency.labels("sparql").observe(time.perf_counter() - started)
    return _cors(response)


@blueprint.route(ENDPOINT_PATH, methods=["OPTIONS"])
def preflight() -> Response:
    """CORS preflight: any origin, the protocol's methods and the headers asked for."""
    response = Response(status=204)
    response.headers["Allow"] = ALLOWED_METHODS
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    asked = request.headers.get("Access-Control-Request-Headers", "")
    allowed = [h.strip() for h in asked.split(",") if h.strip().replace("-", "").isalnum()]
    response.headers["Access-Control-Allow-Headers"] = ", ".join(allowed) or "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"
    return _cors(response)


__all__ = ["EXTENSION", "SocketHangup", "SparqlEndpoint", "blueprint"]
