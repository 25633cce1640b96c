"""What the web process and a query worker say to each other over their pipe.

One job goes to the worker (``encode_job``), with the facts the web process read of its text.
The worker answers with either

* one ``Complete`` (the whole body: results that fit ``result_buffer_bytes``), or
* one ``Failure`` (an error of the tree in ``errors.py``, by class name), or
* a ``Streaming`` head, then data frames, then ``Finished``.

Every message is one ``send_bytes`` frame whose first byte says what it is; a head then names
its result format, after a byte that gives the name's length. Replies are plain bytes rather
than pickled objects: this is the hot path of every query, and unpickling a dataclass with
enums costs more than a cheap query's evaluation.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, fields
from pathlib import Path

from policygraph.formats import ResultKind
from policygraph.sparql.bounds import TextBounds
from policygraph.sparql.inspection import QueryText

DATA = b"D"
_COMPLETE = b"C"
_STREAMING = b"S"
_FINISHED = b"F"
_FAILURE = b"E"
KINDS = tuple(ResultKind)


@dataclass(frozen=True)
class Limits:
    """The policy a worker applies to every job (fixed when the pool starts)."""

    max_result_rows: int
    result_buffer_bytes: int
    stream_chunk_bytes: int
    base_iri: str
    service_allowlist: tuple[str, ...]
    union_default_graph: bool
    text_bounds: TextBounds
    """Checked in the web process, before the text is sent anywhere."""
    memory_bytes: int
    """Memory a worker may write beyond its data when forked (0: unbounded)."""


@dataclass(frozen=True)
class QueryJob:
    query: str
    default_graphs: tuple[str, ...] | None
    """IRIs of the protocol's ``default-graph-uri``; None when the request named no dataset."""
    named_graphs: tuple[str, ...] | None
    formats: tuple[tuple[ResultKind, str | None], ...]
    """The format negotiated for each kind of result (None: the client accepts none)."""
    version_path: str | None
    """The published version directory to read (None for an in-memory dataset)."""
    facts: QueryText
    """What the web process read of the query text (``admission.prepare_job``), so that a worker
    need not tokenize it again."""

    @property
    def version_dir(self) -> Path | None:
        return None if self.version_path is None else Path(self.version_path)

    def format_for(self, kind: ResultKind) -> str | None:
        for known, name in self.formats:
            if known is kind:
                return name
        return None


@dataclass(frozen=True)
class Complete:
    format_name: str
    body: bytes
    deterministic: bool


@dataclass(frozen=True)
class Streaming:
    format_name: str
    deterministic: bool


@dataclass(frozen=True)
class Finished:
    pass


@dataclass(frozen=True)
class Failure:
    error: str
    """The name of a class in ``policygraph.errors``."""
    message: str


Reply = Complete | Streaming | Finished | Failure


_FACTS = tuple(field.name for field in fields(QueryText))


def encode_job(job: QueryJob) -> bytes:
    names = tuple(job.format_for(kind) for kind in KINDS)
    facts = tuple(getattr(job.facts, name) for name in _FACTS)
    fields = (job.query, job.default_graphs, job.named_graphs, names, job.version_path, facts)
    return pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)


def decode_job(frame: bytes) -> QueryJob:
    # Only strings, tuples, booleans and None: frames come from the web process that started
    # this worker.
    query, default_graphs, named_graphs, names, version_path, facts = pickle.loads(frame)  # noqa: S301
    formats = tuple(zip(KINDS, names, strict=True))
    return QueryJob(query, default_graphs, named_graphs, formats, version_path, QueryText(*facts))


def complete(format_name: str, body: bytes, deterministic: bool) -> bytes:
    return _COMPLETE + _head(format_name, deterministic) + body


def streaming(format_name: str, deterministic: bool) -> bytes:
    return _STREAMING + _head(format_name, deterministic)


def finished() -> bytes:
    return _FINISHED


def failure(error: str, message: str) -> bytes:
    return _FAILURE + error.encode("ascii") + b"\n" + message.encode("utf-8", "replace")


def decode_reply(frame: bytes) -> Reply:
    """Any frame but a data frame."""
    tag = frame[:1]
    if tag == _COMPLETE:
        name, deterministic, end = _read_head(frame)
        return Complete(name, frame[end:], deterministic)
    if tag == _STREAMING:
        name, deterministic, _ = _read_head(frame)
        return Streaming(name, deterministic)
    if tag == _FINISHED:
        return Finished()
    if tag == _FAILURE:
        error, _, message = frame[1:].partition(b"\n")
        return Failure(error.decode("ascii"), message.decode("utf-8"))
    raise ValueError(f"not a reply frame: {frame[:16]!r}")


def _head(format_name: str, deterministic: bool) -> bytes:
    """Whether the answer is deterministic, then the format's name after its length (a byte)."""
    name = format_name.encode("ascii")
    if len(name) > 255:
        raise ValueError(f"a format name is at most 255 bytes long, not {len(name)}")
    return (b"1" if deterministic else b"0") + bytes((len(name),)) + name


def _read_head(frame: bytes) -> tuple[str, bool, int]:
    """The head of a reply frame: its format's name, its determinism and where its body begins."""
    end = 3 + frame[2]
    return frame[3:end].decode("ascii"), frame[1:2] == b"1", end


__all__ = [
    "DATA",
    "KINDS",
    "Complete",
    "Failure",
    "Finished",
    "Limits",
    "QueryJob",
    "Reply",
    "ResultKind",
    "Streaming",
    "complete",
    "decode_job",
    "decode_reply",
    "encode_job",
    "failure",
    "finished",
    "streaming",
]
