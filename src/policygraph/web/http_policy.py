"""What every response gets on its way out: security headers and compression.

The Content-Security-Policy allows only this origin: scripts and styles come from our static
files, data from our own endpoint. The query UI (YASGUI with CodeMirror) sets element styles
from script and injects small style attributes, so its page alone adds ``'unsafe-inline'`` for
styles; no page ever allows inline script or ``eval``.

Compression is gzip for text that is not streamed, at least a kilobyte, and not encoded already;
a strong ETag becomes weak on the way (the compressed bytes differ, the meaning does not), as
nginx does.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CSP_QUERY_UI = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/ld+json",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/rdf+xml",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/xml",
    "application/javascript",
    "image/svg+xml",
)
MIN_SIZE = 1024


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def compressible(status: int, media_type: str, size: int) -> bool:
    """Whether a whole body of this status, type and size is worth gzip."""
    return (
        status >= 200
        and status not in (204, 206, 304)
        and media_type.startswith(COMPRESSIBLE)
        and size >= MIN_SIZE
    )


def gzip_body(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


def _security_headers(response: Response) -> None:
    headers = response.headers
    for name, value in SECURITY_HEADERS:
        headers.setdefault(name, value)


def _compress(response: Response) -> None:
    if (
        response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or not request.accept_encodings["gzip"]
    ):
        return
    body = response.get_data()
    if not compressible(response.status_code, response.mimetype or "", len(body)):
        return
    response.set_data(gzip_body(body))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)


def apply_response_policy(response: Response) -> Response:
    _security_headers(response)
    _compress(response)
    return response


def install_response_policy(app: Flask) -> None:
    app.after_request(apply_response_policy)
