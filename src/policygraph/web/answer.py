"""What the endpoint answers, as plain data: status, headers and body.

The WSGI view turns an ``Answer`` into a werkzeug ``Response``; the ASGI front sends it as it is
(werkzeug's header bookkeeping costs more than a lookup query's evaluation). The headers every
answer has are made here, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from flask import Response
from werkzeug.datastructures import Headers
from werkzeug.http import parse_accept_header

from policygraph.web.http_policy import SECURITY_HEADERS, compressible, gzip_body
from policygraph.web.protocol import HttpRequest


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


@dataclass(frozen=True)
class Answer:
    """A response of the endpoint as plain data: cheap to make, and made once.

    The WSGI view turns it into a werkzeug ``Response``; the ASGI front sends it as it is
    (werkzeug's header bookkeeping costs more than a lookup query's evaluation).
    """

    status: int
    headers: list[tuple[str, str]]
    """Every header but Content-Length, including those every response of the endpoint has."""
    body: bytes | Chunks

    @classmethod
    def of(cls, response: Response) -> Answer:
        """A whole response made by Flask (an error, a page), with the endpoint's headers."""
        names = {name.lower() for name in response.headers.keys()}  # noqa: SIM118
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        headers += [(k, v) for k, v in COMMON_HEADERS if k.lower() not in names]
        return cls(response.status_code, headers, response.get_data())

    def for_client(self, req: HttpRequest) -> Answer:
        """This answer gzipped, when the client accepts that and it is worth it.

        (Flask's responses get the same from ``http_policy``; the ASGI front sends answers.)
        """
        accepted = req.headers.get("accept-encoding")
        if not isinstance(self.body, bytes) or not accepted:
            return self
        media_type = next((v for k, v in self.headers if k == "Content-Type"), "")
        worth_it = compressible(self.status, media_type, len(self.body))
        if not (worth_it and parse_accept_header(accepted)["gzip"]):
            return self
        headers = [(k, v + ", Accept-Encoding" if k == "Vary" else v) for k, v in self.headers]
        headers.append(("Content-Encoding", "gzip"))
        return Answer(self.status, headers, gzip_body(self.body))

    def response(self) -> Response:
        return Response(
            self.body,
            status=self.status,
            headers=Headers(self.headers),
            direct_passthrough=not isinstance(self.body, bytes),
        )


__all__ = ["COMMON_HEADERS", "Answer", "Chunks", "answer_headers"]
