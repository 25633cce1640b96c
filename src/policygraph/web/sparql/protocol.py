"""Reading a SPARQL 1.1 Protocol query request, strictly (https://www.w3.org/TR/sparql11-protocol/).

Three ways to send a query: GET with ``query`` in the URL, POST of an HTML form
(``application/x-www-form-urlencoded``) and POST of the query itself (``application/sparql-query``,
UTF-8). Dataset parameters (``default-graph-uri``, ``named-graph-uri``) may repeat. Refused, each
with its status: a missing or repeated ``query``, a parameter in both URL and body, a body or
parameter that is not UTF-8 (400); any update (400: the endpoint is read-only); another body type
(415); a query or body over ``max_query_bytes`` (413). Parameters are parsed here rather than by
werkzeug, which would replace invalid UTF-8 instead of refusing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus

from pyoxigraph import NamedNode
from werkzeug.http import parse_options_header

from policygraph.errors import (
    QueryProtocolError,
    QueryRefusedError,
    QueryTooLargeError,
    UnsupportedMediaTypeError,
)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORMAT_PARAMETERS = ("format", "output", "results")


@dataclass(frozen=True)
class QueryRequest:
    """A query request as the protocol defines it; ``query`` is None for a service description."""

    query: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    format: str | None
    """A ``format``/``output``/``results`` parameter, which overrides ``Accept``."""


@dataclass(frozen=True)
class HttpRequest:
    """What the endpoint reads of an HTTP request (made from the ASGI scope)."""

    method: str
    query_string: bytes
    """The raw query string of the URL."""
    headers: Mapping[str, str]
    """Header values by lower-case name (repeated headers joined with ", ")."""
    read: Callable[[int], bytes]
    """Reads up to n more bytes of the body."""


def read_query_request(request: HttpRequest, max_bytes: int) -> QueryRequest:
    url = _parameters(request.query_string, "the URL")
    if request.method in ("GET", "HEAD"):
        return _query_request(url, max_bytes, describe=True)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        # Read as it is, a compressed body would be taken for a (garbled) query.
        raise UnsupportedMediaTypeError(
            f"a request body with Content-Encoding {encoding!r} is not accepted; send it as it is"
        )
    media_type, options = parse_options_header(request.headers.get("content-type", ""))
    media_type = media_type.lower()
    if media_type == SPARQL_UPDATE:
        raise _read_only()
    if media_type not in (FORM, SPARQL_QUERY):
        given = f"{media_type!r}" if media_type else "no media type"
        raise UnsupportedMediaTypeError(
            f"a query is POSTed as {FORM} or {SPARQL_QUERY}, not {given}"
        )
    body = _body(request, max_bytes)
    if media_type == FORM:
        form = _parameters(body, "the form")
        both = sorted({name for name, _ in form} & {name for name, _ in url})
        if both:
            raise QueryProtocolError(
                f"parameter {both[0]!r} is given both in the URL and in the body"
            )
        return _query_request(url + form, max_bytes)
    charset = options.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise QueryProtocolError(f"a query must be sent in UTF-8, not {charset}")
    if any(name in ("query", "update") for name, _ in url):
        raise QueryProtocolError(
            "with application/sparql-query the query is the body, not a parameter"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryProtocolError("the query is not valid UTF-8") from None
    return _query_request([*url, ("query", text)], max_bytes)


def _query_request(
    parameters: list[tuple[str, str]], max_bytes: int, *, describe: bool = False
) -> QueryRequest:
    """The request of these parameters; without a query, a service description if ``describe``."""
    if any(name == "update" for name, _ in parameters):
        raise _read_only()
    queries = [value for name, value in parameters if name == "query"]
    if len(queries) > 1:
        raise QueryProtocolError("the query parameter is given more than once")
    default_graphs = _graphs(parameters, "default-graph-uri")
    named_graphs = _graphs(parameters, "named-graph-uri")
    dataset_given = default_graphs is not None or named_graphs is not None
    override = next((value for name, value in parameters if name in FORMAT_PARAMETERS), None)
    if not queries:
        if dataset_given or not describe:
            raise QueryProtocolError("the query parameter is missing")
        return QueryRequest(None, None, None, override)
    query = queries[0]
    if len(query.encode("utf-8")) > max_bytes:
        raise _too_large(max_bytes)
    if not query.strip():
        raise QueryProtocolError("the query parameter is empty")
    if dataset_given:
        default_graphs, named_graphs = default_graphs or (), named_graphs or ()
    return QueryRequest(query, default_graphs, named_graphs, override)


def _graphs(parameters: list[tuple[str, str]], name: str) -> tuple[str, ...] | None:
    values = tuple(value for key, value in parameters if key == name)
    for value in values:
        try:
            NamedNode(value)
        except ValueError:
            raise QueryProtocolError(f"{name} must be an absolute IRI, not {value!r}") from None
    return values or None


def _parameters(raw: bytes, where: str) -> list[tuple[str, str]]:
    """``name=value&…`` pairs, decoded strictly (as ``parse_qsl`` would, at half its cost)."""
    try:
        text = raw.decode("utf-8")
        return [
            (unquote_plus(name, errors="strict"), unquote_plus(value, errors="strict"))
            for name, _, value in (pair.partition("=") for pair in text.split("&") if pair)
        ]
    except UnicodeDecodeError:
        raise QueryProtocolError(f"the parameters in {where} are not valid UTF-8") from None


def declared_length(headers: Mapping[str, str]) -> int | None:
    """The body size a request declares (None when it declares none, or not as a number: the
    body is then read, within the bound, and what is wrong with it is reported)."""
    length = headers.get("content-length", "")
    return int(length) if length.isdigit() else None


def _body(request: HttpRequest, max_bytes: int) -> bytes:
    length = declared_length(request.headers)
    if length is not None and length > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    while len(body) <= max_bytes:
        chunk = request.read(max_bytes + 1 - len(body))
        if not chunk:
            return bytes(body)
        body += chunk
    raise _too_large(max_bytes)


def _too_large(max_bytes: int) -> QueryTooLargeError:
    return QueryTooLargeError(f"the query is larger than {max_bytes:,} bytes (max_query_bytes)")


def _read_only() -> QueryRefusedError:
    return QueryRefusedError.read_only()


__all__ = ["HttpRequest", "QueryRequest", "declared_length", "read_query_request"]
