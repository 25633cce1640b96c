"""What the endpoint answers, as plain data: status, headers and body.

The ASGI route sends an ``Answer`` as it is (werkzeug's header bookkeeping costs more than a
lookup query's evaluation). The headers every answer has are made here, once, and so is the
answer's compression: nothing else compresses what ``/sparql`` sends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from werkzeug.http import parse_accept_header

from policygraph.errors import PolicygraphError
from policygraph.web.errors import refusal_of
from policygraph.web.http_policy import SECURITY_HEADERS, compressible, gzip_body


class Chunks(Protocol):
    """A streamed body: its chunks, and ``close`` to stop producing them, read or not."""

    def __iter__(self) -> Iterator[bytes]: ...

    def __next__(self) -> bytes: ...

    def close(self) -> None: ...


COMMON_HEADERS = (
    ("Vary", "Accept"),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "ETag, Retry-After"),
    *SECURITY_HEADERS,
)
"""The headers every response of the endpoint has: negotiation, CORS (never with
credentials), and the security headers every response of the site has."""

PLAIN_TEXT = "text/plain; charset=utf-8"


def answer_headers(content_type: str | None, etag: str | None) -> list[tuple[str, str]]:
    """The headers of an answer: the common ones, its type, and its ETag (None: not cacheable)."""
    headers = list(COMMON_HEADERS)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    if etag is None:
        headers.append(("Cache-Control", "no-store"))
    else:
        headers += [("ETag", f'W/"{etag}"'), ("Cache-Control", "public, no-cache")]
    return headers


def with_headers(base: list[tuple[str, str]], replaced: Mapping[str, str]) -> list[tuple[str, str]]:
    """``base`` with the headers named in ``replaced`` set to its values (others kept)."""
    kept = [(k, v) for k, v in base if k not in replaced]
    return kept + list(replaced.items())


@dataclass(frozen=True)
class Answer:
    """A response of the endpoint as plain data: cheap to make, and made once."""

    status: int
    headers: list[tuple[str, str]]
    """Every header but Content-Length, including those every response of the endpoint has."""
    body: bytes | Chunks

    @classmethod
    def text(cls, status: int, message: str, extra: tuple[tuple[str, str], ...] = ()) -> Answer:
        """A plain-text answer (an error, a refusal) with the endpoint's headers."""
        headers = [*COMMON_HEADERS, ("Content-Type", PLAIN_TEXT), *extra]
        return cls(status, headers, (message + "\n").encode("utf-8"))

    @classmethod
    def refusal(cls, error: PolicygraphError) -> Answer:
        refusal = refusal_of(error)
        return cls.text(refusal.status, refusal.message, refusal.headers)

    def for_client(self, accept_encoding: str | None) -> Answer:
        """This answer gzipped, when the client accepts that and it is worth it."""
        if not isinstance(self.body, bytes) or not accept_encoding:
            return self
        media_type = next((v for k, v in self.headers if k == "Content-Type"), "")
        worth_it = compressible(self.status, media_type, len(self.body))
        if not (worth_it and parse_accept_header(accept_encoding)["gzip"]):
            return self
        headers = [(k, v + ", Accept-Encoding" if k == "Vary" else v) for k, v in self.headers]
        headers.append(("Content-Encoding", "gzip"))
        return Answer(self.status, headers, gzip_body(self.body))


__all__ = ["COMMON_HEADERS", "PLAIN_TEXT", "Answer", "Chunks", "answer_headers", "with_headers"]
