"""The one exception tree of policygraph.

Every error the core raises is a ``PolicygraphError``; the edges map each class to an HTTP
status (``web/errors.py``) and a process exit code (``cli/app.py``) in one table each::

    PolicygraphError
    ├── ConfigurationError        a setting is missing or malformed
    │   └── PortInUseError        serve's host:port is already taken by another process
    ├── SourceError               a source document cannot be read or parsed
    │   └── SourceFormatError     it was read, but its content is not what its format promises
    ├── RDFSyntaxError            RDF input in a known syntax that does not parse
    ├── UnsupportedFormatError    a file extension or media type we do not read or write
    │   ├── NotAcceptableError    no format we write is one the client accepts
    │   └── UnsupportedMediaTypeError   a request body of a media type we do not read
    ├── ValidationFailed          SHACL found Violations; carries the ValidationReport
    ├── StoreError                the store cannot be opened, read or switched
    │   ├── StoreNotFoundError    no built store where one was expected
    │   ├── SearchUnavailableError  the published version has no search index
    │   └── EngineUnavailableError  no replica of the external engine answers its health checks
    ├── SearchRequestError        a search's parameters are out of bounds or malformed
    ├── AccountError              an account of the annotation API cannot be made or changed
    ├── AccessError               a write refused for who sent it
    │   ├── AuthenticationError   no bearer token, or one unknown or revoked (401)
    │   ├── ForbiddenError        the account may not do this: another's graph, its role (403)
    │   └── RateLimitedError      the account writes faster than its rate allows (429)
    ├── WriteError                a write to an annotation graph that is refused for what it is
    │   ├── AnnotationSyntaxError     a body that does not parse as its media type says (400)
    │   ├── AnnotationInputError      it parses, but is not one annotation of the account (422)
    │   ├── AnnotationNotFoundError   no such annotation in the account's graph (404)
    │   ├── BodyTooLargeError         a body larger than a write may be (413)
    │   └── PreconditionFailedError   If-Match names another version of the graph (412)
    └── QueryError                a SPARQL query was refused or failed
        ├── QueryProtocolError    the request does not follow the SPARQL 1.1 Protocol
        ├── QuerySyntaxError      the text is not SPARQL 1.1
        ├── QueryRefusedError     valid SPARQL that the endpoint's policy refuses (SERVICE, updates)
        │   └── QueryTooComplexError  nested, long or large past the bounds any parser is given
        ├── QueryTimeoutError     the query ran past its time limit and was stopped
        ├── QueryTooLargeError    the query text is larger than allowed
        ├── ResultTooLargeError   the result has more rows than allowed
        ├── QueryOverloadedError  every query slot stayed busy for queue_timeout
        ├── QueryAbortedError     its evaluation ended the process evaluating it (a crash)
        └── QueryCancelledError   the client went away, so its query was stopped
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policygraph.validation.report import ValidationReport


class PolicygraphError(Exception):
    """Base class of every error policygraph raises on purpose."""


class ConfigurationError(PolicygraphError):
    """A setting is missing, unknown or malformed."""


class PortInUseError(ConfigurationError):
    """The port ``serve`` is to listen on is taken: the setting must name another."""


class SourceError(PolicygraphError):
    """A source document cannot be read or parsed."""


class SourceFormatError(SourceError):
    """A source document was read, but its content is not what its format promises."""


class RDFSyntaxError(PolicygraphError):
    """RDF input in a known syntax that does not parse."""


class UnsupportedFormatError(PolicygraphError):
    """A file extension or media type that policygraph does not read or write."""


class NotAcceptableError(UnsupportedFormatError):
    """None of the formats policygraph writes for this result is one the client accepts."""


class UnsupportedMediaTypeError(UnsupportedFormatError):
    """A request body of a media type policygraph does not read."""


class ValidationFailed(PolicygraphError):  # noqa: N818 -- an outcome, named as one
    """SHACL validation found Violations; the report says which."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(f"the graph does not conform: {report.violation_count} violation(s)")


class StoreError(PolicygraphError):
    """The store cannot be opened, read or switched."""


class StoreNotFoundError(StoreError):
    """No built store where one was expected."""


class SearchUnavailableError(StoreError):
    """The published version has no search index (published before versions had one, or kept
    by an engine elsewhere)."""


class EngineUnavailableError(StoreError):
    """Every replica of the external engine failed its health checks; worth retrying later."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SearchRequestError(PolicygraphError):
    """A search's parameters are out of bounds or malformed (a page past the last, a type that
    does not exist)."""


class AccountError(PolicygraphError):
    """An account of the annotation API cannot be made, found or changed."""


class AccessError(PolicygraphError):
    """A write refused for who sent it, whatever it holds."""


class AuthenticationError(AccessError):
    """No bearer token, or one that is unknown or revoked."""


class ForbiddenError(AccessError):
    """The account may not do this: write another account's graph, or act beyond its role."""


class RateLimitedError(AccessError):
    """The account writes faster than its rate allows; worth retrying after ``retry_after``."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WriteError(PolicygraphError):
    """A write to an annotation graph that is refused for what it is."""


class AnnotationSyntaxError(WriteError):
    """A body that does not parse as the media type it is sent as."""


class AnnotationInputError(WriteError):
    """A body that parses but is not one annotation the account may write (triples about other
    resources, an unknown verdict, no target)."""


class AnnotationNotFoundError(WriteError):
    """No such annotation in the account's graph."""


class BodyTooLargeError(WriteError):
    """A request body larger than a write may be."""


class PreconditionFailedError(WriteError):
    """``If-Match`` names a version of the graph other than the current one."""


class QueryError(PolicygraphError):
    """A SPARQL query was refused or failed."""


class QueryProtocolError(QueryError):
    """The request does not follow the SPARQL 1.1 Protocol (a missing or repeated ``query``,
    a parameter both in the URL and the body, a body that is not UTF-8)."""


class QuerySyntaxError(QueryError):
    """The query text is not SPARQL 1.1."""


class QueryRefusedError(QueryError):
    """Valid SPARQL that this service's policy refuses (SERVICE, updates)."""

    @classmethod
    def read_only(cls, operations: tuple[str, ...] = ()) -> QueryRefusedError:
        """The refusal of an update, in the one wording the endpoint and the CLI share."""
        named = f" ({', '.join(sorted(set(operations)))})" if operations else ""
        return cls(f"this endpoint is read-only: SPARQL Update{named} is not accepted")


class QueryTooComplexError(QueryRefusedError):
    """The text nests deeper, or holds more tokens or a longer string, than a query may; it is
    refused before any parser reads it (a deep enough nesting overflows the parser's stack)."""


class QueryAbortedError(QueryError):
    """The process evaluating the query ended abnormally, on a fresh worker as well: the query
    engine crashed on it. Nothing was answered; the service itself is unharmed."""


class QueryTimeoutError(QueryError):
    """The query ran past its time limit and was stopped."""


class QueryTooLargeError(QueryError):
    """The query text is larger than allowed."""


class ResultTooLargeError(QueryError):
    """The result has more rows than allowed."""


class QueryOverloadedError(QueryError):
    """Every query slot stayed busy for the whole queue timeout; worth retrying later."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class QueryCancelledError(QueryError):
    """The client went away before its answer was ready, so its query was stopped."""
