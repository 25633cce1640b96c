"""The one table from the error tree (``policygraph.errors``) to HTTP statuses, and its handlers.

A client fault gets its status and our message in plain text; a server fault (500) is logged
with its traceback and answered without internals. werkzeug's own HTTP errors (404, 405) get the
same plain-text shape.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from math import ceil

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from policygraph.errors import (
    AccountError,
    AnnotationInputError,
    AnnotationNotFoundError,
    AnnotationSyntaxError,
    AuthenticationError,
    BodyTooLargeError,
    EngineUnavailableError,
    ForbiddenError,
    NotAcceptableError,
    PolicygraphError,
    PreconditionFailedError,
    QueryAbortedError,
    QueryCancelledError,
    QueryOverloadedError,
    QueryProtocolError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooLargeError,
    RateLimitedError,
    RDFSyntaxError,
    ResultTooLargeError,
    SearchRequestError,
    SearchUnavailableError,
    StoreError,
    StoreNotFoundError,
    UnsupportedFormatError,
    UnsupportedMediaTypeError,
    ValidationFailed,
)

log = logging.getLogger(__name__)

CLIENT_CLOSED_REQUEST = 499
"""Not sent to anyone (the client has gone); it is what the access log and metrics record."""

# The most specific class of an error decides (the table is searched along its MRO).
STATUS: dict[type[PolicygraphError], int] = {
    QueryProtocolError: 400,
    QuerySyntaxError: 400,
    QueryRefusedError: 400,
    NotAcceptableError: 406,
    QueryTooLargeError: 413,
    UnsupportedMediaTypeError: 415,
    UnsupportedFormatError: 400,
    ResultTooLargeError: 422,
    QueryCancelledError: CLIENT_CLOSED_REQUEST,
    QueryTimeoutError: 503,
    QueryOverloadedError: 503,
    QueryAbortedError: 503,
    StoreNotFoundError: 503,
    SearchUnavailableError: 503,
    EngineUnavailableError: 503,
    SearchRequestError: 400,
    StoreError: 500,
    # Writes to the annotation graphs.
    AuthenticationError: 401,
    ForbiddenError: 403,
    RateLimitedError: 429,
    AnnotationSyntaxError: 400,
    RDFSyntaxError: 400,
    AnnotationInputError: 422,
    ValidationFailed: 422,
    AnnotationNotFoundError: 404,
    BodyTooLargeError: 413,
    PreconditionFailedError: 412,
    AccountError: 400,
    PolicygraphError: 500,
}


def status_of(error: PolicygraphError) -> int:
    for cls in type(error).__mro__:
        status = STATUS.get(cls)
        if status is not None:
            return status
    return 500


# Faults of the service that the client is told about as they are: nothing internal in them.
_TOLD_FAULTS = (
    QueryTimeoutError,
    QueryOverloadedError,
    QueryAbortedError,
    SearchUnavailableError,
    EngineUnavailableError,
)


@dataclass(frozen=True)
class Refusal:
    """What a client is told about an error: the status, a message, and extra headers."""

    status: int
    message: str
    headers: tuple[tuple[str, str], ...] = ()


def refusal_of(error: PolicygraphError) -> Refusal:
    """The status and message for an error of the tree (a server fault is logged, not told)."""
    status = status_of(error)
    if isinstance(error, QueryAbortedError):
        # Told to the client, who can simplify the query; logged, as the engine crashed on it.
        log.warning("query engine failure: %s", error)
    if status >= 500 and not isinstance(error, _TOLD_FAULTS):
        log.error("server fault: %s", error, exc_info=error)
        message = "the server failed to answer; the fault has been logged"
        if isinstance(error, StoreNotFoundError):
            message = "the dataset is not available yet; try again later"
    else:
        message = str(error)
    if isinstance(error, QueryOverloadedError | EngineUnavailableError):
        return Refusal(status, message, (("Retry-After", str(int(error.retry_after))),))
    if isinstance(error, RateLimitedError):
        return Refusal(status, message, (("Retry-After", str(max(1, ceil(error.retry_after)))),))
    if isinstance(error, AuthenticationError):
        challenge = 'Bearer realm="policygraph annotations"'
        return Refusal(status, message, (("WWW-Authenticate", challenge),))
    return Refusal(status, message)


def error_response(error: PolicygraphError) -> Response:
    """The response for an error of the tree: its status, a plain-text message, Retry-After."""
    refusal = refusal_of(error)
    response = Response(
        refusal.message + "\n", status=refusal.status, content_type="text/plain; charset=utf-8"
    )
    for name, value in refusal.headers:
        response.headers[name] = value
    return response


def http_error_response(error: HTTPException) -> Response:
    """werkzeug's errors (404, 405…) in plain text, keeping their headers (``Allow``)."""
    response = Response(
        f"{error.code} {error.name}: {error.description}\n",
        status=error.code or 500,
        content_type="text/plain; charset=utf-8",
    )
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def unexpected_error_response(error: Exception) -> Response:
    log.error("unexpected error: %s", error, exc_info=error)
    return Response(
        "the server failed to answer; the fault has been logged\n",
        status=500,
        content_type="text/plain; charset=utf-8",
    )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(PolicygraphError, error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(Exception, unexpected_error_response)


__all__ = [
    "CLIENT_CLOSED_REQUEST",
    "STATUS",
    "Refusal",
    "error_response",
    "refusal_of",
    "register_error_handlers",
    "status_of",
]
