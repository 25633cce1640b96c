"""What is decided about a query before it is sent anywhere: its text read once, refusals.

The web process tokenizes a query's text once (``inspect_query``), here; what it learns travels
with the job (``QueryJob.facts``), so neither the inline lane nor a worker reads the text again.
A query that must be refused (an update, a SERVICE call outside the allow-list, a text nested
deeper or longer than the bounds any parser is given) is refused here, before it costs a
worker's round trip.
"""

from __future__ import annotations

from policygraph.errors import QueryRefusedError
from policygraph.formats import ResultKind
from policygraph.query.messages import Limits, QueryJob
from policygraph.sparql.inspection import QueryText, inspect_query

Formats = tuple[tuple[ResultKind, str | None], ...]


def prepare_job(
    query: str,
    default_graphs: tuple[str, ...] | None,
    named_graphs: tuple[str, ...] | None,
    formats: Formats,
    version_path: str | None,
    limits: Limits,
) -> QueryJob:
    """The job of a query request, with the facts of its text; QueryRefusedError if refused."""
    facts = inspect_query(query, limits.base_iri, limits.text_bounds)
    check_policy(facts, limits)
    return QueryJob(query, default_graphs, named_graphs, formats, version_path, facts)


def check_policy(facts: QueryText, limits: Limits) -> None:
    """Refuse updates and any SERVICE whose endpoint is not allow-listed."""
    if facts.update_operations:
        raise QueryRefusedError.read_only(facts.update_operations)
    for endpoint in facts.services:
        if endpoint is None or endpoint not in limits.service_allowlist:
            shown = "a variable or unresolvable IRI" if endpoint is None else f"<{endpoint}>"
            allowed = " ".join(f"<{iri}>" for iri in limits.service_allowlist) or "none"
            raise QueryRefusedError(
                f"SERVICE {shown} is not allowed: this endpoint only calls allow-listed "
                f"endpoints (allowed: {allowed})"
            )


__all__ = ["Formats", "check_policy", "prepare_job"]
