"""Evaluating one job inside a query worker: policy, dataset, row bound, serialization.

pyoxigraph results can only be consumed on the thread that made them, so the query and its
serialization run here, together, and only bytes leave the worker.

The row bound is kept without ever sending a cut result (see docs/endpoint.md):

1. The result is serialized into a hold-back buffer of ``result_buffer_bytes``. If it ends
   there (nearly every query), its rows are checked (exactly, when the size allows more rows
   than the bound) and it goes out whole, as ``Complete``.
2. A larger result is abandoned and the query evaluated again without serializing, only
   counting, up to ``max_result_rows`` + 1. Too many rows: ``ResultTooLargeError``, before the
   response has begun.
3. Otherwise it is evaluated a last time and streamed in ``stream_chunk_bytes`` frames, so
   memory stays flat however long the result is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, cast

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
    parse_query_results,
    serialize,
)

from policygraph.errors import (
    NotAcceptableError,
    QueryRefusedError,
    ResultTooLargeError,
    StoreError,
)
from policygraph.formats import BY_NAME, ResultFormat
from policygraph.namespaces import PREFIXES
from policygraph.query.admission import check_policy
from policygraph.query.messages import (
    DATA,
    Complete,
    Limits,
    QueryJob,
    ResultKind,
    complete,
    finished,
    streaming,
)
from policygraph.search.textscore import TextScores, mentions_text_score, unavailable
from policygraph.sparql.syntax_errors import syntax_error

Send = Callable[[bytes], None]


class _BufferFullError(Exception):
    """Raised by the hold-back buffer to stop a serialization that outgrew it."""


class _HoldBack:
    """A write-only file that keeps at most ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._size += len(data)
        if self._size > self._limit:
            raise _BufferFullError
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """pyoxigraph may flush; nothing is written anywhere until the end."""

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


class _Stream:
    """A write-only file that sends what it is given in frames of about ``chunk`` bytes."""

    def __init__(self, send: Send, chunk: int) -> None:
        self._send = send
        self._chunk = chunk
        self._buffer = bytearray(DATA)

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= self._chunk:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if len(self._buffer) > 1:
            self._send(bytes(self._buffer))
            self._buffer = bytearray(DATA)


