"""What the web process and a query worker say to each other over their pipe.

One job goes to the worker as a pickled ``QueryJob``. The worker answers with either

* one ``Complete`` (the whole body: results that fit ``result_buffer_bytes``), or
* one ``Failure`` (an error of the tree in ``errors.py``, by class name), or
* a ``Streaming`` head, then raw data frames (``DATA`` + bytes), then ``Finished``.

Frames are ``send_bytes`` payloads whose first byte tells which: ``DATA`` or ``PICKLED``.
"""

from __future__ import annotations

import enum
import pickle
from dataclasses import dataclass

DATA = b"D"
PICKLED = b"P"


class ResultKind(enum.Enum):
    """What a query form returns; a format is negotiated per kind."""

    SOLUTIONS = "solutions"
    BOOLEAN = "boolean"
    GRAPH = "graph"


@dataclass(frozen=True)
class Limits:
    """The policy a worker applies to every job (fixed when the pool starts)."""

    max_result_rows: int
    result_buffer_bytes: int
    stream_chunk_bytes: int
    base_iri: str
    service_allowlist: tuple[str, ...]
    union_default_graph: bool


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

    def format_for(self, kind: ResultKind) -> str | None:
        return dict(self.formats).get(kind)


@dataclass(frozen=True)
class Complete:
    format_name: str
    body: bytes
    rows: int | None
    """Rows or triples, when they were counted (small bodies are bounded by their size)."""
    deterministic: bool


@dataclass(frozen=True)
class Streaming:
    format_name: str
    deterministic: bool


@dataclass(frozen=True)
class Finished:
    rows: int | None


@dataclass(frozen=True)
class Failure:
    error: str
    """The name of a class in ``policygraph.errors``."""
    message: str


Reply = Complete | Streaming | Finished | Failure


def pickled(message: QueryJob | Reply) -> bytes:
    return PICKLED + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def unpickled(frame: bytes) -> QueryJob | Reply:
    message = pickle.loads(frame[1:])  # noqa: S301 - frames come from our own worker processes
    assert isinstance(message, QueryJob | Complete | Streaming | Finished | Failure)
    return message


__all__ = [
    "DATA",
    "PICKLED",
    "Complete",
    "Failure",
    "Finished",
    "Limits",
    "QueryJob",
    "Reply",
    "ResultKind",
    "Streaming",
    "pickled",
    "unpickled",
]
