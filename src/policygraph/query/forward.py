"""Answering the endpoint's queries with an external engine: checked here, evaluated there.

``Forwarder`` stands where the ``QueryPool`` stands when the store is an engine
(``store_url``): the web process reads and refuses a query as for the local store
(``admission``, and pyoxigraph's parser for its syntax), then sends it to one of the engine's
replicas and relays the answer, within the same bounds:

- the time limit is a deadline on the whole answer; at it the request's socket is shut (the
  engine sees its client go; Virtuoso also gets its own ``timeout`` parameter) and the client
  gets 503, or a cut stream, as from a worker;
- the row bound is decided before the first byte, as the local path does it: an answer that
  fits ``result_buffer_bytes`` is counted and sent whole or refused (422); a larger one is
  asked again and only counted, up to ``max_result_rows`` + 1, and then asked a last time and
  streamed;
- at most ``size`` queries are in flight per web worker; one more waits ``queue_timeout`` and
  is then refused (503 with ``Retry-After``).

Nothing of the data is copied into the front end; the version it serves is the engine's
(``dataset.RemoteVersions``).
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store

from policygraph.errors import (
    NotAcceptableError,
    QueryOverloadedError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
)
from policygraph.formats import BY_NAME, ResultFormat, ResultKind
from policygraph.query.admission import Formats, check_policy
from policygraph.query.conversion import (
    ConvertedStream,
    accept_header,
    asked_format,
    convert_whole,
    count_rows,
    format_of,
    too_many,
)
from policygraph.query.lease import Hangup
from policygraph.query.messages import Complete, Limits, QueryJob
from policygraph.query.pool import Chunks, StreamedResult
from policygraph.query.upstream import Connections, Upstream, upstream_file
from policygraph.sparql.inspection import inspect_query
from policygraph.sparql.syntax_errors import syntax_error
from policygraph.store.remote import RemoteStore
from policygraph.store.remote.replicas import Replica

CONNECT_TIMEOUT = 5.0
_FORM_HEADER = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "policygraph"}


@dataclass(frozen=True)
class ForwardedJob(QueryJob):
    """A job checked by the forwarder, with the kind of result its parse showed."""

    kind: ResultKind


@dataclass(frozen=True)
class _Asked:
    """One query as it is sent: the form body, and what it asks for."""

    body: bytes
    kind: ResultKind
    asked: str
    wanted: ResultFormat


class Forwarder:
    """The endpoint's evaluator over an external engine (the pool's place and calls)."""

    def __init__(
        self, store: RemoteStore, limits: Limits, *, size: int, queue_timeout: float
    ) -> None:
        self.store = store
        self.limits = limits
        self.size = size
        self.killed = 0
        """Never anything: no process of ours evaluates (kept for the endpoint's metrics)."""
        self.forwarded = 0
        """Requests sent to the engine for queries (a large answer takes three)."""
        self._queue_timeout = queue_timeout
        self._slots = threading.BoundedSemaphore(size)
        self._in_flight = 0
        self._connections = {
            r.endpoints.query: Connections(r.endpoints.query, CONNECT_TIMEOUT)
            for r in store.replicas.replicas
        }
        self._parsers = threading.local()
        self._base = f"BASE <{NamedNode(limits.base_iri).value}>\n"
        # Percent-encoding goes character by character in Python: the constant part once.
        self._quoted_base = quote_plus(self._base)
        self._closed = False
        store.replicas.watch()

    # -- what the endpoint and /healthz ask of a pool -----------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def ready(self) -> bool:
        return not self._closed and bool(self.store.replicas.healthy())

    @property
    def in_memory(self) -> bool:
        return False

    @property
    def loading(self) -> bool:
        return False

    @property
    def idle(self) -> int:
        return self.size - self._in_flight

    def worker_pids(self) -> list[int]:
        return []

    def health(self) -> dict[str, Any]:
        """The replicas as /healthz reports them."""
        return {
            "engine": self.store.engine,
            "replicas": [
                {"url": r.endpoints.query, "healthy": r.healthy, "served": r.served}
                for r in self.store.replicas.replicas
            ],
        }

    def close(self) -> None:
        self._closed = True
        for connections in self._connections.values():
            connections.close()
        self.store.close()

    # -- answering ----------------------------------------------------------------------------

    def prepare(
        self,
        query: str,
        default_graphs: tuple[str, ...] | None,
        named_graphs: tuple[str, ...] | None,
        formats: Formats,
        version_path: str | None,
    ) -> QueryJob:
        """The job of a query request, refused here as for the local store (``prepare_job``'s
        checks), and its syntax checked by pyoxigraph's parser (so the engine never sees a text
        we would refuse), which also tells the kind of its result.

        The text is tokenized at most once, and only when a word that matters occurs in it: no
        single-scan facts are read, since nothing is evaluated here.
        """
        facts = inspect_query(
            query, self.limits.base_iri, self.limits.text_bounds, single_scans=False
        )
        check_policy(facts, self.limits)
        kind = self._checked_kind(query)
        return ForwardedJob(query, default_graphs, named_graphs, formats, version_path, facts, kind)

    def execute(
        self, job: QueryJob, *, timeout: float, hangup: Hangup | None = None
    ) -> Complete | StreamedResult:
        """The engine's answer to ``job``: whole, or to stream. Errors of the tree are raised."""
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=self._queue_timeout):
            raise QueryOverloadedError(
                f"all {self.size} query slots stayed busy for {self._queue_timeout:g} s; "
                "try again shortly",
                retry_after=max(1.0, self._queue_timeout),
            )
        self._in_flight += 1
        held = True
        try:
            asked = self._asked(job, deadline)
            answer = self._send(asked, deadline, hangup)
            given = format_of(answer.header("Content-Type"), asked.kind)
            body, whole = _read_up_to(answer, self.limits.result_buffer_bytes)
            if whole:
                return self._complete(job, asked, given, body)
            answer.close()
            counted = self._send(asked, deadline, hangup)
            with upstream_file(counted) as source:
                rows = count_rows(source, given, self.limits.max_result_rows)
            if rows > self.limits.max_result_rows:
                raise too_many(self.limits.max_result_rows)
            streamed = self._send(asked, deadline, hangup)
            chunks: Chunks = (
                _Relay(streamed, self.limits.stream_chunk_bytes)
                if given.name == asked.wanted.name
                else ConvertedStream(upstream_file(streamed), given, asked.wanted)
            )
            held = False
            return StreamedResult(
                asked.wanted.name, job.facts.deterministic, _Slot(chunks, self._free)
            )
        finally:
            if held:
                self._free()

    def _free(self) -> None:
        self._in_flight -= 1
        self._slots.release()

    def _complete(self, job: QueryJob, asked: _Asked, given: ResultFormat, body: bytes) -> Complete:
        limit = self.limits.max_result_rows
        # Only a body large enough to hold more rows than allowed is parsed and counted.
        may_be_over = len(body) // (given.min_row_bytes or 2) > limit
        if (
            asked.kind is not ResultKind.BOOLEAN
            and may_be_over
            and count_rows(io.BytesIO(body), given, limit) > limit
        ):
            raise too_many(limit)
        if given.name != asked.wanted.name:
            body = convert_whole(body, given, asked.wanted)
        return Complete(asked.wanted.name, body, job.facts.deterministic)

    def _asked(self, job: QueryJob, deadline: float) -> _Asked:
        kind = job.kind if isinstance(job, ForwardedJob) else self._checked_kind(job.query)
        wanted = job.format_for(kind)
        if wanted is None:
            raise NotAcceptableError(
                f"none of the accepted media types can carry {kind.value} "
                "(see the service description for the formats of each kind of result)"
            )
        engine = self.store.endpoints.engine
        text = self._base + job.query
        names_its_dataset = job.facts.has_dataset_clause
        if job.default_graphs is not None or job.named_graphs is not None:
            pragmas, dataset = self.store.dataset(
                text,
                default_graph=[NamedNode(g) for g in job.default_graphs or ()],
                named_graphs=[NamedNode(g) for g in job.named_graphs or ()],
                union=False,
                names_its_dataset=names_its_dataset,
            )
        else:
            pragmas, dataset = self.store.dataset(
                text,
                default_graph=None,
                named_graphs=None,
                union=self.limits.union_default_graph,
                names_its_dataset=names_its_dataset,
            )
        form = f"query={quote_plus(pragmas)}{self._quoted_base}{quote_plus(job.query)}"
        if engine.timeout_parameter is not None:
            left = max(1, int((deadline - time.monotonic()) * 1000))
            dataset = [*dataset, (engine.timeout_parameter, str(left))]
        if dataset:
            form += "&" + urlencode(dataset)
        asked = asked_format(engine.native_formats, wanted, kind)
        return _Asked(form.encode("ascii"), kind, asked, BY_NAME[wanted])

    def _send(self, asked: _Asked, deadline: float, hangup: Hangup | None) -> Upstream:
        """The answer of a replica that answers (one that cannot be reached is taken out)."""
        headers = {**_FORM_HEADER, "Accept": accept_header(asked.asked, asked.kind)}
        self.forwarded += 1

        def ask(replica: Replica) -> Upstream:
            return Upstream(
                self._connections[replica.endpoints.query],
                asked.body,
                headers,
                deadline=deadline,
                hangup=hangup,
            )

        return _checked(*self.store.replicas.answered(ask))

    def _checked_kind(self, query: str) -> ResultKind:
        """The kind of result of ``query``, as pyoxigraph parses it (on an empty store, where
        evaluating costs nothing); the error of the tree if it does not."""
        empty = getattr(self._parsers, "store", None)
        if empty is None:
            empty = self._parsers.store = Store()
        try:
            result = empty.query(query, base_iri=self.limits.base_iri)
        except SyntaxError as exc:
            raise syntax_error(query, exc) from exc
        except (RuntimeError, OSError) as exc:
            raise QueryRefusedError(f"the query cannot be evaluated: {exc}") from exc
        if isinstance(result, QuerySolutions):
            kind = ResultKind.SOLUTIONS
        elif isinstance(result, QueryBoolean):
            kind = ResultKind.BOOLEAN
        else:
            kind = ResultKind.GRAPH
        del result  # dropped on the thread that made it, as pyoxigraph wants
        return kind