class _TripleCounter:
    """Counts the triples of a graph result as the serializer pulls them; stops past the bound."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0

    def triples(self, source: Iterable[Triple]) -> Iterator[Triple]:
        for triple in source:
            self.count += 1
            if self.count > self.limit:
                raise _too_many(self.limit)
            yield triple

    def quads(self, source: Iterable[Triple]) -> Iterator[Quad]:
        for triple in self.triples(source):
            yield Quad(triple.subject, triple.predicate, triple.object)


def evaluate(
    store: Store, job: QueryJob, limits: Limits, send: Send, text_scores: TextScores | None = None
) -> None:
    """Run ``job`` on ``store`` and send its answer, as ``messages`` describes, through ``send``.

    ``text_scores`` gives the query the function ``pg:textScore`` (a worker's; the inline lane
    has none, as a single scan calls no function).
    """
    evaluation = _Evaluation(store, job, limits, text_scores)
    whole = evaluation.whole()
    if whole is not None:
        send(complete(whole.format_name, whole.body, whole.deterministic))
        return
    name = evaluation.format_name
    _count(evaluation.run(), limits.max_result_rows)
    send(streaming(name, evaluation.deterministic))
    stream = _Stream(send, limits.stream_chunk_bytes)
    _write(evaluation.run(), BY_NAME[name], stream, limits.max_result_rows)
    stream.flush()
    send(finished())


def evaluate_whole(store: Store, job: QueryJob, limits: Limits) -> Complete | None:
    """The whole answer to ``job``, or None when it outgrows ``limits.result_buffer_bytes``.

    Policy, syntax and row-bound errors are raised, as from ``evaluate``.
    """
    return _Evaluation(store, job, limits).whole()


class _Evaluation:
    """One job on one store: checked against the policy, run once, its format chosen."""

    def __init__(
        self, store: Store, job: QueryJob, limits: Limits, text_scores: TextScores | None = None
    ) -> None:
        # The facts were read in the web process, which refused what it must; checking them
        # again costs nothing and holds a job made by hand to the same policy.
        check_policy(job.facts, limits)
        self._store = store
        self._job = job
        self._limits = limits
        self._arguments = _dataset_arguments(job, limits)
        if text_scores is not None:
            if mentions_text_score(job.query) and not text_scores.available(job.version_dir):
                # pyoxigraph turns a function's failure into an unbound value: say why instead.
                raise unavailable()
            self._arguments["custom_functions"] = text_scores.functions(job.version_dir)
        self.deterministic = job.facts.deterministic
        self._first: QuerySolutions | QueryBoolean | QueryTriples | None = self.run()
        kind = _kind_of(self._first)
        name = job.format_for(kind)
        if name is None:
            # pyoxigraph's results may be dropped only on the thread that made them; a result
            # held by this frame's traceback would be dropped wherever the collector runs.
            self._first = None
            raise NotAcceptableError(
                f"none of the accepted media types can carry {kind.value} "
                "(see the service description for the formats of each kind of result)"
            )
        self.format_name = name

    def whole(self) -> Complete | None:
        """The first run's answer, held back whole; None once it outgrows the buffer."""
        result, self._first = self._first, None  # an open result pins what it has read
        assert result is not None, "whole() reads the first run, once"
        fmt = BY_NAME[self.format_name]
        if isinstance(result, QueryBoolean):
            body = result.serialize(format=fmt.results)
            assert body is not None
            return Complete(self.format_name, body, self.deterministic)
        held = _HoldBack(self._limits.result_buffer_bytes)
        try:
            rows = _write(result, fmt, held, self._limits.max_result_rows)
        except _BufferFullError:
            return None
        finally:
            del result  # dropped here, on its thread, even when an error's traceback outlives it
        body = held.getvalue()
        if rows is None:
            _check_solutions(body, fmt, self._limits.max_result_rows)
        return Complete(self.format_name, body, self.deterministic)

    def run(self) -> QuerySolutions | QueryBoolean | QueryTriples:
        """Evaluate the query (again): pyoxigraph's results can be read only once."""
        try:
            return self._store.query(
                self._job.query, base_iri=self._limits.base_iri, **self._arguments
            )
        except SyntaxError as exc:
            raise syntax_error(self._job.query, exc) from exc
        except RuntimeError as exc:  # valid SPARQL that pyoxigraph cannot evaluate
            raise QueryRefusedError(f"the query cannot be evaluated here: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"the query could not be evaluated: {exc}") from exc


def _dataset_arguments(job: QueryJob, limits: Limits) -> dict[str, Any]:
    """The dataset of the SPARQL 1.1 Protocol: the request's graphs override the query's own."""
    if job.default_graphs is not None or job.named_graphs is not None:
        return {
            "default_graph": [NamedNode(iri) for iri in job.default_graphs or ()],
            "named_graphs": [NamedNode(iri) for iri in job.named_graphs or ()],
        }
    # pyoxigraph's union flag would override FROM, so it is only set for queries without one.
    if limits.union_default_graph and not job.facts.has_dataset_clause:
        return {"use_default_graph_as_union": True}
    return {}


def _kind_of(result: QuerySolutions | QueryBoolean | QueryTriples) -> ResultKind:
    if isinstance(result, QueryBoolean):
        return ResultKind.BOOLEAN
    if isinstance(result, QueryTriples):
        return ResultKind.GRAPH
    return ResultKind.SOLUTIONS


def _write(
    result: QuerySolutions | QueryBoolean | QueryTriples,
    fmt: ResultFormat,
    output: _HoldBack | _Stream,
    max_rows: int,
) -> int | None:
    """Serialize with pyoxigraph into ``output``; the triple count for graphs, else None."""
    if isinstance(result, QueryTriples):
        assert fmt.rdf is not None
        counter = _TripleCounter(max_rows)
        source = counter.quads(result) if fmt.quads else counter.triples(result)
        prefixes = PREFIXES if fmt.prefixed else None
        serialize(source, cast(IO[bytes], output), fmt.rdf, prefixes=prefixes)
        return counter.count
    assert fmt.results is not None
    assert isinstance(result, QuerySolutions)
    result.serialize(cast(IO[bytes], output), fmt.results)
    return None


def _count(result: QuerySolutions | QueryBoolean | QueryTriples, max_rows: int) -> int:
    assert not isinstance(result, QueryBoolean)
    rows = 0
    for _ in result:
        rows += 1
        if rows > max_rows:
            raise _too_many(max_rows)
    return rows


def _check_solutions(body: bytes, fmt: ResultFormat, max_rows: int) -> None:
    """Raise if a complete body has more rows than allowed.

    The size bounds the row count; only a body big enough to hold more rows than allowed is
    parsed and counted (exactly: CSV quotes, JSON strings and XML escapes are the parsers' job).
    """
    if len(body) // fmt.min_row_bytes <= max_rows:
        return
    if fmt.name == "csv":
        rows = sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    else:
        assert fmt.results is not None
        parsed = parse_query_results(body, fmt.results)
        assert isinstance(parsed, QuerySolutions)
        rows = sum(1 for _ in parsed)
    if rows > max_rows:
        raise _too_many(max_rows)


def _too_many(max_rows: int) -> ResultTooLargeError:
    return ResultTooLargeError(
        f"the result has more than {max_rows:,} rows (max_result_rows); "
        "narrow the query or page through it with ORDER BY, LIMIT and OFFSET"
    )


__all__ = ["evaluate", "evaluate_whole"]
