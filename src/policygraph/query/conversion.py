"""An engine's answer in the format the client asked for, and its rows counted.

The endpoint asks an engine for the negotiated format itself when the engine writes it
(``Engine.native_formats``), and relays the bytes untouched. Otherwise it asks for JSON (SELECT,
ASK) or N-Triples (CONSTRUCT, DESCRIBE), which every engine writes, and converts with
pyoxigraph's parsers and serializers: a whole answer at once, a streamed one on a thread that
parses the engine's stream and writes ours as it goes, in chunks. Rows are counted with the same
parsers, which read a stream lazily, so counting a large answer holds one row at a time.
"""

from __future__ import annotations

import contextlib
import csv
import io
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import IO, cast

from pyoxigraph import (
    Quad,
    QueryBoolean,
    QuerySolutions,
    parse,
    parse_query_results,
    serialize,
)

from policygraph.errors import ResultTooLargeError, StoreError
from policygraph.formats import BY_NAME, RESULT_FORMATS, ResultFormat, ResultKind
from policygraph.namespaces import PREFIXES

CANONICAL = {ResultKind.SOLUTIONS: "json", ResultKind.BOOLEAN: "json", ResultKind.GRAPH: "ntriples"}
"""What an engine is asked for when it does not write the negotiated format itself."""
GRAPH_SOURCES = "application/n-triples, text/turtle;q=0.9"
_CHUNK = 65_536


def asked_format(native: frozenset[str], wanted: str, kind: ResultKind) -> str:
    """The format to ask the engine for: the one wanted, if the engine writes it."""
    return wanted if wanted in native else CANONICAL[kind]


def accept_header(asked: str, kind: ResultKind) -> str:
    if kind is ResultKind.GRAPH and asked == "ntriples":
        return GRAPH_SOURCES  # engines differ in the N-Triples media type they know
    return BY_NAME[asked].media_type


def format_of(content_type: str, kind: ResultKind) -> ResultFormat:
    """The format an engine answered in, by its Content-Type; StoreError if not one of ours."""
    media_type = content_type.split(";")[0].strip().lower()
    for fmt in RESULT_FORMATS:
        if kind in fmt.kinds and (fmt.media_type == media_type or media_type in fmt.aliases):
            return fmt
    raise StoreError(f"the engine answered in an unexpected media type {media_type!r}")


def too_many(max_rows: int) -> ResultTooLargeError:
    return ResultTooLargeError(
        f"the result has more than {max_rows:,} rows (max_result_rows); "
        "narrow the query or page through it with ORDER BY, LIMIT and OFFSET"
    )


def count_rows(source: IO[bytes], fmt: ResultFormat, limit: int) -> int:
    """Rows (solutions, or triples) of an answer read from ``source``, up to ``limit`` + 1."""
    rows = 0
    for _ in _rows(source, fmt):
        rows += 1
        if rows > limit:
            break
    return rows


def _rows(source: IO[bytes], fmt: ResultFormat) -> Iterable[object]:
    try:
        if fmt.rdf is not None:
            return parse(source, format=fmt.rdf)
        if fmt.name == "csv":  # pyoxigraph reads no CSV results (they lose the terms' kinds)
            text = io.TextIOWrapper(source, encoding="utf-8", newline="")
            reader = csv.reader(text)
            next(reader, None)
            return reader
        assert fmt.results is not None
        parsed = parse_query_results(source, format=fmt.results)
        return parsed if isinstance(parsed, QuerySolutions) else ()
    except SyntaxError as exc:
        raise StoreError(f"the engine sent a malformed {fmt.name} answer: {exc}") from exc


def convert(
    source: IO[bytes], given: ResultFormat, wanted: ResultFormat, output: IO[bytes]
) -> None:
    """Write the answer read from ``source`` (in ``given``) into ``output`` in ``wanted``."""
    try:
        if given.rdf is not None:
            assert wanted.rdf is not None
            triples = (q.triple for q in parse(source, format=given.rdf))
            written: Iterable[object] = (Quad(t.subject, t.predicate, t.object) for t in triples)
            if not wanted.quads:
                written = (q.triple for q in cast(Iterator[Quad], written))
            prefixes = PREFIXES if wanted.prefixed else None
            serialize(written, output, wanted.rdf, prefixes=prefixes)  # type: ignore[arg-type]
            return
        assert given.results is not None
        assert wanted.results is not None
        parsed = parse_query_results(source, format=given.results)
        if isinstance(parsed, QueryBoolean):
            body = parsed.serialize(format=wanted.results)
            assert body is not None
            output.write(body)
            return
        parsed.serialize(output, wanted.results)
    except SyntaxError as exc:
        raise StoreError(f"the engine sent a malformed {given.name} answer: {exc}") from exc


def convert_whole(body: bytes, given: ResultFormat, wanted: ResultFormat) -> bytes:
    output = io.BytesIO()
    convert(io.BytesIO(body), given, wanted, output)
    return output.getvalue()


class _Chunks(io.RawIOBase):
    """A writable file whose bytes go out in chunks through a bounded queue."""

    def __init__(self, out: queue.Queue[bytes | BaseException | None]) -> None:
        self._out = out
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        if len(self._buffer) >= _CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._out.put(bytes(self._buffer))
            self._buffer.clear()


class ConvertedStream:
    """The chunks of an answer converted on a thread as the engine's stream arrives.

    ``close`` closes ``source`` (which ends the engine's request, and with it the thread).
    """

    def __init__(self, source: IO[bytes], given: ResultFormat, wanted: ResultFormat) -> None:
        self._source = source
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=4)
        self._done = False
        self._thread = threading.Thread(
            target=self._run, args=(given, wanted), name="policygraph-convert", daemon=True
        )
        self._thread.start()

    def _run(self, given: ResultFormat, wanted: ResultFormat) -> None:
        chunks = _Chunks(self._queue)
        try:
            convert(self._source, given, wanted, cast(IO[bytes], chunks))
            chunks.flush()
            self._queue.put(None)
        except BaseException as error:  # handed to the reader, who raises it
            self._queue.put(error)

    def __iter__(self) -> ConvertedStream:
        return self

    def __next__(self) -> bytes:
        if self._done:
            raise StopIteration
        item = self._queue.get()
        if item is None:
            self._done = True
            raise StopIteration
        if isinstance(item, BaseException):
            self.close()
            raise item
        return item

    def close(self) -> None:
        if not self._done:
            self._done = True
            self._source.close()
            while self._thread.is_alive():  # let a writer blocked on the full queue finish
                with contextlib.suppress(queue.Empty):
                    self._queue.get(timeout=0.1)


__all__ = [
    "CANONICAL",
    "ConvertedStream",
    "accept_header",
    "asked_format",
    "convert",
    "convert_whole",
    "count_rows",
    "format_of",
    "too_many",
]