def _checked(answer: Upstream, replica: Replica) -> Upstream:
    """The answer if it is one; else the error it means (read from its start)."""
    status = answer.status
    if status == 200:
        # Virtuoso stops a query at its own time limit and sends what it found, flagged so.
        if answer.header("X-SQL-State"):
            answer.close()
            raise QueryTimeoutError("the query ran past its time limit and was stopped")
        return answer
    excerpt = answer.read(400).decode("utf-8", errors="replace").strip()
    answer.close()
    if status == 400:
        raise QuerySyntaxError(f"the engine refused the query: {excerpt}")
    raise StoreError(f"{replica.endpoints.query} answered HTTP {status}: {excerpt}")


def _read_up_to(answer: Upstream, limit: int) -> tuple[bytes, bool]:
    """The body if it ends within ``limit`` bytes (True), else what was read (False)."""
    body = bytearray()
    while len(body) <= limit:
        data = answer.read(min(65_536, limit + 1 - len(body)))
        if not data:
            return bytes(body), True
        body += data
    return bytes(body), False


class _Relay:
    """The engine's bytes as they come, in chunks."""

    def __init__(self, answer: Upstream, chunk: int) -> None:
        self._answer = answer
        self._chunk = chunk

    def __iter__(self) -> _Relay:
        return self

    def __next__(self) -> bytes:
        data = self._answer.read(self._chunk)
        if not data:
            raise StopIteration
        return data

    def close(self) -> None:
        self._answer.close()


class _Slot:
    """Chunks that give their query slot back once, when they end or are closed."""

    def __init__(self, chunks: Chunks, free: Any) -> None:
        self._chunks = chunks
        self._free = free
        self._held = True

    def __iter__(self) -> _Slot:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._chunks)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._held:
            self._held = False
            self._chunks.close()
            self._free()


__all__ = ["Forwarder"]
